"""Wills: sent on an unclean close and on keepalive expiry (1.5 x keepalive), not after a normal
DISCONNECT; v5 DISCONNECT 0x04 sends it; v5 will delay interval."""

import time

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, Raw, connected

VERSIONS = pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
WILL = {"topic": "will/t", "payload": b"gone", "qos": 1}


def watcher(broker, v5=False) -> Paho:
    w = Paho(broker, "watcher", v5=v5)
    w.subscribe("will/#", 1)
    return w


@VERSIONS
def test_will_sent_when_the_connection_drops(broker, v5):
    with connected(watcher(broker, v5)) as w:
        raw = Raw(broker.port, v5=v5)
        assert raw.connect("mortal", will=WILL)[0] == 0
        raw.close()  # no DISCONNECT
        [m] = w.wait_messages(1)
        assert (m.topic, m.payload, m.qos, m.retain) == ("will/t", b"gone", 1, False)


def test_will_with_retain_is_kept_as_retained(broker):
    with connected(watcher(broker)) as w:
        raw = Raw(broker.port)
        assert raw.connect("mortal", will={**WILL, "retain": True})[0] == 0
        raw.close()
        w.wait_messages(1)
    with connected(Paho(broker, "late")) as late:
        late.subscribe("will/t", 1)
        [m] = late.wait_messages(1)
        assert (m.payload, m.retain) == (b"gone", True)


@VERSIONS
def test_no_will_after_a_normal_disconnect(broker, v5):
    with connected(watcher(broker, v5)) as w:
        raw = Raw(broker.port, v5=v5)
        assert raw.connect("polite", will=WILL)[0] == 0
        raw.send(b.disconnect_packet(v5=v5))
        raw.wait_closed(5)
        b.probe(broker, w, "will/probe")
        assert w.topics() == ["will/probe"]


def test_v5_disconnect_with_will_message_reason_sends_the_will(broker):
    with connected(watcher(broker, True)) as w:
        raw = Raw(broker.port, v5=True)
        assert raw.connect("leaving", will=WILL)[0] == 0
        raw.send(b.disconnect_packet(v5=True, reason=0x04))
        [m] = w.wait_messages(1)
        assert m.payload == b"gone"


@VERSIONS
@pytest.mark.timeout_seconds(20)
def test_keepalive_expiry_after_one_and_a_half_keepalives_sends_the_will(broker, v5):
    with connected(watcher(broker, v5)) as w:
        raw = Raw(broker.port, v5=v5)
        start = time.monotonic()
        assert raw.connect("silent", keepalive=2, will=WILL)[0] == 0
        w.wait_messages(1, timeout=10)
        # Not before the keep alive ran out (1.5 x 2 s, checked with about a second's granularity). Only
        # a lower bound: a loaded machine makes it later, never earlier; the wait above bounds the rest.
        assert time.monotonic() - start >= 2.0
        got = raw.wait_closed(5)
        if v5:
            assert b.disconnect_reason(got) in (None, 0x8D), got  # 0x8D keep alive timeout


def test_pings_keep_the_connection_alive(broker):
    raw = Raw(broker.port)
    assert raw.connect("pinger", keepalive=1)[0] == 0
    # Ping after ping for 4 s, well past 1.5 x 1 s; each answer paces the next (no fixed sleep that a
    # loaded machine could stretch past the keep alive).
    until = time.monotonic() + 4
    while time.monotonic() < until:
        raw.send(b.packet(b.PINGREQ, 0, b""))
        assert raw.expect(b.PINGRESP).body == b""
        time.sleep(0.05)
    raw.close()


def connect_with_delayed_will(broker, client_id: str, will_topic: str = WILL["topic"]) -> Raw:
    """A v5 client whose will (on `will_topic`) waits 2 s after it goes; its session outlives it by 60 s."""
    raw = Raw(broker.port, v5=True)
    will = {**WILL, "topic": will_topic, "props": [(b.WILL_DELAY, 2)]}
    assert raw.connect(client_id, will=will, props=[(b.SESSION_EXPIRY, 60)])[0] == 0
    return raw


@pytest.mark.timeout_seconds(20)
def test_v5_will_delay_interval(broker):
    with connected(watcher(broker, True)) as w:
        raw = connect_with_delayed_will(broker, "delayed")
        start = time.monotonic()
        raw.close()
        w.wait_messages(1, timeout=8)
        assert time.monotonic() - start >= 1.5


@pytest.mark.timeout_seconds(20)
def test_v5_will_delay_cancelled_by_reconnecting(broker):
    with connected(watcher(broker, True)) as w:
        raw = connect_with_delayed_will(broker, "delayed")
        raw.close()
        back = Raw(broker.port, v5=True)
        assert back.connect("delayed", clean=False, props=[(b.SESSION_EXPIRY, 60)])[:2] == (0, True)
        # A control with the same delay, dropped after it: once its will is in, the cancelled one's
        # time has passed too (instead of sleeping past the delay).
        control = connect_with_delayed_will(broker, "control", "will/control")
        control.close()
        w.wait_messages(1, timeout=10)
        b.probe(broker, w, "will/probe")
        assert w.topics() == ["will/control", "will/probe"]
        back.close()


def test_mosquitto_sub_will_on_sigkill(broker):
    with connected(watcher(broker)) as w:
        sub = b.start_sub(broker.anon, "-t", "x", "--will-topic", "will/cli", "--will-payload", "dead",
                          "--will-qos", "1")
        sub.kill()
        [m] = w.wait_messages(1)
        assert (m.topic, m.payload) == ("will/cli", b"dead")


def test_v5_will_properties_reach_the_subscriber(broker):
    will = {**WILL, "props": [(b.CONTENT_TYPE, "text/plain"), (b.USER_PROPERTY, ("why", "crash")),
                              (b.RESPONSE_TOPIC, "will/reply")]}
    with connected(watcher(broker, True)) as w:
        raw = Raw(broker.port, v5=True)
        assert raw.connect("propped", will=will)[0] == 0
        raw.close()
        [m] = w.wait_messages(1)
        assert m.properties.ContentType == "text/plain"
        assert m.properties.UserProperty == [("why", "crash")]
        assert m.properties.ResponseTopic == "will/reply"
