"""The base classes of the generated resources."""

from __future__ import annotations

from .transport import AsyncTransport, SyncTransport


class SyncAPIResource:
    """A group of API operations that share the client's transport."""

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport


class AsyncAPIResource:
    """A group of API operations that share the async client's transport."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport
