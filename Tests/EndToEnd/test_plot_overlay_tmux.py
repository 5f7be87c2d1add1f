"""Several topics on the detail pane's plot end to end against a real mosquitto: `O` on one topic, select
another, and the plot's legend names both series, each in its own colour; `O` on the overlaid one again
takes it out."""

from __future__ import annotations

import re

import pytest

import mqhelpers as h
from conftest import Tmux
from test_board_tmux import select_topic
from test_dashboard_tmux import quit_and_check_shell, start_dashboard


def publish(broker: h.Broker, topic: str, payload: str) -> None:
    r = h.run(["mosquitto_pub", *broker.auth, "-q", "1", "-t", topic, "-m", payload], timeout=10)
    assert r.rc == 0, r


def sgr_before(line: str, mark: str) -> str:
    """The last SGR sequence before `mark` in a line captured with escapes."""
    return re.findall(r"\x1b\[[0-9;]*m", line[:line.index(mark)])[-1]


@pytest.mark.timeout_seconds(60)
def test_o_overlays_a_topic_and_the_plot_legend_shows_both(tmux: Tmux, broker):
    start_dashboard(tmux, broker, "-t", "home/#")
    for outdoor, cellar in (("8", "10"), ("9.5", "10.5"), ("8.5", "11")):
        publish(broker, "home/outdoor", outdoor)
        publish(broker, "home/cellar", cellar)
    tmux.wait_for(lambda s: re.search(r"cellar +11 ", s) and re.search(r"outdoor +8\.5 ", s), 10, "both topics' last values")

    select_topic(tmux, "home/outdoor")
    tmux.send("O")
    tmux.wait_for(lambda s: "plot: home/outdoor overlaid" in s, 10, "the notice of O")
    select_topic(tmux, "home/cellar")
    screen = tmux.wait_for(lambda s: "━ home/cellar 11  ╍ home/outdoor 8.5" in s, 10, "the legend of both series")
    assert "plot value" not in screen, "the single-series legend is gone:\n" + screen

    styled = next(line for line in tmux.run("capture-pane", "-e", "-p", "-t", tmux.target).splitlines() if "━" in line)
    assert sgr_before(styled, "━") != sgr_before(styled, "╍"), f"both series in one colour: {styled!r}"

    select_topic(tmux, "home/outdoor")
    tmux.send("O")
    tmux.wait_for(lambda s: "plot: home/outdoor no longer overlaid" in s, 10, "the notice of O again")
    select_topic(tmux, "home/cellar")
    tmux.wait_for(lambda s: "plot value  min 10  max 11  last 11" in s and "╍" not in s, 10, "the plot of one series again")
    quit_and_check_shell(tmux)
