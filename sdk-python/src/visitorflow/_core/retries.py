"""When to retry a request and how long to wait before the next attempt."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; each later one waits twice as long as the one before."""

MAX_RETRY_DELAY = 8.0
"""The longest computed wait between attempts, in seconds."""

MAX_RETRY_AFTER = 60.0
"""A ``retry-after`` longer than this many seconds is ignored in favour of the backoff."""


def should_retry(response: httpx.Response) -> bool:
    """Tell whether an error response is worth another attempt."""
    status = response.status_code
    # 408 Request Timeout: the server gave up waiting for the request.
    if status == 408:
        return True
    # 409 Conflict: also what a retry gets while the first attempt with its idempotency key
    # is still running, so trying again later returns the stored result.
    if status == 409:
        return True
    # 429 Too Many Requests: the budget refills, and retry-after gives the wait.
    if status == 429:
        return True
    # 5xx: the server failed or is restarting; the idempotency key keeps a retried write safe.
    return status >= 500


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """Seconds to wait before retry number ``attempt`` (1 for the first retry).

    A ``retry-after`` header of at most ``MAX_RETRY_AFTER`` seconds is honoured as it is.
    Otherwise the delay doubles from ``INITIAL_RETRY_DELAY`` up to ``MAX_RETRY_DELAY`` and is
    shortened by up to a quarter at random, so that clients failing together do not retry
    together.
    """
    if response is not None:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is not None and 0 <= retry_after <= MAX_RETRY_AFTER:
            return retry_after
    backoff: float = min(INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1), MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())


def parse_retry_after(value: str | None) -> float | None:
    """Read ``retry-after`` as seconds or as an HTTP date (RFC 9110, section 10.2.3)."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
