"""Records which resource methods the end-to-end tests call, to prove each one ran."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from visitorflow._core import AsyncAPIResource, SyncAPIResource


def public_methods(resource: object) -> set[str]:
    """The generated operation methods of a resource, leaving out ``close`` and the like."""
    return {
        name
        for name, function in inspect.getmembers(type(resource), inspect.isfunction)
        if not name.startswith("_")
        and function.__module__.startswith("visitorflow.resources")
    }


def resources_of(client: object) -> dict[str, object]:
    """The resource attributes of a client, or the client itself when it has the methods."""
    if isinstance(client, (SyncAPIResource, AsyncAPIResource)):
        return {type(client).__name__: client}
    return {
        name: value
        for name, value in vars(client).items()
        if isinstance(value, (SyncAPIResource, AsyncAPIResource))
    }


class CallRecorder:
    """Wraps every public method of a client's resources to record that it was called."""

    def __init__(self) -> None:
        self.expected: set[str] = set()
        self.called: set[str] = set()

    def track(self, client: Any) -> Any:
        for name, resource in resources_of(client).items():
            for method in public_methods(resource):
                key = f"{name}.{method}"
                self.expected.add(key)
                setattr(resource, method, self._wrap(key, getattr(resource, method)))
        return client

    def _wrap(self, key: str, method: Any) -> Any:
        @functools.wraps(method)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            self.called.add(key)
            return method(*args, **kwargs)

        return recorded

    def missing(self) -> list[str]:
        return sorted(self.expected - self.called)
