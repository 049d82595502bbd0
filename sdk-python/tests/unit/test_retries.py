"""Retries, backoff, retry-after, idempotency keys and timeouts, with scripted responses."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
import respx

from visitorflow import (
    APIConnectionError,
    APITimeoutError,
    AsyncVisitorFlow,
    BadRequestError,
    InternalServerError,
    RateLimitError,
    VisitorFlow,
)
from visitorflow._core import retries

from .conftest import API_KEY, BASE_URL
from .factories import problem, visitor_visit

VISIT_BODY = {
    "type": "visitor",
    "host_id": "h_98412",
    "visitor": {"name": "Marisol Cruz", "email": "marisol@acme.com"},
    "location_id": "loc_mty_01",
}


def create_visit(client: VisitorFlow) -> None:
    client.visits.create(
        type="visitor",
        host_id="h_98412",
        visitor={"name": "Marisol Cruz", "email": "marisol@acme.com"},
        location_id="loc_mty_01",
    )


def test_retries_503_then_succeeds(api: respx.MockRouter, sleeps: list[float]) -> None:
    route = api.get("/v1/visits/vis_1").mock(
        side_effect=[
            httpx.Response(503, json=problem(503, "Service unavailable")),
            httpx.Response(503, json=problem(503, "Service unavailable")),
            httpx.Response(200, json=visitor_visit()),
        ]
    )
    visit = VisitorFlow(api_key=API_KEY).visits.retrieve("vis_1")

    assert visit.id == "vis_1"
    assert route.call_count == 3
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


def test_honours_retry_after(api: respx.MockRouter, sleeps: list[float]) -> None:
    api.get("/v1/visits/vis_1").mock(
        side_effect=[
            httpx.Response(
                429,
                json=problem(429, "Too many requests"),
                headers={"retry-after": "3"},
            ),
            httpx.Response(200, json=visitor_visit()),
        ]
    )
    VisitorFlow(api_key=API_KEY).visits.retrieve("vis_1")

    assert sleeps == [3.0]


def test_ignores_retry_after_over_60s(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    api.get("/v1/visits/vis_1").mock(
        side_effect=[
            httpx.Response(
                429,
                json=problem(429, "Too many requests"),
                headers={"retry-after": "600"},
            ),
            httpx.Response(200, json=visitor_visit()),
        ]
    )
    VisitorFlow(api_key=API_KEY).visits.retrieve("vis_1")

    assert len(sleeps) == 1
    assert sleeps[0] <= retries.INITIAL_RETRY_DELAY


def test_raises_rate_limit_after_retries(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.get("/v1/visits/vis_1").mock(
        return_value=httpx.Response(
            429, json=problem(429, "Too many requests"), headers={"retry-after": "2"}
        )
    )
    with pytest.raises(RateLimitError) as raised:
        VisitorFlow(api_key=API_KEY, max_retries=1).visits.retrieve("vis_1")

    assert route.call_count == 2
    assert raised.value.retry_after == 2.0
    assert sleeps == [2.0]


def test_no_retry_on_400(api: respx.MockRouter, sleeps: list[float]) -> None:
    route = api.post("/v1/visits").mock(
        return_value=httpx.Response(
            400,
            json=problem(
                400,
                "Invalid payload",
                issues={"fieldErrors": {"visitor.email": ["Invalid email"]}},
            ),
        )
    )
    with pytest.raises(BadRequestError) as raised:
        create_visit(VisitorFlow(api_key=API_KEY))

    assert route.call_count == 1
    assert sleeps == []
    assert raised.value.field_errors == {"visitor.email": ["Invalid email"]}


def test_max_retries_zero_sends_once(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.get("/v1/visits/vis_1").mock(
        return_value=httpx.Response(500, json=problem(500, "Internal server error"))
    )
    with pytest.raises(InternalServerError):
        VisitorFlow(api_key=API_KEY, max_retries=0).visits.retrieve("vis_1")

    assert route.call_count == 1


def test_retries_connection_errors(api: respx.MockRouter, sleeps: list[float]) -> None:
    route = api.get("/v1/visits/vis_1").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as raised:
        VisitorFlow(api_key=API_KEY).visits.retrieve("vis_1")

    assert route.call_count == 3
    assert len(sleeps) == 2
    assert not isinstance(raised.value, APITimeoutError)


def test_idempotency_key_reused_across_retries(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.post("/v1/visits").mock(
        side_effect=[
            httpx.Response(409, json=problem(409, "Conflict")),
            httpx.Response(502, text="Bad gateway"),
            httpx.Response(201, json=visitor_visit()),
        ]
    )
    create_visit(VisitorFlow(api_key=API_KEY))

    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    assert route.calls[0].request.read() == route.calls[2].request.read()


def test_idempotency_key_new_per_call(api: respx.MockRouter) -> None:
    route = api.post("/v1/visits").mock(
        return_value=httpx.Response(201, json=visitor_visit())
    )
    client = VisitorFlow(api_key=API_KEY)
    create_visit(client)
    create_visit(client)

    first, second = (call.request.headers["idempotency-key"] for call in route.calls)
    assert first != second


def test_idempotency_key_from_caller(api: respx.MockRouter) -> None:
    route = api.patch("/v1/visits/vis_1").mock(
        return_value=httpx.Response(200, json=visitor_visit(status="checked_out"))
    )
    VisitorFlow(api_key=API_KEY).visits.update(
        "vis_1", status="checked_out", idempotency_key="checkout-vis_1"
    )

    assert route.calls[0].request.headers["idempotency-key"] == "checkout-vis_1"


def test_get_has_no_idempotency_key(api: respx.MockRouter) -> None:
    route = api.get("/v1/visits/vis_1").mock(
        return_value=httpx.Response(200, json=visitor_visit())
    )
    VisitorFlow(api_key=API_KEY).visits.retrieve("vis_1")

    assert "idempotency-key" not in route.calls[0].request.headers


def test_timeout_retried_then_raised(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.get("/v1/visits/vis_1").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        VisitorFlow(api_key=API_KEY).visits.retrieve("vis_1")

    assert route.call_count == 3


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts connections and never responds."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                accepted.append(connection)
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_timeout_on_real_socket(silent_server: str) -> None:
    client = VisitorFlow(
        api_key=API_KEY, base_url=silent_server, timeout=0.2, max_retries=0
    )
    with pytest.raises(APITimeoutError) as raised:
        client.visits.retrieve("vis_1")

    assert str(raised.value) == "Request timed out."
    client.close()


async def test_async_retries_and_keeps_key(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.post("/v1/visits").mock(
        side_effect=[
            httpx.Response(503, json=problem(503, "Service unavailable")),
            httpx.Response(201, json=visitor_visit()),
        ]
    )
    async with AsyncVisitorFlow(api_key=API_KEY) as client:
        visit = await client.visits.create(
            type="visitor",
            host_id="h_98412",
            visitor={"name": "Marisol Cruz", "email": "marisol@acme.com"},
            location_id="loc_mty_01",
        )

    assert visit.id == "vis_1"
    assert len(sleeps) == 1
    keys = {call.request.headers["idempotency-key"] for call in route.calls}
    assert len(keys) == 1


async def test_async_timeout(api: respx.MockRouter, sleeps: list[float]) -> None:
    api.get("/v1/visits/vis_1").mock(side_effect=httpx.ConnectTimeout("slow"))
    async with AsyncVisitorFlow(api_key=API_KEY, max_retries=1) as client:
        with pytest.raises(APITimeoutError):
            await client.visits.retrieve("vis_1")

    assert len(sleeps) == 1


def test_request_sends_credentials(api: respx.MockRouter) -> None:
    route = api.get("/v1/visits/vis_1").mock(
        return_value=httpx.Response(200, json=visitor_visit())
    )
    VisitorFlow(api_key=API_KEY).visits.retrieve("vis_1")

    request = route.calls[0].request
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["user-agent"].startswith("visitorflow-python/")
    assert str(request.url) == f"{BASE_URL}/v1/visits/vis_1"
