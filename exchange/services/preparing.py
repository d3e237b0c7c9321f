"""Turn a parsed edXML message into what the hub stores: routing checked, trace appended,
attachments detached into content-addressed blobs. Pure: no database."""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from exchange.db.repos.documents import NewDocument
from exchange.domain.agencies import Agency
from exchange.domain.errors import (
    EdxmlInvalid,
    ParameterInvalid,
    RecipientMissing,
    RecipientUnknown,
    SecretDocument,
    SenderMismatch,
    SenderNotHosted,
)
from exchange.domain.messages import EdocMessage, Message, StatusMessage, TraceHeader
from exchange.domain.secrecy import is_secret
from exchange.domain.status import StatusCode
from exchange.edxml import ParsedEdxml, append_trace, detach_attachments
from exchange.protocol.verification import MessageVerification
from exchange.services.directory import Directory

__all__ = ["Prepared", "prepare"]

VIETNAM = timezone(timedelta(hours=7), "ICT")


@dataclass(frozen=True, slots=True)
class Prepared:
    message: Message
    sender: Agency
    document: NewDocument
    attachments: tuple[tuple[str, bytes], ...]
    recipients: tuple[Agency, ...]  # edoc only; status packages are routed by the store step


def prepare(
    parsed: ParsedEdxml,
    *,
    system_id: str,
    directory: Directory,
    body_sha256: str,
    hub_organ_id: str,
    now: datetime,
    verification: MessageVerification | None = None,
    declared_sender: str = "",
    route_to: Sequence[str] | None = None,
) -> Prepared:
    """`declared_sender` is the request's `from` (the sender agency, or the calling system as
    some gateways send it); `route_to`, the request's `to`, replaces the edXML's To list."""
    message = parsed.message
    _check_declared_sender(declared_sender, system_id, message.sender.organ_id)
    sender = _hosted_sender(directory, system_id, message.sender.organ_id)
    recipients: tuple[Agency, ...] = ()
    if isinstance(message, EdocMessage):
        recipients = _edoc_recipients(directory, message, route_to)
    else:
        _check_status_code(message)
    stamp = now.astimezone(VIETNAM).strftime("%Y/%m/%d %H:%M:%S")
    append_trace(parsed.root, TraceHeader(hub_organ_id, stamp))
    marker_key = _marker_key()
    detached = detach_attachments(parsed.root, marker_key)
    document = NewDocument(
        kind=message.kind,
        dedup_key=_dedup_key(message, body_sha256),
        sender_code=sender.code,
        sender_system=system_id,
        document_id=_document_id(message),
        business_type=_business_type(message),
        skeleton=detached.skeleton,
        marker_key=marker_key,
        parts=json.dumps([[p.sha256, asdict(p.layout)] for p in detached.parts]),
        size=len(detached.skeleton) + sum(len(p.data) for p in detached.parts),
        created_at=now,
        status_code=message.status_code if isinstance(message, StatusMessage) else None,
        signature=_signature_state(verification),
        verification=_verification_json(verification),
        title=message.subject[:500] if isinstance(message, EdocMessage) else None,
        notation=_notation(message),
    )
    blobs = tuple((p.sha256, p.data) for p in detached.parts)
    return Prepared(message, sender, document, blobs, recipients)


_PROCESS_KEY = secrets.token_hex(10)
_SERIAL = itertools.count()


def _marker_key() -> str:
    """Unguessable by senders (a random per-process prefix), without a syscall per message."""
    return f"{_PROCESS_KEY}{next(_SERIAL):012x}"


def _signature_state(verification: MessageVerification | None) -> str | None:
    if verification is None:
        return None
    return verification.problem.value if verification.problem else "valid"


def _verification_json(verification: MessageVerification | None) -> str | None:
    if verification is None:
        return None
    return json.dumps(verification.summary(), ensure_ascii=False)


def _hosted_sender(directory: Directory, system_id: str, code: str) -> Agency:
    agency = directory.agency(code)
    if agency is None or agency.system_id != system_id:
        raise SenderNotHosted(f"Agency {code!r} is not hosted by system {system_id!r}.")
    return agency


def _check_declared_sender(declared: str, system_id: str, organ_id: str) -> None:
    if declared and declared not in (organ_id, system_id):
        raise SenderMismatch(
            f"The request's from ({declared!r}) is neither the edXML's sender ({organ_id!r})"
            f" nor the calling system ({system_id!r})."
        )


def _edoc_recipients(
    directory: Directory, message: EdocMessage, route_to: Sequence[str] | None
) -> tuple[Agency, ...]:
    codes = list(dict.fromkeys(org.organ_id for org in message.recipients))
    if route_to is not None:
        strangers = sorted(set(route_to) - set(codes))
        if strangers:  # the SDK never clears its parameters: a `to` may be an earlier call's
            raise ParameterInvalid(
                f"The parameter to names {', '.join(strangers)}, which the edXML's To does not:"
                " the hub routes only to agencies the document names."
            )
        codes = list(dict.fromkeys(route_to))
    if not codes:
        raise RecipientMissing("The document names no recipient (edXML:To).")
    unknown = [code for code in codes if directory.agency(code) is None]
    if unknown:
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise RecipientUnknown(f"Unknown recipient agency: {', '.join(unknown[:10])}{more}.")
    if is_secret(message):
        raise SecretDocument(
            "Secret documents (Mật, Tối mật, Tuyệt mật) never travel electronically."
        )
    return tuple(directory.agencies[code] for code in codes)


def _check_status_code(message: StatusMessage) -> None:
    try:
        StatusCode(message.status_code)
    except ValueError:
        raise EdxmlInvalid(f"Unknown StatusCode {message.status_code!r}.") from None
    if not message.response_for.document_id:
        raise EdxmlInvalid("A status package must name ResponseFor/DocumentId.")


def _notation(message: Message) -> str | None:
    if not isinstance(message, EdocMessage) or message.code is None:
        return None
    return f"{message.code.code_number}/{message.code.code_notation}"[:100]


def _document_id(message: Message) -> str:
    if isinstance(message, EdocMessage):
        return message.document_id
    return message.response_for.document_id


def _business_type(message: Message) -> int:
    return int(message.business.doc_type) if isinstance(message, EdocMessage) else 0


def _dedup_key(message: Message, body_sha256: str) -> str:
    """Same sender and DocumentId (and kind of business message) is the same document; an
    update may be sent many times, so its content counts too. A status package is the same
    when the responder, the document and the code are."""
    if isinstance(message, StatusMessage):
        rf = message.response_for
        parts = [
            "status",
            message.sender.organ_id,
            rf.organ_id,
            rf.document_id,
            message.status_code,
        ]
    else:
        kind = message.business.doc_type
        parts = ["edoc", message.sender.organ_id, message.document_id, str(int(kind))]
        if kind == 2:
            parts.append(body_sha256)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
