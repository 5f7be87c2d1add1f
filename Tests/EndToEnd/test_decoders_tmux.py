"""Sparkplug B in the dashboard end to end: an NBIRTH then NDATA messages from a Python edge node (built from
the schema, PythonSupport/sparkplug.py) show metric names and values in the detail view, and `F` plots one."""

from __future__ import annotations

import pytest

import brokerhelpers as b
import mqhelpers as h
import sparkplug
from conftest import Tmux
from test_dashboard_tmux import quit_and_check_shell, start_dashboard


@pytest.mark.timeout_seconds(60)
def test_sparkplug_metrics_are_named_and_plotted(tmux: Tmux, broker):
    start_dashboard(tmux, broker, "-t", "spBv1.0/#")
    edge = b.Paho(broker, "edge-node", user=h.USER, password=h.PASSWORD)
    edge.publish("spBv1.0/plant/NBIRTH/edge1", sparkplug.nbirth(), qos=1)
    edge.publish("spBv1.0/plant/NDATA/edge1", sparkplug.ndata(22.25, seq=1), qos=1)
    tmux.wait_for(lambda s: "2 msgs" in s, 10, "both messages")
    # Search selects (and reveals) the NDATA topic.
    tmux.send("/")
    tmux.run("send-keys", "-t", tmux.target, "-l", "NDATA/edge1")
    tmux.send("Enter")
    # The first topic (NBIRTH) is selected from the start and names Temperature too: wait for NDATA's title.
    screen = tmux.wait_for(lambda s: "┌ spBv1.0/plant/NDATA/edge1 " in s and "Payload (sparkplugb)" in s and '"Temperature"' in s,
                           10, "the decoded NDATA")
    assert '"value": 22.25' in screen and '"value": -3' in screen and '"name": "Offset"' in screen, screen
    assert '"datatype": "Float"' in screen, "the datatype comes from the NBIRTH:\n" + screen

    tmux.send("F")
    tmux.run("send-keys", "-t", tmux.target, "-l", "Temperature")
    tmux.send("Enter")
    edge.publish("spBv1.0/plant/NDATA/edge1", sparkplug.ndata(24.5, seq=2), qos=1)
    screen = tmux.wait_for(lambda s: "plot Temperature" in s and '"value": 24.5' in s, 10, "the plot of Temperature")
    assert "24.5" in screen.split("plot Temperature", 1)[1], screen
    quit_and_check_shell(tmux)
