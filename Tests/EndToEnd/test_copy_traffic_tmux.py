"""`y` copies through OSC 52 into tmux's buffer (`set-clipboard on`), and `T` ranks a real flood:
the real binary in tmux against the real mosquitto."""

from __future__ import annotations

import re

import pytest

import mqhelpers as h
from conftest import Tmux
from test_dashboard_tmux import CLIENT_ID, publish_retained, quit_and_check_shell, start_dashboard


@pytest.mark.timeout_seconds(30)
def test_y_puts_the_payload_in_the_tmux_buffer(tmux: Tmux, broker):
    tmux.run("set-option", "-s", "set-clipboard", "on")
    payload = 'copy me {"a":1} \u00e9'
    publish_retained(broker, "clip/value", payload)
    start_dashboard(tmux, broker, "-t", "clip/#")
    tmux.wait_for(lambda s: "copy me" in s, 10, "the retained value")
    # The first frame selects the first topic with a message: clip/value, not its parent level.
    tmux.send("y")
    tmux.wait_for(lambda s: "copied payload, 18 B" in s, 10, "the copy notice")
    assert tmux.run("show-buffer") == payload
    tmux.send("Y")
    tmux.wait_for(lambda s: "copied topic, 10 B" in s, 10, "the topic copy notice")
    assert tmux.run("show-buffer") == "clip/value"
    quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(30)
def test_traffic_view_ranks_the_busy_topic_first(tmux: Tmux, broker):
    start_dashboard(tmux, broker, "-t", "load/#")
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    tmux.send("T")
    tmux.wait_for(lambda s: "Traffic by msgs/s over 10 s" in s, 10, "the traffic view")
    # 200 messages to load/busy, 2 to load/quiet, after the view opened.
    lines = "\n".join(["x"] * 200)
    r = h.run(["mosquitto_pub", *broker.auth, "-t", "load/busy", "-l"], input=lines.encode(), timeout=10)
    assert r.rc == 0, r
    for _ in range(2):
        assert h.run(["mosquitto_pub", *broker.auth, "-t", "load/quiet", "-m", "y"], timeout=10).rc == 0
    screen = tmux.wait_for(lambda s: re.search(r"load/quiet\s+\S+\s+\S+ B\s+1\.0%", s) is not None, 15,
                           "the ranking with both topics")
    rows = [l for l in screen.splitlines() if "load/" in l]
    assert "load/#" in rows[0] and "99.0%" not in rows[0], rows
    assert "load/busy" in rows[1] and "99.0%" in rows[1], rows
    tmux.send("Enter")
    tmux.wait_for(lambda s: "Traffic by" not in s and "busy" in s, 10, "the tree again")
    quit_and_check_shell(tmux)
