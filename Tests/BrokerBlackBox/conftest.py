"""Fixtures for the broker suite: black-box tests that the embedded broker must pass.

The broker under test comes from MQDASH_BROKER_UNDER_TEST: `mqdash` (default) runs
`$MQDASH_BIN broker -c <conf> -v` (default <repo>/.build/debug/mqdash); `mosquitto` runs
Debian's `mosquitto -c <conf>`, which is how the suite itself is checked.  Each test writes
its own config (listener on a free 127.0.0.1 port) into its tmp dir and starts a fresh broker.
Clients are paho-mqtt, mosquitto_pub/mosquitto_sub and raw sockets.
"""

from __future__ import annotations

import os
from typing import Callable

import pytest

import mqhelpers as h  # (Tests/PythonSupport, on the path through Tests/pytest.ini: processes, ports, certificates, password files, time limit)
import brokerhelpers as b

REQUIRED_PROGRAMS = ["mosquitto", "mosquitto_sub", "mosquitto_pub", "mosquitto_passwd", "openssl",
                     "stdbuf"]


def pytest_configure(config):
    config.addinivalue_line("markers", "only_mqdash(reason): mqdash deliberately differs from mosquitto")
    config.addinivalue_line("markers", "only_mosquitto(reason): mosquitto behaviour that ours does not copy")


def pytest_report_header(config):
    kind = b.broker_kind()
    return [f"broker under test: {kind}" + ("" if kind == "mosquitto" else f" ({h.mqdash_binary()} broker)")]


def pytest_collection_modifyitems(config, items):
    kind = b.broker_kind()
    for item in items:
        for marker, only in (("only_mqdash", "mqdash"), ("only_mosquitto", "mosquitto")):
            m = item.get_closest_marker(marker)
            if m is not None and kind != only:
                reason = m.args[0] if m.args else f"{only} only"
                item.add_marker(pytest.mark.skip(reason=f"{only} only: {reason}"))


@pytest.fixture(scope="session", autouse=True)
def _required_programs():
    h.exit_if_missing(REQUIRED_PROGRAMS)
    if b.broker_kind() == "mqdash" and not os.access(h.mqdash_binary(), os.X_OK):
        pytest.exit(f"mqdash binary not found at {h.mqdash_binary()}: build it (`swift build`), "
                    f"set MQDASH_BIN, or set MQDASH_BROKER_UNDER_TEST=mosquitto", returncode=2)


@pytest.fixture
def make_broker(request, tmp_path, passwd_template) -> Callable[..., b.Broker]:
    """make_broker(**BrokerOptions fields) writes a config and starts a fresh broker;
    make_broker(conf_text=...) takes the config verbatim.  Every broker is stopped after
    the test, and a failed test prints each broker's config and log."""
    started: list[b.Broker] = []

    def make(conf_text: str | None = None, start: bool = True, kind: str | None = None, **opts) -> b.Broker:
        br = b.Broker(tmp_path / f"broker{len(started)}", passwd_template, b.BrokerOptions(**opts),
                      conf_text=conf_text, kind=kind)
        started.append(br)
        if start:
            br.start()
        return br

    yield make
    h.reap_all()
    for br in started:
        br.kill9()
    h.print_if_failed(request, lambda: "".join(f"\n===== {br.kind} ({br.dir}) =====\n{br.dump()}" for br in started))


@pytest.fixture
def broker(make_broker) -> b.Broker:
    """A fresh broker under test: one plain listener, anonymous clients allowed."""
    return make_broker()
