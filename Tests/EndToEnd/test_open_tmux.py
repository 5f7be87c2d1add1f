"""`mqdash open FILE`: the dashboard over a recording, no broker; `--play` with its keys."""

from __future__ import annotations

import json
import re
import shlex

import pytest

import mqhelpers as h
from conftest import MQDASH, Tmux
from test_dashboard_tmux import quit_and_check_shell, wait_dashboard_up

T0 = "2026-12-03T09:12:%02d.000000Z"


def write_recording(path, seconds: int = 60) -> None:
    lines = [json.dumps({"mqdash_recording": 1, "broker": "mqtt://127.0.0.1:1883", "filters": ["#"]})]
    for s in range(seconds):
        stamp = f"2026-12-03T09:{12 + s // 60:02d}:{s % 60:02d}.000000Z"
        lines.append(json.dumps({"ts": stamp, "topic": "plant/temp", "qos": 0, "retain": False, "payload": str(20 + s)}))
        if s % 10 == 0:
            lines.append(json.dumps({"ts": stamp, "topic": "plant/door", "qos": 1, "retain": True, "payload": f"door{s}"}))
    path.write_text("\n".join(lines) + "\n")


def open_file(tmux: Tmux, *args: str) -> str:
    tmux.type_line(" ".join(shlex.quote(a) for a in [MQDASH, *args]))
    return wait_dashboard_up(tmux)


@pytest.mark.timeout_seconds(60)
def test_open_shows_the_topics_of_the_file_without_a_broker(tmux, tmp_path):
    rec = tmp_path / "plant.jsonl"
    write_recording(rec)
    open_file(tmux, "open", str(rec))
    screen = tmux.wait_for(lambda s: "66 msgs" in s, 10, "every message read")
    assert "plant" in screen and "temp" in screen and "door" in screen
    assert "79" in screen, "the latest value of plant/temp"
    assert " file " in screen.splitlines()[-1]
    quit_and_check_shell(tmux)
    # mqdash --file is the same.
    open_file(tmux, "--file", str(rec))
    tmux.wait_for(lambda s: "66 msgs" in s, 10, "every message read")
    quit_and_check_shell(tmux)


def test_a_file_that_is_not_a_recording_is_one_error_line(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("\nhello, this is text\n{\"topic\":\"a\",\"payload\":\"b\"}\n")
    r = h.run([MQDASH, "open", str(bad)], timeout=10)
    assert r.rc == 1
    assert r.stderr.strip().splitlines() == [f"Error: {bad} is not a recording: line 2: " + r.stderr.split("line 2: ", 1)[1].strip()]
    assert r.stderr.startswith("Error:") and "line 2" in r.stderr
    r = h.run([MQDASH, "open", str(tmp_path / "missing.jsonl")], timeout=10)
    assert r.rc == 1 and r.stderr.startswith("Error:") and len(r.stderr.strip().splitlines()) == 1


def position(screen: str) -> tuple[str, str, int] | None:
    m = re.search(r"([▶⏸■]) (\S+)× (\d\d):(\d\d) / 00:59", screen.splitlines()[-1])
    return (m.group(1), m.group(2), int(m.group(3)) * 60 + int(m.group(4))) if m else None


@pytest.mark.timeout_seconds(60)
def test_play_pauses_changes_speed_and_jumps(tmux, tmp_path):
    rec = tmp_path / "plant.jsonl"
    write_recording(rec)
    open_file(tmux, "open", str(rec), "--play")
    tmux.wait_for(lambda s: (p := position(s)) is not None and p[0] == "▶" and p[2] >= 1, 10, "playing, past 1 s")
    tmux.send("Space")
    screen = tmux.wait_for(lambda s: (p := position(s)) is not None and p[0] == "⏸", 10, "paused")
    paused_at = position(screen)[2]
    # Paused: the position stays (checked again after the player's next report).
    tmux.send("]")
    screen = tmux.wait_for(lambda s: (p := position(s)) is not None and p[1] == "2", 10, "speed 2×")
    assert position(screen)[2] == paused_at
    tmux.send("}")
    screen = tmux.wait_for(lambda s: (p := position(s)) is not None and p[2] == paused_at + 10, 10, "10 s later")
    # The jump showed what lies between: plant/temp's value at the new position.
    assert str(20 + paused_at + 9) in screen or str(20 + paused_at + 10) in screen, screen
    tmux.send("{")
    tmux.wait_for(lambda s: (p := position(s)) is not None and p[2] == paused_at, 10, "back 10 s")
    tmux.send("[")
    tmux.send("[")
    tmux.wait_for(lambda s: (p := position(s)) is not None and p[1] == "1/2", 10, "half speed")
    tmux.send("Space")
    tmux.wait_for(lambda s: (p := position(s)) is not None and p[0] == "▶" and p[2] > paused_at, 10, "playing again")
    quit_and_check_shell(tmux)
