"""Shared fixtures: a VisitorFlow server for the end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .e2e.receiver import Receiver, start_receiver

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = "test/support/python-e2e-server.ts"
STARTUP_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class E2EServer:
    """A server started for this test session, with a tenant and its test API key."""

    url: str
    api_key: str
    tenant_id: str


@pytest.fixture(scope="session")
def e2e_server() -> Iterator[E2EServer]:
    """Start the API on 127.0.0.1 with real PostgreSQL, once per session.

    The Node script prints one JSON line when it is ready and stops when its stdin closes.
    """
    process = subprocess.Popen(
        ["node", "--import", "tsx", SERVER_SCRIPT],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "VISITORFLOW_BASE_URL": ""},
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        line = process.stdout.readline()
        if not line:
            _, stderr = process.communicate(timeout=STARTUP_TIMEOUT_SECONDS)
            pytest.fail(f"The end-to-end server did not start:\n{stderr}")
        ready = json.loads(line)
        yield E2EServer(
            url=ready["url"], api_key=ready["api_key"], tenant_id=ready["tenant_id"]
        )
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1; the e2e server allows such URLs and sends to them."""
    with start_receiver() as started:
        yield started
