"""The replay report as one self-contained HTML page: the verdict first, the run's parameters
and the machine's yardstick, then tables and plots (PNG, base64). Readable on a phone (tables
scroll on their own, plots scale) and printable (nothing cut across pages)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from loadtests.replay.page import TEMPLATE, latency_columns, parameters, summary_rows, verdict
from loadtests.replay.timeline import latency_over_time

__all__ = ["render_html", "write_html"]

PAGE = jinja2.Template(TEMPLATE)


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def _axes(title: str, x: str, y: str, height: float = 3.4) -> tuple[Figure, Axes]:
    figure, axes = plt.subplots(figsize=(7.5, height))
    axes.set_title(title, fontsize=11)
    axes.set_xlabel(x)
    axes.set_ylabel(y)
    axes.grid(alpha=0.3)
    return figure, axes


def _log_ms(axes: Axes) -> None:
    """A log scale read in plain milliseconds (1, 2, 5, 10, 20...), not powers of ten."""
    axes.set_yscale("log")
    axes.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,g}"))
    axes.yaxis.set_minor_formatter(NullFormatter())


def _rate(series: dict[str, list[int]]) -> str:
    figure, axes = _axes("Documents and requests per second", "wall time (s)", "documents/s")
    for name, label in (("planned", "documents planned"), ("documents", "documents accepted")):
        axes.plot(series.get(name, []), label=label)
    requests = axes.twinx()
    requests.plot(series.get("requests", []), label="requests", color="green", alpha=0.5)
    requests.plot(series.get("errors", []), label="errors", color="red")
    requests.set_ylabel("requests/s")
    axes.legend(loc="upper left", fontsize=8)
    requests.legend(loc="upper right", fontsize=8)
    return _png(figure)


def _latency(calls: dict[str, dict[str, Any]]) -> str:
    title = "Latency per call, from the intended time"
    figure, axes = _axes(title, "call", "ms (log scale)", 3.8)
    names = list(calls)
    for offset, key in enumerate(("p50_ms", "p99_ms")):
        xs = [i + offset * 0.4 for i in range(len(names))]
        axes.bar(xs, [max(calls[n][key], 0.001) for n in names], width=0.4, label=key[:3])
    axes.set_xticks([i + 0.2 for i in range(len(names))], names, rotation=25, fontsize=8)
    _log_ms(axes)
    axes.legend(fontsize=8)
    return _png(figure)


def _timeline(series: dict[str, list[int]]) -> str:
    title = "Mean latency per call over the run, from the intended time"
    figure, axes = _axes(title, "wall time (s)", "ms (log scale)", 3.8)
    for name, (xs, ys) in latency_over_time(series).items():
        axes.plot(xs, ys, label=name, marker=".", markersize=3)
    _log_ms(axes)
    axes.legend(fontsize=7, ncol=2)
    return _png(figure)


def _hours(hours: dict[str, list[int]]) -> str:
    title = "Electronic documents per hour of the simulated day"
    figure, axes = _axes(title, "hour of the day (ICT)", "documents", 3.0)
    axes.bar([h - 0.2 for h in range(24)], hours.get("planned", [0] * 24), 0.4, label="planned")
    axes.bar([h + 0.2 for h in range(24)], hours.get("achieved", [0] * 24), 0.4, label="achieved")
    axes.legend(fontsize=8)
    return _png(figure)


def _backlog(series: dict[str, list[int]]) -> str:
    title = "Deliveries the connectors have not yet acknowledged"
    figure, axes = _axes(title, "wall time (s)", "deliveries", 3.0)
    axes.plot(series.get("backlog", []))
    return _png(figure)


def render_html(report: dict[str, Any]) -> str:
    plots = {
        "rate": _rate(report["series"]),
        "latency": _latency(report["calls"]),
        "timeline": _timeline(report["series"]),
        "hours": _hours(report["hours"]),
        "backlog": _backlog(report["series"]),
    }
    html: str = PAGE.render(
        r=report,
        plots=plots,
        verdict=verdict(report),
        parameters=parameters(report),
        summary=summary_rows(report["summary"]),
        columns=latency_columns(report["calls"]),
    )
    return html


def write_html(report: dict[str, Any], folder: Path) -> Path:
    path = folder / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path
