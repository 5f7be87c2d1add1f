"""QoS 0/1/2: delivery at the granted QoS, and the exact acknowledgement flows on the wire."""

import pytest

import brokerhelpers as b
import mqhelpers as h
from brokerhelpers import Paho, Raw, connected

VERSIONS = pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])



def connect_kept_session(broker: b.Broker, v5: bool, client_id: str) -> tuple[Raw, int, bool]:
    """A raw client whose session outlives the connection (clean=False; v5 needs a Session Expiry
    for that), with its CONNACK's code and session-present flag."""
    raw = Raw(broker.port, v5=v5)
    props = {"props": [(b.SESSION_EXPIRY, 60)]} if v5 else {}
    rc, present, _ = raw.connect(client_id, clean=False, **props)
    return raw, rc, present


def publish_one(broker: b.Broker, v5: bool, topic: str, payload: bytes, qos: int) -> None:
    """One message from a paho client that connects for it alone."""
    with connected(Paho(broker, "pub", v5=v5)) as pub:
        pub.publish(topic, payload, qos=qos)

@VERSIONS
@pytest.mark.parametrize("sub_qos,pub_qos", [(0, 0), (0, 2), (1, 1), (1, 2), (2, 1), (2, 2)])
def test_delivered_at_the_lower_of_publish_and_subscription_qos(broker, v5, sub_qos, pub_qos):
    with connected(Paho(broker, "sub", v5=v5)) as sub, connected(Paho(broker, "pub", v5=v5)) as pub:
        assert sub.subscribe("q/t", sub_qos) == [sub_qos]
        pub.publish("q/t", b"payload", qos=pub_qos)
        [m] = sub.wait_messages(1)
        assert (m.topic, m.payload, m.qos, m.retain) == ("q/t", b"payload", min(sub_qos, pub_qos), False)
        assert sub.settle(0.3) == [m]


@VERSIONS
def test_qos1_publish_is_acknowledged_with_its_packet_id(broker, v5):
    raw = Raw(broker.port, v5=v5)
    assert raw.connect("raw-q1")[0] == 0
    raw.send(b.publish_packet("q/one", b"x", qos=1, pid=513, v5=v5))
    ack = raw.expect(b.PUBACK)
    assert ack.flags == 0 and ack.pid() == 513
    # v5: success or 0x10 "no matching subscribers" (nobody is subscribed), both success codes
    assert ack.body[2:3] in (b"", b"\x00", b"\x10"), ack


@VERSIONS
def test_qos2_publish_flow_and_duplicates_delivered_once(broker, v5):
    with connected(Paho(broker, "sub", v5=v5)) as sub:
        sub.subscribe("q/two", 2)
        raw = Raw(broker.port, v5=v5)
        assert raw.connect("raw-q2")[0] == 0

        raw.send(b.publish_packet("q/two", b"first", qos=2, pid=7, v5=v5))
        rec = raw.expect(b.PUBREC)
        assert rec.flags == 0 and rec.pid() == 7 and rec.body[2:3] in (b"", b"\x00"), rec
        # The same message again (DUP=1) before PUBREL: acknowledged again, not delivered again.
        raw.send(b.publish_packet("q/two", b"first", qos=2, pid=7, dup=True, v5=v5))
        rec = raw.expect(b.PUBREC)
        assert rec.pid() == 7, rec
        raw.send(b.ack_packet(b.PUBREL, 7, v5=v5))
        comp = raw.expect(b.PUBCOMP)
        assert comp.flags == 0 and comp.pid() == 7 and comp.body[2:3] in (b"", b"\x00"), comp

        # After PUBCOMP the packet id is free again: a new message with it is a new message.
        raw.send(b.publish_packet("q/two", b"second", qos=2, pid=7, v5=v5))
        assert raw.expect(b.PUBREC).pid() == 7
        raw.send(b.ack_packet(b.PUBREL, 7, v5=v5))
        assert raw.expect(b.PUBCOMP).pid() == 7

        sub.wait_messages(2)
        assert sub.payloads() == [b"first", b"second"]
        assert sub.settle(0.5) and sub.payloads() == [b"first", b"second"]
        raw.close()


@VERSIONS
def test_qos2_delivery_flow_to_a_subscriber(broker, v5):
    raw = Raw(broker.port, v5=v5)
    assert raw.connect("raw-sub")[0] == 0
    assert raw.subscribe("q/deliver", 2) == [2]
    publish_one(broker, v5, "q/deliver", b"exactly once", 2)
    msg = raw.recv_publish()
    assert (msg.topic, msg.payload, msg.qos, msg.dup) == ("q/deliver", b"exactly once", 2, False)
    assert msg.pid != 0
    raw.send(b.ack_packet(b.PUBREC, msg.pid, v5=v5))
    rel = raw.expect(b.PUBREL)
    assert rel.flags == 0b0010 and rel.pid() == msg.pid, rel
    raw.send(b.ack_packet(b.PUBCOMP, msg.pid, v5=v5))
    raw.silent_for(0.5)  # nothing resent once the flow is complete
    raw.close()


@VERSIONS
def test_unacknowledged_qos1_is_resent_with_dup_to_the_resumed_session(broker, v5):
    raw, rc, _ = connect_kept_session(broker, v5, "resume-me")
    assert rc == 0
    assert raw.subscribe("q/resend", 1) == [1]
    publish_one(broker, v5, "q/resend", b"ack me", 1)
    first = raw.recv_publish()
    assert (first.payload, first.qos, first.dup) == (b"ack me", 1, False)
    raw.close()  # no PUBACK

    again, rc, present = connect_kept_session(broker, v5, "resume-me")
    assert (rc, present) == (0, True)
    msg = again.recv_publish()
    assert (msg.topic, msg.payload, msg.qos, msg.dup, msg.pid) == ("q/resend", b"ack me", 1, True, first.pid)
    again.send(b.ack_packet(b.PUBACK, msg.pid, v5=v5))
    again.silent_for(0.5)
    again.close()


@VERSIONS
def test_many_qos1_messages_arrive_in_order(broker, v5):
    with connected(Paho(broker, "sub", v5=v5)) as sub, connected(Paho(broker, "pub", v5=v5)) as pub:
        sub.subscribe("q/order", 1)
        infos = [pub.publish("q/order", str(i).encode(), qos=1, wait=False) for i in range(300)]
        for info in infos:
            info.wait_for_publish(10)
        sub.wait_messages(300, timeout=20)
        assert sub.payloads() == [str(i).encode() for i in range(300)]


@pytest.mark.parametrize("qos", [0, 1, 2])
def test_mosquitto_clients_exchange_at_each_qos(broker, qos):
    sub = b.start_sub(broker.anon, "-t", "clients/#", "-q", str(qos), "-C", "1", "-v", "-i", "msub")
    assert f"Subscribed (mid: 1): {qos}" in sub.snapshot().stdout
    pub = h.run(["mosquitto_pub", *broker.anon, "-t", "clients/x", "-m", "hi", "-q", str(qos),
                 "-i", "mpub", "-d"], timeout=10)
    assert pub.rc == 0, pub
    assert h.pub_trace("mpub", "clients/x", 2, qos=qos) == [
        line for line in pub.lines if "PUB" in line], pub
    res = sub.finish(10)
    assert res.rc == 0, res
    assert h.sub_receive_trace("msub", "clients/x", 2, qos=qos) == [
        line for line in res.lines if line.startswith("Client msub") and "PUB" in line], res
    assert b.payload_lines(res) == ["clients/x hi"], res


@VERSIONS
def test_qos2_delivery_resumes_with_pubrel_after_reconnect(broker, v5):
    """Subscriber side: PUBREC sent, PUBREL received, connection lost before PUBCOMP: the
    resumed session gets the PUBREL again (not the PUBLISH)."""
    raw, rc, _ = connect_kept_session(broker, v5, "q2-resume")
    assert rc == 0
    assert raw.subscribe("q/resume", 2) == [2]
    publish_one(broker, v5, "q/resume", b"once", 2)
    msg = raw.recv_publish()
    raw.send(b.ack_packet(b.PUBREC, msg.pid, v5=v5))
    assert raw.expect(b.PUBREL).pid() == msg.pid
    raw.close()  # no PUBCOMP

    again, rc, present = connect_kept_session(broker, v5, "q2-resume")
    assert (rc, present) == (0, True)
    rel = again.expect(b.PUBREL)
    assert (rel.flags, rel.pid()) == (0b0010, msg.pid), rel
    again.send(b.ack_packet(b.PUBCOMP, msg.pid, v5=v5))
    again.silent_for(0.5)
    again.close()


@VERSIONS
def test_qos2_publish_resumed_by_pubrel_after_reconnect(broker, v5):
    """Publisher side: PUBLISH, PUBREC, connection lost; the resumed session sends PUBREL and
    gets PUBCOMP; the message reaches the subscriber exactly once."""
    with connected(Paho(broker, "sub", v5=v5)) as sub:
        sub.subscribe("q/pubresume", 2)
        raw, rc, _ = connect_kept_session(broker, v5, "q2-pub")
        assert rc == 0
        raw.send(b.publish_packet("q/pubresume", b"just once", qos=2, pid=42, v5=v5))
        assert raw.expect(b.PUBREC).pid() == 42
        raw.close()
        again, rc, present = connect_kept_session(broker, v5, "q2-pub")
        assert (rc, present) == (0, True)
        again.send(b.ack_packet(b.PUBREL, 42, v5=v5))
        comp = again.expect(b.PUBCOMP)
        assert comp.pid() == 42 and comp.body[2:3] in (b"", b"\x00"), comp
        b.probe(broker, sub, "q/pubresume")
        sub.wait_messages(2)  # paho hands a QoS 2 message over at PUBREL: it may come second
        assert sorted(sub.settle(0.3) and sub.payloads()) == [b"just once", b"marker"]
        again.close()


@pytest.mark.parametrize("qos", [1, 2])
def test_mosquitto_clients_v5_exchange_with_user_properties(broker, qos):
    sub = b.start_sub(broker.anon, "-V", "5", "-t", "clients5/#", "-q", str(qos), "-C", "1",
                      "-F", "%t %q %P %p")
    pub = h.run(["mosquitto_pub", *broker.anon, "-V", "5", "-t", "clients5/x", "-m", "v5", "-q", str(qos),
                 "-D", "publish", "user-property", "site", "lab"], timeout=10)
    assert pub.rc == 0, pub
    res = sub.finish(10)
    assert res.rc == 0, res
    assert b.payload_lines(res) == [f"clients5/x {qos} site:lab v5"], res
