"""Turns keyword arguments into query strings, JSON bodies and URL paths."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import quote

from .sentinel import NotGiven


def encode_path(value: str | int) -> str:
    """Percent-encode one path parameter so that ``/`` or ``?`` in an id cannot change the route."""
    return quote(str(value), safe="")


def encode_query(params: Mapping[str, object]) -> dict[str, str]:
    """Drop parameters left out (``None``, ``NOT_GIVEN``); write the rest as the API reads them."""
    encoded: dict[str, str] = {}
    for name, value in params.items():
        if value is None or isinstance(value, NotGiven):
            continue
        encoded[name] = _query_value(value)
    return encoded


def encode_body(body: Mapping[str, object]) -> dict[str, Any]:
    """Drop the fields left out (``NOT_GIVEN``) and make the rest JSON-ready, keeping ``None``."""
    return {
        name: to_json_value(value)
        for name, value in body.items()
        if not isinstance(value, NotGiven)
    }


def to_json_value(value: object) -> Any:
    """Convert datetimes to RFC 3339 strings, recursively; other values pass unchanged."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(item) for item in value]
    return value


def format_datetime(value: datetime) -> str:
    """Write a datetime as RFC 3339 in UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    text = value.astimezone(timezone.utc).isoformat()
    return text.removesuffix("+00:00") + "Z"


def _query_value(value: object) -> str:
    # httpx would send True as "True"; the API, like JSON, spells booleans in lower case.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_datetime(value)
    return str(value)
