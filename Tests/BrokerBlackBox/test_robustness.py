"""Malformed input over raw sockets: the bad connection is closed (v5: a DISCONNECT with an
error reason code may come first) while another client goes on working; a silent connection is
closed; an oversized packet is refused without waiting for its body."""

import time

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, Raw, connected

CONNECTED = b.connect_packet("bad-client")
CONNECTED_V5 = b.connect_packet("bad-client", v5=True)

# name -> (v5, bytes sent after opening the connection)
MALFORMED = {
    "remaining-length-5-bytes": (False, bytes([0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])),
    "remaining-length-5-bytes-after-connect": (False, CONNECTED + bytes([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])),
    "reserved-packet-type-0": (False, CONNECTED + bytes([0x00, 0x00])),
    "connect-reserved-flag": (False, b.packet(b.CONNECT, 0, b.mqtt_str("MQTT") + bytes([4, 0x03, 0, 60])
                                              + b.mqtt_str("x"))),
    "connect-fixed-header-flags": (False, bytes([0x11]) + CONNECTED[1:]),
    "subscribe-flags-0": (False, CONNECTED + b.packet(b.SUBSCRIBE, 0, b"\x00\x01" + b.mqtt_str("a") + b"\x00")),
    "pubrel-flags-0": (False, CONNECTED + b.packet(b.PUBREL, 0, b"\x00\x01")),
    "publish-qos-3": (False, CONNECTED + b.packet(b.PUBLISH, 0x06, b.mqtt_str("a") + b"\x00\x01x")),
    "publish-invalid-utf8-topic": (False, CONNECTED + b.publish_packet(b"bad/\xff\xfe", b"x")),
    "publish-nul-in-topic": (False, CONNECTED + b.publish_packet(b"bad/\x00", b"x")),
    "publish-wildcard-topic": (False, CONNECTED + b.publish_packet("bad/+", b"x")),
    "subscribe-no-filters": (False, CONNECTED + b.packet(b.SUBSCRIBE, 2, b"\x00\x01")),
    "publish-before-connect": (False, b.publish_packet("early", b"x")),
    "subscribe-before-connect": (False, b.subscribe_packet(1, [("early", 0)])),
    "second-connect": (False, CONNECTED + b.connect_packet("again")),
    "string-longer-than-packet": (False, CONNECTED + b.packet(b.PUBLISH, 0, b"\x00\x50abc")),
    "v5-duplicate-property": (True, b.connect_packet("dup", v5=True, props=[(b.SESSION_EXPIRY, 1),
                                                                           (b.SESSION_EXPIRY, 2)])),
    "v5-publish-invalid-utf8-topic": (True, CONNECTED_V5 + b.publish_packet(b"bad/\xc3\x28", b"x", v5=True)),
    "v5-subscribe-flags-0": (True, CONNECTED_V5 + b.packet(b.SUBSCRIBE, 0, b"\x00\x01\x00" + b.mqtt_str("a") + b"\x00")),
    "v5-publish-before-connect": (True, b.publish_packet("early", b"x", v5=True)),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_packet_closes_only_its_connection(broker, case):
    v5, data = MALFORMED[case]
    with b.bystander(broker, "robust/#", v5=True) as other:
        raw = Raw(broker.port, v5=v5)
        raw.send(data)
        got = raw.wait_closed(10)
        # Before the close: at most a CONNACK (for the valid CONNECT in front) and, in v5,
        # a CONNACK or DISCONNECT with an error reason.
        for p in got:
            assert p.type in (b.CONNACK, b.DISCONNECT), got
            if p.type == b.DISCONNECT:
                assert v5 and p.body and p.body[0] >= 0x80, got
        b.probe(broker, other, "robust/probe")
        assert other.topics() == ["robust/probe"]
        assert other.disconnected is None


def test_unsupported_protocol_level_is_refused(broker):
    raw = Raw(broker.port)
    raw.send(b.packet(b.CONNECT, 0, b.mqtt_str("MQTT") + bytes([9, 0x02, 0, 60]) + b.mqtt_str("x")))
    got = raw.wait_closed(10)
    if got:  # a CONNACK 1 (unacceptable protocol version) or 0x84 may come first
        assert got[0].type == b.CONNACK and got[0].body[1] in (1, 0x84), got


@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
def test_oversized_packet_refused_before_its_body_arrives(make_broker, v5):
    broker = make_broker(extra=["max_packet_size 1000"])
    with b.bystander(broker, "robust/#", v5=True) as other:
        raw = Raw(broker.port, v5=v5)
        assert raw.connect("huge")[0] == 0
        # Announce 100 000 bytes, send only the start of them: the broker must not wait.
        raw.send(bytes([0x30]) + b.varint(100_000) + b.mqtt_str("robust/big") + b"x" * 20)
        b.assert_closed_as_too_large(raw, v5)
        b.probe(broker, other, "robust/probe")


NEVER_CLOSES = "mosquitto 2.0.11 keeps a connection that never sends CONNECT open (checked: still open after 40 s)"


@pytest.mark.only_mqdash(NEVER_CLOSES)
@pytest.mark.timeout_seconds(45)
@pytest.mark.parametrize("sent", [b"", b"\x10\x10\x00\x04MQ"], ids=["nothing", "half-a-connect"])
def test_connection_without_connect_is_closed(broker, sent):
    raw = Raw(broker.port)
    start = time.monotonic()
    raw.send(sent)
    assert raw.wait_closed(30) == []
    assert time.monotonic() - start > 0.5  # not closed on accept
    with connected(Paho(broker, "after")) as c:
        assert c.connack.rc == 0


def test_many_bad_connections_leave_the_broker_serving(broker):
    with b.bystander(broker, "robust/#") as other:
        for i in range(30):
            raw = Raw(broker.port)
            raw.send(bytes([0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]))
            raw.wait_closed(10)
        b.probe(broker, other, "robust/probe")


@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
@pytest.mark.parametrize("bad", ["a/#/b", "a/b+", "#/a", ""])
def test_invalid_topic_filter_is_refused_or_closes_the_connection(broker, v5, bad):
    """A malformed filter: a failure code in SUBACK or a closed connection, never a grant."""
    with b.bystander(broker, "robust/#", v5=True) as other:
        raw = Raw(broker.port, v5=v5)
        assert raw.connect("filters")[0] == 0
        raw.send(b.subscribe_packet(1, [(bad, 1)], v5=v5))
        try:
            p = raw.recv(5)
        except b.Closed:
            p = None
        if p is not None and p.type == b.SUBACK:
            assert p.body[-1] >= 0x80, p
        elif p is not None:
            assert p.type == b.DISCONNECT and v5 and p.body[0] >= 0x80, p
        b.probe(broker, other, "robust/probe")


@pytest.mark.timeout_seconds(60)
def test_a_subscriber_that_never_reads_does_not_stall_the_others(broker):
    stuck = Raw(broker.port)
    stuck.sock.setsockopt(b.socket.SOL_SOCKET, b.socket.SO_RCVBUF, 4096)
    assert stuck.connect("stuck")[0] == 0
    assert stuck.subscribe("flood/#", 0) == [0]
    n = 3000
    payload = b"x" * 1024
    with connected(Paho(broker, "fast")) as fast, connected(Paho(broker, "flooder")) as pub:
        fast.subscribe("flood/#", 0)
        for i in range(n):
            pub.publish("flood/t", payload, qos=0, wait=False)
        pub.publish("flood/end", b"end", qos=1)
        b.wait_until(lambda: len(fast.messages) >= n + 1, 40, f"{n + 1} messages at the fast subscriber")
    stuck.close()
