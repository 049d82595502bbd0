"""Client options shared by every client: defaults and environment variables."""

from __future__ import annotations

import os
from typing import Final

import httpx

DEFAULT_BASE_URL: Final = "http://127.0.0.1:8080"
"""The API that ``npm start`` runs locally; set ``VISITORFLOW_BASE_URL`` for another one."""

DEFAULT_TIMEOUT: Final = 60.0
"""Seconds a request may take, per attempt, before ``APITimeoutError``."""

DEFAULT_MAX_RETRIES: Final = 2
"""Retries after the first attempt, for connection errors, timeouts, 408, 409, 429 and 5xx."""


def resolve_base_url(base_url: str | httpx.URL | None) -> httpx.URL:
    """Return ``base_url``, else ``VISITORFLOW_BASE_URL``, else ``DEFAULT_BASE_URL``."""
    if base_url is None:
        base_url = os.environ.get("VISITORFLOW_BASE_URL") or DEFAULT_BASE_URL
    url = httpx.URL(str(base_url))
    if url.scheme not in ("http", "https"):
        raise ValueError(
            f"Invalid base_url {str(base_url)!r}: it must start with http:// or https://."
        )
    return url


def resolve_api_key(api_key: str | None) -> str:
    """Return ``api_key``, else ``VISITORFLOW_API_KEY``; raise when neither is set."""
    if api_key is None:
        api_key = os.environ.get("VISITORFLOW_API_KEY")
    if not api_key:
        raise ValueError(
            "Missing API key: pass api_key='vfp_…' to the client or set the "
            "VISITORFLOW_API_KEY environment variable."
        )
    return api_key
