"""One error base for the hub; each refusal carries a stable machine-readable code.

HTTP status codes are not here: `exchange.api.errors` maps error types to them.
"""

from __future__ import annotations

__all__ = [
    "AgencyExists",
    "AgencyNotFound",
    "AttachmentInvalid",
    "AuthBodyMismatch",
    "AuthError",
    "AuthExpired",
    "AuthHeaderDuplicated",
    "AuthHeaderMismatch",
    "AuthMissing",
    "AuthReplayed",
    "AuthSignatureInvalid",
    "AuthSystemUnknown",
    "BodyTooLarge",
    "DocumentNotFound",
    "EdxmlInvalid",
    "EdxmlLimitExceeded",
    "EdxmlNamespaceInvalid",
    "ExchangeError",
    "ForbiddenForSystem",
    "HeaderTooLarge",
    "MethodNotAllowed",
    "ParameterInvalid",
    "RecipientMissing",
    "RecipientUnknown",
    "RequestInvalid",
    "SecretDocument",
    "SenderMismatch",
    "SenderNotHosted",
    "SignatureRejected",
    "StatusTargetUnknown",
    "TransitionNotAllowed",
    "UnknownCall",
    "XmlForbiddenConstruct",
    "XmlMalformed",
]


class ExchangeError(Exception):
    """Base of every refusal. `code` is stable; `message` is a sentence for people."""

    code: str = "exchange_error"  # a class's code; an instance may narrow it

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the message itself -------------------------------------------------------------------
class XmlMalformed(ExchangeError):
    code = "xml_malformed"


class XmlForbiddenConstruct(ExchangeError):
    """A DOCTYPE, entity declaration or processing instruction: never expanded, never fetched."""

    code = "xml_forbidden_construct"


class EdxmlNamespaceInvalid(ExchangeError):
    code = "edxml_namespace_invalid"


class EdxmlInvalid(ExchangeError):
    code = "edxml_invalid"


class EdxmlLimitExceeded(EdxmlInvalid):
    """Over one of the hub's documented limits (elements, nesting, recipients, field length)."""

    code = "edxml_limit_exceeded"


class AttachmentInvalid(ExchangeError):
    code = "attachment_invalid"


class BodyTooLarge(ExchangeError):
    code = "body_too_large"


class RequestInvalid(ExchangeError):
    code = "request_invalid"


class ParameterInvalid(RequestInvalid):
    """A call's parameter is missing or has a value the call does not take."""

    code = "parameter_invalid"


class HeaderTooLarge(ExchangeError):
    code = "header_too_large"


class UnknownCall(ExchangeError):
    code = "unknown_call"


class MethodNotAllowed(ExchangeError):
    code = "method_not_allowed"


# --- routing and policy -------------------------------------------------------------------
class RecipientMissing(ExchangeError):
    code = "recipient_missing"


class RecipientUnknown(ExchangeError):
    code = "recipient_unknown"


class SenderNotHosted(ExchangeError):
    code = "sender_not_hosted"


class SenderMismatch(ExchangeError):
    """sendEdoc's `from` names neither the edXML's sender nor the calling system."""

    code = "sender_mismatch"


class ForbiddenForSystem(ExchangeError):
    code = "forbidden_for_system"


class AgencyExists(ExchangeError):
    code = "agency_exists"


class AgencyNotFound(ExchangeError):
    code = "agency_not_found"


class SecretDocument(ExchangeError):
    code = "document_secret"


class DocumentNotFound(ExchangeError):
    code = "document_not_found"


class SignatureRejected(ExchangeError):
    """Under the `enforce` policy: a signature that does not verify, named by its problem."""

    code = "signature_invalid"

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.code = f"signature_{problem}"


class StatusTargetUnknown(ExchangeError):
    """A status package answering a document the responder never received."""

    code = "status_target_unknown"


class TransitionNotAllowed(ExchangeError):
    code = "status_transition_not_allowed"


# --- authentication -----------------------------------------------------------------------
class AuthError(ExchangeError):
    code = "auth_failed"


class AuthMissing(AuthError):
    code = "auth_missing"


class AuthSystemUnknown(AuthError):
    code = "auth_system_unknown"


class AuthExpired(AuthError):
    code = "auth_timestamp_out_of_window"


class AuthReplayed(AuthError):
    code = "auth_nonce_replayed"


class AuthSignatureInvalid(AuthError):
    code = "auth_signature_invalid"


class AuthHeaderMismatch(AuthError):
    """A parameter header, or the sign-header-key list, differs from what was signed."""

    code = "auth_header_mismatch"


class AuthHeaderDuplicated(AuthError):
    code = "auth_header_duplicated"


class AuthBodyMismatch(AuthError):
    """The body is not the one the signed `hash-file` (or strict `body-hash`) names."""

    code = "auth_body_mismatch"
