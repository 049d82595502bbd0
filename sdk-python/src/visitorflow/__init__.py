"""The Python SDK of the VisitorFlow API.

Quick start::

    from visitorflow import VisitorFlow

    client = VisitorFlow()  # reads VISITORFLOW_API_KEY
    for visit in client.visits.list(location_id="loc_mty_01", status="onsite"):
        print(visit.id, visit.status)
"""

from . import models, types, webhooks
from ._client import AsyncVisitorFlow, VisitorFlow
from ._core.options import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._core.pagination import AsyncPage, AsyncPaginator, SyncPage
from ._core.sentinel import NOT_GIVEN, NotGiven
from ._core.version import __version__
from ._kiosk import AsyncKioskClient, KioskClient
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    VisitorFlowError,
    WebhookVerificationError,
    WebhookVerificationReason,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncKioskClient",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncVisitorFlow",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "KioskClient",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "SyncPage",
    "UnprocessableEntityError",
    "VisitorFlow",
    "VisitorFlowError",
    "WebhookVerificationError",
    "WebhookVerificationReason",
    "__version__",
    "models",
    "types",
    "webhooks",
]
