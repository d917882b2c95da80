"""Reports a person reads or files: the run report of `cloudkyc run` (HTML, self-contained,
no CDN), rendered with Jinja2 from what the pipeline found."""
