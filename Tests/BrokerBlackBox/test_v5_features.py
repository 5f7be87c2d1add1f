"""MQTT 5 features: topic aliases, receive maximum, maximum packet size, message expiry,
request/response and user properties, assigned client identifiers, server keep alive."""

import time

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, Raw, connected


# -- topic aliases


def test_client_to_broker_topic_alias(broker):
    with connected(Paho(broker, "sub", v5=True)) as sub:
        sub.subscribe("alias/#", 1)
        raw = Raw(broker.port, v5=True)
        rc, _, props = raw.connect("aliaser")
        assert rc == 0
        assert props.get(b.TOPIC_ALIAS_MAXIMUM, 0) >= 1, props
        raw.send(b.publish_packet("alias/long/topic", b"1", qos=1, pid=1, v5=True,
                                  props=[(b.TOPIC_ALIAS, 1)]))
        assert raw.expect(b.PUBACK).pid() == 1
        raw.send(b.publish_packet("", b"2", qos=1, pid=2, v5=True, props=[(b.TOPIC_ALIAS, 1)]))
        assert raw.expect(b.PUBACK).pid() == 2
        # Remapping the alias to another topic.
        raw.send(b.publish_packet("alias/other", b"3", qos=1, pid=3, v5=True,
                                  props=[(b.TOPIC_ALIAS, 1)]))
        assert raw.expect(b.PUBACK).pid() == 3
        raw.send(b.publish_packet("", b"4", qos=1, pid=4, v5=True, props=[(b.TOPIC_ALIAS, 1)]))
        assert raw.expect(b.PUBACK).pid() == 4
        sub.wait_messages(4)
        assert [(m.topic, m.payload) for m in sub.messages] == [
            ("alias/long/topic", b"1"), ("alias/long/topic", b"2"), ("alias/other", b"3"),
            ("alias/other", b"4")]
        # Aliases are per connection: nothing leaks to the subscriber.
        assert all(getattr(m.properties, "TopicAlias", None) is None for m in sub.messages)
        raw.close()


@pytest.mark.parametrize("case", ["unknown-alias", "alias-zero", "alias-over-maximum"])
def test_bad_topic_alias_closes_the_connection(broker, case):
    with b.bystander(broker, "alias/#", v5=True) as other:
        raw = Raw(broker.port, v5=True)
        rc, _, props = raw.connect("aliaser")
        maximum = props.get(b.TOPIC_ALIAS_MAXIMUM, 0)
        topic, alias = {"unknown-alias": ("", 1), "alias-zero": ("alias/t", 0),
                        "alias-over-maximum": ("alias/t", maximum + 1)}[case]
        raw.send(b.publish_packet(topic, b"x", qos=1, pid=1, v5=True, props=[(b.TOPIC_ALIAS, alias)]))
        got = raw.wait_closed(5)
        # malformed / protocol error / topic alias invalid (mosquitto says 0x81 for alias 0)
        assert b.disconnect_reason(got) in (None, 0x81, 0x82, 0x94), got
        b.probe(broker, other, "alias/probe")
        assert other.topics() == ["alias/probe"]


def _alias_receiver(broker, maximum):
    raw = Raw(broker.port, v5=True)
    props = [(b.TOPIC_ALIAS_MAXIMUM, maximum)] if maximum else []
    assert raw.connect("receiver", props=props)[0] == 0
    assert raw.subscribe("ta/#", 0) == [0]
    with connected(Paho(broker, "pub", v5=True)) as pub:
        for i in range(4):
            for t in ("ta/a", "ta/b", "ta/c"):
                pub.publish(t, f"{t}:{i}".encode(), qos=1)
    aliases: dict[int, str] = {}
    got = []
    for _ in range(12):
        m = raw.recv_publish()
        alias = m.props.get(b.TOPIC_ALIAS)
        if alias is not None:
            assert 1 <= alias <= maximum, m
            if m.topic:
                aliases[alias] = m.topic
            else:
                assert alias in aliases, m
        else:
            assert m.topic, m
        got.append((m.topic or aliases[alias], m.payload.decode(), alias is not None and not m.topic))
    raw.close()
    for topic, payload, _ in got:
        assert payload.startswith(topic + ":"), got
    return got


@pytest.mark.parametrize("maximum", [0, 2])
def test_broker_to_client_topic_aliases_stay_within_the_client_maximum(broker, maximum):
    got = _alias_receiver(broker, maximum)
    if maximum == 0:
        assert not any(aliased for *_, aliased in got), got


@pytest.mark.only_mqdash("mosquitto 2.0.11 never sends topic aliases to clients")
def test_broker_uses_topic_aliases_for_repeated_topics(broker):
    got = _alias_receiver(broker, 2)
    assert any(aliased for *_, aliased in got), got


# -- receive maximum


def _overrun_receive_maximum(make_broker):
    """Fill the broker's receive maximum (max_inflight_messages 3) with QoS 2 PUBLISHes left
    without PUBREL, then send one more.  Returns (raw connection, bystander subscriber)."""
    broker = make_broker(extra=["max_inflight_messages 3"])
    other = Paho(broker, "bystander", v5=True)
    other.subscribe("rm/#", 2)
    raw = Raw(broker.port, v5=True)
    rc, _, props = raw.connect("greedy")
    limit = props.get(b.RECEIVE_MAXIMUM, 65535)
    assert (rc, limit) == (0, 3), props
    for pid in range(1, limit + 1):
        raw.send(b.publish_packet("rm/t", b"x", qos=2, pid=pid, v5=True))
        assert raw.expect(b.PUBREC).pid() == pid
    raw.send(b.publish_packet("rm/t", b"over", qos=2, pid=limit + 1, v5=True))
    return broker, raw, other


@pytest.mark.only_mqdash("mosquitto 2.0.11 answers the overrun with PUBREC 0x97 (quota exceeded) "
                         "and keeps the connection, instead of DISCONNECT 0x93 (MQTT 5 section 3.3.4)")
def test_receive_maximum_overrun_is_disconnect_0x93(make_broker):
    broker, raw, other = _overrun_receive_maximum(make_broker)
    got = raw.wait_closed(5)
    assert b.disconnect_reason(got) == 0x93, got
    b.probe(broker, other, "rm/probe")
    assert b"over" not in other.payloads()


@pytest.mark.only_mosquitto("the reference's own answer to a receive maximum overrun")
def test_receive_maximum_overrun_mosquitto_answers_quota_exceeded(make_broker):
    broker, raw, other = _overrun_receive_maximum(make_broker)
    rec = raw.expect(b.PUBREC)
    assert (rec.pid(), rec.body[2]) == (4, 0x97), rec
    b.probe(broker, other, "rm/probe")
    assert b"over" not in other.payloads()


def test_broker_respects_the_client_receive_maximum(broker):
    raw = Raw(broker.port, v5=True)
    assert raw.connect("slowpoke", props=[(b.RECEIVE_MAXIMUM, 2)])[0] == 0
    assert raw.subscribe("rx/t", 1) == [1]
    with connected(Paho(broker, "pub", v5=True)) as pub:
        for i in range(5):
            pub.publish("rx/t", str(i).encode(), qos=1)
    first = [raw.recv_publish(), raw.recv_publish()]
    raw.silent_for(0.7)  # two unacknowledged: the broker must wait
    got = [m.payload for m in first]
    for m in first:
        raw.send(b.ack_packet(b.PUBACK, m.pid, v5=True))
    while len(got) < 5:
        m = raw.recv_publish()
        got.append(m.payload)
        raw.send(b.ack_packet(b.PUBACK, m.pid, v5=True))
    assert got == [b"0", b"1", b"2", b"3", b"4"]
    raw.close()


# -- maximum packet size


def test_client_maximum_packet_size_oversized_deliveries_are_dropped(broker):
    raw = Raw(broker.port, v5=True)
    assert raw.connect("small", props=[(b.MAXIMUM_PACKET_SIZE, 200)])[0] == 0
    assert raw.subscribe("mps/#", 1) == [1]
    with connected(Paho(broker, "pub", v5=True)) as pub:
        pub.publish("mps/big", b"x" * 500, qos=1)
        pub.publish("mps/small", b"fits", qos=1)
    m = raw.recv_publish()
    assert (m.topic, m.payload) == ("mps/small", b"fits")
    raw.send(b.ack_packet(b.PUBACK, m.pid, v5=True))
    raw.silent_for(0.5)
    raw.close()


@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
def test_broker_max_packet_size_closes_the_connection(make_broker, v5):
    broker = make_broker(extra=["max_packet_size 1000"])
    with b.bystander(broker, "mps/#", v5=v5) as other:
        raw = Raw(broker.port, v5=v5)
        rc, _, props = raw.connect("big")
        assert rc == 0
        if v5:
            assert props.get(b.MAXIMUM_PACKET_SIZE) == 1000, props
        raw.send(b.publish_packet("mps/t", b"x" * 2000, qos=1, pid=1, v5=v5))
        b.assert_closed_as_too_large(raw, v5)
        b.probe(broker, other, "mps/probe")
        assert other.topics() == ["mps/probe"]


# -- message expiry


def test_queued_message_expires(broker):
    with connected(Paho(broker, "away", v5=True, clean=False, session_expiry=60)) as s:
        s.subscribe("exp/#", 1)
    with connected(Paho(broker, "pub", v5=True)) as pub:
        pub.publish("exp/short", b"stale", qos=1, props={"MessageExpiryInterval": 1})
        pub.publish("exp/none", b"fresh", qos=1)
    time.sleep(2.5)
    with connected(Paho(broker, "away", v5=True, clean=False, session_expiry=60)) as s:
        s.wait_messages(1)
        assert [m.payload for m in s.settle(0.5)] == [b"fresh"]


def test_remaining_expiry_interval_is_decremented(broker):
    with connected(Paho(broker, "away", v5=True, clean=False, session_expiry=60)) as s:
        s.subscribe("exp/#", 1)
    with connected(Paho(broker, "pub", v5=True)) as pub:
        pub.publish("exp/long", b"x", qos=1, props={"MessageExpiryInterval": 30})
        published = time.monotonic()
    time.sleep(2.2)
    with connected(Paho(broker, "away", v5=True, clean=False, session_expiry=60)) as s:
        [m] = s.wait_messages(1)
        waited = time.monotonic() - published
        left = m.properties.MessageExpiryInterval
        # At least 2 s went by; at most `waited` (measured, so a slow machine cannot fail it), plus
        # a second for whole-second rounding.
        assert 30 - waited - 1 <= left <= 28, (left, waited)


def test_retained_message_expires(broker):
    with connected(Paho(broker, "pub", v5=True)) as pub:
        pub.publish("exp/ret", b"soon gone", qos=1, retain=True, props={"MessageExpiryInterval": 1})
        pub.publish("exp/ret2", b"stays", qos=1, retain=True)
    time.sleep(2.5)
    with connected(Paho(broker, "late", v5=True)) as s:
        s.subscribe("exp/#", 1)
        s.wait_messages(1)
        assert [m.payload for m in s.settle(0.5)] == [b"stays"]


# -- properties passed through


def test_request_response_and_user_properties_pass_through(broker):
    props = {"ResponseTopic": "reply/here", "CorrelationData": b"\x00\x01corr",
             "UserProperty": [("a", "1"), ("b", "two"), ("a", "again")],
             "ContentType": "application/json", "PayloadFormatIndicator": 1}
    with connected(Paho(broker, "sub", v5=True)) as sub, connected(Paho(broker, "pub", v5=True)) as pub:
        sub.subscribe("rr/#", 1)
        pub.publish("rr/req", b'{"q":1}', qos=1, props=props)
        [m] = sub.wait_messages(1)
        p = m.properties
        assert p.ResponseTopic == "reply/here"
        assert p.CorrelationData == b"\x00\x01corr"
        assert p.UserProperty == [("a", "1"), ("b", "two"), ("a", "again")]
        assert p.ContentType == "application/json"
        assert p.PayloadFormatIndicator == 1


# -- client identifiers and keep alive


def test_v5_empty_client_id_gets_an_assigned_identifier(broker):
    raw = Raw(broker.port, v5=True)
    rc, present, props = raw.connect("")
    assert (rc, present) == (0, False)
    assigned = props.get(b.ASSIGNED_CLIENT_ID)
    assert assigned, props
    other = Raw(broker.port, v5=True)
    assert other.connect("")[2].get(b.ASSIGNED_CLIENT_ID) not in (None, assigned)
    raw.close()
    other.close()


def test_v311_empty_client_id_needs_clean_session(broker):
    raw = Raw(broker.port)
    assert raw.connect("", clean=True)[:2] == (0, False)
    raw.close()
    raw = Raw(broker.port)
    assert raw.connect("", clean=False)[0] == 2  # identifier rejected
    raw.wait_closed(5)


def test_v5_server_keep_alive_when_client_asks_too_much(make_broker):
    broker = make_broker(extra=["max_keepalive 10"])
    raw = Raw(broker.port, v5=True)
    rc, _, props = raw.connect("lazy", keepalive=120)
    assert rc == 0
    assert props.get(b.SERVER_KEEP_ALIVE) == 10, props
    raw.close()
    raw = Raw(broker.port, v5=True)
    rc, _, props = raw.connect("modest", keepalive=5)
    assert rc == 0 and props.get(b.SERVER_KEEP_ALIVE) in (None, 5), props
    raw.close()
