"""Error responses become the exception class for their status, with the problem's details."""

from __future__ import annotations

import httpx
import pytest
import respx

from visitorflow import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    VisitorFlow,
)

from .conftest import API_KEY
from .factories import problem

CASES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (413, APIStatusError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (503, InternalServerError),
]


@pytest.mark.parametrize(("status", "error_class"), CASES)
def test_status_maps_to_class(
    api: respx.MockRouter, status: int, error_class: type[APIStatusError]
) -> None:
    api.get("/v1/hosts/h_1").mock(
        return_value=httpx.Response(
            status,
            json=problem(status, "Something failed", detail="Details here."),
            headers={"x-request-id": "req_42"},
        )
    )
    client = VisitorFlow(api_key=API_KEY, max_retries=0)
    with pytest.raises(APIStatusError) as raised:
        client.hosts.retrieve("h_1")

    error = raised.value
    assert type(error) is error_class
    assert error.status_code == status
    assert error.request_id == "req_42"
    assert str(error) == f"{status} Something failed: Details here."
    assert error.body["error"] == "Something failed"
    assert error.problem_type == "urn:visitorflow:problem:something-failed"


def test_not_found_message(api: respx.MockRouter) -> None:
    api.get("/v1/hosts/h_1").mock(
        return_value=httpx.Response(404, json=problem(404, "Host not found"))
    )
    with pytest.raises(NotFoundError, match=r"^404 Host not found$"):
        VisitorFlow(api_key=API_KEY).hosts.retrieve("h_1")


def test_non_json_error_body(api: respx.MockRouter) -> None:
    api.get("/v1/hosts/h_1").mock(
        return_value=httpx.Response(502, text="<html>Bad gateway</html>")
    )
    with pytest.raises(InternalServerError) as raised:
        VisitorFlow(api_key=API_KEY, max_retries=0).hosts.retrieve("h_1")

    assert raised.value.body == "<html>Bad gateway</html>"
    assert raised.value.field_errors == {}
    assert raised.value.request_id is None


def test_path_parameters_are_encoded(api: respx.MockRouter) -> None:
    route = api.get("/v1/hosts/h_a%2Fb").mock(
        return_value=httpx.Response(404, json=problem(404, "Host not found"))
    )
    with pytest.raises(NotFoundError):
        VisitorFlow(api_key=API_KEY).hosts.retrieve("h_a/b")

    assert route.call_count == 1
