"""The replay report as one self-contained HTML page: tables and plots (PNG, base64)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["render_html", "write_html"]

TEMPLATE = jinja2.Template(
    """<!doctype html><html lang="en"><meta charset="utf-8">
<title>eoffice loadtest: {{ r.params.profile }}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}
td:first-child{text-align:left}img{max-width:100%}</style>
<h1>Schedule replay: {{ r.params.profile }} (seed {{ r.params.seed }})</h1>
<p>{{ r.hub_url }}; {{ r.processes }} Locust process(es); {{ "%.0f"|format(r.elapsed_s) }} s;
compression office {{ "%.0f"|format(r.params.office) }}x, off-hours
{{ "%.0f"|format(r.params.off_hours) }}x{% if r.interrupted %}; <b>interrupted</b>{% endif %}.</p>
<h2>Summary</h2><table>{% for k, v in r.summary.items() %}
<tr><td>{{ k }}</td><td>{{ "{:,.3f}".format(v) if v is float else "{:,}".format(v) }}</td></tr>
{% endfor %}</table>
<h2>Throughput</h2><img src="data:image/png;base64,{{ plots.rate }}">
<h2>Latency from the intended time (ms)</h2><table><tr><th>call</th>
{% for k in columns %}<th>{{ k }}</th>{% endfor %}</tr>{% for name, c in r.calls.items() %}
<tr><td>{{ name }}</td>{% for k in columns %}<td>{{ c[k] }}</td>{% endfor %}</tr>{% endfor %}
</table><img src="data:image/png;base64,{{ plots.latency }}">
<h2>Planned and achieved arrivals per hour of the day (simulated)</h2>
<img src="data:image/png;base64,{{ plots.hours }}">
<h2>Electronic share per tier pair</h2><table><tr><th>era</th><th>pair</th><th>scheduled</th>
<th>electronic</th><th>accepted</th><th>achieved</th><th>profile</th></tr>
{% for e in r.electronic %}<tr><td>{{ e.era }}</td><td>{{ e.pair }}</td><td>{{ e.scheduled }}</td>
<td>{{ e.electronic }}</td><td>{{ e.accepted }}</td>
<td>{{ "%.1f%%"|format(100*e.achieved_share) }}</td>
<td>{{ "%.0f%%"|format(100*e.profile_share) }}</td></tr>{% endfor %}</table>
<h2>Backlog (deliveries not yet acknowledged)</h2>
<img src="data:image/png;base64,{{ plots.backlog }}">
<h2>Errors by call and code</h2><table>{% for k, v in r.errors.items() %}
<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% else %}<tr><td>none</td></tr>{% endfor %}</table>
</html>"""
)


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def _rate(series: dict[str, list[int]]) -> str:
    figure, axes = plt.subplots(figsize=(10, 3.5))
    for name, label in (("planned", "documents planned/s"), ("documents", "documents/s")):
        axes.plot(series.get(name, []), label=label)
    axes.set_ylabel("documents/s")
    axes.set_xlabel("wall seconds")
    requests = axes.twinx()
    requests.plot(series.get("requests", []), label="requests/s", color="green", alpha=0.5)
    requests.plot(series.get("errors", []), label="errors/s", color="red")
    requests.set_ylabel("requests/s")
    axes.legend(loc="upper left")
    requests.legend(loc="upper right")
    return _png(figure)


def _latency(calls: dict[str, dict[str, Any]]) -> str:
    figure, axes = plt.subplots(figsize=(10, 3.5))
    names = list(calls)
    for offset, key in enumerate(("p50_ms", "p99_ms")):
        xs = [i + offset * 0.4 for i in range(len(names))]
        axes.bar(xs, [calls[n][key] for n in names], width=0.4, label=key)
    axes.set_xticks([i + 0.2 for i in range(len(names))], names, rotation=20, fontsize=8)
    axes.set_yscale("log")
    axes.legend()
    return _png(figure)


def _hours(hours: dict[str, list[int]]) -> str:
    figure, axes = plt.subplots(figsize=(10, 3))
    axes.bar([h - 0.2 for h in range(24)], hours.get("planned", [0] * 24), 0.4, label="planned")
    axes.bar([h + 0.2 for h in range(24)], hours.get("achieved", [0] * 24), 0.4, label="achieved")
    axes.set_xlabel("hour (ICT)")
    axes.legend()
    return _png(figure)


def _backlog(series: dict[str, list[int]]) -> str:
    figure, axes = plt.subplots(figsize=(10, 3))
    axes.plot(series.get("backlog", []))
    axes.set_xlabel("wall seconds")
    return _png(figure)


def render_html(report: dict[str, Any]) -> str:
    plots = {
        "rate": _rate(report["series"]),
        "latency": _latency(report["calls"]),
        "hours": _hours(report["hours"]),
        "backlog": _backlog(report["series"]),
    }
    first: dict[str, Any] = next(iter(report["calls"].values()), {})
    columns = [k for k in first if k != "requests"] + ["requests"]
    html: str = TEMPLATE.render(r=report, plots=plots, columns=columns)
    return html


def write_html(report: dict[str, Any], folder: Path) -> Path:
    path = folder / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path
