"""Every resource method once through the sync clients, against a real server."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from visitorflow import (
    ConflictError,
    KioskClient,
    NotFoundError,
    VisitorFlow,
    WebhookVerificationError,
    webhooks,
)
from visitorflow.models import DriverVisit, Event, VisitorVisit

from ..conftest import E2EServer
from .coverage import CallRecorder
from .receiver import Receiver

pytestmark = pytest.mark.e2e

# The smallest valid PNG (1x1, transparent), standing in for a kiosk photo.
PHOTO_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

recorder = CallRecorder()


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert zlib.crc32(png[12:29]) == struct.unpack(">I", png[29:33])[0]
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.fixture(scope="module")
def client(e2e_server: E2EServer) -> Iterator[VisitorFlow]:
    with VisitorFlow(api_key=e2e_server.api_key, base_url=e2e_server.url) as client:
        yield recorder.track(client)


@pytest.fixture(scope="module")
def kiosk_setup(client: VisitorFlow, e2e_server: E2EServer) -> Iterator[KioskClient]:
    created = client.kiosks.create(location_id="loc_mty_01", name="Sync lobby")
    pairing = recorder.track(KioskClient(base_url=e2e_server.url)).pair(
        pairing_code=created.pairing_code
    )
    with KioskClient(
        device_token=pairing.device_token, base_url=e2e_server.url
    ) as kiosk:
        yield recorder.track(kiosk)


def test_meta(client: VisitorFlow) -> None:
    assert client.meta.get_health().status == "ok"
    assert client.meta.get_readiness().checks.database == "ok"
    assert client.meta.get_open_api_document()["openapi"].startswith("3.1")


def test_locations(client: VisitorFlow) -> None:
    location = client.locations.create(id="loc_sync_1", name="Sync plant", locale="en")
    assert location.timezone == "UTC"

    updated = client.locations.update("loc_sync_1", address="Av. Sync 1")
    assert updated.address == "Av. Sync 1"
    assert client.locations.retrieve("loc_sync_1").address == "Av. Sync 1"
    cleared = client.locations.update("loc_sync_1", address=None)
    assert cleared.address is None

    assert "loc_sync_1" in [loc.id for loc in client.locations.list(active=True)]
    assert client.locations.deactivate("loc_sync_1").active is False

    published = client.locations.publish_nda_document(
        "loc_mty_01",
        texts={
            "en": {"title": "NDA", "body": "Keep it secret."},
            "es-MX": {"title": "Acuerdo", "body": "Guárdalo en secreto."},
        },
    )
    assert published.texts.es_mx.title == "Acuerdo"
    versions = [
        doc.version for doc in client.locations.list_nda_documents("loc_mty_01")
    ]
    assert published.version in versions


def test_hosts(client: VisitorFlow) -> None:
    host = client.hosts.create(
        name="Andrés Sync", email="andres.sync@acme.com", location_id="loc_mty_01"
    )
    assert host.phone is None
    assert client.hosts.update(host.id, phone="+52 81 1234 5678").phone
    assert client.hosts.retrieve(host.id).name == "Andrés Sync"
    assert host.id in [h.id for h in client.hosts.list(location_id="loc_mty_01")]
    assert client.hosts.deactivate(host.id).active is False


def test_visits(client: VisitorFlow) -> None:
    visitor = client.visits.create(
        type="visitor",
        host_id="h_98412",
        visitor={
            "name": "Marisol Cruz",
            "email": "marisol@acme.com",
            "company": "Acme",
        },
        location_id="loc_mty_01",
    )
    assert isinstance(visitor, VisitorVisit)
    assert visitor.status == "onsite"

    driver = client.visits.create(
        type="driver",
        driver={"name": "J. Pérez", "license_number": "LIC-1234"},
        shipment={"bol_ref": "BOL-88412", "type": "delivery", "hazmat": False},
        vehicle={"tractor_plate": "ABC-1234", "trailer_plate": "TR-998"},
        location_id="loc_mty_01",
    )
    assert isinstance(driver, DriverVisit)
    assert driver.vehicle.trailer_plate == "TR-998"

    assert client.visits.retrieve(visitor.id).id == visitor.id
    onsite = [
        v.id for v in client.visits.list(location_id="loc_mty_01", status="onsite")
    ]
    assert {visitor.id, driver.id} <= set(onsite)

    checked_out = client.visits.update(visitor.id, status="checked_out")
    assert checked_out.checked_out_at is not None
    with pytest.raises(ConflictError) as raised:
        client.visits.update(visitor.id, status="checked_out")
    assert raised.value.status_code == 409

    with pytest.raises(NotFoundError):
        client.visits.retrieve_photo(visitor.id)


def test_pre_registrations(client: VisitorFlow) -> None:
    scheduled_at = datetime.now(timezone.utc) + timedelta(minutes=10)
    created = client.pre_registrations.create(
        host_id="h_98412",
        visitor={"name": "Andrés López", "email": "andres@acme.com"},
        scheduled_at=scheduled_at,
        window_minutes=60,
    )
    assert created.status == "scheduled"
    assert (
        client.pre_registrations.retrieve(created.id).check_in_code
        == created.check_in_code
    )
    assert created.id in [
        p.id for p in client.pre_registrations.list(status="scheduled")
    ]
    assert png_size(client.pre_registrations.qr_png(created.id))[0] > 0
    assert client.pre_registrations.cancel(created.id).status == "cancelled"


def test_kiosks(client: VisitorFlow) -> None:
    kiosk = client.kiosks.create(location_id="loc_mty_01", name="Spare lobby")
    assert kiosk.status == "unpaired"
    assert client.kiosks.retrieve(kiosk.id).name == "Spare lobby"
    assert kiosk.id in [k.id for k in client.kiosks.list(location_id="loc_mty_01")]
    renewed = client.kiosks.create_pairing_code(kiosk.id)
    assert renewed.pairing_code != kiosk.pairing_code
    assert client.kiosks.revoke(kiosk.id).status == "revoked"


def test_kiosk_flow(client: VisitorFlow, kiosk_setup: KioskClient) -> None:
    kiosk = kiosk_setup
    pre_registration = client.pre_registrations.create(
        host_id="h_98412",
        visitor={"name": "Andrés López", "email": "andres@acme.com"},
        scheduled_at=datetime.now(timezone.utc) + timedelta(minutes=5),
        window_minutes=60,
    )
    # The QR token is only in the emailed PNG; a kiosk may take the typed code instead.
    checkin = kiosk.create_checkin(check_in_code=pre_registration.check_in_code)
    assert checkin.requires == ["photo", "nda"]
    assert checkin.host.name == "Laura Garza"
    visit_id = checkin.visit.id

    photographed = kiosk.upload_visit_photo(
        visit_id, content=PHOTO_PNG, content_type="image/png"
    )
    assert photographed.has_photo
    nda = kiosk.retrieve_nda()
    signed = kiosk.sign_visit_nda(
        visit_id,
        document_version=nda.version,
        locale=nda.locale,
        signer_name="Andrés López",
        typed_name="Andrés López",
        accepted_at=datetime.now(timezone.utc),
    )
    assert signed.status == "onsite"
    assert client.visits.retrieve_photo(visit_id) == PHOTO_PNG
    assert client.pre_registrations.retrieve(pre_registration.id).visit_id == visit_id
    assert kiosk.checkout_visit(visit_id).status == "checked_out"


def test_kiosk_walk_in(kiosk_setup: KioskClient) -> None:
    hosts = kiosk_setup.search_hosts(q="laura")
    assert [host.id for host in hosts.data] == ["h_98412"]
    visit = kiosk_setup.create_visit(
        type="visitor",
        host_id="h_98412",
        visitor={"name": "Walk In", "email": "walk.in@acme.com"},
    )
    assert visit.status == "pending"


def test_incidents(client: VisitorFlow) -> None:
    incident = client.incidents.create(
        type="tailgating", severity="medium", summary="Followed a truck through gate 2"
    )
    assert incident.status == "open"
    assert client.incidents.retrieve(incident.id).summary == incident.summary
    updated = client.incidents.update(
        incident.id, status="investigating", assignee="security@acme.com"
    )
    assert updated.status == "investigating"
    listed = client.incidents.list(status="investigating")
    assert incident.id in [i.id for i in listed]


def test_webhook_endpoints_and_events(client: VisitorFlow, receiver: Receiver) -> None:
    endpoint = client.webhook_endpoints.create(
        url=f"{receiver.url}?sync-methods", event_types=["incident.created"]
    )
    assert endpoint.secret.startswith("whsec_")
    assert client.webhook_endpoints.retrieve(endpoint.id).url == endpoint.url
    described = client.webhook_endpoints.update(endpoint.id, description="Sync e2e")
    assert described.description == "Sync e2e"
    assert endpoint.id in [e.id for e in client.webhook_endpoints.list()]
    rotated = client.webhook_endpoints.rotate_secret(endpoint.id)
    assert rotated.secret != endpoint.secret
    assert client.webhook_endpoints.test(endpoint.id).endpoint_id == endpoint.id

    incident = client.incidents.create(
        type="safety", severity="low", summary="Spill at dock 3"
    )
    event = next(
        e
        for e in client.events.list(type="incident.created")
        if e.data.object["id"] == incident.id
    )
    assert client.events.retrieve(event.id).data.object["summary"] == "Spill at dock 3"
    redelivery = client.events.redeliver(event.id, endpoint_id=endpoint.id)
    assert [d.endpoint_id for d in redelivery.deliveries] == [endpoint.id]
    receiver.event_about("incident.created", incident.id, "sync-methods")
    attempts = list(client.webhook_endpoints.list_deliveries(endpoint.id))
    assert attempts

    client.webhook_endpoints.delete(endpoint.id)
    with pytest.raises(NotFoundError):
        client.webhook_endpoints.retrieve(endpoint.id)


def test_real_delivery_verifies(client: VisitorFlow, receiver: Receiver) -> None:
    endpoint = client.webhook_endpoints.create(
        url=f"{receiver.url}?sync-verify", event_types=["visit.created"]
    )
    visit = client.visits.create(
        type="visitor",
        host_id="h_98412",
        visitor={"name": "Marisol Cruz", "email": "marisol@acme.com"},
        location_id="loc_mty_01",
    )

    delivery = receiver.event_about("visit.created", visit.id, "sync-verify")
    event = webhooks.verify(delivery.raw_body, delivery.headers, endpoint.secret)

    assert isinstance(event, Event)
    assert event.type == "visit.created"
    assert event.data.object["id"] == visit.id
    assert event == client.events.retrieve(event.id)
    tampered = delivery.raw_body.replace(b"Marisol", b"Mallory")
    with pytest.raises(WebhookVerificationError) as raised:
        webhooks.verify(tampered, delivery.headers, endpoint.secret)
    assert raised.value.reason == "signature_mismatch"


def test_rotation_delivery_verifies_with_both_secrets(
    client: VisitorFlow, receiver: Receiver
) -> None:
    endpoint = client.webhook_endpoints.create(
        url=f"{receiver.url}?sync-rotation", event_types=["ping"]
    )
    rotated = client.webhook_endpoints.rotate_secret(endpoint.id)
    client.webhook_endpoints.test(endpoint.id)

    delivery = receiver.event_about("ping", endpoint.id, "sync-rotation")

    assert len(delivery.headers["x-vf-signature"].split()) == 2
    for secret in (endpoint.secret, rotated.secret):
        assert (
            webhooks.verify(delivery.raw_body, delivery.headers, secret).type == "ping"
        )


def test_every_method_called() -> None:
    assert recorder.missing() == []
