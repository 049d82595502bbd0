"""mypy --strict accepts typed use of the SDK and rejects a wrong field name."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SDK_ROOT = Path(__file__).resolve().parents[1]


def run_mypy(path: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--cache-dir",
            str(cache_dir),
            str(path),
        ],
        cwd=SDK_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def test_typed_usage_passes(cache_dir: Path) -> None:
    result = run_mypy(SDK_ROOT / "tests/typing/usage.py", cache_dir)

    assert result.returncode == 0, result.stdout


WRONG_USAGES = [
    (
        "wrong keyword",
        'client.hosts.create(nam="Laura", email="l@acme.com", location_id="loc_1")',
        'Unexpected keyword argument "nam"',
    ),
    (
        "wrong nested key",
        'visitor: VisitorParam = {"name": "M", "emial": "m@acme.com"}',
        'Extra key "emial" for TypedDict "VisitorParam"',
    ),
    (
        "field of other variant",
        'client.visits.create(type="visitor", host_id="h_1", location_id="loc_1",'
        ' driver={"name": "J", "license_number": "L"})',
        'No overload variant of "create" of "Visits" matches argument types',
    ),
    (
        "wrong enum value",
        'client.visits.list(status="on_site")',
        'Argument "status" to "list" of "Visits" has incompatible type',
    ),
    (
        "wrong model attribute",
        'client.hosts.retrieve("h_1").emial',
        '"Host" has no attribute "emial"',
    ),
    (
        "union not narrowed",
        'client.visits.retrieve("vis_1").host_id',
        'Item "DriverVisit" of',
    ),
]


@pytest.mark.parametrize(
    ("case", "statement", "message"), WRONG_USAGES, ids=[c[0] for c in WRONG_USAGES]
)
def test_wrong_usage_fails(
    case: str, statement: str, message: str, cache_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "wrong_usage.py"
    source.write_text(
        textwrap.dedent(
            f"""\
            from visitorflow import VisitorFlow
            from visitorflow.types import VisitorParam

            client = VisitorFlow()
            {statement}
            """
        )
    )
    result = run_mypy(source, cache_dir)

    assert result.returncode == 1, result.stdout
    assert message in result.stdout
