"""The OpenAPI document of the national protocol (VXP): what each of the thirteen calls reads
and answers, as the hub serves it.

A call's handler reads `Request` itself (the signed JSON decides, never FastAPI's parsing), so
FastAPI cannot see its parameters: `describe(...)` gives each route's decorator the call's
signed `XroadVnpt-` header parameters, its body, its security (the HMAC) and its answers, the
success envelope with the call's fields and the refusal envelope for each HTTP status it can
give (`errors.STATUS_BY_ERROR`). `install_openapi(app)` adds the shared schemas and the
security scheme, and drops FastAPI's default validation error, an answer the hub never sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from exchange.api.errors import STATUS_BY_ERROR
from exchange.domain import errors as e
from exchange.protocol import wire

__all__ = [
    "MESSAGE_TYPES",
    "SECURITY_SCHEME",
    "Param",
    "describe",
    "install_openapi",
    "json_body",
    "octet_body",
    "refusal_codes",
]

Schema = dict[str, Any]
SECURITY_SCHEME = "vxpSignature"
REFS = "#/components/schemas/"
ASCII = r"^[\x20-\x7e]*$"  # header values are ASCII: the SDK sends one byte per character
COMMON_REFUSALS = (401, 405, 413, 422, 431)  # every call: signature, method, sizes, parameters


@dataclass(frozen=True, slots=True)
class Param:
    """One signed parameter `k`, sent as the header `XroadVnpt-k` (and inside the sign-header)."""

    name: str
    description: str
    required: bool = False
    enum: Sequence[str] = ()
    max_length: int = 255

    def openapi(self) -> Schema:
        schema: Schema = {"type": "string", "maxLength": self.max_length, "pattern": ASCII}
        if self.enum:
            schema = {"type": "string", "enum": list(self.enum)}
        return {
            "name": wire.PREFIX + self.name,
            "in": "header",
            "required": self.required,
            "description": self.description,
            "schema": schema,
        }


ENVELOPE_HEADERS = (
    Param(
        "sign-header",
        "The compact JSON object of the call's `XroadVnpt-` parameter headers (names with the"
        ' prefix, e.g. `{"XroadVnpt-systemid":"...","XroadVnpt-docId":"..."}`). The hub reads'
        " every parameter from this JSON only; each parameter header must repeat its value.",
        required=True,
        max_length=16 * 1024,
    ),
    Param(
        "hash-header",
        "Lower-case hex HMAC-SHA256 of the sign-header's exact bytes under the system's secret.",
        required=True,
        max_length=64,
    ),
    Param(
        "sign-header-key",
        "Optional: the signed keys, `;`-separated; when sent, it must list exactly those keys.",
        max_length=4096,
    ),
    Param("systemid", "The calling system's id (signed; from `eoffice seed`).", required=True),
    Param(
        "timestamp",
        "`ddMMyyyyTHHmmss+SSSS`, Vietnam's time; checked for freshness in the strict profile only.",
        max_length=20,
    ),
    Param("nonce", "Strict profile only: 1-64 characters, accepted once.", max_length=64),
    Param(
        "body-hash",
        "Strict profile only: hex SHA-256 of the whole body, every call.",
        max_length=64,
    ),
)

MESSAGE_TYPES = ("edoc", "status")


def _string(description: str = "", **extra: Any) -> Schema:
    schema: Schema = {"type": "string", **extra}
    if description:
        schema["description"] = description
    return schema


def _object(properties: dict[str, Schema], optional: Iterable[str] = ()) -> Schema:
    return {
        "type": "object",
        "required": [name for name in properties if name not in set(optional)],
        "properties": properties,
    }


TRANSPORT = _string("The transport word.", enum=["pending", "processing", "fail", "done"])

COMPONENTS: dict[str, Schema] = {
    "Envelope": {
        "description": 'Every answer\'s envelope. No field is ever null: an absent value is "".',
        **_object(
            {
                "status": _string(enum=["OK", "FAIL"]),
                "ErrorCode": _string('"0" on success, else the refusal\'s stable code.'),
                "ErrorDesc": _string('A sentence; "" on success.'),
            }
        ),
    },
    "Refusal": {
        "description": "A refusal: the envelope with status FAIL and the refusal's stable code.",
        "allOf": [
            {"$ref": REFS + "Envelope"},
            _object({"status": _string(enum=["FAIL"]), "ErrorCode": _string(minLength=1)}),
        ],
    },
    "ReceivedItem": _object(
        {
            "docId": _string("This recipient's own docId."),
            "serviceType": _string(enum=["eDoc"]),
            "messageType": _string(enum=list(MESSAGE_TYPES)),
            "created_time": _string("ISO 8601, Vietnam's time."),
            "updated_time": _string("ISO 8601, Vietnam's time."),
            "from": _string("The sender's agency code."),
            "to": _string("The recipient's agency code."),
            "status": TRANSPORT,
            "status_desc": _string(),
            "signature": _string('What the hub found of the signatures, "" if nothing.'),
        }
    ),
    "SentRow": _object(
        {
            "fromCode": _string(),
            "toCode": _string(),
            "senderDocId": _string(),
            "receiverDocId": _string(),
            "sendStatus": TRANSPORT,
            "sendStatusDesc": _string(),
            "receiveStatus": _string('The latest business status, 01-06, or "".'),
            "receiveStatusDesc": _string(),
            "recallStatus": _string('13, 15, 16 or "".'),
            "sentTime": _string(),
            "receivedTime": _string(),
            "title": _string(),
            "notation": _string(),
            "serviceType": _string(enum=["eDoc"]),
            "messageType": _string(enum=list(MESSAGE_TYPES)),
            "history": {
                "type": "array",
                "items": _object({"code": _string(), "time": _string()}),
            },
        }
    ),
    "Agency": _object(
        {
            "id": _string(),
            "code": _string(),
            "name": _string(),
            "mail": _string(),
            "pid": _string('The parent\'s code, or "".'),
            "oldCode": _string(),
        }
    ),
    "AgencyQD20": _object(
        {
            "id": _string(),
            "code": _string("The QĐ 20/2020 code."),
            "name": _string(),
            "mail": _string(),
            "code102": _string("The QCVN 102 code."),
        }
    ),
    "SynchronizeUnit": _object(
        {
            "id": _string(),
            "code": _string(),
            "name": _string(),
            "mail": _string(),
            "pid": _string(),
            "version": {"type": "integer", "description": "+1 per change."},
            "centerCode": _string("The agency's system."),
            "deleted": {"type": "boolean"},
            "modifyDate": _string(),
            "isAgency": {"type": "boolean"},
        }
    ),
}


def _rows(component: str) -> Schema:
    return {"type": "array", "items": {"$ref": REFS + component}}


# call -> the fields its success answer carries besides the envelope (and those optional)
ANSWERS: dict[str, tuple[dict[str, Schema], tuple[str, ...]]] = {
    "sendEdoc": ({"DocId": _string("The sender's docId.", minLength=1)}, ()),
    "getReceivedEdocList": ({"data": _rows("ReceivedItem")}, ()),
    "getEdoc": (
        {"data": _string("The edXML as delivered, base64.", contentEncoding="base64")},
        (),
    ),
    "updateStatus": ({}, ()),
    "getSentEdocList": (
        {
            "data": _rows("SentRow"),
            "verification": {
                "type": "object",
                "description": "What the hub found of the signatures (absent if nothing).",
            },
        },
        ("verification",),
    ),
    "countReceiveEdoc": ({"count": {"type": "integer", "minimum": 0}}, ()),
    "countReceiveStatus": ({"count": {"type": "integer", "minimum": 0}}, ()),
    "getAgenciesList": ({"data": _rows("Agency")}, ()),
    "getAgenciesListQD20": ({"data": _rows("AgencyQD20")}, ()),
    "getSynchronizeUnit": ({"data": _rows("SynchronizeUnit")}, ()),
    "registerAgency": ({}, ()),
    "deleteAgency": ({}, ()),
}


def _success(call: str) -> Schema:
    fields, optional = ANSWERS[call]
    own = {"status": _string(enum=["OK"]), "ErrorCode": _string(enum=["0"]), **fields}
    # "type" at the top replaces the {"type": "string"} FastAPI gives a non-JSONResponse class
    return {"type": "object", "allOf": [{"$ref": REFS + "Envelope"}, _object(own, optional)]}


def refusal_codes() -> dict[int, list[str]]:
    """HTTP status -> the stable codes of the refusals answered with it."""
    found: dict[int, set[str]] = {}
    pending: list[type[e.ExchangeError]] = [e.ExchangeError]
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        status = next((STATUS_BY_ERROR[k] for k in kind.__mro__ if k in STATUS_BY_ERROR), None)
        if status is not None and kind is not e.SignatureRejected:
            found.setdefault(status, set()).add(kind.code)
    return {status: sorted(codes) for status, codes in sorted(found.items())}


def _refusal(call: str, status: int) -> Schema:
    codes = refusal_codes()[status]
    code: Schema = {"type": "string", "enum": codes}
    if status == STATUS_BY_ERROR[e.SignatureRejected]:
        code = {"anyOf": [code, {"type": "string", "pattern": "^signature_[a-z_]+$"}]}
    own: dict[str, Schema] = {"ErrorCode": code}
    if call == "sendEdoc":  # the SDK reads DocId even on FAIL
        own["DocId"] = _string(enum=[""])
    return {"type": "object", "allOf": [{"$ref": REFS + "Refusal"}, _object(own)]}


def _json(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def describe(
    call: str,
    *,
    params: Sequence[Param] = (),
    refusals: Iterable[int] = (),
    body: dict[str, Any] | None = None,
    raw_answer: bool = False,
) -> dict[str, Any]:
    """The decorator arguments (operation id, responses, parameters...) of one VXP call."""
    responses: dict[int | str, dict[str, Any]] = {}
    if raw_answer:  # downloadEdoc: the file itself
        content = {"application/xml": {"schema": _string("The edXML.", format="binary")}}
        responses[200] = {"description": "The edXML as delivered.", "content": content}
    elif call == "sendEdoc":
        responses[201] = {
            "description": "A new message: its DocId.",
            "content": _json(_success(call)),
        }
        responses[200] = {
            "description": "The same message again: the same DocId, nothing stored.",
            "content": _json(_success(call)),
        }
    else:
        responses[200] = {"description": "The call's answer.", "content": _json(_success(call))}
    for status in sorted({*COMMON_REFUSALS, *refusals}):
        codes = ", ".join(refusal_codes()[status])
        responses[status] = {
            "description": f"Refused: {codes}" + (", signature_<problem>" if status == 422 else ""),
            "content": _json(_refusal(call, status)),
        }
    extra: dict[str, Any] = {
        "parameters": [p.openapi() for p in (*ENVELOPE_HEADERS, *params)],
        "security": [{SECURITY_SCHEME: []}],
    }
    if body is not None:
        extra["requestBody"] = body
    return {
        "operation_id": call,
        "response_description": responses[201 if call == "sendEdoc" else 200]["description"],
        "responses": responses,
        "openapi_extra": extra,
    }


def octet_body(description: str) -> dict[str, Any]:
    schema = {"type": "string", "format": "binary"}
    return {
        "required": True,
        "description": description,
        "content": {"application/octet-stream": {"schema": schema}},
    }


def json_body(schema: Schema, description: str) -> dict[str, Any]:
    return {"required": True, "description": description, "content": _json(schema)}


def install_openapi(app: FastAPI) -> None:
    """app.openapi() with the shared schemas and the HMAC security scheme, and without
    FastAPI's default validation error (the hub answers the refusal envelope instead)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = get_openapi(
            title=app.title,
            version=app.version,
            openapi_version=app.openapi_version,
            description=app.description,
            routes=app.routes,
        )
        _strip_validation_error(document)
        components = document.setdefault("components", {})
        components.setdefault("schemas", {}).update(COMPONENTS)
        components.setdefault("securitySchemes", {})[SECURITY_SCHEME] = {
            "type": "apiKey",
            "in": "header",
            "name": wire.HASH_HEADER,
            "description": (
                "The national hub's signature: the lower-case hex HMAC-SHA256, under the calling"
                f" system's secret, of the exact bytes of {wire.SIGN_HEADER} (the compact JSON of"
                " the call's XroadVnpt- parameter headers, including XroadVnpt-systemid)."
                " sendEdoc also binds its body through the signed hash-file."
            ),
        }
        app.openapi_schema = document
        return document

    setattr(app, "openapi", openapi)  # noqa: B010 (FastAPI's documented customisation point)


def _strip_validation_error(document: dict[str, Any]) -> None:
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422", {})
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref", "").endswith("/HTTPValidationError"):
                del operation["responses"]["422"]
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
