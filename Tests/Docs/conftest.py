"""Fixtures for the docs suite: the binary under test on PATH as `mqdash`, and a `mqdash broker`
per usage page on a free loopback port (where the pages' examples say 1883; see docblocks.py). The time
limit, the failure reports and the reaping of processes come from Tests/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import mqhelpers as h  # (Tests/PythonSupport, on the path through Tests/pytest.ini: processes, ports, time limit)
import brokerhelpers as b

DOCS = h.REPO_ROOT / "docs"
USAGE_PAGES = sorted((DOCS / "usage").glob("*.md"))


@pytest.fixture(scope="session", autouse=True)
def _required_binary():
    if not os.access(h.mqdash_binary(), os.X_OK):
        pytest.exit(f"mqdash binary not found at {h.mqdash_binary()}: build it (`swift build`) or set MQDASH_BIN",
                    returncode=2)


@pytest.fixture
def page_broker(request, tmp_path) -> b.Broker:
    """`mqdash broker` on a free 127.0.0.1 port, anonymous access (any user name and password are
    taken, so the pages may show `-u`/`-P`); its log is shown when the page's test fails."""
    yield from h.serve_during_test(request, b.anonymous_mqdash(tmp_path))


@pytest.fixture
def shell_env(tmp_path) -> dict[str, str]:
    """What the examples run with: `mqdash` on PATH is the binary under test, HOME is the page's folder."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "mqdash").symlink_to(h.mqdash_binary())
    home = tmp_path / "home"
    home.mkdir()
    return {"PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(home),
            "LANG": "C.UTF-8", "TERM": "dumb"}
