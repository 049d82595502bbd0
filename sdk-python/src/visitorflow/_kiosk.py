"""Clients for a paired lobby kiosk, which authenticates with its device token.

The methods (``pair``, ``create_checkin``, ``upload_visit_photo`` …) are generated from the
operations of openapi.yaml that take the kiosk's device token.
"""

from __future__ import annotations

from types import TracebackType

import httpx

from ._core.options import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, resolve_base_url
from ._core.transport import AsyncTransport, SyncTransport
from .resources import AsyncKioskTokenOperations, KioskTokenOperations

__all__ = ["AsyncKioskClient", "KioskClient"]


class KioskClient(KioskTokenOperations):
    """A client for the ``/v1/kiosk/*`` routes that a lobby kiosk calls.

    Pair a new device first, then use its device token for every other call::

        pairing = KioskClient().pair(pairing_code="K7M2QX9P")
        kiosk = KioskClient(device_token=pairing.device_token)
        checkin = kiosk.create_checkin(check_in_code="7KQ2M9X4")

    Args:
        device_token: The kiosk's ``vfk_…`` token from ``pair()``. Only ``pair()`` works
            without one; other calls raise ``AuthenticationError``.
        base_url: As for ``VisitorFlow``: default ``VISITORFLOW_BASE_URL``, else
            ``http://127.0.0.1:8080``.
        timeout: Seconds each attempt may take. Default 60.
        max_retries: Retries after the first attempt. Default 2.
        http_client: An ``httpx.Client`` to send requests with; ``close()`` leaves it open.
    """

    def __init__(
        self,
        *,
        device_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)
        super().__init__(
            SyncTransport(
                http=self._http,
                base_url=resolve_base_url(base_url),
                credential=device_token,
                max_retries=max_retries,
            )
        )

    def close(self) -> None:
        """Close the HTTP connections, unless the ``http_client`` was passed in."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> KioskClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncKioskClient(AsyncKioskTokenOperations):
    """The asyncio version of ``KioskClient``, with the same options and methods."""

    def __init__(
        self,
        *,
        device_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)
        super().__init__(
            AsyncTransport(
                http=self._http,
                base_url=resolve_base_url(base_url),
                credential=device_token,
                max_retries=max_retries,
            )
        )

    async def close(self) -> None:
        """Close the HTTP connections, unless the ``http_client`` was passed in."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncKioskClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
