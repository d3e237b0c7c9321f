"""The national hub's thirteen calls, as its SDK makes them (the README's "The calls").

The router is served at the host root (`/sendEdoc`, as the national hub's endpoint is) and
under `/vxp/`. Each endpoint authenticates, reads its signed parameters, calls one service
and answers the VXP envelope.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence

import anyio
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from exchange.api import cpu_meter
from exchange.api import directory_answers as listing
from exchange.api.envelope import VxpResponse, ok, vxp_time
from exchange.api.hub import Caller, Hub
from exchange.api.openapi import MESSAGE_TYPES, Param, describe, json_body, octet_body
from exchange.api.params import date_range, message_type, one_of, required, send_type
from exchange.db.repos.directory import Contact
from exchange.domain.docids import sender_doc_id
from exchange.domain.errors import ParameterInvalid, RecipientUnknown, SenderNotHosted
from exchange.domain.messages import StatusMessage
from exchange.edxml import parse_edxml
from exchange.services import inbox, registration, tracking
from exchange.services.auth import edxml_file
from exchange.services.preparing import Prepared, prepare
from exchange.services.sending import send
from exchange.services.signature_policy import enforce

__all__ = ["router"]

router = APIRouter(tags=["national protocol (VXP)"], default_response_class=VxpResponse)
PARSE_INLINE_BYTES = 256 * 1024
SERVICE_TYPE = "eDoc"
DOC_ID = Param("docId", "This recipient's docId, from getReceivedEdocList.", required=True)


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


async def _caller(request: Request, call: str) -> tuple[Hub, Caller]:
    cpu_meter.label(call)
    hub = _hub(request)
    return hub, await hub.authenticate(request, call)


@router.post(
    "/sendEdoc",
    **describe(
        "sendEdoc",
        params=(
            Param(
                "from",
                "The sender's agency code (the edXML's From, or the calling system).",
                required=True,
                max_length=35,
            ),
            Param(
                "messagetype",
                "What the body is: a document or a status package.",
                required=True,
                enum=MESSAGE_TYPES,
            ),
            Param(
                "hash-file",
                "SHA-256 of the edXML file (the body without its trailing CRLF),"
                " each byte as hex without zero padding.",
                required=True,
                max_length=64,
            ),
            Param(
                "to",
                "Optional: a JSON list of agency codes, routing to only these of the edXML's To.",
                max_length=4096,
            ),
            Param("servicetype", "`eDoc`, as the SDK sends it (not read).", enum=("eDoc",)),
        ),
        refusals=(400, 403, 404, 409),
        body=octet_body("The raw edXML (QCVN 102:2016) followed by CRLF, as the SDK sends it."),
    ),
)
async def send_edoc(request: Request) -> Response:
    """A document (`messagetype: edoc`) or a status package (`status`); a repeat answers the
    same DocId and stores nothing."""
    hub, caller = await _caller(request, "sendEdoc")
    kind = send_type(caller.param("messagetype"))
    cpu_meter.label(f"sendEdoc {kind}")
    to = _route_to(caller.param("to"))
    key = f"{kind}|{caller.param('from')}|{caller.file_sha256}"
    repeated = None if to else hub.recent_sends.get(caller.system_id, key)
    if repeated is not None:  # a retry of the same bytes: answered without parsing them again
        await hub.claim(caller)
        return ok(200, DocId=sender_doc_id(repeated))
    prepared = await _prepare(hub, caller, kind, to)
    outcome = await hub.run(caller, lambda store: send(store, prepared))
    if not to:
        hub.recent_sends.remember(caller.system_id, key, outcome.doc_id)
    return ok(201 if outcome.created else 200, DocId=sender_doc_id(outcome.doc_id))


def _route_to(value: str) -> list[str] | None:
    if not value:
        return None
    try:
        codes = json.loads(value)
    except ValueError:
        codes = None
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ParameterInvalid("The parameter to must be a JSON list of agency codes.")
    return codes


async def _prepare(hub: Hub, caller: Caller, kind: str, to: Sequence[str] | None) -> Prepared:
    try:
        return await _prepare_once(hub, caller, kind, to)
    except (RecipientUnknown, SenderNotHosted):
        if not hub.directory.refresh_on_miss():  # a registry seeded while the hub runs
            raise
        return await _prepare_once(hub, caller, kind, to)


async def _prepare_once(hub: Hub, caller: Caller, kind: str, to: Sequence[str] | None) -> Prepared:
    """Parse and check off the event loop when the body is large."""
    body = edxml_file(caller.body)

    def work() -> Prepared:
        parsed = parse_edxml(body)
        found = "status" if isinstance(parsed.message, StatusMessage) else "edoc"
        if found != kind:
            raise ParameterInvalid(f"messagetype says {kind}, but the body is a {found} message.")
        verification = hub.verify(body, parsed.message)
        enforce(hub.policy, verification)
        return prepare(
            parsed,
            system_id=caller.system_id,
            directory=hub.directory.current,
            body_sha256=caller.file_sha256,
            hub_organ_id=hub.settings.hub_organ_id,
            now=hub.clock(),
            verification=verification,
            declared_sender=caller.param("from"),
            route_to=to,
        )

    if len(body) <= PARSE_INLINE_BYTES:
        return work()
    return await anyio.to_thread.run_sync(work)


@router.post(
    "/getReceivedEdocList",
    **describe(
        "getReceivedEdocList",
        params=(
            Param(
                "messagetype", "Documents or status packages (absent: both).", enum=MESSAGE_TYPES
            ),
            Param("fromDate", "dd/MM/yyyy, yyyy-MM-dd, ISO 8601 or ddMMyyyyTHHmmss+SSSS."),
            Param("toDate", "The same forms; a bare date covers its whole day."),
            Param("servicetype", "`eDoc`, as the SDK sends it (not read).", enum=("eDoc",)),
        ),
    ),
)
async def get_received_edoc_list(request: Request) -> Response:
    """The oldest deliveries not yet acknowledged `done`, up to the hub's cap."""
    hub, caller = await _caller(request, "getReceivedEdocList")
    kind = message_type(caller.param("messagetype"))
    since, until = date_range(caller.param("fromDate"), caller.param("toDate"))
    items = await hub.run(
        caller,
        lambda store: inbox.list_received(
            store,
            caller.system_id,
            message_type=kind,
            since=since,
            until=until,
            cap=hub.settings.inbox_cap,
        ),
    )
    return ok(data=[_received(i) for i in items])


def _received(item: inbox.InboxItem) -> dict[str, object]:
    return {
        "docId": item.doc_id,
        "serviceType": SERVICE_TYPE,
        "messageType": item.message_type,
        "created_time": vxp_time(item.created),
        "updated_time": vxp_time(item.updated),
        "from": item.sender,
        "to": item.recipient,
        "status": listing.TRANSPORT_WORDS[item.state],
        "status_desc": listing.TRANSPORT_DESC[item.state],
        "signature": item.signature or "",
    }


async def _fetch(request: Request, call: str) -> bytes:
    hub, caller = await _caller(request, call)
    doc_id = required(caller, "docId")
    return await hub.run(caller, lambda store: inbox.fetch(store, caller.system_id, doc_id))


@router.post(
    "/getEdoc",
    **describe("getEdoc", params=(DOC_ID,), refusals=(404,)),
)
async def get_edoc(request: Request) -> Response:
    """The edXML as delivered (the hub's TraceHeader included), base64 in `data`."""
    data = await _fetch(request, "getEdoc")
    return ok(data=base64.b64encode(data).decode())


@router.get(
    "/downloadEdoc",
    response_class=Response,
    **describe("downloadEdoc", params=(DOC_ID,), refusals=(404,), raw_answer=True),
)
async def download_edoc(request: Request) -> Response:
    """The same edXML as raw bytes."""
    return Response(await _fetch(request, "downloadEdoc"), media_type="application/xml")


@router.post(
    "/updateStatus",
    **describe(
        "updateStatus",
        params=(
            DOC_ID,
            Param(
                "status",
                "`done` (leaves the list), `fail` (stays, counted), `processing`.",
                required=True,
                enum=tuple(inbox.ACK_STATES),
            ),
        ),
        refusals=(404,),
    ),
)
async def update_status(request: Request) -> Response:
    """Transport acknowledgement of one delivery: `done`, `fail` or `processing`."""
    hub, caller = await _caller(request, "updateStatus")
    doc_id = required(caller, "docId")
    status = one_of(caller, "status", tuple(inbox.ACK_STATES))
    await hub.run(caller, lambda store: inbox.acknowledge(store, caller.system_id, doc_id, status))
    return ok()


@router.post(
    "/getSentEdocList",
    **describe(
        "getSentEdocList",
        params=(Param("docId", "A docId the caller got from sendEdoc.", required=True),),
        refusals=(404,),
    ),
)
async def get_sent_edoc_list(request: Request) -> Response:
    """One row per recipient of a document the caller sent."""
    hub, caller = await _caller(request, "getSentEdocList")
    doc_id = required(caller, "docId")
    report = await hub.run(
        caller, lambda store: tracking.sent_report(store, caller.system_id, doc_id)
    )
    return ok(data=listing.sent_rows(doc_id, report), verification=report.verification)


async def _count(request: Request, call: str, kind: str) -> Response:
    hub, caller = await _caller(request, call)
    count = await hub.run(caller, lambda s: inbox.count_pending(s, caller.system_id, kind))
    return ok(count=count)


@router.post("/countReceiveEdoc", **describe("countReceiveEdoc"))
async def count_receive_edoc(request: Request) -> Response:
    """How many documents wait for the caller."""
    return await _count(request, "countReceiveEdoc", "edoc")


@router.post("/countReceiveStatus", **describe("countReceiveStatus"))
async def count_receive_status(request: Request) -> Response:
    """How many status packages wait for the caller."""
    return await _count(request, "countReceiveStatus", "status")


@router.post("/getAgenciesList", **describe("getAgenciesList"))
async def get_agencies_list(request: Request) -> Response:
    """The agencies the hub routes to."""
    hub, caller = await _caller(request, "getAgenciesList")
    await hub.claim(caller)
    return ok(data=listing.agencies(hub.directory.current))


@router.post(
    "/getAgenciesListQD20",
    **describe(
        "getAgenciesListQD20",
        params=(
            Param(
                "level",
                "1 central, 2 province, 3 district, 4 commune (absent: all).",
                enum=tuple(str(level) for level in listing.LEVELS),
            ),
        ),
    ),
)
async def get_agencies_list_qd20(request: Request) -> Response:
    """The agencies of one level (1 central ... 4 commune) by their QĐ 20/2020 codes."""
    hub, caller = await _caller(request, "getAgenciesListQD20")
    level = listing.level(caller.param("level"))
    await hub.claim(caller)
    return ok(data=listing.agencies_qd20(hub.directory.current, level))


@router.post("/getSynchronizeUnit", **describe("getSynchronizeUnit"))
async def get_synchronize_unit(request: Request) -> Response:
    """Every agency with its version, retired ones marked `deleted`."""
    hub, caller = await _caller(request, "getSynchronizeUnit")
    entries = await hub.run(caller, lambda store: store.directory.changes())
    return ok(data=listing.synchronize(entries))


class AgencyForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | int | None = None
    pcode: str = Field(min_length=1, max_length=35)
    code: str = Field(min_length=1, max_length=35, pattern=r"^[0-9A-Za-z._-]+$")
    name: str = Field(min_length=1, max_length=255)
    mail: str | None = Field(None, max_length=255)
    mobile: str | None = Field(None, max_length=32)
    fax: str | None = Field(None, max_length=32)


@router.post(
    "/registerAgency",
    **describe(
        "registerAgency",
        refusals=(403, 409),
        body=json_body(
            AgencyForm.model_json_schema(),
            "The new agency, under a parent the"
            " caller hosts (the body is not signed in the national profile).",
        ),
    ),
)
async def register_agency(request: Request) -> Response:
    """A new agency under a parent the caller hosts."""
    hub, caller = await _caller(request, "registerAgency")
    form = _agency_form(caller.body)
    new = registration.NewAgency(
        form.code, form.name, form.pcode, Contact(form.mail, form.mobile, form.fax)
    )
    directory = hub.directory.current
    await hub.run(
        caller,
        lambda store: registration.register_agency(store, directory, caller.system_id, new),
    )
    hub.directory.reload()
    return ok()


def _agency_form(body: bytes) -> AgencyForm:
    try:
        return AgencyForm.model_validate_json(body or b"{}")
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'body'}: {item['msg']}"
            for item in error.errors()
        )
        raise ParameterInvalid(f"The agency is not valid: {problems}.") from None


@router.post(
    "/deleteAgency",
    **describe(
        "deleteAgency",
        params=(Param("AgencyCode", "An agency the caller hosts.", required=True, max_length=35),),
        refusals=(404,),
    ),
)
async def delete_agency(request: Request) -> Response:
    """Retire one of the caller's agencies (its documents and history stay)."""
    hub, caller = await _caller(request, "deleteAgency")
    code = required(caller, "AgencyCode")
    await hub.run(caller, lambda store: registration.retire_agency(store, caller.system_id, code))
    hub.directory.reload()
    return ok()
