"""Pagination across pages with the sync and async clients."""

from __future__ import annotations

import httpx
import respx

from visitorflow import AsyncVisitorFlow, VisitorFlow
from visitorflow.models import VisitorVisit

from .conftest import API_KEY
from .factories import visitor_visit


def script_three_pages(api: respx.MockRouter) -> respx.Route:
    pages = {
        None: {
            "data": [visitor_visit("vis_1"), visitor_visit("vis_2")],
            "next_cursor": "c2",
        },
        "c2": {"data": [visitor_visit("vis_3")], "next_cursor": "c3"},
        "c3": {"data": [visitor_visit("vis_4")], "next_cursor": None},
    }

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("cursor")])

    return api.get("/v1/visits").mock(side_effect=respond)


def test_iterates_every_page(api: respx.MockRouter) -> None:
    route = script_three_pages(api)
    client = VisitorFlow(api_key=API_KEY)

    ids = [visit.id for visit in client.visits.list(location_id="loc_mty_01", limit=2)]

    assert ids == ["vis_1", "vis_2", "vis_3", "vis_4"]
    assert route.call_count == 3
    for call in route.calls:
        assert call.request.url.params["location_id"] == "loc_mty_01"
        assert call.request.url.params["limit"] == "2"


def test_first_page_only(api: respx.MockRouter) -> None:
    route = script_three_pages(api)
    page = VisitorFlow(api_key=API_KEY).visits.list()

    assert [visit.id for visit in page.data] == ["vis_1", "vis_2"]
    assert page.next_cursor == "c2"
    assert page.has_next_page()
    assert route.call_count == 1
    assert isinstance(page.data[0], VisitorVisit)


def test_next_page_and_last(api: respx.MockRouter) -> None:
    script_three_pages(api)
    pages = list(VisitorFlow(api_key=API_KEY).visits.list().iter_pages())

    assert [page.next_cursor for page in pages] == ["c2", "c3", None]
    assert not pages[-1].has_next_page()


def test_omits_unset_filters(api: respx.MockRouter) -> None:
    route = api.get("/v1/locations").mock(
        return_value=httpx.Response(200, json={"data": [], "next_cursor": None})
    )
    VisitorFlow(api_key=API_KEY).locations.list(active=False)

    assert dict(route.calls[0].request.url.params) == {"active": "false"}


async def test_async_for_walks_pages(api: respx.MockRouter) -> None:
    route = script_three_pages(api)
    async with AsyncVisitorFlow(api_key=API_KEY) as client:
        ids = [visit.id async for visit in client.visits.list(location_id="loc_mty_01")]

    assert ids == ["vis_1", "vis_2", "vis_3", "vis_4"]
    assert route.call_count == 3


async def test_async_await_first_page(api: respx.MockRouter) -> None:
    script_three_pages(api)
    async with AsyncVisitorFlow(api_key=API_KEY) as client:
        page = await client.visits.list()
        second = await page.next_page()

    assert [visit.id for visit in page.data] == ["vis_1", "vis_2"]
    assert [visit.id for visit in second.data] == ["vis_3"]
