"""What the replay report's page says, as data: the verdict, the run's parameters, the
summary and the latency table, each value in the unit a reader expects (whole milliseconds,
whole counts, rates to one decimal). Pure; `render` lays it out with the plots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["TEMPLATE", "Verdict", "latency_columns", "parameters", "summary_rows", "verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    headline: str
    findings: tuple[str, ...]


def verdict(report: dict[str, Any]) -> Verdict:
    """Thresholds met or not, the run clean or not, and what was left at the end."""
    summary = report["summary"]
    broken = tuple(report.get("thresholds", {}).get("broken", []))
    left = _left(summary)
    findings = broken + left
    if report.get("interrupted"):
        findings = ("interrupted before the end: the figures cover what ran", *findings)
    elif not report.get("completed"):
        findings = ("stopped before the schedule's end (--duration or a lost worker)", *findings)
    if not findings:
        return Verdict(True, "PASS: thresholds met, the run ended clean", ())
    what = "thresholds broken" if broken else "the run did not end clean"
    return Verdict(False, f"FAIL: {what}", findings)


def _left(summary: dict[str, Any]) -> tuple[str, ...]:
    found = []
    missing = int(summary["documents_planned"]) - int(summary["documents_accepted"])
    checks = (
        (missing, "documents planned but not accepted by the hub"),
        (int(summary["backlog_at_end"]), "deliveries not acknowledged at the end (backlog)"),
        (int(summary["statuses_held_at_end"]), "statuses still waiting to be sent at the end"),
        (int(summary["errors"]), "requests failed"),
        (int(summary.get("signatures_failed", 0)), "signatures that did not verify"),
    )
    for count, what in checks:
        if count > 0:
            found.append(f"{count:,} {what}")
    return tuple(found)


def parameters(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The run's parameters, as `eoffice loadtest` was given them (or chose them)."""
    params, thresholds = report["params"], report.get("thresholds", {})
    start, end = params.get("start"), params.get("end")
    window = f"{start or 'the start'} to {end or 'the end'}" if start or end else "the whole period"
    documents = params["documents"]
    rows = [
        ("profile, seed", f"{params['profile']}, {params['seed']}"),
        ("documents", "the real volume" if documents is None else f"{documents:,} (scaled)"),
        ("period replayed", window),
        ("compression", f"office {params['office']:,.0f}x, off hours {params['off_hours']:,.0f}x"),
        ("wall time planned, taken", _seconds(report)),
        ("load generator", _generator(report)),
        ("hub", f"{report['hub_url']} (database {report.get('database_url') or 'not given'})"),
        ("connectors", f"{report.get('transport')}, prefix {report.get('endpoint_prefix')!r}"),
        ("signed documents", "yes" if params.get("signed") else "no"),
        ("thresholds", _thresholds(thresholds)),
    ]
    return rows


def _seconds(report: dict[str, Any]) -> str:
    return f"{report.get('wall_planned_s', 0):,.0f} s, {report.get('elapsed_s', 0):,.0f} s"


def _generator(report: dict[str, Any]) -> str:
    workers = report.get("locust_workers") or []
    nodes = {row.get("node") for row in workers}
    if len(nodes) > 1 or any(node not in (None, "local") for node in nodes):
        return f"Locust master with {len(workers)} worker(s)"
    count = max(int(report.get("processes") or 1), len(workers))
    return f"{count} Locust process(es) on this machine"


def _thresholds(thresholds: dict[str, Any]) -> str:
    p99, rate = thresholds.get("max_p99_ms"), thresholds.get("max_error_rate")
    shown = [f"p99 <= {p99:,.0f} ms" if p99 is not None else "", _rate_limit(rate)]
    return ", ".join(part for part in shown if part) or "none (--max-p99-ms, --max-error-rate)"


def _rate_limit(rate: float | None) -> str:
    return "" if rate is None else f"errors <= {100 * rate:g}%"


def summary_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    return [(name.replace("_", " "), _value(name, value)) for name, value in summary.items()]


def _value(name: str, value: float) -> str:
    if name.endswith("_per_s"):
        return f"{value:,.1f}"
    if name.endswith("_rate"):
        return f"{100 * value:.2f}%"
    return f"{round(value):,}"


def latency_columns(calls: dict[str, dict[str, Any]]) -> list[str]:
    first: dict[str, Any] = next(iter(calls.values()), {})
    return [k for k in first if k != "requests"] + ["requests"]


TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eoffice loadtest: {{ r.params.profile }}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:auto;padding:0 12px;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.4em}
.verdict{padding:8px 14px;border:2px solid;border-radius:6px}
.pass{background:#e8f5e9;border-color:#2e7d32}.fail{background:#fdecea;border-color:#c62828}
.verdict p{margin:4px 0;font-weight:bold}.verdict ul{margin:4px 0 4px 18px;padding:0}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:6px 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}
th{background:#eee}td:first-child,th:first-child{text-align:left}
.wrap td{white-space:normal;text-align:left}figure{margin:12px 0}img{max-width:100%;height:auto}
.note{color:#444;font-size:.93em}
@media print{body{max-width:none;font-size:10pt;padding:0}.scroll{overflow:visible}
figure,table,.verdict{break-inside:avoid}h2{break-after:avoid}
.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style>
<h1>Schedule replay: {{ r.params.profile }} (seed {{ r.params.seed }})</h1>
<div class="verdict {{ 'pass' if verdict.passed else 'fail' }}" id="verdict">
<p>{{ verdict.headline }}</p>{% if verdict.findings %}<ul>
{% for f in verdict.findings %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}</div>
<h2>Parameters</h2><div class="scroll"><table class="wrap">
{% for k, v in parameters %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table></div>
{% if r.yardstick %}<h2>This machine's yardstick (measured before the replay)</h2>
<p class="note">The same three figures in every report, so that a slower machine can be told
from a slower hub: compare them with <code>eoffice compare REPORT_A REPORT_B</code>.</p>
<div class="scroll"><table>{% for y in r.yardstick %}<tr><td>{{ y.name }}</td>
<td>{{ "{:,.0f}".format(y.value) }} {{ y.unit }}</td></tr>{% endfor %}</table></div>{% endif %}
<h2>Summary</h2><div class="scroll"><table>
{% for k, v in summary %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table></div>
<h2>Throughput</h2><figure><img alt="documents and requests per second over the run"
src="data:image/png;base64,{{ plots.rate }}"></figure>
<h2>Latency per call (ms)</h2>
<p class="note">Measured from the <b>intended time</b>: when the schedule said the call should
start, not when a Locust user got round to it, so a hub (or a load generator) that falls behind
shows it (no coordinated omission). Locust's own report (locust.html) times each request from
the moment it was sent: that is the <b>service time</b>, the "service" columns here, and it is
lower whenever calls queued.</p>
<div class="scroll"><table><tr><th>call</th>
{% for k in columns %}<th>{{ k.replace("_ms", "").replace("_", " ") }}</th>{% endfor %}</tr>
{% for name, c in r.calls.items() %}<tr><td>{{ name }}</td>
{% for k in columns %}<td>{{ "{:,.0f}".format(c[k]) if c[k] is not none else "" }}</td>
{% endfor %}</tr>{% endfor %}</table></div>
<figure><img alt="p50 and p99 per call" src="data:image/png;base64,{{ plots.latency }}"></figure>
<figure><img alt="latency per call over time" src="data:image/png;base64,{{ plots.timeline }}">
</figure>
<h2>Planned and achieved arrivals per hour of the day (simulated)</h2>
<figure><img alt="documents per hour" src="data:image/png;base64,{{ plots.hours }}"></figure>
<h2>Electronic share per tier pair</h2><div class="scroll"><table><tr><th>era</th><th>pair</th>
<th>scheduled</th><th>electronic</th><th>accepted</th><th>achieved</th><th>profile</th></tr>
{% for e in r.electronic %}<tr><td>{{ e.era }}</td><td>{{ e.pair }}</td>
<td>{{ "{:,}".format(e.scheduled) }}</td><td>{{ "{:,}".format(e.electronic) }}</td>
<td>{{ "{:,}".format(e.accepted) }}</td><td>{{ "%.1f%%"|format(100*e.achieved_share) }}</td>
<td>{{ "%.0f%%"|format(100*e.profile_share) }}</td></tr>{% endfor %}</table></div>
<h2>Backlog</h2>
<figure><img alt="deliveries not yet acknowledged" src="data:image/png;base64,{{ plots.backlog }}">
</figure>
<h2>Errors by call and code</h2><div class="scroll"><table>
{% for k, v in r.errors.items() %}<tr><td>{{ k }}</td><td>{{ "{:,}".format(v) }}</td></tr>
{% else %}<tr><td>none</td></tr>{% endfor %}</table></div>
</html>"""
