"""Webhook verification against deliveries signed in the test."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import pytest

from visitorflow import WebhookVerificationError, webhooks

SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"another secret of 32 bytes here!").decode()
EVENT_ID = "evt_1"
BODY = json.dumps(
    {
        "id": EVENT_ID,
        "type": "visit.checked_in",
        "created_at": "2026-04-30T14:21:09Z",
        "livemode": False,
        "data": {"object": {"id": "vis_1", "type": "visitor"}},
    }
).encode()


def signature(secret: str, timestamp: int, body: bytes = BODY) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{EVENT_ID}.{timestamp}.".encode() + body
    return "sha256=" + hmac.new(key, signed, hashlib.sha256).hexdigest()


def headers(timestamp: int, *signatures: str) -> dict[str, str]:
    return {
        "x-vf-signature": " ".join(signatures),
        "x-vf-timestamp": str(timestamp),
        "x-vf-event-id": EVENT_ID,
    }


def reason_of(raw_body: bytes | str, sent: dict[str, str], secret: str = SECRET) -> str:
    with pytest.raises(WebhookVerificationError) as raised:
        webhooks.verify(raw_body, sent, secret)
    return raised.value.reason


def test_valid_delivery_returns_event() -> None:
    now = int(time.time())
    event = webhooks.verify(BODY, headers(now, signature(SECRET, now)), SECRET)

    assert event.id == EVENT_ID
    assert event.type == "visit.checked_in"
    assert event.data.object["id"] == "vis_1"


def test_rotation_either_signature_matches() -> None:
    now = int(time.time())
    sent = headers(now, signature(OTHER_SECRET, now), signature(SECRET, now))

    assert webhooks.verify(BODY, sent, SECRET).id == EVENT_ID
    assert webhooks.verify(BODY, sent, OTHER_SECRET).id == EVENT_ID


def test_header_names_ignore_case() -> None:
    now = int(time.time())
    sent = {
        name.upper(): value
        for name, value in headers(now, signature(SECRET, now)).items()
    }

    assert webhooks.verify(BODY.decode(), sent, SECRET).id == EVENT_ID


def test_wrong_secret_rejected() -> None:
    now = int(time.time())

    assert (
        reason_of(BODY, headers(now, signature(OTHER_SECRET, now)))
        == "signature_mismatch"
    )


def test_tampered_body_rejected() -> None:
    now = int(time.time())
    tampered = BODY.replace(b"vis_1", b"vis_2")

    assert (
        reason_of(tampered, headers(now, signature(SECRET, now)))
        == "signature_mismatch"
    )


def test_old_timestamp_rejected() -> None:
    then = int(time.time()) - 301
    with pytest.raises(WebhookVerificationError, match="Timestamp too old"):
        webhooks.verify(BODY, headers(then, signature(SECRET, then)), SECRET)


def test_future_timestamp_rejected() -> None:
    later = int(time.time()) + 301

    assert (
        reason_of(BODY, headers(later, signature(SECRET, later)))
        == "timestamp_in_future"
    )


def test_missing_headers_named() -> None:
    now = int(time.time())
    for name in ("x-vf-signature", "x-vf-timestamp", "x-vf-event-id"):
        sent = headers(now, signature(SECRET, now))
        del sent[name]
        with pytest.raises(WebhookVerificationError, match=f"Missing {name} header"):
            webhooks.verify(BODY, sent, SECRET)


def test_invalid_timestamp_rejected() -> None:
    sent = headers(0, "sha256=00")
    sent["x-vf-timestamp"] = "yesterday"

    assert reason_of(BODY, sent) == "invalid_timestamp"


def test_invalid_secret_rejected() -> None:
    now = int(time.time())
    sent = headers(now, signature(SECRET, now))

    assert reason_of(BODY, sent, secret="sk_not_a_webhook_secret") == "invalid_secret"
    assert reason_of(BODY, sent, secret="whsec_***") == "invalid_secret"


def test_event_id_must_match_body() -> None:
    now = int(time.time())
    body = BODY.replace(b'"evt_1"', b'"evt_2"')

    assert (
        reason_of(body, headers(now, signature(SECRET, now, body))) == "invalid_payload"
    )


SHARED_CASES = (
    Path(__file__).resolve().parents[3] / "test/fixtures/webhook-verify-cases.json"
)
"""Cases the TypeScript SDK runs too, so both give the same outcome, reason and message."""


@pytest.mark.parametrize(
    "case",
    json.loads(SHARED_CASES.read_text(encoding="utf-8"))["cases"],
    ids=lambda case: case["name"],
)
def test_shared_case(case: dict[str, Any]) -> None:
    def run() -> str:
        event = webhooks.verify(
            case["body"], case["headers"], case["secret"], now=case["now"]
        )
        return event.id

    if "error" not in case:
        assert run() == case["event_id"]
        return
    with pytest.raises(WebhookVerificationError) as raised:
        run()
    assert {"reason": raised.value.reason, "message": str(raised.value)} == case[
        "error"
    ]
