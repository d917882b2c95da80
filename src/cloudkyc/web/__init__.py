"""The compliance dashboard: server-rendered pages (Jinja2) over the store, served by the
same app as the API (web/app.py installs it). No CDN and no script needed: the CSS is
bundled and charts are SVG drawn on the server (web/charts.py)."""
