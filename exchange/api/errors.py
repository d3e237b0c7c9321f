"""One table maps every refusal to its HTTP status; the body is {"code", "detail"}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from exchange.domain import errors as e

__all__ = ["STATUS_BY_ERROR", "install_error_handlers", "status_for"]

STATUS_BY_ERROR: dict[type[e.ExchangeError], int] = {
    e.XmlMalformed: 400,
    e.XmlForbiddenConstruct: 400,
    e.EdxmlNamespaceInvalid: 400,
    e.EdxmlInvalid: 400,
    e.AttachmentInvalid: 400,
    e.AuthError: 401,
    e.SenderNotHosted: 403,
    e.ForbiddenForSystem: 403,
    e.DocumentNotFound: 404,
    e.StatusTargetUnknown: 404,
    e.TransitionNotAllowed: 409,
    e.BodyTooLarge: 413,
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


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(e.ExchangeError)
    async def _refused(request: Request, error: e.ExchangeError) -> JSONResponse:
        hub = request.app.state.hub
        await hub.audit_refusal(request, error)
        body = {"code": error.code, "detail": error.message}
        return JSONResponse(body, status_code=status_for(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc'][1:])}: {item['msg']}" for item in error.errors()
        )
        refused = e.RequestInvalid(f"The request body is not valid: {problems}.")
        return await _refused(request, refused)
