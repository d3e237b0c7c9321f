"""`eoffice bench --signatures` as a table: each run, each policy's median run, the ratios,
the verdicts and the warnings. Pure."""

from __future__ import annotations

from loadtests.signatures.report import POLICIES, PolicyRun, SignatureReport

__all__ = ["render_signatures"]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _value(value: float | None) -> str:
    """A count as a count, a ratio with two decimals."""
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


COLUMNS = (
    f"{'run':<16}{'users':>6}{'req/s':>8}{'docs/s':>8}{'send p50':>10}{'send p99':>10}"
    f"{'fails':>6}{'refused':>8}{'hub CPU':>9}{'ms/doc':>8}{'Locust':>8}{'stall':>7}"
)


def _line(label: str, run: PolicyRun) -> str:
    f = run.figures
    cost = run.hub_ms_per_document
    return (
        f"{label:<16}{f.users:>6}{f.rps:>8,.0f}{f.documents_per_s:>8.1f}"
        f"{_ms(run.send_p50_ms):>10}{_ms(run.send_p99_ms):>10}{f.failures:>6}{run.refused:>8}"
        f"{_share(f.hub_cpu):>9}{'-' if cost is None else f'{cost:.1f}':>8}"
        f"{_share(f.locust_cpu):>8}{_share(run.cpu_stall):>7}"
    )


def _head(report: SignatureReport) -> list[str]:
    m, s = report.machine, report.settings
    return [
        f"eoffice bench --signatures: {report.backend} ({report.database}); {m['cores']} cores "
        f"({m['usable_cores']} usable); hub {s['workers']} worker(s) on {s['hub_cores']}, "
        f"Locust on {s['locust_cores']}; {s['seconds']} s per run after {s['warmup_seconds']} s "
        "of warm-up",
        f"documents: PAdES person + organisation ({s['pki_algorithm']}), DocumentId bound; "
        f"{s['pool_documents']:,} pre-signed ({s['pool_per_sender']} per sender, "
        f"{s['document_kib']:.0f} KiB of edXML each, {s['presign_seconds']:.0f} s on "
        f"{s['presign_processes']} processes); receivers {s['receivers']}",
    ]


def _cost_line(report: SignatureReport) -> str:
    off, enforce = (report.hub_ms_per_document[p] for p in POLICIES)
    if report.cpu_ratio is None or off is None or enforce is None:
        return "hub CPU per document: not measured"
    return (
        f"hub CPU per document (median): off {off:.1f} ms, enforce {enforce:.1f} ms; "
        f"off/enforce {report.cpu_ratio:.2f} (the share of documents/s a CPU-bound hub keeps)"
    )


def render_signatures(report: SignatureReport) -> str:
    ratios = ", ".join(f"{r:.2f}" for r in report.pair_ratios)
    lines = [
        *_head(report),
        "",
        COLUMNS,
        *(_line(f"{r.policy} {r.run}", r) for r in report.runs),
        _line("median off", report.off),
        _line("median enforce", report.enforce),
        f"ratio enforce/off of the medians: documents/s {report.docs_ratio:.2f}, requests/s "
        f"{report.rps_ratio:.2f}",
        f"ratio enforce/off pair by pair, documents/s: {ratios}; median {report.kept:.2f}",
        _cost_line(report),
        "",
    ]
    for target in report.targets:
        verdict = "PASS" if target.passed else "FAIL"
        value = _value(target.value)
        lines.append(f"{verdict}  {target.name}: {value} (limit {target.limit:g}; {target.detail})")
    lines += [f"WARNING  {w}" for w in report.warnings]
    return "\n".join(lines)
