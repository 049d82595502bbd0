"""Sends requests: authentication, idempotency keys, retries and error mapping.

``SyncTransport`` and ``AsyncTransport`` share the request building in ``BaseTransport`` and
differ only in how they send and sleep. Generated resource methods call ``request`` and
``get_page``; nothing else in the package talks to httpx.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar, overload

import httpx
from pydantic import TypeAdapter

from ..errors import APIConnectionError, APITimeoutError, status_error
from .encoding import encode_body, encode_query
from .model import VisitorFlowModel
from .pagination import AsyncPage, AsyncPaginator, SyncPage
from .parsing import parse_response, parse_value
from .retries import retry_delay, should_retry
from .sentinel import NOT_GIVEN, NotGiven
from .version import __version__

log = logging.getLogger("visitorflow")

ModelT = TypeVar("ModelT", bound=VisitorFlowModel)
T = TypeVar("T")

CastTo = type[Any] | TypeAdapter[Any] | None

# Methods that change state get an idempotency key, so that a retry never acts twice.
IDEMPOTENT_METHODS = frozenset({"POST", "PATCH"})


class BaseTransport:
    """Builds requests for one base URL and credential; sending them is left to subclasses."""

    def __init__(
        self, *, base_url: httpx.URL, credential: str | None, max_retries: int
    ) -> None:
        if max_retries < 0:
            raise ValueError(
                f"Invalid max_retries {max_retries}: it must be 0 or more."
            )
        self.base_url = base_url
        self.max_retries = max_retries
        self._credential = credential

    def build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None,
        body: Mapping[str, object] | NotGiven,
        content: bytes | None,
        content_type: str | None,
        headers: Mapping[str, str | None] | None,
    ) -> httpx.Request:
        request_headers = {
            name: value for name, value in (headers or {}).items() if value is not None
        }
        request_headers.setdefault("Accept", "application/json")
        request_headers["User-Agent"] = f"visitorflow-python/{__version__}"
        if self._credential is not None:
            request_headers["Authorization"] = f"Bearer {self._credential}"
        if method in IDEMPOTENT_METHODS:
            # One key per call, generated here once and sent again on every retry.
            request_headers.setdefault("Idempotency-Key", str(uuid.uuid4()))
        if content_type is not None:
            request_headers["Content-Type"] = content_type

        url = httpx.URL(str(self.base_url).rstrip("/") + path)
        return http.build_request(
            method,
            url,
            params=encode_query(query or {}),
            json=encode_body(body) if not isinstance(body, NotGiven) else None,
            content=content,
            headers=request_headers,
        )

    def page_from(
        self, response: httpx.Response, item: type[Any] | TypeAdapter[Any]
    ) -> tuple[list[Any], str | None, dict[str, Any]]:
        """Read a list envelope (``data`` and ``next_cursor``) into parsed items."""
        raw = response.json()
        items = [parse_value(item, value) for value in raw.get("data", [])]
        next_cursor = raw.get("next_cursor")
        return items, next_cursor if isinstance(next_cursor, str) else None, raw


def log_retry(
    request: httpx.Request, reason: str, delay: float, attempt: int, max_retries: int
) -> None:
    log.info(
        "Retrying %s %s in %.2f s after %s (retry %d of %d)",
        request.method,
        request.url.path,
        delay,
        reason,
        attempt,
        max_retries,
    )


def log_response(
    request: httpx.Request, response: httpx.Response, started: float
) -> None:
    log.debug(
        "%s %s -> %d in %.0f ms (request id %s)",
        request.method,
        request.url.path,
        response.status_code,
        (time.monotonic() - started) * 1000,
        response.headers.get("x-request-id"),
    )


class SyncTransport(BaseTransport):
    """Sends requests with an ``httpx.Client``, retrying when ``retries.should_retry`` allows."""

    def __init__(
        self,
        *,
        http: httpx.Client,
        base_url: httpx.URL,
        credential: str | None,
        max_retries: int,
    ) -> None:
        super().__init__(
            base_url=base_url, credential=credential, max_retries=max_retries
        )
        self.http = http

    def send(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> httpx.Response:
        """Send a request; return its 2xx response, or raise ``APIError`` when retries run out."""
        request = self.build_request(
            self.http,
            method,
            path,
            query=query,
            body=body,
            content=content,
            content_type=content_type,
            headers=headers,
        )
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = self.http.send(request)
            except httpx.TimeoutException as error:
                if attempt >= self.max_retries:
                    raise APITimeoutError(request=request) from error
                attempt += 1
                delay = retry_delay(attempt, None)
                log_retry(request, "a timeout", delay, attempt, self.max_retries)
                time.sleep(delay)
                continue
            except httpx.TransportError as error:
                if attempt >= self.max_retries:
                    raise APIConnectionError(
                        request=request, message=f"Connection error: {error}"
                    ) from error
                attempt += 1
                delay = retry_delay(attempt, None)
                log_retry(
                    request,
                    f"a connection error ({error})",
                    delay,
                    attempt,
                    self.max_retries,
                )
                time.sleep(delay)
                continue

            log_response(request, response, started)
            if response.is_success:
                return response
            if attempt < self.max_retries and should_retry(response):
                attempt += 1
                delay = retry_delay(attempt, response)
                log_retry(
                    request,
                    f"status {response.status_code}",
                    delay,
                    attempt,
                    self.max_retries,
                )
                response.close()
                time.sleep(delay)
                continue
            raise status_error(response)

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[ModelT],
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> ModelT: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: TypeAdapter[T],
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> T: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[bytes],
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> bytes: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: None,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> None: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: CastTo,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> Any:
        """Send a request and read its response as ``cast_to``."""
        response = self.send(
            method,
            path,
            query=query,
            body=body,
            content=content,
            content_type=content_type,
            headers=headers,
        )
        return parse_response(cast_to, response)

    @overload
    def get_page(
        self, path: str, *, item: type[ModelT], query: Mapping[str, object]
    ) -> SyncPage[ModelT]: ...

    @overload
    def get_page(
        self, path: str, *, item: TypeAdapter[T], query: Mapping[str, object]
    ) -> SyncPage[T]: ...

    def get_page(
        self,
        path: str,
        *,
        item: type[Any] | TypeAdapter[Any],
        query: Mapping[str, object],
    ) -> SyncPage[Any]:
        """Fetch the first page of a list; the page fetches the next ones when iterated."""

        def fetch(cursor: str | None) -> SyncPage[Any]:
            params = dict(query) if cursor is None else {**query, "cursor": cursor}
            data, next_cursor, raw = self.page_from(
                self.send("GET", path, query=params), item
            )
            return SyncPage(
                data=data, next_cursor=next_cursor, raw=raw, fetch_page=fetch
            )

        return fetch(None)


class AsyncTransport(BaseTransport):
    """Sends requests with an ``httpx.AsyncClient``; retries as ``SyncTransport`` does."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: httpx.URL,
        credential: str | None,
        max_retries: int,
    ) -> None:
        super().__init__(
            base_url=base_url, credential=credential, max_retries=max_retries
        )
        self.http = http

    async def send(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> httpx.Response:
        """Send a request; return its 2xx response, or raise ``APIError`` when retries run out."""
        request = self.build_request(
            self.http,
            method,
            path,
            query=query,
            body=body,
            content=content,
            content_type=content_type,
            headers=headers,
        )
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = await self.http.send(request)
            except httpx.TimeoutException as error:
                if attempt >= self.max_retries:
                    raise APITimeoutError(request=request) from error
                attempt += 1
                delay = retry_delay(attempt, None)
                log_retry(request, "a timeout", delay, attempt, self.max_retries)
                await asyncio.sleep(delay)
                continue
            except httpx.TransportError as error:
                if attempt >= self.max_retries:
                    raise APIConnectionError(
                        request=request, message=f"Connection error: {error}"
                    ) from error
                attempt += 1
                delay = retry_delay(attempt, None)
                log_retry(
                    request,
                    f"a connection error ({error})",
                    delay,
                    attempt,
                    self.max_retries,
                )
                await asyncio.sleep(delay)
                continue

            log_response(request, response, started)
            if response.is_success:
                return response
            if attempt < self.max_retries and should_retry(response):
                attempt += 1
                delay = retry_delay(attempt, response)
                log_retry(
                    request,
                    f"status {response.status_code}",
                    delay,
                    attempt,
                    self.max_retries,
                )
                await response.aclose()
                await asyncio.sleep(delay)
                continue
            await response.aread()
            raise status_error(response)

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[ModelT],
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> ModelT: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: TypeAdapter[T],
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> T: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[bytes],
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> bytes: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: None,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> None: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: CastTo,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content: bytes | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> Any:
        """Send a request and read its response as ``cast_to``."""
        response = await self.send(
            method,
            path,
            query=query,
            body=body,
            content=content,
            content_type=content_type,
            headers=headers,
        )
        return parse_response(cast_to, response)

    @overload
    def get_page(
        self, path: str, *, item: type[ModelT], query: Mapping[str, object]
    ) -> AsyncPaginator[ModelT]: ...

    @overload
    def get_page(
        self, path: str, *, item: TypeAdapter[T], query: Mapping[str, object]
    ) -> AsyncPaginator[T]: ...

    def get_page(
        self,
        path: str,
        *,
        item: type[Any] | TypeAdapter[Any],
        query: Mapping[str, object],
    ) -> AsyncPaginator[Any]:
        """Return a paginator; awaiting it fetches the first page, iterating it every item."""

        async def fetch(cursor: str | None) -> AsyncPage[Any]:
            params = dict(query) if cursor is None else {**query, "cursor": cursor}
            response = await self.send("GET", path, query=params)
            data, next_cursor, raw = self.page_from(response, item)
            return AsyncPage(
                data=data, next_cursor=next_cursor, raw=raw, fetch_page=fetch
            )

        return AsyncPaginator(lambda: fetch(None))
