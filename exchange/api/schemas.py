"""Request and response bodies of the /vxp/ API (they are also the OpenAPI page)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Agency",
    "AgencyList",
    "ReceivedItem",
    "ReceivedList",
    "ReceivedListRequest",
    "RecipientState",
    "SendResult",
    "SentList",
    "SentListRequest",
    "StatusEvent",
    "UpdateStatusRequest",
    "UpdateStatusResult",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SendResult(BaseModel):
    docId: int
    recipients: list[str]


class ReceivedListRequest(_Strict):
    messageType: Literal["edoc", "status"] | None = None
    agency: str | None = None
    limit: int = Field(100, ge=1, le=1000)
    after: str | None = None


class ReceivedItem(BaseModel):
    docId: int
    messageType: str
    from_: str = Field(serialization_alias="from")
    to: str
    createdTime: datetime
    failCount: int
    signature: str | None = Field(
        description='"valid", the problem the hub found (e.g. "tampered"), or null if unchecked'
    )


class ReceivedList(BaseModel):
    items: list[ReceivedItem]
    next: str | None


class UpdateStatusRequest(_Strict):
    docId: int
    status: Literal["done", "fail"]
    agency: str | None = None


class UpdateStatusResult(BaseModel):
    docId: int
    status: str
    deliveries: int


class SentListRequest(_Strict):
    docId: int


class StatusEvent(BaseModel):
    code: str
    time: datetime


class RecipientState(BaseModel):
    to: str
    transport: str
    failCount: int
    acknowledgedTime: datetime | None
    status: str | None
    statusTime: datetime | None
    recall: str | None
    history: list[StatusEvent]


class SentList(BaseModel):
    docId: int
    recipients: list[RecipientState]
    verification: dict[str, Any] | None


class Agency(BaseModel):
    code: str
    name: str
    tier: str
    parent: str | None
    qd20Code: str | None


class AgencyList(BaseModel):
    agencies: list[Agency]
