"""Client options: environment fallbacks, validation and ownership of the HTTP client."""

from __future__ import annotations

import httpx
import pytest
import respx

from visitorflow import AsyncVisitorFlow, KioskClient, VisitorFlow

from .conftest import API_KEY
from .factories import visitor_visit


def test_missing_api_key_names_both_ways() -> None:
    with pytest.raises(ValueError, match=r"pass api_key=.*VISITORFLOW_API_KEY"):
        VisitorFlow()


def test_api_key_from_environment(
    api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISITORFLOW_API_KEY", "vfp_test_env")
    route = api.get("/v1/visits/vis_1").mock(
        return_value=httpx.Response(200, json=visitor_visit())
    )
    VisitorFlow().visits.retrieve("vis_1")

    assert route.calls[0].request.headers["authorization"] == "Bearer vfp_test_env"


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISITORFLOW_BASE_URL", "http://127.0.0.1:9999/")

    assert str(VisitorFlow(api_key=API_KEY).base_url) == "http://127.0.0.1:9999/"


def test_default_base_url_is_local() -> None:
    assert str(VisitorFlow(api_key=API_KEY).base_url) == "http://127.0.0.1:8080"


def test_invalid_base_url_rejected() -> None:
    with pytest.raises(ValueError, match="must start with http:// or https://"):
        VisitorFlow(api_key=API_KEY, base_url="127.0.0.1:8080")


def test_negative_max_retries_rejected() -> None:
    with pytest.raises(ValueError, match="max_retries -1"):
        VisitorFlow(api_key=API_KEY, max_retries=-1)


def test_context_manager_closes_own_client() -> None:
    with VisitorFlow(api_key=API_KEY) as client:
        http = client._http
    assert http.is_closed


def test_given_http_client_left_open() -> None:
    http = httpx.Client()
    with VisitorFlow(api_key=API_KEY, http_client=http):
        pass
    assert not http.is_closed
    http.close()


async def test_async_context_manager_closes() -> None:
    async with AsyncVisitorFlow(api_key=API_KEY) as client:
        http = client._http
    assert http.is_closed


def test_kiosk_client_sends_device_token(api: respx.MockRouter) -> None:
    route = api.get("/v1/kiosk/nda").mock(
        return_value=httpx.Response(
            200, json={"version": 0, "locale": "en", "title": "NDA", "body": "…"}
        )
    )
    with KioskClient(device_token="vfk_unit") as kiosk:
        nda = kiosk.retrieve_nda(locale="en")

    assert nda.version == 0
    assert route.calls[0].request.headers["authorization"] == "Bearer vfk_unit"
    assert route.calls[0].request.url.params["locale"] == "en"
