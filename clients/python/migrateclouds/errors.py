"""Exceptions, one per error code of the API's envelope ``{"status": "error", "error": {...}}``."""

from __future__ import annotations

import re
from typing import Dict, Mapping, Optional, Type

from ._retry import parse_retry_after

__all__ = [
    "MigrateCloudsError",
    "AuthenticationError",
    "PermissionDeniedError",
    "InvalidParameterError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "ServiceError",
    "InternalError",
    "APIConnectionError",
    "NetworkError",
    "WaitTimeoutError",
    "WebhookVerificationError",
    "error_from_response",
]


class MigrateCloudsError(Exception):
    """Any error the API answered (or, for subclasses below, the client met on the way)."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "unknown_error",
        status: Optional[int] = None,
        details: Optional[str] = None,
        request_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details
        self.request_id = request_id
        self.headers: Mapping[str, str] = dict(headers or {})

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        if self.details:
            text += f" ({self.details})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class AuthenticationError(MigrateCloudsError):
    """401: the API key is missing, malformed, unknown or revoked."""


class PermissionDeniedError(MigrateCloudsError):
    """403: a valid key that may not do this (scope, local grants, a connection needing re-authorization)."""


_PARAMETER = re.compile(r"^Invalid parameter '([^']*)'")


class InvalidParameterError(MigrateCloudsError):
    """400 (413 for a body over the limit): ``parameter`` names the offending field or header."""

    @property
    def parameter(self) -> Optional[str]:
        match = _PARAMETER.match(self.message)
        return match.group(1) if match else None


class NotFoundError(MigrateCloudsError):
    """404: an unknown id or route (another account's ids are not found either)."""


class ConflictError(MigrateCloudsError):
    """409: the resource's state does not allow it, or an Idempotency-Key reused with another request."""


class RateLimitError(MigrateCloudsError):
    """429 once the client's retries are used up; ``retry_after`` is the server's wait in seconds."""

    @property
    def retry_after(self) -> Optional[float]:
        return parse_retry_after(self.headers.get("retry-after"))


class ServiceError(MigrateCloudsError):
    """502/503: the storage service or Temporal failed; ``details`` carries its reason. Retry later."""


class InternalError(MigrateCloudsError):
    """500: a fault on the server; report ``request_id``."""


class APIConnectionError(MigrateCloudsError):
    """The server could not be reached, or the connection broke before an answer."""


NetworkError = APIConnectionError  # the TypeScript SDK's name for it


class WaitTimeoutError(MigrateCloudsError):
    """``wait_for_migration`` reached its timeout before the migration finished; ``migration`` is the last seen."""

    def __init__(self, message: str, migration: object) -> None:
        super().__init__(message, code="wait_timeout")
        self.migration = migration


class WebhookVerificationError(MigrateCloudsError):
    """A webhook request whose signature is missing, malformed, too old or wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_signature")


_BY_CODE: Dict[str, Type[MigrateCloudsError]] = {
    "authentication_error": AuthenticationError,
    "permission_denied": PermissionDeniedError,
    "invalid_parameter": InvalidParameterError,
    "resource_not_found": NotFoundError,
    "conflict": ConflictError,
    "rate_limit_exceeded": RateLimitError,
    "service_error": ServiceError,
    "internal_error": InternalError,
}

# For answers without an envelope (a proxy's page, a body cut short): the code its status stands for.
_CODE_BY_STATUS: Dict[int, str] = {
    400: "invalid_parameter",
    401: "authentication_error",
    403: "permission_denied",
    404: "resource_not_found",
    409: "conflict",
    413: "invalid_parameter",
    429: "rate_limit_exceeded",
    502: "service_error",
    503: "service_error",
    504: "service_error",
}


def error_from_response(
    status: int,
    envelope: object,
    headers: Mapping[str, str],
) -> MigrateCloudsError:
    """The exception for an error answer: by the envelope's code, else by the HTTP status."""
    request_id = headers.get("x-request-id")
    error = envelope.get("error") if isinstance(envelope, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        code = error["code"]
        message = str(error.get("message") or code)
        details = error.get("details")
    else:
        code = _CODE_BY_STATUS.get(status, "internal_error" if status >= 500 else "unknown_error")
        message = f"HTTP {status} without an error envelope"
        details = None
    cls = _BY_CODE.get(code, MigrateCloudsError)
    return cls(
        message,
        code=code,
        status=status,
        details=details if isinstance(details, str) else None,
        request_id=request_id,
        headers=headers,
    )
