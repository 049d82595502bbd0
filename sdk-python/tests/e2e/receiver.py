"""A webhook receiver on 127.0.0.1 for the end-to-end tests: it keeps every delivery."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Delivery:
    path: str
    headers: dict[str, str]
    raw_body: bytes
    """The body exactly as sent, which is what the signature covers."""

    @property
    def body(self) -> Any:
        return json.loads(self.raw_body)


class Receiver:
    def __init__(self, url: str) -> None:
        self.url = url
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()

    def add(self, delivery: Delivery) -> None:
        with self._lock:
            self.deliveries.append(delivery)

    def wait_for(
        self, matches: Callable[[Delivery], bool], timeout: float = 15.0
    ) -> Delivery:
        """The first delivery that matches, waiting up to ``timeout`` seconds for it."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [d for d in self.deliveries if matches(d)]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"No matching webhook delivery within {timeout} s "
                    f"({len(self.deliveries)} in all)."
                )
            time.sleep(0.025)

    def event_about(self, event_type: str, object_id: str, label: str) -> Delivery:
        """Waits for an event of a type about one object, sent to ``<url>?<label>``."""

        def matches(delivery: Delivery) -> bool:
            body = delivery.body
            return (
                delivery.path.endswith(f"?{label}")
                and body.get("type") == event_type
                and body.get("data", {}).get("object", {}).get("id") == object_id
            )

        return self.wait_for(matches)


@contextmanager
def start_receiver() -> Iterator[Receiver]:
    """Listens on 127.0.0.1 with a free port and answers every POST with 200."""
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw_body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            receiver.add(Delivery(path=self.path, headers=headers, raw_body=raw_body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
