"""Turns response bodies into the types the resource methods return."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import TypeAdapter


def parse_value(cast_to: type[Any] | TypeAdapter[Any], value: object) -> Any:
    """Validate a decoded JSON value as a model class or through a ``TypeAdapter``."""
    if isinstance(cast_to, TypeAdapter):
        return cast_to.validate_python(value)
    return cast_to.model_validate(value)


def parse_response(
    cast_to: type[Any] | TypeAdapter[Any] | None, response: httpx.Response
) -> Any:
    """Read a successful response as ``cast_to``.

    ``bytes`` returns the body of a file download, ``None`` discards the body.
    """
    if cast_to is None:
        return None
    if cast_to is bytes:
        return response.content
    return parse_value(cast_to, response.json())
