"""Response models tolerate what later API versions add, and keep the JSON as received."""

from __future__ import annotations

from datetime import datetime, timezone

from visitorflow.models import (
    VISIT_ADAPTER,
    DriverVisit,
    Kiosk,
    KioskWithPairingCode,
    UnknownVisit,
    VisitorVisit,
)

from .factories import TIMESTAMP, visitor_visit


def test_union_picks_member_by_type() -> None:
    visit = VISIT_ADAPTER.validate_python(visitor_visit())

    assert isinstance(visit, VisitorVisit)
    assert visit.visitor.name == "Marisol Cruz"
    assert visit.checked_in_at == datetime(2026, 4, 30, 14, 21, 9, tzinfo=timezone.utc)


def test_union_unknown_type_falls_back() -> None:
    raw = {**visitor_visit("vis_9"), "type": "courier", "parcel": 3}
    del raw["visitor"], raw["host_id"]
    visit = VISIT_ADAPTER.validate_python(raw)

    assert isinstance(visit, UnknownVisit)
    assert visit.type == "courier"
    assert visit.id == "vis_9"
    assert visit.to_dict() == raw


def test_unknown_fields_are_kept() -> None:
    visit = VISIT_ADAPTER.validate_python(visitor_visit(badge_number="B-17"))

    assert visit.model_extra == {"badge_number": "B-17"}
    assert visit.to_dict()["badge_number"] == "B-17"


def test_unknown_enum_value_accepted() -> None:
    visit = VISIT_ADAPTER.validate_python(visitor_visit(status="on_break"))

    assert isinstance(visit, VisitorVisit)
    assert visit.status == "on_break"


def test_to_dict_returns_raw_json() -> None:
    raw = visitor_visit()
    visit = VISIT_ADAPTER.validate_python(raw)

    assert visit.to_dict() == raw
    assert visit.to_dict()["created_at"] == TIMESTAMP


def test_nested_model_keeps_raw() -> None:
    visit = VISIT_ADAPTER.validate_python(visitor_visit())

    assert isinstance(visit, VisitorVisit)
    assert visit.visitor.to_dict() == {
        "name": "Marisol Cruz",
        "email": "marisol@acme.com",
        "company": None,
    }


def test_driver_visit_fields() -> None:
    visit = VISIT_ADAPTER.validate_python(
        {
            **visitor_visit(),
            "type": "driver",
            "driver": {"name": "J. Pérez", "license_number": "LIC-1234"},
            "shipment": {"bol_ref": "BOL-88412", "type": "delivery", "hazmat": False},
            "vehicle": {"tractor_plate": "ABC-1234", "trailer_plate": None},
        }
    )

    assert isinstance(visit, DriverVisit)
    assert visit.vehicle.trailer_plate is None
    assert visit.shipment.type == "delivery"


def test_all_of_inherits_fields() -> None:
    kiosk = KioskWithPairingCode.model_validate(
        {
            "id": "ksk_1",
            "name": "North lobby",
            "location_id": "loc_mty_01",
            "status": "unpaired",
            "paired_at": None,
            "last_seen_at": None,
            "revoked_at": None,
            "livemode": False,
            "created_at": TIMESTAMP,
            "pairing_code": "K7M2QX9P",
            "pairing_code_expires_at": TIMESTAMP,
        }
    )

    assert isinstance(kiosk, Kiosk)
    assert kiosk.pairing_code == "K7M2QX9P"
