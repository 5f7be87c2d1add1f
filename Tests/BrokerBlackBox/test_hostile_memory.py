"""Hostile clients before CONNECT: what an unauthenticated socket can make the broker hold, and
for how long.  Raw sockets declare huge packets or frames and stream data, or say nothing at all;
the broker's memory is read from /proc/<pid>/status (VmRSS) while it happens."""

import socket
import ssl
import threading
import time

import pytest

import brokerhelpers as b
import mqhelpers as h
from brokerhelpers import HOST, Paho, Raw, connected

MB = 1 << 20
HUGE = 200_000_000
# What the broker's connect timeout (10 s) allows, plus the second of grace the issue grants.
CLOSED_WITHIN = 11.0


# ---------------------------------------------------------------------------
# helpers


def tcp(port: int) -> socket.socket:
    s = socket.create_connection((HOST, port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def stream(sock: socket.socket, limit: int, seconds: float) -> tuple[int, bool, float]:
    """Sends zeros until `limit` bytes are out, `seconds` passed or the broker closed the
    connection: (bytes the kernel took, closed?, seconds until then)."""
    chunk = bytes(64 << 10)
    sent = 0
    start = time.monotonic()
    sock.settimeout(0.2)
    while sent < limit and time.monotonic() - start < seconds:
        try:
            sent += sock.send(chunk[:min(len(chunk), limit - sent)])
        except socket.timeout:
            continue                    # the broker stopped reading: keep pushing until the end
        except (BrokenPipeError, ConnectionResetError):
            return sent, True, time.monotonic() - start
    return sent, is_closed(sock, 0.5), time.monotonic() - start


def is_closed(sock: socket.socket, wait: float) -> bool:
    """True when the broker closed the connection (EOF or reset) within `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        if time.monotonic() > deadline:
            return False


def seconds_until_closed(sock: socket.socket, limit: float, start: float) -> float:
    """Seconds from `start` until the broker closes `sock`; `limit` + 1 if it is still open then."""
    if is_closed(sock, max(0.0, start + limit - time.monotonic())):
        return time.monotonic() - start
    return limit + 1


def in_parallel(fn, items) -> list:
    results = [None] * len(items)

    def run(i, item):
        results[i] = fn(item)

    threads = [threading.Thread(target=run, args=(i, item), daemon=True) for i, item in enumerate(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def header_then_zeros(header: bytes, limit: int, seconds: float):
    """An attack for `in_parallel`: send `header` (a packet or frame declaring a huge length), then
    stream zeros as `stream` does; each socket's result is `stream`'s."""
    def attack(sock: socket.socket) -> tuple[int, bool, float]:
        sock.sendall(header)
        return stream(sock, limit, seconds)
    return attack


def close_all(socks) -> None:
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


def ws_upgrade(port: int) -> socket.socket:
    """A WebSocket connection (subprotocol mqtt) past its HTTP upgrade."""
    s = tcp(port)
    s.sendall(b"GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              b"Sec-WebSocket-Protocol: mqtt\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        assert chunk, f"closed during the upgrade: {head!r}"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head
    return s


def ws_frame_header(length: int) -> bytes:
    """A client's binary frame header; masked (as clients must) with the all-zero key, so the
    payload goes out unchanged."""
    if length < 126:
        size = bytes([0x80 | length])
    elif length < 1 << 16:
        size = bytes([0x80 | 126]) + length.to_bytes(2, "big")
    else:
        size = bytes([0x80 | 127]) + length.to_bytes(8, "big")
    return bytes([0x82]) + size + bytes(4)


def ws_connect(sock: socket.socket, client_id: str) -> None:
    """CONNECT in one frame; waits for the CONNACK frame."""
    connect = b.connect_packet(client_id)
    sock.sendall(ws_frame_header(len(connect)) + connect)
    sock.settimeout(5)
    got = b""
    while len(got) < 6:
        chunk = sock.recv(64)
        assert chunk, "closed before CONNACK"
        got += chunk
    assert got[0] == 0x82 and got[2] == 0x20 and got[5] == 0, got


def client_hello_half() -> bytes:
    """The first half of a real TLS ClientHello."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    hello = outgoing.read()
    assert len(hello) > 100, hello
    return hello[:len(hello) // 2]


def normal_client_connects(broker: b.Broker) -> None:
    raw = Raw(broker.port, timeout=5)
    try:
        rc, _, _ = raw.connect("bystander")
        assert rc == 0
    finally:
        raw.close()


def warm_up(broker: b.Broker) -> None:
    """One ordinary client first, so the baseline includes what any first connection allocates."""
    normal_client_connects(broker)


# ---------------------------------------------------------------------------
# memory before CONNECT


def test_first_packet_other_than_connect_is_refused_from_its_first_byte(broker):
    warm_up(broker)
    header = bytes([0x30]) + b.varint(HUGE)
    socks = [tcp(broker.port) for _ in range(4)]
    try:
        with b.RssWatch(broker) as rss:
            results = in_parallel(header_then_zeros(header, 64 * MB, 8), socks)
        # Closed, and early: a broker that kept reading would take all 64 MB or stay open for the 8 s.
        for sent, closed, seconds in results:
            assert closed, results
            assert sent < 16 * MB, results
        assert rss.growth_mb < 20, f"RSS grew {rss.growth_mb:.0f} MB"
        normal_client_connects(broker)
    finally:
        close_all(socks)


@pytest.mark.only_mqdash("mosquitto 2.0.11 reads each CONNECT whatever its size: twenty 200 MB ones streaming 10 MB grew it by 200 MB")
def test_huge_connects_are_refused_and_bounded_in_total(make_broker):
    extra = [] if b.is_mosquitto() else [f"max_connecting_bytes {8 * MB}"]
    broker = make_broker(extra=extra)
    warm_up(broker)
    header = bytes([0x10]) + b.varint(HUGE)
    socks = [tcp(broker.port) for _ in range(20)]
    try:
        with b.RssWatch(broker) as rss:
            attacker = threading.Thread(target=in_parallel, args=(header_then_zeros(header, 10 * MB, 8), socks),
                                        daemon=True)
            attacker.start()
            time.sleep(0.3)             # mid-attack
            normal_client_connects(broker)
            attacker.join(30)
        assert rss.growth_mb < 40, f"RSS grew {rss.growth_mb:.0f} MB"
    finally:
        close_all(socks)


@pytest.mark.only_mqdash("mosquitto 2.0.11 has no total bound: it holds all twenty 1 MB CONNECTs in progress")
def test_connects_in_progress_share_one_budget(make_broker):
    """Twenty 1 MB CONNECTs, each stopping short of its end, with an 8 MiB budget: only what fits
    in it is held, the others are refused at their fixed header, and a normal client still gets in
    (large CONNECTs may use only three quarters of the budget)."""
    extra = [] if b.is_mosquitto() else [f"max_connecting_bytes {8 * MB}"]
    broker = make_broker(extra=extra)
    warm_up(broker)
    total = 1_000_000
    header = bytes([0x10]) + b.varint(total - 4)
    assert len(header) == 4
    socks = [tcp(broker.port) for _ in range(20)]
    try:
        with b.RssWatch(broker) as rss:
            in_parallel(header_then_zeros(header, 900_000, 5), socks)
            open_ones = [s for s in socks if not is_closed(s, 0.3)]
            normal_client_connects(broker)
        assert 1 <= len(open_ones) <= (8 * MB) // total, f"{len(open_ones)} of 20 held"
        assert rss.growth_mb < 40, f"RSS grew {rss.growth_mb:.0f} MB"
    finally:
        close_all(socks)


@pytest.mark.only_mqdash("mosquitto 2.0.11 keeps reading a 200 MB frame, before CONNECT and despite max_packet_size 1000 "
                         "(64 MB streamed, still open)")
@pytest.mark.parametrize("after_connect", [False, True], ids=["before-connect", "after-connect"])
def test_websocket_frames_are_bounded(make_broker, after_connect):
    """Before CONNECT the small pre-CONNECT cap holds; after it, frames follow max_packet_size."""
    broker = make_broker(websockets=True, extra=["max_packet_size 1000"])
    warm_up(broker)
    socks = [ws_upgrade(broker.ws_port) for _ in range(2)]
    first_byte = 0x30 if after_connect else 0x10    # a PUBLISH once connected, else a CONNECT
    try:
        if after_connect:
            for i, s in enumerate(socks):
                ws_connect(s, f"framer{i}")
        with b.RssWatch(broker) as rss:
            header = ws_frame_header(HUGE) + bytes([first_byte]) + b.varint(HUGE - 5)
            results = in_parallel(header_then_zeros(header, 64 * MB, 8), socks)
        for sent, closed, seconds in results:
            assert closed and seconds < 3, results
            assert sent < 16 * MB, results
        assert rss.growth_mb < 20, f"RSS grew {rss.growth_mb:.0f} MB"
    finally:
        close_all(socks)


# ---------------------------------------------------------------------------
# time before CONNECT


@pytest.mark.only_mqdash("mosquitto 2.0.11 keeps a TLS connection that sends nothing open past 11 s")
def test_unfinished_tls_handshakes_are_closed_in_time(make_broker, certs):
    broker = make_broker(tls=certs)
    half_hello = client_hello_half()
    start = time.monotonic()
    silent, half = tcp(broker.tls_port), tcp(broker.tls_port)
    try:
        half.sendall(half_hello)
        silent_s, half_s = in_parallel(lambda s: seconds_until_closed(s, CLOSED_WITHIN, start), [silent, half])
        assert silent_s <= CLOSED_WITHIN, f"silent TLS socket still open after {CLOSED_WITHIN} s"
        assert half_s <= CLOSED_WITHIN, f"half a ClientHello: still open after {CLOSED_WITHIN} s"
    finally:
        close_all([silent, half])


def test_websocket_connections_that_never_upgrade_are_closed_in_time(make_broker):
    broker = make_broker(websockets=True)
    start = time.monotonic()
    silent, half = tcp(broker.ws_port), tcp(broker.ws_port)
    try:
        half.sendall(b"GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
        silent_s, half_s = in_parallel(lambda s: seconds_until_closed(s, CLOSED_WITHIN, start), [silent, half])
        assert silent_s <= CLOSED_WITHIN, f"silent WebSocket socket still open after {CLOSED_WITHIN} s"
        assert half_s <= CLOSED_WITHIN, f"half an upgrade request: still open after {CLOSED_WITHIN} s"
    finally:
        close_all([silent, half])


def test_connected_tls_and_websocket_clients_outlive_the_connect_timeout(make_broker, certs):
    """The pre-CONNECT deadline stops at CONNECT, on every transport."""
    broker = make_broker(tls=certs, websockets=True)
    with connected(Paho(broker, "over-tls", port=broker.tls_port, tls_ca=certs.ca)) as tls_client, \
            connected(Paho(broker, "over-ws", transport="websockets")) as ws_client, \
            connected(Paho(broker, "over-tcp")) as tcp_client:
        ws_client.subscribe("outlive/#", 1)
        time.sleep(CLOSED_WITHIN + 0.5)
        tls_client.publish("outlive/tls", b"1", qos=1)
        tcp_client.publish("outlive/tcp", b"2", qos=1)
        assert sorted(m.topic for m in ws_client.wait_messages(2)) == ["outlive/tcp", "outlive/tls"]
        for client in (tls_client, ws_client, tcp_client):
            assert client.disconnected is None
