"""`eoffice pki …`, `eoffice pdf`, `eoffice sign`, `eoffice verify`: the PKI and signatures on
files, for trainers and outside tools (openssl, xmlsec1)."""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography import x509

from exchange.certificates import open_or_init
from exchange.db.engine import make_engine
from exchange.db.writer import run_once
from exchange.domain.agencies import Agency
from exchange.edxml import parse_edxml
from exchange.protocol.verification import MessageVerification, verify_message
from exchange.registry.leaders import leader_of
from exchange.services.directory import load_directory
from exchange.settings import Settings
from signing import (
    CertificateKind,
    DocumentType,
    DocumentVerification,
    KeyAlgorithm,
    OfficialDocument,
    Pki,
    VerificationResult,
    cms,
    pades,
    render_pdf,
)

__all__ = ["register"]

_REASONS = [r for r in x509.ReasonFlags if r is not x509.ReasonFlags.remove_from_crl]
_EXPORTED = ("ca-bundle.pem", "root.pem", "intermediate.pem", "crl.pem")


def register(commands: Any) -> None:
    pki = commands.add_parser("pki", help="the test PKI: CA, certificates, CRL")
    sub = pki.add_subparsers(required=True, metavar="ACTION")
    init = sub.add_parser("init", help="create the root and the intermediate CA")
    init.add_argument("--algorithm", choices=[a.value for a in KeyAlgorithm], default=None)
    init.set_defaults(run=cmd_pki_init)
    issue = sub.add_parser("issue", help="issue an organisation or a person certificate")
    issue.add_argument("agency", help="the agency's code, e.g. 000.00.00.H37")
    issue.add_argument("--name", required=True, help="the agency's name")
    issue.add_argument("--person", help="a signer's full name (person certificate)")
    issue.add_argument("--position", default="Chủ tịch")
    issue.set_defaults(run=cmd_pki_issue)
    revoke = sub.add_parser("revoke", help="revoke a certificate and publish the new CRL")
    revoke.add_argument("certificate", help="its id (see `eoffice pki list`) or hex serial")
    revoke.add_argument(
        "--reason",
        choices=[r.value for r in _REASONS],
        default=x509.ReasonFlags.key_compromise.value,
        help="the CRL reason code (default keyCompromise)",
    )
    revoke.set_defaults(run=cmd_pki_revoke)
    export = sub.add_parser(
        "export", help="write the CA bundle, each CA certificate and the CRLs as PEM"
    )
    export.add_argument("--out", type=Path, default=Path("."))
    export.set_defaults(run=cmd_pki_export)
    listing = sub.add_parser("list", help="issued certificates")
    listing.add_argument("--agency")
    listing.set_defaults(run=cmd_pki_list)
    _document_commands(commands)


def _document_commands(commands: Any) -> None:
    pdf = commands.add_parser("pdf", help="render an official document as PDF")
    pdf.add_argument("--agency", required=True, help="the issuing agency's code")
    pdf.add_argument("--number", default="01/UBND-VP")
    pdf.add_argument("--subject", default="V/v triển khai gửi, nhận văn bản điện tử")
    pdf.add_argument(
        "--kind",
        choices=[k.value for k in DocumentType],
        default=DocumentType.CONG_VAN.value,
        help="the kind of document, laid out as Nghị định 30/2020 Phụ lục III has it",
    )
    pdf.add_argument("--out", type=Path, required=True)
    pdf.set_defaults(run=cmd_pdf)
    sign = commands.add_parser("sign", help="sign a PDF as the agency's leader, then the agency")
    sign.add_argument("file", type=Path)
    sign.add_argument("--agency", required=True)
    sign.add_argument("--format", choices=["pades", "cms"], default="pades")
    sign.add_argument("--document-id", help="the edXML DocumentId, bound into the signature")
    sign.add_argument(
        "--level",
        choices=["B-B", "B-LT", "B-LTA"],
        default="B-LT",
        help="B-LT (default): timestamped by the PKI's TSA, validation data embedded;"
        " B-LTA adds a document timestamp; B-B neither (CMS: B-LT and B-LTA mean CAdES-T)",
    )
    sign.add_argument("--out", type=Path, help="default: FILE.signed.pdf, or FILE.p7s for cms")
    sign.set_defaults(run=cmd_sign)
    verify = commands.add_parser("verify", help="verify a signed PDF, a PDF + .p7s, or .edxml")
    verify.add_argument("file", type=Path)
    verify.add_argument("--signature", type=Path, help="a detached CMS signature (.p7s)")
    verify.add_argument("--document-id")
    verify.set_defaults(run=cmd_verify)


def _now() -> datetime:
    return datetime.now(UTC)


def _pki(settings: Settings) -> Pki:
    return Pki(settings.pki_path)


def cmd_pki_init(settings: Settings, args: argparse.Namespace) -> int:
    algorithm = KeyAlgorithm(args.algorithm or settings.pki_algorithm)
    pki = open_or_init(settings.pki_path, _now(), algorithm)
    public = pki.publish(_now())
    print(f"PKI ({pki.algorithm.value}) at {pki.directory}; CA bundle and CRL in {public}")
    return 0


def cmd_pki_issue(settings: Settings, args: argparse.Namespace) -> int:
    pki = _pki(settings)
    now = _now()
    if args.person:
        issued = pki.issue_person(
            args.agency, args.person, args.position, now, agency_name=args.name
        )
    else:
        issued = pki.issue_org(args.agency, args.name, now)
    print(f"{issued.id}  serial {issued.serial:x}  {issued.subject}")
    return 0


def cmd_pki_revoke(settings: Settings, args: argparse.Namespace) -> int:
    pki = _pki(settings)
    revoked = pki.revoke(args.certificate, _now(), reason=x509.ReasonFlags(args.reason))
    public = pki.publish(_now())
    print(
        f"revoked {revoked.id} ({revoked.subject}), reason {args.reason}; new CRL in"
        f" {public / 'crl.pem'}"
    )
    return 0


def cmd_pki_export(settings: Settings, args: argparse.Namespace) -> int:
    public = _pki(settings).publish(_now())
    args.out.mkdir(parents=True, exist_ok=True)
    for name in _EXPORTED:
        shutil.copyfile(public / name, args.out / name)
        print(args.out / name)
    return 0


def cmd_pki_list(settings: Settings, args: argparse.Namespace) -> int:
    for entry in _pki(settings).entries():
        if args.agency and entry.agency_code != args.agency:
            continue
        state = f"revoked {entry.revoked_at:%Y-%m-%d}" if entry.revoked_at else "valid"
        print(f"{entry.id:28} {entry.kind.value:6} {state:18} {entry.subject}")
    return 0


def cmd_pdf(settings: Settings, args: argparse.Namespace) -> int:
    agency = _agency(settings, args.agency)
    leader = leader_of(agency)
    document = OfficialDocument(
        agency_code=agency.code,
        agency_name=agency.name,
        number=args.number,
        place="Ninh Bình",
        issued_on=date.today(),
        subject=args.subject,
        body="Văn bản điện tử được ký số bởi người có thẩm quyền và bởi cơ quan ban hành.",
        signer_name=leader.full_name,
        signer_position=leader.position,
        competence="TM. ỦY BAN NHÂN DÂN" if agency.name.startswith("UBND") else "",
        addressees=("Như trên;", "Lưu: VT."),
        kind=DocumentType(args.kind),
        grounds=(
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 về công tác văn thư;",
        ),
    )
    args.out.write_bytes(render_pdf(document))
    print(f"{args.out}  DocumentId {document.document_id}")
    return 0


def _agency(settings: Settings, code: str) -> Agency:
    engine = make_engine(settings.database_url)
    try:
        directory = run_once(engine, load_directory)
    finally:
        engine.dispose()
    agency = directory.agency(code)
    if agency is None:  # a user's mistake: one line, exit 2
        print(
            f"eoffice pdf: no agency {code!r} in the hub; seed its province first", file=sys.stderr
        )
        raise SystemExit(2)
    return agency


def cmd_sign(settings: Settings, args: argparse.Namespace) -> int:
    pki = _pki(settings)
    person = pki.signer(pki.current(args.agency, CertificateKind.PERSON).id)
    organisation = pki.signer(pki.current(args.agency, CertificateKind.ORGANISATION).id)
    now = _now()
    for signer in (person, organisation):
        signer.refuse_unless_valid(now)
    evidence = None if args.level == "B-B" else pki.evidence(now, archive=args.level == "B-LTA")
    data = args.file.read_bytes()
    if args.format == "cms":
        out = args.out or args.file.with_name(args.file.name + ".p7s")
        signed = cms.sign_document(
            data, person, organisation, now, document_id=args.document_id, evidence=evidence
        )
    else:
        out = args.out or args.file.with_suffix(".signed.pdf")
        signed = pades.sign_document_pdf(
            data, person, organisation, now, document_id=args.document_id, evidence=evidence
        )
    out.write_bytes(signed)
    print(out)
    return 0


def cmd_verify(settings: Settings, args: argparse.Namespace) -> int:
    trust = _pki(settings).trust_store(_now())
    data = args.file.read_bytes()
    if args.file.suffix == ".edxml":
        verification = verify_message(data, parse_edxml(data).message, trust, _now())
        _print_message(verification)
        return 0 if verification.valid else 1
    if args.signature:
        result = cms.verify_document(
            data, args.signature.read_bytes(), trust, _now(), document_id=args.document_id
        )
    else:
        result = pades.verify_pdf(data, trust, _now(), document_id=args.document_id)
    _print_document(result)
    return 0 if result.valid else 1


def _print_message(verification: MessageVerification) -> None:
    if verification.document is not None:
        _print_document(verification.document)
    if verification.envelope is not None:
        _print_result("envelope", verification.envelope)
    print(f"verdict: {'VALID' if verification.valid else 'INVALID'}: {verification.reason}")


def _print_document(result: DocumentVerification) -> None:
    for role, part in (("person", result.person), ("organisation", result.organisation)):
        if part is not None:
            _print_result(role, part)
    verdict = "VALID" if result.valid else f"INVALID ({result.problem})"
    print(f"document: {verdict}: {result.reason}")


def _print_result(role: str, result: VerificationResult) -> None:
    checks = {
        "intact": result.intact,
        "chain trusted": result.chain_trusted,
        "valid at signing time": result.time_valid,
        "not revoked": result.not_revoked,
        "algorithm acceptable": result.algorithm_ok,
    }
    marks = ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in checks.items())
    print(f"{role}: {result.signer} ({result.organisation}); {marks}")
    if result.timestamp is not None:
        print(f"  timestamped {result.timestamp:%Y-%m-%d %H:%M:%S}Z by the TSA: judged as of then")
    if result.problem is not None:
        print(f"  problem: {result.problem}: {result.reason}")
