"""Check a visitor in, list who is on site, and check the visitor out.

Run `npm start` in the repository root, export the VISITORFLOW_API_KEY it prints, then:

    python examples/python/quickstart.py

The SDK talks to http://127.0.0.1:8080 unless VISITORFLOW_BASE_URL names another address.
"""

from __future__ import annotations

from visitorflow import VisitorFlow
from visitorflow.models import VisitorVisit


def main() -> None:
    with VisitorFlow() as client:
        visit = client.visits.create(
            type="visitor",
            host_id="h_98412",
            visitor={
                "name": "Marisol Cruz",
                "email": "marisol@acme.com",
                "company": "Acme Co",
            },
            location_id="loc_mty_01",
        )
        print(f"checked in {visit.id} ({visit.status})")
        if isinstance(visit, VisitorVisit):
            print(f"host notified: {visit.host_notified}")

        print("on site at loc_mty_01:")
        for onsite in client.visits.list(location_id="loc_mty_01", status="onsite"):
            print(f"  {onsite.id} {onsite.type} since {onsite.checked_in_at}")

        checked_out = client.visits.update(visit.id, status="checked_out")
        print(f"checked out {checked_out.id} at {checked_out.checked_out_at}")


if __name__ == "__main__":
    main()
