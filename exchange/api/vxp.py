"""The hub's API under /vxp/, modelled on the national hub's SDK calls."""

from __future__ import annotations

import hashlib
from typing import TypeVar

import anyio
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ValidationError

from exchange.api import schemas as s
from exchange.api.hub import Hub
from exchange.domain.errors import RecipientUnknown, RequestInvalid, SenderNotHosted
from exchange.edxml import parse_edxml
from exchange.services import inbox, tracking
from exchange.services.preparing import Prepared, prepare
from exchange.services.sending import send
from exchange.services.signature_policy import enforce

__all__ = ["router"]

M = TypeVar("M", bound=BaseModel)

router = APIRouter(prefix="/vxp", tags=["vxp"])
PARSE_INLINE_BYTES = 256 * 1024


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def _json_body(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(body or b"{}")
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'body'}: {item['msg']}"
            for item in error.errors()
        )
        raise RequestInvalid(f"The request body is not valid: {problems}.") from None


@router.post("/sendEdoc", status_code=201, response_model=s.SendResult)
async def send_edoc(request: Request, response: Response) -> s.SendResult:
    """Send one edXML document or status package; repeating a send answers 200, stores nothing."""
    hub = _hub(request)
    caller = await hub.authenticate(request)
    prepared = await _prepare(hub, caller.system_id, caller.body)
    outcome = await hub.run(caller, lambda store: send(store, prepared))
    if not outcome.created:
        response.status_code = 200
    return s.SendResult(docId=outcome.doc_id, recipients=list(outcome.recipients))


async def _prepare(hub: Hub, system_id: str, body: bytes) -> Prepared:
    try:
        return await _prepare_once(hub, system_id, body)
    except (RecipientUnknown, SenderNotHosted):
        if not hub.directory.refresh_on_miss():  # a registry seeded while the hub runs
            raise
        return await _prepare_once(hub, system_id, body)


async def _prepare_once(hub: Hub, system_id: str, body: bytes) -> Prepared:
    """Parse and check off the event loop when the body is large."""

    def work() -> Prepared:
        parsed = parse_edxml(body)
        verification = hub.verify(body, parsed.message)
        enforce(hub.policy, verification)
        return prepare(
            parsed,
            system_id=system_id,
            directory=hub.directory.current,
            body_sha256=hashlib.sha256(body).hexdigest(),
            hub_organ_id=hub.settings.hub_organ_id,
            now=hub.clock(),
            verification=verification,
        )

    if len(body) <= PARSE_INLINE_BYTES:
        return work()
    return await anyio.to_thread.run_sync(work)


@router.post("/getReceivedEdocList", response_model=s.ReceivedList, response_model_by_alias=True)
async def get_received_edoc_list(request: Request) -> s.ReceivedList:
    """Deliveries not yet acknowledged, oldest first, a page at a time."""
    hub = _hub(request)
    caller = await hub.authenticate(request)
    query = _json_body(s.ReceivedListRequest, caller.body)
    page = await hub.run(
        caller,
        lambda store: inbox.list_received(
            store,
            caller.system_id,
            message_type=query.messageType,
            agency=query.agency,
            after=query.after,
            limit=query.limit,
        ),
    )
    items = [
        s.ReceivedItem(
            docId=i.doc_id,
            messageType=i.message_type,
            from_=i.sender,
            to=i.recipient,
            createdTime=i.created,
            failCount=i.fail_count,
            signature=i.signature,
        )
        for i in page.items
    ]
    return s.ReceivedList(items=items, next=page.next_cursor)


@router.get("/getEdoc", response_class=Response)
async def get_edoc(request: Request, docId: int) -> Response:
    """The edXML bytes as delivered (the hub's TraceHeader included)."""
    hub = _hub(request)
    caller = await hub.authenticate(request)
    data = await hub.run(caller, lambda store: inbox.fetch(store, caller.system_id, docId))
    return Response(data, media_type="application/xml")


@router.post("/updateStatus", response_model=s.UpdateStatusResult)
async def update_status(request: Request) -> s.UpdateStatusResult:
    """Transport acknowledgement: `done` removes the delivery from the list, `fail` keeps it."""
    hub = _hub(request)
    caller = await hub.authenticate(request)
    ack = _json_body(s.UpdateStatusRequest, caller.body)
    done = ack.status == "done"
    count = await hub.run(
        caller,
        lambda store: inbox.acknowledge(
            store, caller.system_id, ack.docId, done=done, agency=ack.agency
        ),
    )
    return s.UpdateStatusResult(docId=ack.docId, status=ack.status, deliveries=count)


@router.post("/getSentEdocList", response_model=s.SentList)
async def get_sent_edoc_list(request: Request) -> s.SentList:
    """Per recipient: transport state and the business status history."""
    hub = _hub(request)
    caller = await hub.authenticate(request)
    query = _json_body(s.SentListRequest, caller.body)
    report = await hub.run(
        caller, lambda store: tracking.sent_report(store, caller.system_id, query.docId)
    )
    recipients = [
        s.RecipientState(
            to=r.recipient,
            transport=r.transport,
            failCount=r.fail_count,
            acknowledgedTime=r.acknowledged_at,
            status=r.status,
            statusTime=r.status_at,
            recall=r.recall,
            history=[s.StatusEvent(code=code, time=at) for code, at in r.history],
        )
        for r in report.recipients
    ]
    return s.SentList(docId=query.docId, recipients=recipients, verification=report.verification)


@router.get("/getAgenciesList", response_model=s.AgencyList)
async def get_agencies_list(request: Request) -> s.AgencyList:
    """The directory of agencies the hub routes to."""
    hub = _hub(request)
    caller = await hub.authenticate(request)
    await hub.run(caller, lambda store: None)
    agencies = [
        s.Agency(code=a.code, name=a.name, tier=a.tier.value, parent=a.parent, qd20Code=a.qd20_code)
        for a in hub.directory.current.agencies.values()
    ]
    return s.AgencyList(agencies=agencies)
