"""--max-packet: the largest packet `mqdash sub` / `mqdash pub` accept from the broker (default 16 MiB).

A broker is a peer like any other: before this limit, one 250 MB PUBLISH took `mqdash sub` to
696 MB resident.  On 3.1.1 the client refuses an over-size packet from its fixed header, before
the body is buffered, and exits 1 with one line naming the size and the flag.  On v5 it also
announces the maximum in CONNECT, so a broker that honours it (mosquitto does) drops the message
for us: sub sees nothing of it and goes on with the next one.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import threading
import time

import pytest

import brokerhelpers as b
import mqhelpers as h

pytestmark = pytest.mark.mqdash_only("--max-packet is mqdash's flag")

BIG = 1_000_000


def publish_size(topic: str, payload_len: int, v5: bool) -> int:
    """Bytes of a QoS 0 PUBLISH as mosquitto forwards it (v5: an empty property list)."""
    remaining = 2 + len(topic) + (1 if v5 else 0) + payload_len
    return 1 + len(b.varint(remaining)) + remaining


def too_large_line(size: int, maximum: int) -> str:
    return (f"Error: the broker sent a {size}-byte packet, above the {maximum}-byte maximum "
            f"(raise it with --max-packet).")


def publish_file(broker: h.Broker, tmp_path, topic: str, payload: bytes, version: str) -> None:
    path = tmp_path / "payload.bin"
    path.write_bytes(payload)
    res = h.MOSQUITTO.run("pub", *broker.auth, "-V", version, "-t", topic, "-f", path, timeout=10)
    assert res.rc == 0, res


@pytest.mark.timeout_seconds(30)
def test_v311_refuses_a_packet_above_max_packet(broker, tool, tmp_path):
    sub = tool.start("sub", *broker.auth, "-V", "mqttv311", "-i", "maxsub311", "-t", "big",
                     "--max-packet", "100000")
    broker.wait_subscribed("maxsub311", proc=sub)
    publish_file(broker, tmp_path, "big", b"x" * BIG, "mqttv311")
    res = sub.finish(10)
    assert res.rc == 1, res
    assert res.stderr == too_large_line(publish_size("big", BIG, v5=False), 100000) + "\n", res
    assert res.out == b"", res


@pytest.mark.timeout_seconds(30)
@pytest.mark.parametrize("version", ["mqttv311", "5"])
def test_a_raised_max_packet_receives_it(broker, tool, tmp_path, version):
    client_id = f"maxsub-ok-{version}"
    sub = tool.start("sub", *broker.auth, "-V", version, "-i", client_id, "-t", "big", "-C", "1",
                     "--max-packet", "2000000")
    broker.wait_subscribed(client_id, proc=sub)
    payload = os.urandom(BIG // 2).hex().encode()  # 1 MB of text
    publish_file(broker, tmp_path, "big", payload, version)
    res = sub.finish(10)
    assert res.rc == 0, res
    h.assert_same_bytes(res.out, payload + b"\n")
    assert res.err == b"", res


@pytest.mark.timeout_seconds(30)
def test_v5_broker_honours_the_announced_maximum(broker, tool, tmp_path):
    """mosquitto reads Maximum Packet Size from our CONNECT and drops the 1 MB message for us (MQTT-3.1.2-25):
    sub never sees it, says nothing, and prints the next message that fits.  Had mosquitto sent it, the
    decoder would have refused it and sub would have exited 1."""
    sub = tool.start("sub", *broker.auth, "-V", "5", "-i", "maxsub5", "-t", "big", "-C", "1",
                     "--max-packet", "100000")
    broker.wait_subscribed("maxsub5", proc=sub)
    publish_file(broker, tmp_path, "big", b"x" * BIG, "5")
    res = h.MOSQUITTO.run("pub", *broker.auth, "-V", "5", "-t", "big", "-m", "small", timeout=10)
    assert res.rc == 0, res
    res = sub.finish(10)
    assert res.rc == 0, res
    assert res.out == b"small\n", res
    assert res.err == b"", res


@pytest.mark.timeout_seconds(30)
def test_pub_enforces_it_too(broker, tool):
    """Even a CONNACK (4 bytes on 3.1.1) is refused over a 1-byte maximum: pub checks what it receives."""
    res = tool.run("pub", *broker.auth, "-V", "mqttv311", "-t", "x", "-m", "y", "--max-packet", "1",
                   timeout=10)
    assert res.rc == 1, res
    assert res.stderr == too_large_line(4, 1) + "\n", res


def test_bad_max_packet_is_a_usage_error(tool):
    res = tool.run("sub", "-t", "x", "--max-packet", "0", timeout=10)
    assert res.rc == 1, res
    assert "--max-packet 0" in res.err_lines[0], res


# ---------------------------------------------------------------------------
# the attack: a hostile broker declaring a 250 MB PUBLISH and streaming its body


ATTACK_REMAINING = 262_144_005  # 250 MiB of payload, topic "big" and its length: 262 144 010 bytes in all
STREAMED = 50 * 1024 * 1024
CHUNK = 256 * 1024


def rss_while_streaming(sub, evil) -> tuple[int, int]:
    """sub's VmRSS (KiB) when the hostile broker starts streaming, and its peak while it streams and
    until sub has exited (at most 5 s more)."""
    baseline = peak = h.vm_rss_kib(sub.pid)
    while not evil.done.is_set():
        peak = max(peak, h.vm_rss_kib(sub.pid))
        time.sleep(0.005)
    deadline = time.monotonic() + 5
    while sub.running() and time.monotonic() < deadline:
        peak = max(peak, h.vm_rss_kib(sub.pid))
        time.sleep(0.005)
    return baseline, peak


def stream_until_hung_up(conn: socket.socket) -> int:
    """Sends up to STREAMED zero bytes in CHUNKs; returns how many the kernel took before the client hung up."""
    conn.settimeout(5)
    chunk = b"\x00" * CHUNK
    sent = 0
    try:
        while sent < STREAMED:
            conn.sendall(chunk)
            sent += CHUNK
    except OSError:
        pass  # the client hung up: what we want
    return sent


def recv_exactly(conn: socket.socket, n: int) -> bytes:
    """`n` bytes from a blocking socket; ConnectionError if the peer closes first."""
    data = b""
    while len(data) < n:
        part = conn.recv(n - len(data))
        if not part:
            raise ConnectionError("closed mid-packet")
        data += part
    return data


def read_packet(conn: socket.socket) -> bytes:
    """One whole MQTT packet from a blocking socket (fixed header included)."""
    header, length, shift = recv_exactly(conn, 1), 0, 0
    while True:
        byte = recv_exactly(conn, 1)
        header += byte
        length += (byte[0] & 0x7F) << shift
        shift += 7
        if not byte[0] & 0x80:
            return header + recv_exactly(conn, length)


class OneShotBroker(threading.Thread):
    """A fake broker on a free loopback port that serves one client with `serve(conn)` in its own
    thread; the test reads what it saw once `done` is set (`error` holds what went wrong)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.server = socket.create_server((h.HOST, 0))
        self.server.settimeout(15)
        self.port = self.server.getsockname()[1]
        self.sent = 0         # streamed bytes the kernel took before the connection broke
        self.error: BaseException | None = None
        self.header_sent = threading.Event()
        self.done = threading.Event()

    def serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def run(self) -> None:
        try:
            conn, _ = self.server.accept()
            with conn:
                conn.settimeout(10)
                self.serve(conn)
        except BaseException as e:  # reported by the test
            self.error = e
        finally:
            self.server.close()
            self.done.set()


class HostileBroker(OneShotBroker):
    """Accepts one client on loopback, answers CONNECT and SUBSCRIBE, then sends the fixed header of a
    250 MB PUBLISH and streams 50 MB of its body in chunks until the client hangs up."""

    def __init__(self, v5: bool):
        super().__init__()
        self.v5 = v5
        self.connect = b""
        self.reaction = b""   # what the client sent after the header, before hanging up

    def serve(self, conn: socket.socket) -> None:
        self.connect = read_packet(conn)
        conn.sendall(b"\x20\x03\x00\x00\x00" if self.v5 else b"\x20\x02\x00\x00")
        subscribe = read_packet(conn)
        packet_id = subscribe[2:4] if subscribe[1] < 0x80 else subscribe[3:5]
        conn.sendall((b"\x90\x04" + packet_id + b"\x00\x00") if self.v5 else (b"\x90\x03" + packet_id + b"\x00"))
        conn.sendall(b"\x30" + b.varint(ATTACK_REMAINING) + b"\x00\x03big")
        self.header_sent.set()
        # A client that refuses from the header answers (v5: DISCONNECT) and closes at once.
        conn.settimeout(2)
        try:
            while True:
                part = conn.recv(4096)
                if not part:
                    break
                self.reaction += part
        except (socket.timeout, ConnectionError):
            pass
        self.sent = stream_until_hung_up(conn)


@pytest.mark.timeout_seconds(30)
@pytest.mark.parametrize("version", ["mqttv311", "5"])
def test_a_hostile_broker_cannot_make_sub_buffer_a_huge_packet(tool, version):
    v5 = version == "5"
    evil = HostileBroker(v5)
    evil.start()
    sub = tool.start("sub", "-h", h.HOST, "-p", evil.port, "-V", version, "-i", "victim", "-t", "big")
    assert evil.header_sent.wait(10), f"sub never subscribed:{sub.snapshot()}"
    baseline, peak = rss_while_streaming(sub, evil)
    print(f"VmRSS of sub: {baseline} kB before the body, peak {peak} kB; "
          f"{evil.sent} of {STREAMED} body bytes taken by the kernel")
    assert evil.error is None, repr(evil.error)
    assert peak < 100 * 1024, f"sub grew to {peak} kB:{sub.snapshot()}"
    assert peak - baseline < 20 * 1024, f"sub grew by {peak - baseline} kB while the body streamed:{sub.snapshot()}"
    res = sub.finish(2)
    assert res.rc == 1, res
    assert res.stderr == too_large_line(1 + 4 + ATTACK_REMAINING, 16_777_216) + "\n", res
    if v5:
        assert b"\x27\x01\x00\x00\x00" in evil.connect, f"CONNECT lacks Maximum Packet Size 16777216: {evil.connect!r}"
        assert evil.reaction[:1] == b"\xe0" and evil.reaction[2:3] == b"\x95", \
            f"want DISCONNECT 0x95 Packet too large, got {evil.reaction!r}"
    else:
        assert evil.reaction == b"", f"3.1.1 has no DISCONNECT from a client that refuses: {evil.reaction!r}"


# ---------------------------------------------------------------------------
# the same over WebSockets: a frame declaring 200 MB, whose payload NIO would buffer whole


WS_FRAME = 200 * 1024 * 1024


def ws_read_frame(conn: socket.socket) -> bytes:
    """The unmasked payload of one client frame (clients mask theirs, RFC 6455 5.3)."""
    def exactly(n: int) -> bytes:
        return recv_exactly(conn, n)

    _, second = exactly(2)
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(exactly(2), "big")
    elif length == 127:
        length = int.from_bytes(exactly(8), "big")
    mask = exactly(4) if second & 0x80 else b"\0\0\0\0"
    return bytes(b ^ mask[i % 4] for i, b in enumerate(exactly(length)))


def ws_frame(payload: bytes) -> bytes:
    """A binary server frame (unmasked) with a short payload."""
    assert len(payload) < 126
    return bytes([0x82, len(payload)]) + payload


class HostileWebSocketBroker(OneShotBroker):
    """Upgrades one client, answers CONNECT and SUBSCRIBE, then sends the header of a 200 MB binary frame
    and streams 50 MB of it until the client hangs up."""

    def serve(self, conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            part = conn.recv(4096)
            if not part:
                raise ConnectionError("closed during the upgrade")
            request += part
        key = next(line.split(b":", 1)[1].strip() for line in request.split(b"\r\n")
                   if line.lower().startswith(b"sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
        ws_read_frame(conn)  # CONNECT
        conn.sendall(ws_frame(b"\x20\x02\x00\x00"))
        subscribe = ws_read_frame(conn)
        conn.sendall(ws_frame(b"\x90\x03" + subscribe[2:4] + b"\x00"))
        conn.sendall(b"\x82\x7f" + WS_FRAME.to_bytes(8, "big"))
        self.header_sent.set()
        self.sent = stream_until_hung_up(conn)


@pytest.mark.timeout_seconds(30)
def test_a_hostile_websocket_broker_cannot_make_sub_buffer_a_huge_frame(tool):
    evil = HostileWebSocketBroker()
    evil.start()
    sub = tool.start("sub", "-L", f"ws://{h.HOST}:{evil.port}/big", "-V", "mqttv311", "-i", "victim")
    assert evil.header_sent.wait(10), f"sub never subscribed:{sub.snapshot()}"
    baseline, peak = rss_while_streaming(sub, evil)
    print(f"VmRSS of sub: {baseline} kB before the frame, peak {peak} kB; "
          f"{evil.sent} of {STREAMED} frame bytes taken by the kernel")
    assert evil.error is None, repr(evil.error)
    assert peak - baseline < 20 * 1024, f"sub grew by {peak - baseline} kB while the frame streamed:{sub.snapshot()}"
    res = sub.finish(2)
    assert res.rc == 1, res
    assert res.stderr == ("Error: the broker sent a WebSocket frame above the 16777216-byte maximum "
                          "(raise it with --max-packet).\n"), res
