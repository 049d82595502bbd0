"""Pages of list results, and iteration over every item across pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SyncPage(Generic[T]):
    """One page of a list, newest first.

    Iterating a page yields every item of this page and of the pages after it, fetching
    each next page when the previous one is used up::

        for visit in client.visits.list(location_id="loc_mty_01"):
            print(visit.id)
    """

    def __init__(
        self,
        *,
        data: list[T],
        next_cursor: str | None,
        raw: dict[str, Any],
        fetch_page: Callable[[str], SyncPage[T]],
    ) -> None:
        self.data = data
        """The items of this page."""
        self.next_cursor = next_cursor
        """The cursor of the next page, or ``None`` on the last page."""
        self._raw = raw
        self._fetch_page = fetch_page

    def has_next_page(self) -> bool:
        """Tell whether another page follows this one."""
        return self.next_cursor is not None

    def next_page(self) -> SyncPage[T]:
        """Fetch the page after this one; raise ``StopIteration`` on the last page."""
        if self.next_cursor is None:
            raise StopIteration("This is the last page.")
        return self._fetch_page(self.next_cursor)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """Yield this page and every page after it."""
        page = self
        yield page
        while page.next_cursor is not None:
            page = page.next_page()
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data

    def to_dict(self) -> dict[str, Any]:
        """Return this page's JSON as received: ``data`` and ``next_cursor``."""
        return dict(self._raw)

    def __repr__(self) -> str:
        return f"SyncPage(items={len(self.data)}, next_cursor={self.next_cursor!r})"


class AsyncPage(Generic[T]):
    """One page of a list from the async client; ``async for`` walks every page."""

    def __init__(
        self,
        *,
        data: list[T],
        next_cursor: str | None,
        raw: dict[str, Any],
        fetch_page: Callable[[str], Awaitable[AsyncPage[T]]],
    ) -> None:
        self.data = data
        """The items of this page."""
        self.next_cursor = next_cursor
        """The cursor of the next page, or ``None`` on the last page."""
        self._raw = raw
        self._fetch_page = fetch_page

    def has_next_page(self) -> bool:
        """Tell whether another page follows this one."""
        return self.next_cursor is not None

    async def next_page(self) -> AsyncPage[T]:
        """Fetch the page after this one; raise ``StopAsyncIteration`` on the last page."""
        if self.next_cursor is None:
            raise StopAsyncIteration("This is the last page.")
        return await self._fetch_page(self.next_cursor)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Yield this page and every page after it."""
        page = self
        yield page
        while page.next_cursor is not None:
            page = await page.next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    def to_dict(self) -> dict[str, Any]:
        """Return this page's JSON as received: ``data`` and ``next_cursor``."""
        return dict(self._raw)

    def __repr__(self) -> str:
        return f"AsyncPage(items={len(self.data)}, next_cursor={self.next_cursor!r})"


class AsyncPaginator(Generic[T]):
    """The result of an async ``list()``, returned before any request is sent.

    ``await`` it for the first page, or ``async for`` over it for every item of every page::

        async for visit in client.visits.list(location_id="loc_mty_01"):
            print(visit.id)
    """

    def __init__(self, fetch_first: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._fetch_first = fetch_first

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._fetch_first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._fetch_first()
        async for item in page:
            yield item
