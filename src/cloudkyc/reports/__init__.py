"""Reports a person reads or files, rendered with Jinja2 (self-contained HTML, no CDN): the run
report of `cloudkyc run`, and the filed reports, each a plain dict rendered as JSON, HTML and
PDF (render.py): the large-AI-training report (training.py), the annual CIP certification
summary (cip.py) and alert exports (alerts.py)."""
