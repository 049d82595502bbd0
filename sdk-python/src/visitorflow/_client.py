"""The API clients: ``VisitorFlow`` and ``AsyncVisitorFlow``.

Their resources (``client.visits``, ``client.pre_registrations`` …) come from the generated
``Resources`` classes, so an operation added to openapi.yaml appears here after
``npm run generate`` without changes to this file.
"""

from __future__ import annotations

from types import TracebackType

import httpx

from ._core.options import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    resolve_api_key,
    resolve_base_url,
)
from ._core.transport import AsyncTransport, SyncTransport
from .resources import AsyncResources, Resources

__all__ = ["AsyncVisitorFlow", "VisitorFlow"]


class VisitorFlow(Resources):
    """A client for the VisitorFlow API.

    Args:
        api_key: The API key (``vfp_live_…`` or ``vfp_test_…``). Default: the
            ``VISITORFLOW_API_KEY`` environment variable; without either, construction
            raises ``ValueError``.
        base_url: The API's address. Default: ``VISITORFLOW_BASE_URL``, else
            ``http://127.0.0.1:8080``, the server ``npm start`` runs.
        timeout: Seconds each attempt may take before it counts as timed out. Default 60.
            Ignored when ``http_client`` is given, which brings its own timeout.
        max_retries: Retries after the first attempt for connection errors, timeouts,
            408, 409, 429 and 5xx responses. Default 2; 0 turns retries off.
        http_client: An ``httpx.Client`` to send requests with, for proxies or custom
            transports. The caller keeps ownership: ``close()`` leaves it open.

    Use it as a context manager, or call ``close()``, to release its connections::

        with VisitorFlow() as client:
            visit = client.visits.retrieve("vis_2yz4k8m1q0x7c3v5")
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)
        self._transport = SyncTransport(
            http=self._http,
            base_url=resolve_base_url(base_url),
            credential=resolve_api_key(api_key),
            max_retries=max_retries,
        )
        super().__init__(self._transport)

    @property
    def base_url(self) -> httpx.URL:
        """The address requests go to."""
        return self._transport.base_url

    def close(self) -> None:
        """Close the HTTP connections, unless the ``http_client`` was passed in."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> VisitorFlow:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncVisitorFlow(AsyncResources):
    """The asyncio version of ``VisitorFlow``, with the same options and resources.

    Every method is a coroutine, except ``list()``, which returns a paginator: ``await``
    it for the first page or ``async for`` over it for every item::

        async with AsyncVisitorFlow() as client:
            async for visit in client.visits.list(location_id="loc_mty_01"):
                print(visit.id)
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)
        self._transport = AsyncTransport(
            http=self._http,
            base_url=resolve_base_url(base_url),
            credential=resolve_api_key(api_key),
            max_retries=max_retries,
        )
        super().__init__(self._transport)

    @property
    def base_url(self) -> httpx.URL:
        """The address requests go to."""
        return self._transport.base_url

    async def close(self) -> None:
        """Close the HTTP connections, unless the ``http_client`` was passed in."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncVisitorFlow:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
