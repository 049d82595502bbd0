"""JSON objects shaped like the API's responses, for scripted responses."""

from __future__ import annotations

from typing import Any

TIMESTAMP = "2026-04-30T14:21:09.000Z"


def visitor_visit(visit_id: str = "vis_1", **overrides: Any) -> dict[str, Any]:
    visit: dict[str, Any] = {
        "id": visit_id,
        "type": "visitor",
        "status": "onsite",
        "location_id": "loc_mty_01",
        "host_id": "h_98412",
        "visitor": {
            "name": "Marisol Cruz",
            "email": "marisol@acme.com",
            "company": None,
        },
        "checked_in_at": TIMESTAMP,
        "checked_out_at": None,
        "host_notified": True,
        "pre_registration_id": None,
        "kiosk_id": None,
        "has_photo": False,
        "nda": None,
        "livemode": False,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    }
    visit.update(overrides)
    return visit


def problem(status: int, error: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"urn:visitorflow:problem:{error.lower().replace(' ', '-')}",
        "title": error,
        "status": status,
        "error": error,
        "request_id": "req_unit",
        **extra,
    }
