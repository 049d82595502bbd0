"""Typed use of the SDK that mypy --strict must accept; never run, only type-checked."""

from __future__ import annotations

from datetime import datetime, timezone

from visitorflow import AsyncVisitorFlow, KioskClient, SyncPage, VisitorFlow
from visitorflow.models import DriverVisit, Visit, VisitorVisit
from visitorflow.types import VisitorParam


def check_in(client: VisitorFlow) -> str:
    visitor: VisitorParam = {"name": "Marisol Cruz", "email": "marisol@acme.com"}
    visit = client.visits.create(
        type="visitor", host_id="h_98412", visitor=visitor, location_id="loc_mty_01"
    )
    if isinstance(visit, VisitorVisit):
        return visit.host_id
    if isinstance(visit, DriverVisit):
        return visit.vehicle.tractor_plate
    return visit.type


def walk(client: VisitorFlow) -> list[str]:
    page: SyncPage[Visit] = client.visits.list(
        location_id="loc_mty_01", status="onsite"
    )
    return [visit.id for visit in page]


def clear_address(client: VisitorFlow) -> str | None:
    return client.locations.update("loc_mty_01", address=None).address


async def walk_async(client: AsyncVisitorFlow) -> int:
    count = 0
    async for _visit in client.visits.list(checked_in_after=datetime.now(timezone.utc)):
        count += 1
    first = await client.visits.list()
    return count + len(first.data)


def kiosk_checkin(kiosk: KioskClient, code: str) -> list[str]:
    return list(kiosk.create_checkin(check_in_code=code).requires)
