"""Fixtures for the install and release-archive tests.

test_install_layout.py installs the debug binary (MQDASH_BIN, default <repo>/.build/debug/mqdash) into a
scratch PREFIX with scripts/install-layout.sh, the script behind `make install`; quick, part of
`make test` through `make install-test`.  test_tarball.py unpacks MQDASH_DIST_TARBALL (`make dist`)
into an empty folder; slow to build from scratch, so only `make dist-test` runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "interop"))

import mqhelpers as h  # noqa: E402  (processes, ports, time limit)


def pytest_configure(config):
    config.addinivalue_line("markers", "timeout_seconds(n): per-test time limit")


pytest_runtest_makereport = h.keep_phase_reports
pytest_runtest_call = h.enforce_time_limit


@pytest.fixture(autouse=True)
def _reap_processes():
    yield
    h.reap_all()
