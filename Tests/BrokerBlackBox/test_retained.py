"""Retained messages: set, replace, clear with an empty payload; RETAIN=1 only on delivery to a
new subscription; v5 retain handling 0/1/2 and retain-as-published."""

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, connected

VERSIONS = pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])


@VERSIONS
def test_set_replace_and_clear(broker, v5):
    with connected(Paho(broker, "pub", v5=v5)) as pub:
        pub.publish("ret/a", b"one", qos=1, retain=True)
        pub.publish("ret/a", b"two", qos=1, retain=True)
        pub.publish("ret/b", b"bee", qos=1, retain=True)
        with connected(Paho(broker, "late1", v5=v5)) as late:
            late.subscribe("ret/#", 1)
            msgs = late.wait_messages(2)
            assert sorted((m.topic, m.payload, m.retain) for m in late.settle(0.3)) == [
                ("ret/a", b"two", True), ("ret/b", b"bee", True)]
            assert {m.topic: m.qos for m in msgs} == {"ret/a": 1, "ret/b": 1}

        pub.publish("ret/a", b"", qos=1, retain=True)  # an empty retained message clears
        with connected(Paho(broker, "late2", v5=v5)) as late:
            late.subscribe("ret/#", 1)
            late.wait_messages(1)
            assert [(m.topic, m.payload) for m in late.settle(0.5)] == [("ret/b", b"bee")]


@VERSIONS
def test_retain_flag_set_only_for_messages_sent_because_of_a_new_subscription(broker, v5):
    with connected(Paho(broker, "pub", v5=v5)) as pub, connected(Paho(broker, "sub", v5=v5)) as sub:
        pub.publish("ret/live", b"stored", qos=1, retain=True)
        sub.subscribe("ret/live", 1)
        [stored] = sub.wait_messages(1)
        assert (stored.payload, stored.retain) == (b"stored", True)
        pub.publish("ret/live", b"live", qos=1, retain=True)
        live = sub.wait_messages(2)[1]
        assert (live.payload, live.retain) == (b"live", False)


def test_retained_delivered_at_the_lower_qos(broker):
    with connected(Paho(broker, "pub")) as pub:
        pub.publish("ret/q", b"q2", qos=2, retain=True)
    with connected(Paho(broker, "sub")) as sub:
        sub.subscribe("ret/q", 1)
        [m] = sub.wait_messages(1)
        assert (m.qos, m.retain) == (1, True)


@pytest.mark.parametrize("handling,first,again", [(0, 1, 1), (1, 1, 0), (2, 0, 0)])
def test_v5_retain_handling(broker, handling, first, again):
    """0: send on every SUBSCRIBE; 1: only when the subscription is new; 2: never."""
    with connected(Paho(broker, "pub", v5=True)) as pub:
        pub.publish("ret/h", b"kept", qos=1, retain=True)
    with connected(Paho(broker, "sub", v5=True)) as sub:
        sub.subscribe("ret/h", 1, retain_handling=handling)
        # Wait for what must come; settle only looks for anything more (a slow machine cannot fail that).
        sub.wait_messages(first)
        assert len(sub.settle(0.5)) == first
        sub.subscribe("ret/h", 1, retain_handling=handling)  # the same subscription again
        sub.wait_messages(first + again)
        assert len(sub.settle(0.5)) == first + again
        assert all(m.retain for m in sub.messages)


@pytest.mark.parametrize("rap", [False, True], ids=["rap0", "rap1"])
def test_v5_retain_as_published(broker, rap):
    with connected(Paho(broker, "sub", v5=True)) as sub, connected(Paho(broker, "pub", v5=True)) as pub:
        sub.subscribe("ret/rap", 1, retain_as_published=rap)
        pub.publish("ret/rap", b"r", qos=1, retain=True)
        pub.publish("ret/rap", b"n", qos=1, retain=False)
        sub.wait_messages(2)
        assert [(m.payload, m.retain) for m in sub.messages] == [(b"r", rap), (b"n", False)]


def test_mosquitto_pub_retained_reaches_a_later_mosquitto_sub(broker):
    r = b.h.run(["mosquitto_pub", *broker.anon, "-t", "ret/cli", "-m", "21.5", "-r", "-q", "1"])
    assert r.rc == 0, r
    res = b.h.run(["mosquitto_sub", *broker.anon, "-t", "ret/#", "-C", "1", "-v", "-F", "%r %t %p"],
                  timeout=10)
    assert (res.rc, res.stdout) == (0, "1 ret/cli 21.5\n"), res
    r = b.h.run(["mosquitto_pub", *broker.anon, "-t", "ret/cli", "-r", "-n"])
    assert r.rc == 0, r
    res = b.h.run(["mosquitto_sub", *broker.anon, "-t", "ret/#", "--retained-only", "-W", "1"],
                  timeout=10)
    assert res.stdout == "", res
