"""Overlapping subscriptions, subscription identifiers, `$` topics and wildcards, shared
subscriptions, no-local, unsubscribe."""

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, connected

VERSIONS = pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])


def _overlap(broker):
    with connected(Paho(broker, "sub")) as sub, connected(Paho(broker, "pub")) as pub:
        sub.subscribe("over/#", 0)
        sub.subscribe("over/+/c", 2)
        sub.subscribe("over/b/c", 1)
        pub.publish("over/b/c", b"x", qos=2)
        sub.wait_messages(1)
        return [(m.topic, m.qos) for m in sub.settle(0.5)]


def test_overlapping_subscriptions_v311_one_copy(broker):
    got = _overlap(broker)
    assert len(got) == 1 and got[0][0] == "over/b/c", got


@pytest.mark.only_mqdash("mosquitto 2.0.11 sends its one copy at the QoS of one of the matching "
                         "subscriptions (here 1), not the highest as MQTT 3.1.1 section 3.3.5 asks")
def test_overlapping_subscriptions_v311_delivered_at_the_highest_qos(broker):
    assert _overlap(broker) == [("over/b/c", 2)]


def test_overlapping_subscriptions_v5_carry_every_subscription_identifier(broker):
    with connected(Paho(broker, "sub", v5=True)) as sub, connected(Paho(broker, "pub", v5=True)) as pub:
        sub.subscribe("ids/#", 0, sub_id=11)
        sub.subscribe("ids/+/c", 1, sub_id=22)
        sub.subscribe("noid/t", 1)  # no identifier
        pub.publish("ids/b/c", b"x", qos=1)
        sub.wait_messages(1)
        got = sub.settle(0.5)
        # One copy with both identifiers, or one copy per subscription: the spec allows either.
        ids = sorted(i for m in got for i in getattr(m.properties, "SubscriptionIdentifier", []))
        assert ids == [11, 22], [(m.topic, m.qos, m.properties) for m in got]
        assert max(m.qos for m in got) == 1
        pub.publish("noid/t", b"y", qos=1)
        m = sub.wait_messages(len(got) + 1)[-1]
        assert getattr(m.properties, "SubscriptionIdentifier", []) == []


@VERSIONS
def test_wildcards_match_levels_exactly(broker, v5):
    with connected(Paho(broker, "sub", v5=v5)) as sub, connected(Paho(broker, "pub", v5=v5)) as pub:
        sub.subscribe("wc/+/temp", 1)
        sub.subscribe("wc/house/#", 1)
        for t in ("wc/kitchen/temp", "wc/kitchen/temp/x", "wc/house", "wc/house/a/b", "wc//temp",
                  "wcx/house/a"):
            pub.publish(t, t.encode(), qos=1)
        sub.subscribe("done", 1)
        pub.publish("done", b"end", qos=1)
        sub.wait_messages(5)
        assert sorted(sub.topics()) == sorted(["wc/kitchen/temp", "wc/house", "wc/house/a/b",
                                               "wc//temp", "done"])


@pytest.mark.timeout_seconds(20)
def test_leading_wildcards_do_not_match_dollar_topics(make_broker):
    broker = make_broker(sys_interval=1)
    with connected(Paho(broker, "all")) as all_, connected(Paho(broker, "sys")) as sys_:
        all_.subscribe("#", 0)
        all_.subscribe("+/broker/uptime", 0)
        sys_.subscribe("$SYS/broker/uptime", 0)
        sys_.wait_messages(2, timeout=5)  # $SYS is being published meanwhile
        with connected(Paho(broker, "pub")) as pub:
            pub.publish("plain/topic", b"p", qos=1)
        all_.wait_messages(1)
        assert [m.topic for m in all_.settle(0.5)] == ["plain/topic"]


@VERSIONS
def test_shared_subscription_splits_messages_between_members(broker, v5):
    with connected(Paho(broker, "m1", v5=v5)) as m1, connected(Paho(broker, "m2", v5=v5)) as m2, \
            connected(Paho(broker, "plain", v5=v5)) as plain, connected(Paho(broker, "pub", v5=v5)) as pub:
        m1.subscribe("$share/g/share/t", 1)
        m2.subscribe("$share/g/share/t", 1)
        plain.subscribe("share/t", 1)
        for i in range(20):
            pub.publish("share/t", str(i).encode(), qos=1)
        plain.wait_messages(20)
        b.wait_until(lambda: len(m1.messages) + len(m2.messages) >= 20, 10, "20 shared deliveries")
        a, c = m1.settle(0.5), m2.settle(0)
        got = sorted(int(m.payload) for m in a + c)
        assert got == list(range(20)), (m1.payloads(), m2.payloads())
        assert a and c, f"one member got everything: {len(a)} / {len(c)}"
        assert all(m.topic == "share/t" for m in a + c)


def test_v5_no_local(broker):
    with connected(Paho(broker, "self", v5=True)) as me, connected(Paho(broker, "other", v5=True)) as other:
        me.subscribe("nl/t", 1, no_local=True)
        me.publish("nl/t", b"mine", qos=1)
        other.publish("nl/t", b"theirs", qos=1)
        me.wait_messages(1)
        assert me.settle(0.5) and me.payloads() == [b"theirs"]


@VERSIONS
def test_unsubscribe_stops_delivery(broker, v5):
    with connected(Paho(broker, "sub", v5=v5)) as sub, connected(Paho(broker, "pub", v5=v5)) as pub:
        sub.subscribe("un/t", 1)
        pub.publish("un/t", b"1", qos=1)
        sub.wait_messages(1)
        assert sub.client.unsubscribe("un/t")[0] == 0
        sub.subscribe("un/marker", 1)  # SUBACK after UNSUBACK: the unsubscribe is done
        pub.publish("un/t", b"2", qos=1)
        pub.publish("un/marker", b"m", qos=1)
        sub.wait_messages(2)
        assert sub.settle(0.3) and sub.payloads() == [b"1", b"m"]


def test_shared_subscription_member_leaving_leaves_everything_to_the_other(broker):
    with connected(Paho(broker, "m1")) as m1, connected(Paho(broker, "pub")) as pub:
        m1.subscribe("$share/g/share/u", 1)
        with connected(Paho(broker, "m2")) as m2:
            m2.subscribe("$share/g/share/u", 1)
        for i in range(6):
            pub.publish("share/u", str(i).encode(), qos=1)
        m1.wait_messages(6)
        assert m1.payloads() == [str(i).encode() for i in range(6)]


def test_v5_unsuback_reason_codes(broker):
    raw = b.Raw(broker.port, v5=True)
    assert raw.connect("unsub")[0] == 0
    assert raw.subscribe("un/a", 1) == [1]
    raw.send(b.packet(b.UNSUBSCRIBE, 2, b"\x00\x09\x00" + b.mqtt_str("un/a") + b.mqtt_str("un/never")))
    p = raw.expect(b.UNSUBACK)
    assert p.pid() == 9
    codes = list(p.body[b.parse_props(p.body, 2)[1]:])
    assert codes == [0x00, 0x11], codes  # success, no subscription existed
    raw.close()


def test_v5_message_reaches_a_v311_subscriber_without_properties(broker):
    with connected(Paho(broker, "old")) as old, connected(Paho(broker, "new", v5=True)) as new:
        old.subscribe("mix/#", 1)
        new.publish("mix/t", b"\x00binary\xff", qos=1,
                    props={"UserProperty": [("k", "v")], "ResponseTopic": "mix/reply"})
        [m] = old.wait_messages(1)
        assert (m.topic, m.payload, m.qos) == ("mix/t", b"\x00binary\xff", 1)


def test_large_payload_passes_through_intact(broker, tmp_path):
    data = bytes(range(256)) * 4096  # 1 MiB
    f = tmp_path / "big.bin"
    f.write_bytes(data)
    with connected(Paho(broker, "sub")) as sub:
        sub.subscribe("big/t", 1)
        r = b.h.run(["mosquitto_pub", *broker.anon, "-t", "big/t", "-f", str(f), "-q", "1"], timeout=20)
        assert r.rc == 0, r
        [m] = sub.wait_messages(1, timeout=20)
        b.h.assert_same_bytes(m.payload, data)
