"""Verification of the webhook deliveries VisitorFlow sends.

A delivery is a POST whose ``x-vf-signature`` header contains one or more space-separated
``sha256=<hex>`` values: the HMAC-SHA256 of ``<event id>.<timestamp>.<raw body>``, keyed
with the base64-decoded part of the endpoint's ``whsec_…`` secret. During a secret rotation
the header carries one value per active secret, and any one of them may match.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx

from ._core.model import VisitorFlowModel
from .errors import WebhookVerificationError

__all__ = ["DEFAULT_TOLERANCE", "WebhookEvent", "WebhookEventData", "verify"]

DEFAULT_TOLERANCE = 300
"""Seconds a delivery's ``x-vf-timestamp`` may differ from the receiver's clock (5 minutes)."""

SECRET_PREFIX = "whsec_"


class WebhookEventData(VisitorFlowModel):
    """The object the event is about, as the API would return it at the time of the event."""

    object: dict[str, Any]


class WebhookEvent(VisitorFlowModel):
    """A verified webhook delivery."""

    # TODO: return the generated Event model once events are part of openapi.yaml, so that
    # `data.object` is typed per event type instead of a plain dict.
    id: str
    """The event id (``evt_…``); the same event may arrive more than once, so drop repeats."""
    type: str
    """The event type, such as ``visit.checked_in``."""
    created_at: datetime
    data: WebhookEventData


def verify(
    raw_body: bytes | str,
    headers: Mapping[str, str] | httpx.Headers,
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> WebhookEvent:
    """Check a delivery's signature and timestamp, and return its event.

    Args:
        raw_body: The request body exactly as received. JSON parsed and serialized again
            may differ by a byte and no longer match the signature.
        headers: The request headers; names are matched without regard to case.
        secret: The endpoint's signing secret, ``whsec_…``.
        tolerance: Seconds ``x-vf-timestamp`` may be away from ``now``, against replays.
        now: The current unix time in seconds; the system clock when omitted.

    Raises:
        WebhookVerificationError: A check failed; ``reason`` names it.
    """
    body = raw_body.encode("utf-8") if isinstance(raw_body, str) else raw_body
    lowered = {name.lower(): value for name, value in headers.items()}
    signature_header = _required_header(lowered, "x-vf-signature")
    timestamp_header = _required_header(lowered, "x-vf-timestamp")
    event_id = _required_header(lowered, "x-vf-event-id")

    timestamp = _parse_timestamp(timestamp_header)
    key = _signing_key(secret)
    expected = hmac.new(
        key, f"{event_id}.{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    candidates = [
        value.removeprefix("sha256=")
        for value in signature_header.split()
        if value.startswith("sha256=")
    ]
    # Compare against every candidate, in constant time each, without stopping early.
    matches = [hmac.compare_digest(candidate, expected) for candidate in candidates]
    if not any(matches):
        raise WebhookVerificationError(
            "No signature in x-vf-signature matches: check that the secret belongs to this "
            "endpoint and that the body is the raw bytes received, not parsed and "
            "serialized again.",
            reason="signature_mismatch",
        )

    _check_age(timestamp, tolerance, time.time() if now is None else now)
    return _parse_event(body, event_id)


def _required_header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if not value:
        raise WebhookVerificationError(
            f"Missing {name} header: is this request a VisitorFlow webhook delivery?",
            reason="missing_header",
        )
    return value


def _parse_timestamp(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise WebhookVerificationError(
            f"Invalid x-vf-timestamp {value!r}: expected unix time in whole seconds.",
            reason="invalid_timestamp",
        ) from None


def _signing_key(secret: str) -> bytes:
    if not secret.startswith(SECRET_PREFIX):
        raise WebhookVerificationError(
            "Invalid webhook secret: it must start with whsec_; copy it from the "
            "endpoint's create or rotate-secret response.",
            reason="invalid_secret",
        )
    try:
        return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            "Invalid webhook secret: the part after whsec_ is not valid base64.",
            reason="invalid_secret",
        ) from None


def _check_age(timestamp: int, tolerance: int, now: float) -> None:
    age = now - timestamp
    if age > tolerance:
        raise WebhookVerificationError(
            f"Timestamp too old: the delivery was signed {int(age)} s ago, more than "
            f"{tolerance} s; reject it as a possible replay.",
            reason="timestamp_too_old",
        )
    if -age > tolerance:
        raise WebhookVerificationError(
            f"Timestamp in the future: the delivery is dated {int(-age)} s ahead, more "
            f"than {tolerance} s; check this machine's clock.",
            reason="timestamp_in_future",
        )


def _parse_event(body: bytes, event_id: str) -> WebhookEvent:
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookVerificationError(
            "Invalid webhook body: the signature matches but the body is not JSON.",
            reason="invalid_payload",
        ) from None
    if not isinstance(payload, dict) or payload.get("id") != event_id:
        raise WebhookVerificationError(
            f"Invalid webhook body: its id does not match x-vf-event-id {event_id!r}.",
            reason="invalid_payload",
        )
    return WebhookEvent.model_validate(payload)
