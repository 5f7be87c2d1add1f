"""The dashboard's `R` (record what arrives) and `e` (export) end to end: the real binary in tmux
against a real mosquitto, the files read back afterwards."""

from __future__ import annotations

import json
import re
import shlex

import pytest

import mqhelpers as h
from conftest import MQDASH, Tmux
from test_dashboard_tmux import CLIENT_ID, quit_and_check_shell, start_dashboard, wait_dashboard_up


def publish(broker: h.Broker, topic: str, payload: str, *extra: str) -> None:
    r = h.run(["mosquitto_pub", *broker.auth, "-q", "1", "-t", topic, "-m", payload, *extra], timeout=10)
    assert r.rc == 0, r


def rec_count(screen: str) -> int | None:
    m = re.search(r"REC (\d+) ", screen.splitlines()[-1])
    return int(m.group(1)) if m else None


def read_recording(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def start_recording(tmux, target) -> None:
    """R, the prompt's default name replaced by `target`, Enter: recording, REC 0 in the status bar."""
    tmux.send("R")
    tmux.wait_for(lambda s: "record to (.gz compresses): mqdash-" in s, 10, "the file prompt")
    tmux.send("C-u")
    tmux.run("send-keys", "-t", tmux.target, "-l", str(target))
    tmux.send("Enter")
    tmux.wait_for(lambda s: rec_count(s) == 0, 10, "REC 0 in the status bar")


@pytest.mark.timeout_seconds(60)
def test_r_records_what_arrives_with_a_growing_counter(tmux, broker, tmp_path):
    target = tmp_path / "rec.jsonl"
    start_dashboard(tmux, broker)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    start_recording(tmux, target)
    publish(broker, "house/one", "1")
    tmux.wait_for(lambda s: rec_count(s) == 1, 10, "REC 1")
    for i in range(2, 6):
        publish(broker, "house/more", str(i))
    tmux.wait_for(lambda s: rec_count(s) == 5, 10, "REC 5")
    tmux.send("R")
    tmux.wait_for(lambda s: "recorded 5 messages" in s.splitlines()[-1], 10, "the summary")
    lines = read_recording(target)
    assert lines[0]["mqdash_recording"] == 1
    assert [(m["topic"], m["payload"], m["qos"]) for m in lines[1:]] == \
        [("house/one", "1", 0)] + [("house/more", str(i), 0) for i in range(2, 6)]
    quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(60)
def test_r_with_a_log_filter_records_only_its_matches(tmux, broker, tmp_path):
    target = tmp_path / "only.jsonl"
    start_dashboard(tmux, broker)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    tmux.send("f")
    tmux.run("send-keys", "-t", tmux.target, "-l", "keep/#")
    tmux.send("Enter")
    start_recording(tmux, target)
    publish(broker, "drop/this", "x")
    publish(broker, "keep/this", "y")
    tmux.wait_for(lambda s: rec_count(s) == 1, 10, "REC 1")
    tmux.send("q")  # quitting while recording closes the file
    tmux.wait_for(lambda s: s.rstrip().endswith(Tmux.PROMPT.rstrip()), 10, "the shell")
    lines = read_recording(target)
    assert lines[0]["filters"] == ["keep/#"]
    assert [m["topic"] for m in lines[1:]] == ["keep/this"]


@pytest.mark.timeout_seconds(60)
def test_a_write_error_stops_the_recording_and_the_dashboard_goes_on(tmux, broker, tmp_path):
    """A file size limit (ulimit -f, SIGXFSZ ignored) stands in for a full disk: write(2) fails with EFBIG."""
    target = tmp_path / "full.jsonl"
    argv = [MQDASH, "-h", h.HOST, "-p", str(broker.port), "-u", h.USER, "-P", h.PASSWORD, "-i", CLIENT_ID]
    tmux.type_line(f"cd {shlex.quote(str(tmp_path))}")
    tmux.type_line("(trap '' XFSZ; ulimit -f 8; exec " + " ".join(shlex.quote(a) for a in argv) + ")")
    wait_dashboard_up(tmux)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    tmux.send("R")
    tmux.wait_for(lambda s: "record to" in s, 10, "the file prompt")
    tmux.send("C-u")
    tmux.run("send-keys", "-t", tmux.target, "-l", target.name)
    tmux.send("Enter")
    tmux.wait_for(lambda s: rec_count(s) == 0, 10, "REC 0")
    payload = "p" * 1000
    r = h.run(["mosquitto_pub", *broker.auth, "-t", "big/a", "-m", payload, "--repeat", "20"], timeout=10)
    assert r.rc == 0, r
    screen = tmux.wait_for(lambda s: "recording stopped:" in s, 15, "the write error in the status bar")
    assert "File too large" in screen.splitlines()[-1], screen
    assert "REC" not in screen.splitlines()[-1]
    # The file holds whole lines only, up to the limit (8 KiB).
    text = target.read_bytes()
    assert len(text) <= 8192 and text.endswith(b"\n")
    lines = read_recording(target)
    assert len(lines) >= 2 and all(m["payload"] == payload for m in lines[1:])
    # Still running and answering.
    publish(broker, "after/error", "still here")
    tmux.wait_for(lambda s: "after" in s, 10, "a message after the error")
    quit_and_check_shell(tmux)


def export(tmux: Tmux, *keys: str, path: str) -> None:
    tmux.send("e")
    tmux.wait_for(lambda s: "Export" in s and "the log as filtered" in s, 10, "the export dialog")
    for key in keys:
        tmux.send(key)
    tmux.send("C-u")
    tmux.run("send-keys", "-t", tmux.target, "-l", path)
    tmux.send("Enter")


@pytest.mark.timeout_seconds(60)
def test_e_exports_the_log_as_jsonl_and_the_latest_values_as_csv(tmux, broker, tmp_path):
    start_dashboard(tmux, broker)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    publish(broker, "exp/temp", "21.5")
    publish(broker, "exp/temp", "22,5 \"C\"")
    publish(broker, "exp/door", "open")
    tmux.wait_for(lambda s: "3 msgs" in s, 10, "three messages")

    log_file = tmp_path / "log.jsonl"
    export(tmux, path=str(log_file))
    tmux.wait_for(lambda s: "exported 3 rows" in s.splitlines()[-1], 10, "the export's outcome")
    assert [(m["topic"], m["payload"]) for m in read_recording(log_file)] == \
        [("exp/temp", "21.5"), ("exp/temp", "22,5 \"C\""), ("exp/door", "open")]

    # The first topic with a message (exp/door) is selected at first: Home selects the first row (exp),
    # and the export takes the latest value of each topic below it, as CSV.
    tmux.send("Home")
    tmux.wait_for(lambda s: "┌ exp " in s, 10, "exp selected")
    csv_file = tmp_path / "latest.csv"
    export(tmux, "Down", "Down", "Right", path=str(csv_file))
    tmux.wait_for(lambda s: "exported 2 rows" in s.splitlines()[-1], 10, "the export's outcome")
    rows = csv_file.read_bytes().decode().split("\r\n")
    assert rows[0] == "time,topic,qos,retain,payload,payload_b64"
    assert [r.split(",", 1)[1] for r in rows[1:3]] == ["exp/door,0,false,open,", "exp/temp,0,false,\"22,5 \"\"C\"\"\","]
    assert rows[3:] == [""]
    quit_and_check_shell(tmux)
