"""The dashboard speaks MQTT 5 unless told otherwise, so retained markers do not depend on who
connected first; a broker without MQTT 5 gets 3.1.1. Real binary in tmux; real mosquitto, and a
tiny 3.1.1-only server for the fallback."""

from __future__ import annotations

import socket
import threading

import pytest

import mqhelpers as h
from conftest import MQDASH, Tmux
from test_dashboard_tmux import (CLIENT_ID, check_tree_and_log_then_quit, publish_retained, quit_and_check_shell,
                                 start_dashboard, wait_dashboard_up)


@pytest.mark.timeout_seconds(60)
def test_without_V_it_is_v5_and_a_live_retained_message_keeps_its_marker(tmux: Tmux, broker):
    start_dashboard(tmux, broker)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    tmux.wait_for(lambda s: " v5 " in s.splitlines()[-1], 10, "v5 on the status bar")
    # Published after the dashboard subscribed: over 3.1.1 it would arrive without its retain flag.
    publish_retained(broker, "livingroom/temp", "24.1")
    check_tree_and_log_then_quit(tmux)


class OldBroker:
    """Speaks just enough MQTT 3.1.1: answers a v5 CONNECT with CONNACK 0x01 (unacceptable protocol
    version, as mosquitto 1.4 does), a 3.1.1 CONNECT with 0x00, and SUBSCRIBE with SUBACK QoS 0."""

    def __init__(self):
        self.listener = socket.create_server((h.HOST, 0))
        self.port = self.listener.getsockname()[1]
        self.levels: list[int] = []
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_packet(conn):
        header = conn.recv(1)
        if not header:
            return None, b""
        length, shift = 0, 0
        while True:
            byte = conn.recv(1)[0]
            length |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        body = b""
        while len(body) < length:
            chunk = conn.recv(length - len(body))
            if not chunk:
                return None, b""
            body += chunk
        return header[0], body

    def _serve(self, conn):
        try:
            while True:
                kind, body = self._read_packet(conn)
                if kind is None:
                    return
                if kind >> 4 == 1:  # CONNECT: protocol name (2 + 4 bytes), then the level
                    level = body[6]
                    self.levels.append(level)
                    conn.sendall(bytes([0x20, 0x02, 0x00, 0x00 if level == 4 else 0x01]))
                    if level != 4:
                        conn.close()
                        return
                elif kind >> 4 == 8:  # SUBSCRIBE: packet id first
                    conn.sendall(bytes([0x90, 0x03, body[0], body[1], 0x00]))
                elif kind >> 4 == 12:  # PINGREQ
                    conn.sendall(bytes([0xD0, 0x00]))
        except OSError:
            return

    def close(self):
        self.listener.close()
        for conn in self.connections:
            try:
                conn.close()
            except OSError:
                pass


@pytest.mark.timeout_seconds(30)
def test_a_broker_without_v5_gets_311(tmux: Tmux):
    old = OldBroker()
    try:
        tmux.type_line(f"{MQDASH} -h {h.HOST} -p {old.port} -i {CLIENT_ID}")
        wait_dashboard_up(tmux)
        tmux.wait_for(lambda s: "connected  " in s.splitlines()[-1] and " v3.1.1 " in s.splitlines()[-1], 10,
                      "connected with 3.1.1")
        assert old.levels[:2] == [5, 4], old.levels
        quit_and_check_shell(tmux)
    finally:
        old.close()
