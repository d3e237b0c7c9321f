"""The OpenAPI document describes the API: every call's signed header parameters, its body,
its security and its answers; and schemathesis, generating requests from that document and
signing each one as a connector does, finds no 5xx and no answer the document does not
describe (status code, content type, body schema)."""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.transport.serialization import Binary

from exchange.api.openapi import SECURITY_SCHEME
from exchange.protocol import wire
from exchange.services.auth import edxml_file
from tests.api.harness import PROVINCE, Hub, edoc, edxml

pytestmark = pytest.mark.db

CALLS = {
    "sendEdoc": "post",
    "getReceivedEdocList": "post",
    "getEdoc": "post",
    "downloadEdoc": "get",
    "updateStatus": "post",
    "getSentEdocList": "post",
    "countReceiveEdoc": "post",
    "countReceiveStatus": "post",
    "getAgenciesList": "post",
    "getAgenciesListQD20": "post",
    "getSynchronizeUnit": "post",
    "registerAgency": "post",
    "deleteAgency": "post",
}
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ENVELOPE = {wire.SIGN_HEADER.lower(), wire.HASH_HEADER.lower(), wire.SIGN_HEADER_KEY.lower()}


def test_the_document_describes_every_call(hub: Hub) -> None:
    document = hub.http.app.openapi()  # type: ignore[attr-defined]
    paths = document["paths"]
    for call, method in CALLS.items():
        operation = paths[f"/{call}"][method]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers[wire.SIGN_HEADER]["required"] and headers[wire.HASH_HEADER]["required"]
        assert operation["security"] == [{SECURITY_SCHEME: []}]
        responses = operation["responses"]
        assert {"401", "405", "413", "422", "431"} <= set(responses), call
        for status, answer in responses.items():
            if status.startswith("4"):
                schema = answer["content"]["application/json"]["schema"]
                assert schema["allOf"][0] == {"$ref": "#/components/schemas/Refusal"}
    assert not any(path.startswith("/vxp/") for path in paths)
    scheme = document["components"]["securitySchemes"][SECURITY_SCHEME]
    assert scheme == scheme | {"type": "apiKey", "in": "header", "name": wire.HASH_HEADER}
    assert "HTTPValidationError" not in str(document)

    send = paths["/sendEdoc"]["post"]
    assert {"200", "201", "400", "403", "404", "409"} <= set(send["responses"])
    assert "application/octet-stream" in send["requestBody"]["content"]
    names = {p["name"]: p for p in send["parameters"]}
    assert names["XroadVnpt-messagetype"]["schema"]["enum"] == ["edoc", "status"]
    update = {p["name"]: p for p in paths["/updateStatus"]["post"]["parameters"]}
    assert sorted(update["XroadVnpt-status"]["schema"]["enum"]) == ["done", "fail", "processing"]
    assert update["XroadVnpt-docId"]["required"]
    qd20 = {p["name"]: p for p in paths["/getAgenciesListQD20"]["post"]["parameters"]}
    assert qd20["XroadVnpt-level"]["schema"]["enum"] == ["1", "2", "3", "4"]
    register = paths["/registerAgency"]["post"]["requestBody"]["content"]["application/json"]
    assert set(register["schema"]["required"]) == {"pcode", "code", "name"}
    download = paths["/downloadEdoc"]["get"]["responses"]["200"]["content"]
    assert list(download) == ["application/xml"]


@dataclass
class Run:
    """What schemathesis sent to one operation and what it found."""

    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def sign(case: Case, system_id: str, secret: str) -> None:
    """Sign the generated request as a connector would: every generated `XroadVnpt-`
    parameter header goes into the sign-header (systemid that of a seeded system), the
    hash-header is its HMAC, and sendEdoc's hash-file names the generated body."""
    generated = {k: str(v).strip() for k, v in (case.headers or {}).items()}
    headers = {k: v for k, v in generated.items() if not k.lower().startswith("xroadvnpt-")}
    params: dict[str, str] = {}
    for name, value in generated.items():
        if name.lower().startswith("xroadvnpt-") and name.lower() not in ENVELOPE:
            params[name[len(wire.PREFIX) :]] = value
    params["systemid"] = system_id
    if case.operation.path == "/sendEdoc":
        body = case.body.data if isinstance(case.body, Binary) else case.body
        body = body if isinstance(body, bytes) else b""
        params[wire.HASH_FILE] = wire.hash_file(edxml_file(body))
    signed = wire.sign_header(params.items())
    headers |= {wire.PREFIX + k: v for k, v in params.items()}
    headers[wire.SIGN_HEADER] = signed
    headers[wire.HASH_HEADER] = wire.hash_header(secret, signed)
    if any(k.lower() == wire.SIGN_HEADER_KEY.lower() for k in generated):
        headers[wire.SIGN_HEADER_KEY] = ";".join(params)
    case.headers = headers


def send(hub: Hub, case: Case) -> Any:
    """The case through the hub's own client (in-process, the lifespan already running)."""
    kwargs = case.as_transport_kwargs(base_url="http://hub")
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body["content"] = data if isinstance(data, bytes) else str(data).encode()
    return hub.http.request(
        kwargs["method"],
        kwargs["url"],
        headers=kwargs.get("headers"),
        params=kwargs.get("params"),
        **body,
    )


def anchors(hub: Hub) -> dict[str, dict[str, Any]]:
    """Per call, fixed parts that reach its success path (the rest is generated): documents
    received and sent by the fuzzed system, a valid edXML, an agency under its own parent."""
    province = hub.hosted(PROVINCE)[0]
    district = next(a for a in hub.agencies.values() if a.tier.value == "district")
    hub.of(district).send(edxml(edoc(district, [province]))).raise_if_refused()
    received = str(hub.connector(PROVINCE).inbox()[0]["docId"])
    sent = hub.of(province).send(edxml(edoc(province, [district], 2))).raise_if_refused()
    new_agency = {"pcode": province.code, "code": "OPENAPI.T1", "name": "Thử nghiệm OpenAPI"}
    return {
        "sendEdoc": {
            "headers": {"XroadVnpt-from": province.code, "XroadVnpt-messagetype": "edoc"},
            "body": edxml(edoc(province, [district], 3)) + b"\r\n",
        },
        "getEdoc": {"headers": {"XroadVnpt-docId": received}},
        "downloadEdoc": {"headers": {"XroadVnpt-docId": received}},
        "updateStatus": {"headers": {"XroadVnpt-docId": received}},
        "getSentEdocList": {"headers": {"XroadVnpt-docId": str(sent["DocId"])}},
        "registerAgency": {"body": new_agency},
        "deleteAgency": {"headers": {"XroadVnpt-AgencyCode": new_agency["code"]}},
    }


def fuzz(hub: Hub, operation: Any, run: Run, anchor: dict[str, Any]) -> None:
    secret = hub.secrets[PROVINCE]
    strategy = operation.as_strategy()
    if anchor:
        strategy = st.one_of(strategy, operation.as_strategy(**anchor))

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def one(case: Case) -> None:
        run.examples += 1
        sign(case, PROVINCE, secret)
        try:
            response = send(hub, case)
        except Exception:  # a 5xx: the TestClient re-raises the handler's exception
            run.failures.append(f"5xx: {case.as_curl_command()}\n{traceback.format_exc()}")
            return
        run.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            titles = "; ".join(sorted({f.title for f in group.exceptions}))
            run.failures.append(f"{response.status_code} {titles}: {response.text[:300]}")

    one()


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(hub: Hub) -> None:
    schema = schemathesis.openapi.from_dict(hub.http.app.openapi())  # type: ignore[attr-defined]
    fixed = anchors(hub)
    runs: dict[str, Run] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        call = operation.path.lstrip("/")
        if call not in CALLS:
            continue  # the operations endpoints (healthz, metrics) are not the protocol
        runs[call] = Run()
        fuzz(hub, operation, runs[call], fixed.get(call, {}))
    assert set(runs) == set(CALLS)
    summary = "\n".join(
        f"{call}: {run.examples} examples, statuses {dict(sorted(run.statuses.items()))},"
        f" {len(run.failures)} failures"
        for call, run in runs.items()
    )
    print(summary)
    found = [f"{call}: {failure}" for call, run in runs.items() for failure in run.failures]
    assert not found, summary + "\n\n" + "\n\n".join(found[:20])
    assert all(run.examples > 0 for run in runs.values())
