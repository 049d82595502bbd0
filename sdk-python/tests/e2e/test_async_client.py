"""Every resource method once through the async clients, against a real server."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import pytest
import pytest_asyncio

from visitorflow import (
    AsyncKioskClient,
    AsyncVisitorFlow,
    ConflictError,
    NotFoundError,
    webhooks,
)
from visitorflow.models import DriverVisit, VisitorVisit

from ..conftest import E2EServer
from .coverage import CallRecorder
from .receiver import Receiver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

PHOTO_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

recorder = CallRecorder()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client(e2e_server: E2EServer) -> AsyncIterator[AsyncVisitorFlow]:
    async with AsyncVisitorFlow(
        api_key=e2e_server.api_key, base_url=e2e_server.url
    ) as client:
        yield recorder.track(client)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def kiosk(
    client: AsyncVisitorFlow, e2e_server: E2EServer
) -> AsyncIterator[AsyncKioskClient]:
    created = await client.kiosks.create(location_id="loc_mty_01", name="Async lobby")
    async with AsyncKioskClient(base_url=e2e_server.url) as unpaired:
        pairing = await recorder.track(unpaired).pair(pairing_code=created.pairing_code)
    async with AsyncKioskClient(
        device_token=pairing.device_token, base_url=e2e_server.url
    ) as kiosk:
        yield recorder.track(kiosk)


async def test_meta(client: AsyncVisitorFlow) -> None:
    assert (await client.meta.get_health()).status == "ok"
    assert (await client.meta.get_readiness()).status == "ok"
    assert "paths" in await client.meta.get_open_api_document()


async def test_locations(client: AsyncVisitorFlow) -> None:
    location = await client.locations.create(id="loc_async_1", name="Async plant")
    assert location.locale == "en"
    assert (
        await client.locations.update(location.id, name="Async plant 2")
    ).name == "Async plant 2"
    assert (await client.locations.retrieve(location.id)).name == "Async plant 2"
    assert location.id in [loc.id async for loc in client.locations.list()]
    assert (await client.locations.deactivate(location.id)).active is False

    published = await client.locations.publish_nda_document(
        "loc_mty_01",
        texts={
            "en": {"title": "NDA", "body": "Async secret."},
            "es-MX": {"title": "Acuerdo", "body": "Secreto asíncrono."},
        },
    )
    first_page = await client.locations.list_nda_documents("loc_mty_01", limit=1)
    assert first_page.data[0].version == published.version


async def test_hosts(client: AsyncVisitorFlow) -> None:
    host = await client.hosts.create(
        name="Ana Async", email="ana.async@acme.com", location_id="loc_mty_01"
    )
    assert (
        await client.hosts.update(host.id, name="Ana Async 2")
    ).name == "Ana Async 2"
    assert (await client.hosts.retrieve(host.id)).email == "ana.async@acme.com"
    assert host.id in [h.id async for h in client.hosts.list(active=True)]
    assert (await client.hosts.deactivate(host.id)).active is False


async def test_visits(client: AsyncVisitorFlow) -> None:
    visitor = await client.visits.create(
        type="visitor",
        host_id="h_98412",
        visitor={"name": "Marisol Cruz", "email": "marisol@acme.com"},
        location_id="loc_mty_01",
    )
    assert isinstance(visitor, VisitorVisit)
    driver = await client.visits.create(
        type="driver",
        driver={"name": "J. Pérez", "license_number": "LIC-1234"},
        shipment={"bol_ref": "BOL-1", "type": "pickup", "hazmat": True},
        vehicle={"tractor_plate": "XYZ-1"},
        location_id="loc_mty_01",
    )
    assert isinstance(driver, DriverVisit)
    assert driver.vehicle.trailer_plate is None

    assert (await client.visits.retrieve(driver.id)).id == driver.id
    drivers = [v.id async for v in client.visits.list(type="driver", limit=1)]
    assert driver.id in drivers
    assert (
        await client.visits.update(driver.id, status="checked_out")
    ).status == "checked_out"
    with pytest.raises(ConflictError):
        await client.visits.update(driver.id, status="checked_out")
    with pytest.raises(NotFoundError):
        await client.visits.retrieve_photo(driver.id)


async def test_pre_registrations(client: AsyncVisitorFlow) -> None:
    created = await client.pre_registrations.create(
        host_id="h_98412",
        visitor={
            "name": "Luis Async",
            "email": "luis@acme.com",
            "phone": "+52 81 5555",
        },
        scheduled_at=datetime.now(timezone.utc) + timedelta(hours=1),
        locale="en",
        notes="Bring the async samples.",
    )
    assert created.visitor.phone == "+52 81 5555"
    assert (
        await client.pre_registrations.retrieve(created.id)
    ).notes == "Bring the async samples."
    assert created.id in [
        p.id async for p in client.pre_registrations.list(host_id="h_98412")
    ]
    assert (await client.pre_registrations.qr_png(created.id)).startswith(b"\x89PNG")
    assert (await client.pre_registrations.cancel(created.id)).cancelled_at is not None


async def test_kiosks(client: AsyncVisitorFlow) -> None:
    kiosk = await client.kiosks.create(location_id="loc_mty_01", name="Async spare")
    assert (await client.kiosks.retrieve(kiosk.id)).status == "unpaired"
    assert kiosk.id in [k.id async for k in client.kiosks.list()]
    assert (await client.kiosks.create_pairing_code(kiosk.id)).pairing_code
    assert (await client.kiosks.revoke(kiosk.id)).revoked_at is not None


async def test_kiosk_flow(client: AsyncVisitorFlow, kiosk: AsyncKioskClient) -> None:
    pre_registration = await client.pre_registrations.create(
        host_id="h_98412",
        visitor={"name": "Andrés López", "email": "andres@acme.com"},
        scheduled_at=datetime.now(timezone.utc),
        window_minutes=30,
    )
    checkin = await kiosk.create_checkin(check_in_code=pre_registration.check_in_code)
    visit_id = checkin.visit.id
    nda = await kiosk.retrieve_nda(locale="en")
    signed = await kiosk.sign_visit_nda(
        visit_id,
        document_version=nda.version,
        locale="en",
        signer_name="Andrés López",
        typed_name="Andrés López",
        accepted_at=datetime.now(timezone.utc),
    )
    assert signed.status == "pending"
    photographed = await kiosk.upload_visit_photo(
        visit_id, content=PHOTO_PNG, content_type="image/png"
    )
    assert photographed.status == "onsite"
    assert (await kiosk.checkout_visit(visit_id)).status == "checked_out"


async def test_kiosk_walk_in(kiosk: AsyncKioskClient) -> None:
    found = await kiosk.search_hosts(q="gar", limit=5)
    assert found.next_cursor is None
    visit = await kiosk.create_visit(
        type="driver",
        driver={"name": "R. Díaz", "license_number": "LIC-9"},
        shipment={"bol_ref": "BOL-9", "type": "delivery", "hazmat": False},
        vehicle={"tractor_plate": "TRK-9"},
    )
    assert visit.status == "pending"


async def test_incidents(client: AsyncVisitorFlow) -> None:
    incident = await client.incidents.create(
        type="hazmat", severity="high", summary="Leaking drum at dock 1"
    )
    assert (await client.incidents.retrieve(incident.id)).severity == "high"
    resolved = await client.incidents.update(
        incident.id, status="resolved", resolution_notes="Drum replaced"
    )
    assert resolved.status == "resolved"
    listed = [i.id async for i in client.incidents.list(status="resolved")]
    assert incident.id in listed


async def test_webhook_endpoints_and_events(
    client: AsyncVisitorFlow, receiver: Receiver
) -> None:
    endpoint = await client.webhook_endpoints.create(
        url=f"{receiver.url}?async-methods", event_types=["incident.created"]
    )
    assert (await client.webhook_endpoints.retrieve(endpoint.id)).url == endpoint.url
    updated = await client.webhook_endpoints.update(endpoint.id, description="Async")
    assert updated.description == "Async"
    assert endpoint.id in [e.id async for e in client.webhook_endpoints.list()]
    rotated = await client.webhook_endpoints.rotate_secret(endpoint.id)
    assert rotated.secret != endpoint.secret
    assert (await client.webhook_endpoints.test(endpoint.id)).status == "pending"

    incident = await client.incidents.create(
        type="other", severity="low", summary="Gate 4 camera offline"
    )
    events = [e async for e in client.events.list(type="incident.created")]
    event = next(e for e in events if e.data.object["id"] == incident.id)
    assert (await client.events.retrieve(event.id)).id == event.id
    redelivery = await client.events.redeliver(event.id, endpoint_id=endpoint.id)
    assert [d.endpoint_id for d in redelivery.deliveries] == [endpoint.id]
    delivery = await asyncio.to_thread(
        receiver.event_about, "incident.created", incident.id, "async-methods"
    )
    verified = webhooks.verify(delivery.raw_body, delivery.headers, rotated.secret)
    assert verified.id == event.id
    attempts = [a async for a in client.webhook_endpoints.list_deliveries(endpoint.id)]
    assert attempts

    await client.webhook_endpoints.delete(endpoint.id)
    with pytest.raises(NotFoundError):
        await client.webhook_endpoints.retrieve(endpoint.id)


async def test_every_method_called() -> None:
    assert recorder.missing() == []
