"""Fixtures for the mqdash interop suite.

The "tool under test" runs `$MQDASH_BIN sub|pub ...` (default <repo>/.build/debug/mqdash).
With MQDASH_REFERENCE=1 it runs mosquitto_sub / mosquitto_pub instead, so the suite can
be checked against the tools mqdash imitates.  Counterparts are always mosquitto's own
clients or paho-mqtt, against a real mosquitto broker started per test.
"""

from __future__ import annotations

import os

import pytest

import mqhelpers as h


REQUIRED_PROGRAMS = ["mosquitto", "mosquitto_sub", "mosquitto_pub", "mosquitto_passwd", "openssl"]


def pytest_configure(config):
    config.addinivalue_line("markers", "mqdash_only(reason): skipped with MQDASH_REFERENCE=1")


def pytest_report_header(config):
    tool = h.tool_under_test()
    return [f"tool under test: {tool.name}"]


def pytest_collection_modifyitems(config, items):
    if not h.reference_mode():
        return
    for item in items:
        m = item.get_closest_marker("mqdash_only")
        if m is not None:
            reason = m.args[0] if m.args else "mqdash-only feature"
            item.add_marker(pytest.mark.skip(reason=f"reference tools: {reason}"))


@pytest.fixture(scope="session", autouse=True)
def _required_programs():
    h.exit_if_missing(REQUIRED_PROGRAMS)


@pytest.fixture(scope="session")
def tool() -> h.Tool:
    """The sub/pub implementation being tested."""
    t = h.tool_under_test()
    if not t.reference and not os.access(t.binary, os.X_OK):
        pytest.exit(f"mqdash binary not found at {t.binary}: build it (`swift build`), "
                    f"set MQDASH_BIN, or set MQDASH_REFERENCE=1 to test mosquitto's tools",
                    returncode=2)
    return t


@pytest.fixture(scope="session")
def mosq() -> h.Tool:
    """mosquitto_sub / mosquitto_pub, always: the counterpart of every exchange."""
    return h.MOSQUITTO


def _broker(request, tmp_path, passwd_template, **kw):
    b = h.Broker(tmp_path / "broker", passwd_template, **kw)
    yield from h.serve_during_test(request, b, f"\n===== mosquitto ({b.dir}) =====\n")


@pytest.fixture
def broker(request, tmp_path, passwd_template):
    """A fresh mosquitto with one plain listener (see Broker)."""
    yield from _broker(request, tmp_path, passwd_template)


@pytest.fixture
def tls_broker(request, tmp_path, passwd_template, certs):
    """A fresh mosquitto with plain, TLS, mutual-TLS and wrong-name-TLS listeners."""
    yield from _broker(request, tmp_path, passwd_template, certs=certs)


@pytest.fixture
def ws_broker(request, tmp_path, passwd_template):
    """A fresh mosquitto with a plain and a websockets listener.  (mosquitto 2.0.11
    refuses to start with only websockets listeners, so the plain one is needed too.)"""
    yield from _broker(request, tmp_path, passwd_template, websockets=True)
