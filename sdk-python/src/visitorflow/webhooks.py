"""Verification of the webhook deliveries VisitorFlow sends.

A delivery is a POST whose ``x-vf-signature`` header contains one or more space-separated
``sha256=<hex>`` values: the HMAC-SHA256 of ``<event id>.<timestamp>.<raw body>``, keyed
with the base64-decoded part of the endpoint's ``whsec_…`` secret. During a secret rotation
the header carries one value per active secret, and any one of them may match.

The checks, their order, their ``reason`` names and their messages are the same as those of
``client.webhooks.verify`` in the TypeScript SDK.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping

import httpx
import pydantic

from .errors import WebhookVerificationError
from .models import Event

__all__ = ["DEFAULT_TOLERANCE", "verify"]

DEFAULT_TOLERANCE = 300
"""Seconds a delivery's ``x-vf-timestamp`` may differ from the receiver's clock (5 minutes)."""

SECRET_PREFIX = "whsec_"
SIGNATURE_PREFIX = "sha256="
_WHOLE_SECONDS = re.compile(r"[0-9]+")


def verify(
    raw_body: bytes | str,
    headers: Mapping[str, str] | httpx.Headers,
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> Event:
    """Check a delivery's signature and timestamp, and return its event.

    The checks run in this order: the three headers, the secret, the timestamp's format,
    the signature, the timestamp's age, then the body.

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
    key = _signing_key(secret)
    timestamp = _parse_timestamp(timestamp_header)

    expected = hmac.new(
        key, f"{event_id}.{timestamp_header}.".encode() + body, hashlib.sha256
    ).hexdigest()
    candidates = [
        value[len(SIGNATURE_PREFIX) :]
        for value in signature_header.split()
        if value.startswith(SIGNATURE_PREFIX)
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
    value = (headers.get(name) or "").strip()
    if not value:
        raise WebhookVerificationError(
            f"Missing {name} header: is this request a VisitorFlow webhook delivery?",
            reason="missing_header",
        )
    return value


def _signing_key(secret: str) -> bytes:
    if not secret.startswith(SECRET_PREFIX):
        raise WebhookVerificationError(
            "Invalid webhook secret: it must start with whsec_; copy it from the "
            "endpoint's create or rotate-secret response.",
            reason="invalid_secret",
        )
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise WebhookVerificationError(
            "Invalid webhook secret: the part after whsec_ is not valid base64.",
            reason="invalid_secret",
        )
    return key


def _parse_timestamp(value: str) -> int:
    if not _WHOLE_SECONDS.fullmatch(value):
        raise WebhookVerificationError(
            f'Invalid x-vf-timestamp "{value}": expected Unix time in whole seconds.',
            reason="invalid_timestamp",
        )
    return int(value)


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


def _parse_event(body: bytes, event_id: str) -> Event:
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookVerificationError(
            "Invalid webhook body: the signature matches but the body is not JSON.",
            reason="invalid_payload",
        ) from None
    if not isinstance(payload, dict) or payload.get("id") != event_id:
        raise WebhookVerificationError(
            f'Invalid webhook body: its id does not match x-vf-event-id "{event_id}".',
            reason="invalid_payload",
        )
    try:
        return Event.model_validate(payload)
    except pydantic.ValidationError:
        raise WebhookVerificationError(
            "Invalid webhook body: it is not an event with id, type, created_at, "
            "livemode and data.object.",
            reason="invalid_payload",
        ) from None
