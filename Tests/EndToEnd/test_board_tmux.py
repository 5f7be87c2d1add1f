"""The watch board end to end against a real mosquitto: pin two tiles with P (saved to boards.toml),
give one a rule in the file, start on the board with --board, cross the threshold with mosquitto_pub,
and see the tile turn red, the alerts pane list the alert, the on_alert command run, and `a` acknowledge."""

from __future__ import annotations

import re
import shlex

import pytest

import mqhelpers as h
from conftest import MQDASH, Tmux
from test_dashboard_tmux import CLIENT_ID, publish_retained, quit_and_check_shell, wait_dashboard_up


def start(tmux: Tmux, broker: h.Broker, xdg, *extra: str) -> None:
    argv = [MQDASH, "-h", h.HOST, "-p", str(broker.port), "-u", h.USER, "-P", h.PASSWORD, "-i", CLIENT_ID, *extra]
    tmux.type_line(f"XDG_CONFIG_HOME={shlex.quote(str(xdg))} " + " ".join(shlex.quote(a) for a in argv))
    wait_dashboard_up(tmux)


def select_topic(tmux: Tmux, topic: str) -> None:
    tmux.send("/")
    tmux.run("send-keys", "-t", tmux.target, "-l", topic)
    tmux.send("Enter")
    tmux.wait_for(lambda s: f"┌ {topic} " in s, 10, f"{topic} selected")


@pytest.mark.timeout_seconds(60)
def test_pin_two_tiles_then_a_rule_turns_one_red_and_lists_the_alert(tmux: Tmux, broker, tmp_path):
    xdg = tmp_path / "xdg"
    boards = xdg / "mqdash" / "boards.toml"
    publish_retained(broker, "livingroom/temp", "21.5")
    publish_retained(broker, "kitchen/temp", "19")

    start(tmux, broker, xdg)
    tmux.wait_for(lambda s: "21.5" in s and "19" in s, 10, "both retained values")
    for topic in ("livingroom/temp", "kitchen/temp"):
        select_topic(tmux, topic)
        tmux.send("P")
        tmux.wait_for(lambda s, t=topic: f"pinned {t} to board main" in s, 10, f"{topic} pinned")
    saved = boards.read_text()
    assert saved.count("[[boards.main.tiles]]") == 2 and 'topic = "kitchen/temp"' in saved, saved
    tmux.send("W")
    screen = tmux.wait_for(lambda s: "┌ livingroom/temp" in s and "┌ kitchen/temp" in s, 10, "the board's two tiles")
    assert "21.5" in screen and "19" in screen, screen
    quit_and_check_shell(tmux)

    # A rule and a command for the first tile, written by hand as the docs show.
    marker = tmp_path / "alerted"
    text = saved.replace('[boards.main]\n', f'[boards.main]\non_alert = ["touch", "{marker}-{{value}}"]\n')
    text = text.replace('topic = "livingroom/temp"\n', 'topic = "livingroom/temp"\nrules = ["above 30"]\n')
    boards.write_text(text)

    start(tmux, broker, xdg, "--board", "main")
    tmux.wait_for(lambda s: "┌ livingroom/temp" in s and "21.5" in s, 10, "the board restored at start")
    assert "ALERT" not in tmux.capture()
    r = h.run(["mosquitto_pub", *broker.auth, "-q", "1", "-t", "livingroom/temp", "-m", "31.5"], timeout=10)
    assert r.rc == 0, r
    screen = tmux.wait_for(lambda s: "ALERT" in s and "31.5" in s, 10, "the tile alerting")
    styled = tmux.run("capture-pane", "-e", "-p", "-t", tmux.target).splitlines()
    top = next(line for line in styled if "livingroom/temp" in line)
    assert "38;5;203" in top.split("┐")[0], f"the tile's border is not in the error colour: {top!r}"
    assert "38;5;203" not in top.split("┐", 1)[1].split("┐")[0], f"kitchen/temp's tile is red too: {top!r}"
    h.wait_until(lambda: (tmp_path / "alerted-31.5").exists(), 10, "the on_alert command")

    tmux.send("!")
    screen = tmux.wait_for(lambda s: "┌ Alerts" in s and "livingroom/temp  31.5  (above 30)  FIRING" in s, 10,
                           "the alerts pane")
    tmux.send("a")
    screen = tmux.wait_for(lambda s: "(above 30)  acked" in s, 10, "the alert acknowledged")
    assert "ALERT" not in screen.split("┌ Alerts")[0], "an acknowledged tile is no longer red:\n" + screen
    tmux.send("Escape")
    tmux.wait_for(lambda s: "┌ Alerts" not in s, 10, "the alerts pane closed")
    quit_and_check_shell(tmux)
