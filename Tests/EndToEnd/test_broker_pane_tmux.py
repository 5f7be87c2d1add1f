"""The broker pane (`B`) of `mqdash --broker`, end to end: the real binary in tmux hosting its broker on a
free loopback port, a real mosquitto_sub connected to it, listed, selected and disconnected from the pane."""

from __future__ import annotations

import re
import shlex
import socket
import struct

import pytest

import mqhelpers as h
from conftest import MQDASH, Tmux
from test_dashboard_tmux import check_shell_restored, wait_dashboard_up

SUBSCRIBER = "sensor-sub"


def start_embedded(tmux: Tmux, port: int, log) -> None:
    argv = [MQDASH, "--broker", "--broker-port", str(port), "--broker-log", str(log), "-i", "mqdash-e2e"]
    tmux.type_line(" ".join(shlex.quote(a) for a in argv))
    wait_dashboard_up(tmux)
    tmux.wait_for(lambda s: " connected " in s, 10, "the dashboard connected to its own broker")


def pane_row(screen: str, client_id: str) -> str | None:
    """The pane's line for this client, if listed (rows start with the client id after the border)."""
    for line in screen.splitlines():
        if line.startswith("│ " + client_id + " "):
            return line
    return None


@pytest.mark.timeout_seconds(30)
def test_the_pane_lists_a_client_and_disconnects_it_after_confirmation(tmux, tmp_path):
    port = h.free_port()
    log = tmp_path / "broker.log"
    start_embedded(tmux, port, log)
    sub = h.Proc(["mosquitto_sub", "-h", h.HOST, "-p", str(port), "-V", "5", "-i", SUBSCRIBER, "-t", "sensors/#", "-v", "-d"])

    tmux.send("B")
    screen = tmux.wait_for(lambda s: pane_row(s, SUBSCRIBER) is not None, 10, "sensor-sub in the broker pane")
    assert "┌ Broker " in screen
    row = pane_row(screen, SUBSCRIBER)
    assert "127.0.0.1:" in row and " 5.0 " in row, row
    assert pane_row(screen, "mqdash-e2e") is not None, "the dashboard's own connection is listed too"

    # Rows are ordered by client id: mqdash-e2e first, then sensor-sub.
    tmux.send("Down")
    tmux.send("x")
    tmux.wait_for(lambda s: "Disconnect client sensor-sub?" in s, 10, "the confirmation dialog")
    tmux.send("y")

    # mosquitto_sub ends on the server's DISCONNECT; -d prints its reason code, 152 = 0x98 Administrative action.
    result = sub.finish(timeout=10)
    assert result.rc == 0, result
    assert b"Received DISCONNECT (152)" in result.out, result
    tmux.wait_for(lambda s: pane_row(s, SUBSCRIBER) is None and pane_row(s, "mqdash-e2e") is not None, 10,
                  "the row of sensor-sub gone")
    assert "Client sensor-sub disconnected by the dashboard." in log.read_text()

    tmux.send("Escape")
    tmux.wait_for(lambda s: "┌ Broker " not in s, 10, "the pane closed")
    tmux.send("q")
    check_shell_restored(tmux, 0)


def raw_connect(port: int, client_id: str) -> tuple[socket.socket, bytes]:
    """A 3.1.1 CONNECT sent by hand (mosquitto_sub checks client ids itself): the socket and the answer."""
    def string(text: str) -> bytes:
        data = text.encode()
        return struct.pack("!H", len(data)) + data
    body = string("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 60) + string(client_id)
    assert len(body) < 128
    sock = socket.create_connection((h.HOST, port), timeout=10)
    sock.sendall(bytes([0x10, len(body)]) + body)
    return sock, sock.recv(4)


@pytest.mark.timeout_seconds(30)
def test_client_ids_that_could_rewrite_the_screen_are_refused_or_shown_escaped(tmux, tmp_path):
    port = h.free_port()
    start_embedded(tmux, port, tmp_path / "broker.log")
    # ESC [2J would clear the screen and ESC ]0; retitle the window: the broker refuses control characters
    # in client ids (as mosquitto does), so they never reach the pane.
    refused, answer = raw_connect(port, "\x1b[2J\x1b]0;pwned\x07evil")
    assert answer == b"", "closed without a CONNACK"
    refused.close()
    # Bidi overrides are not control characters: accepted, and shown escaped so they cannot reorder the row.
    tricky, answer = raw_connect(port, "evil\u202e\u2066gnp.exe")
    assert answer == bytes([0x20, 2, 0, 0]), answer
    try:
        tmux.send("B")
        screen = tmux.wait_for(lambda s: "gnp.exe" in s, 10, "the tricky client listed")
        assert "│ evil\\u{202e}\\u{2066}gnp.exe " in screen, screen
        assert "pwned" not in screen
        assert "┌ Broker " in screen and " connected " in screen, "the frame and the status bar are intact"
    finally:
        tricky.close()
    tmux.send("q")  # closes the pane
    tmux.send("q")
    check_shell_restored(tmux, 0)


@pytest.mark.timeout_seconds(40)
def test_the_pane_shows_a_bridge_and_restarts_it_after_confirmation(tmux, tmp_path):
    """A bridge to a real mosquitto: listed as up, and `Tab` `r` `y` restarts it (logged, up again)."""
    remote_port = h.free_port()
    port = h.free_port([remote_port])
    remote_conf = tmp_path / "remote.conf"
    remote_conf.write_text(f"listener {remote_port} 127.0.0.1\nallow_anonymous true\n")
    remote = h.Proc(["mosquitto", "-c", str(remote_conf)])
    h.wait_until(lambda: h.port_accepts(remote_port), 10, "mosquitto listening")
    conf = tmp_path / "broker.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n\nconnection cloud\n"
                    f"address 127.0.0.1:{remote_port}\ntopic sensors/# out 1\nrestart_timeout 1\n")
    log = tmp_path / "broker.log"
    argv = [MQDASH, "--broker", "--broker-config", str(conf), "--broker-log", str(log), "-i", "mqdash-e2e"]
    tmux.type_line(" ".join(shlex.quote(a) for a in argv))
    wait_dashboard_up(tmux)
    tmux.send("B")
    screen = tmux.wait_for(lambda s: any(line.startswith("│ cloud  up  127.0.0.1:") for line in s.splitlines()), 15,
                           "the bridge listed as up")
    assert "bridges (Tab to select)" in screen
    tmux.send("Tab")
    tmux.send("r")
    tmux.wait_for(lambda s: "Restart bridge cloud?" in s, 10, "the confirmation dialog")
    tmux.send("y")
    h.wait_until(lambda: "Bridge cloud restarted by the dashboard." in log.read_text(), 10, "the restart in the log")
    h.wait_until(lambda: log.read_text().count("Bridge cloud connected to") >= 2, 15, "the bridge up again")
    tmux.send("Escape")
    tmux.send("q")
    check_shell_restored(tmux, 0)
    remote.kill()


@pytest.mark.timeout_seconds(60)
def test_broker_and_demo_together_start_and_show_the_demo_topics(tmux, tmp_path):
    """`make run`'s default, `mqdash --broker --demo` (on a free port here rather than 1883): the dashboard
    hosts its broker, the simulator feeds it, and the demo topics appear in the tree; other clients reach
    the same broker and find the simulator's retained label."""
    port = h.free_port()
    log = tmp_path / "broker.log"
    argv = [MQDASH, "--broker", "--broker-port", str(port), "--broker-log", str(log), "--demo"]
    tmux.type_line(" ".join(shlex.quote(a) for a in argv))
    wait_dashboard_up(tmux)
    try:
        screen = tmux.wait_for(lambda s: "livingroom" in s and "kitchen" in s and re.search(r"temp\s.*\b\d{2}\.\d\b", s)
                               is not None, 15, "livingroom/temp with a reading and kitchen in the tree")
        assert " connected " in screen, screen
        r = h.run(["mosquitto_sub", "-h", h.HOST, "-p", str(port), "-t", "demo/status", "-C", "1", "-W", "10"], timeout=15)
        assert r.rc == 0 and r.stdout == "online\n", r
    finally:
        tmux.send("q")
    check_shell_restored(tmux, 0)
