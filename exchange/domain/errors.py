"""One error base for the hub; each refusal carries a stable machine-readable code.

HTTP status codes are not here: `exchange.api.errors` maps error types to them.
"""

from __future__ import annotations

__all__ = [
    "AttachmentInvalid",
    "AuthError",
    "AuthExpired",
    "AuthMissing",
    "AuthReplayed",
    "AuthSignatureInvalid",
    "AuthSystemUnknown",
    "BodyTooLarge",
    "DocumentNotFound",
    "EdxmlInvalid",
    "EdxmlNamespaceInvalid",
    "ExchangeError",
    "ForbiddenForSystem",
    "RecipientMissing",
    "RecipientUnknown",
    "RequestInvalid",
    "SecretDocument",
    "SenderNotHosted",
    "SignatureRejected",
    "StatusTargetUnknown",
    "TransitionNotAllowed",
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


class AttachmentInvalid(ExchangeError):
    code = "attachment_invalid"


class BodyTooLarge(ExchangeError):
    code = "body_too_large"


class RequestInvalid(ExchangeError):
    code = "request_invalid"


# --- routing and policy -------------------------------------------------------------------
class RecipientMissing(ExchangeError):
    code = "recipient_missing"


class RecipientUnknown(ExchangeError):
    code = "recipient_unknown"


class SenderNotHosted(ExchangeError):
    code = "sender_not_hosted"


class ForbiddenForSystem(ExchangeError):
    code = "forbidden_for_system"


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
