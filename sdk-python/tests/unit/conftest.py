"""Fixtures for unit tests: scripted responses and no real waiting between retries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from visitorflow._core import transport

BASE_URL = "http://127.0.0.1:8080"
API_KEY = "vfp_test_unit"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record each retry delay instead of sleeping it, for both clients."""
    recorded: list[float] = []

    async def fake_async_sleep(delay: float) -> None:
        recorded.append(delay)

    monkeypatch.setattr(transport.time, "sleep", recorded.append)
    monkeypatch.setattr(transport.asyncio, "sleep", fake_async_sleep)
    return recorded


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """Script the API's responses; a request to an unscripted route fails the test."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISITORFLOW_API_KEY", raising=False)
    monkeypatch.delenv("VISITORFLOW_BASE_URL", raising=False)
