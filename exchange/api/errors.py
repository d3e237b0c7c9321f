"""One table maps every refusal to its HTTP status; the body is the VXP envelope, with the
refusal's stable code as `ErrorCode` and its sentence as `ErrorDesc`. Unknown paths, wrong
methods and anything FastAPI itself refuses answer the same envelope."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from exchange.api.envelope import fail
from exchange.domain import errors as e

__all__ = ["STATUS_BY_ERROR", "install_error_handlers", "refusal_response", "status_for"]

STATUS_BY_ERROR: dict[type[e.ExchangeError], int] = {
    e.XmlMalformed: 400,
    e.XmlForbiddenConstruct: 400,
    e.EdxmlNamespaceInvalid: 400,
    e.EdxmlInvalid: 400,
    e.AttachmentInvalid: 400,
    e.AuthError: 401,
    e.SenderNotHosted: 403,
    e.SenderMismatch: 403,
    e.ForbiddenForSystem: 403,
    e.DocumentNotFound: 404,
    e.AgencyNotFound: 404,
    e.StatusTargetUnknown: 404,
    e.UnknownCall: 404,
    e.MethodNotAllowed: 405,
    e.TransitionNotAllowed: 409,
    e.AgencyExists: 409,
    e.BodyTooLarge: 413,
    e.HeaderTooLarge: 431,
    e.RequestInvalid: 422,
    e.RecipientMissing: 422,
    e.RecipientUnknown: 422,
    e.SecretDocument: 422,
    e.SignatureRejected: 422,
}


def status_for(error: e.ExchangeError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return 400


def refusal_response(request: Request, error: e.ExchangeError) -> Response:
    """sendEdoc's answer always has a DocId (the SDK reads it even on FAIL)."""
    extra = {"DocId": ""} if request.url.path.endswith("/sendEdoc") else {}
    return fail(error, status_for(error), **extra)


def _http_error(error: HTTPException) -> e.ExchangeError:
    if error.status_code == 405:
        return e.MethodNotAllowed("This call does not take that HTTP method.")
    if error.status_code == 404:
        return e.UnknownCall("The hub has no such call.")
    return e.RequestInvalid(str(error.detail))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(e.ExchangeError)
    async def _refused(request: Request, error: e.ExchangeError) -> Response:
        await request.app.state.hub.audit_refusal(request, error)
        return refusal_response(request, error)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        return refusal_response(request, _http_error(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc'][1:])}: {item['msg']}" for item in error.errors()
        )
        return await _refused(request, e.RequestInvalid(f"The request is not valid: {problems}."))
