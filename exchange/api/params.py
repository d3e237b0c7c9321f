"""Reading a call's signed parameters: each missing or malformed one is a `parameter_invalid`."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from exchange.api.hub import Caller
from exchange.domain.errors import ParameterInvalid
from exchange.protocol.wire import VIETNAM, parse_timestamp

__all__ = ["date_range", "message_type", "one_of", "required", "send_type"]

MAX_PARAMETER = 255
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
EARLIEST = datetime(1970, 1, 1, tzinfo=VIETNAM)
LATEST = datetime(9000, 1, 1, tzinfo=VIETNAM)


def required(caller: Caller, name: str) -> str:
    value = caller.param(name).strip()
    if not value:
        raise ParameterInvalid(f"The call needs the signed parameter {name}.")
    if len(value) > MAX_PARAMETER:
        raise ParameterInvalid(f"The parameter {name} is longer than {MAX_PARAMETER} characters.")
    return value


def one_of(caller: Caller, name: str, allowed: tuple[str, ...]) -> str:
    value = required(caller, name).lower()
    if value not in allowed:
        raise ParameterInvalid(f"The parameter {name} must be one of {', '.join(allowed)}.")
    return value


def message_type(value: str) -> str | None:
    """`edoc` or `status`; absent means both."""
    kind = value.strip().lower()
    if kind in ("edoc", "status"):
        return kind
    if not kind:
        return None
    raise ParameterInvalid("The parameter messagetype must be edoc or status.")


def send_type(value: str) -> str:
    """sendEdoc's `messagetype`, which must say which kind of message the body is."""
    kind = message_type(value)
    if kind is None:
        raise ParameterInvalid("sendEdoc needs the signed parameter messagetype: edoc or status.")
    return kind


def date_range(from_date: str, to_date: str) -> tuple[datetime, datetime]:
    """[since, until): a bare date covers its whole day, `toDate` included."""
    try:
        since = _moment(from_date, "fromDate", end=False) if from_date.strip() else EARLIEST
        until = _moment(to_date, "toDate", end=True) if to_date.strip() else LATEST
        return since.astimezone(UTC), until.astimezone(UTC)  # as the hub stores its times
    except OverflowError:
        raise ParameterInvalid("fromDate or toDate is outside the years 1-9999.") from None


def _moment(text: str, name: str, *, end: bool) -> datetime:
    text = text.strip()
    for layout in DATE_FORMATS:
        try:
            day = datetime.strptime(text, layout).date()
        except ValueError:
            continue
        start = datetime.combine(day, time(), VIETNAM)
        return start + timedelta(days=1) if end else start
    try:
        return parse_timestamp(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ParameterInvalid(
            f"The parameter {name} must be dd/MM/yyyy, yyyy-MM-dd, an ISO 8601 time"
            " or ddMMyyyyTHHmmss+SSSS."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)
