"""The exceptions the SDK raises.

Every error from an API response is an ``APIStatusError``, or the subclass for its status,
and carries the status code, the parsed problem document, the headers and the request id.
Failures before a response arrives are ``APIConnectionError`` and ``APITimeoutError``.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "VisitorFlowError",
    "WebhookVerificationError",
    "WebhookVerificationReason",
]


class VisitorFlowError(Exception):
    """The base class of every exception this package raises."""


class APIError(VisitorFlowError):
    """A request to the API failed, with or without a response."""

    request: httpx.Request

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """Raised when no response arrived: the connection failed or was reset."""

    def __init__(
        self, *, request: httpx.Request, message: str = "Connection error."
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """Raised when the request did not finish within the client's ``timeout``."""

    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__(request=request, message="Request timed out.")


class APIStatusError(APIError):
    """Raised for a response with a 4xx or 5xx status.

    ``body`` is the parsed problem document (RFC 9457) when the response carried one, else
    the response text. ``request_id`` is the ``x-request-id`` header; quote it when
    contacting support.
    """

    response: httpx.Response
    status_code: int
    body: Any
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.headers = response.headers
        self.request_id = response.headers.get("x-request-id")

    @property
    def problem_type(self) -> str | None:
        """The problem ``type``, such as ``urn:visitorflow:problem:checkin-token-used``."""
        value = self.body.get("type") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else None

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """Messages for each invalid field, keyed by dotted path (``visitor.email``), or empty."""
        issues = self.body.get("issues") if isinstance(self.body, dict) else None
        errors = issues.get("fieldErrors") if isinstance(issues, dict) else None
        if not isinstance(errors, dict):
            return {}
        return {
            str(path): [str(message) for message in messages]
            for path, messages in errors.items()
            if isinstance(messages, list)
        }

    @property
    def retry_after(self) -> float | None:
        """The ``retry-after`` header in seconds, or ``None`` when absent or not a number."""
        value = self.response.headers.get("retry-after")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None


class BadRequestError(APIStatusError):
    """Raised for 400: the request is invalid; ``field_errors`` names each invalid field."""


class AuthenticationError(APIStatusError):
    """Raised for 401: the API key or device token is missing, unknown or revoked."""


class PermissionDeniedError(APIStatusError):
    """Raised for 403: the credential may not do this."""


class NotFoundError(APIStatusError):
    """Raised for 404: no such object in this mode's data."""


class ConflictError(APIStatusError):
    """Raised for 409: the object's state forbids the change, or its idempotency key is in use."""


class UnprocessableEntityError(APIStatusError):
    """Raised for 422, such as an idempotency key first used with a different request."""


class RateLimitError(APIStatusError):
    """Raised for 429 once retries are used up; ``retry_after`` gives the seconds to wait."""


class InternalServerError(APIStatusError):
    """Raised for 5xx once retries are used up."""


WebhookVerificationReason = Literal[
    "missing_header",
    "invalid_secret",
    "invalid_timestamp",
    "signature_mismatch",
    "timestamp_too_old",
    "timestamp_in_future",
    "invalid_payload",
]
"""Which check of ``webhooks.verify`` failed; the TypeScript SDK uses the same names."""


class WebhookVerificationError(VisitorFlowError):
    """Raised by ``visitorflow.webhooks.verify`` when a delivery fails a check.

    ``reason`` names the check for code that branches on it; see
    ``WebhookVerificationReason``. The TypeScript SDK's ``WebhookVerificationError`` has
    the same reasons and messages.
    """

    def __init__(self, message: str, *, reason: WebhookVerificationReason) -> None:
        super().__init__(message)
        self.reason: WebhookVerificationReason = reason


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx.Response) -> APIStatusError:
    """Build the exception for an error response: the class for its status, and a message
    that starts with the status and the server's ``error`` text."""
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    error_class = _STATUS_ERRORS.get(response.status_code)
    if error_class is None:
        error_class = (
            InternalServerError if response.status_code >= 500 else APIStatusError
        )
    return error_class(_message(response, body), response=response, body=body)


def _message(response: httpx.Response, body: Any) -> str:
    status = response.status_code
    if not isinstance(body, dict):
        text = str(body).strip()[:200]
        return f"{status} {text or response.reason_phrase}"
    error = body.get("error") or body.get("title") or response.reason_phrase
    detail = body.get("detail")
    if isinstance(detail, str) and detail and detail != error:
        return f"{status} {error}: {detail}"
    return f"{status} {error}"
