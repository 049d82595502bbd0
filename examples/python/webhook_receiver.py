"""Receive VisitorFlow webhook deliveries and verify each one before trusting it.

    VISITORFLOW_WEBHOOK_SECRET=whsec_… python examples/python/webhook_receiver.py

Listens on http://127.0.0.1:8787/webhooks. Register that URL as a webhook endpoint of a
server started with ALLOW_PRIVATE_WEBHOOK_URLS=true, which allows local http URLs.
"""

from __future__ import annotations

import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from visitorflow import WebhookVerificationError, webhooks

HOST = "127.0.0.1"
PORT = 8787


class WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        # Verify the raw bytes: JSON parsed and dumped again may no longer match.
        raw_body = self.rfile.read(length)
        secret = os.environ["VISITORFLOW_WEBHOOK_SECRET"]
        try:
            event = webhooks.verify(raw_body, dict(self.headers.items()), secret)
        except WebhookVerificationError as error:
            print(f"rejected a delivery ({error.reason}): {error}")
            self.send_response(400)
            self.end_headers()
            return

        print(f"{event.type} {event.id}: {event.data.object.get('id')}")
        self.send_response(204)
        self.end_headers()


def main() -> None:
    if not os.environ.get("VISITORFLOW_WEBHOOK_SECRET", "").startswith("whsec_"):
        raise SystemExit(
            "Set VISITORFLOW_WEBHOOK_SECRET to the endpoint's whsec_… secret."
        )
    server = HTTPServer((HOST, PORT), WebhookHandler)
    print(f"listening on http://{HOST}:{PORT}/webhooks")
    server.serve_forever()


if __name__ == "__main__":
    main()
