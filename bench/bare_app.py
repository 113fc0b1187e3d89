"""The floor of the page-throughput figure: a bare Flask + Jinja page rendering a
50-row table, served by gunicorn exactly like the portal."""

from __future__ import annotations

from flask import Flask, render_template_string

ROWS = [
    {"id": n, "name": f"Penerima {n:03d}", "desa": "Kembang Janggut", "status": "valid"}
    for n in range(50)
]
PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<table><thead><tr><th>No</th><th>Nama</th><th>Desa</th><th>Status</th></tr></thead>
<tbody>{% for row in rows %}
<tr><td>{{ row.id }}</td><td><a href="/r/{{ row.id }}">{{ row.name }}</a></td>
<td>{{ row.desa }}</td><td>{{ row.status }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""

app = Flask(__name__)


@app.get("/")
def table():
    return render_template_string(PAGE, title="Daftar penerima", rows=ROWS)
