"""Clean session / clean start, session expiry, and offline queueing for persistent sessions."""

import time

import pytest

from brokerhelpers import Paho, connected

VERSIONS = pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])


def persistent(v5: bool) -> dict:
    return {"clean": False, "session_expiry": 300} if v5 else {"clean": False}


@VERSIONS
def test_persistent_session_queues_qos1_and_qos2_but_not_qos0(broker, v5):
    with connected(Paho(broker, "keeper", v5=v5, **persistent(v5))) as s:
        assert s.connack.session_present is False
        s.subscribe("sess/#", 2)
    with connected(Paho(broker, "pub", v5=v5)) as pub:
        pub.publish("sess/a", b"q1", qos=1)
        pub.publish("sess/b", b"q0", qos=0)
        pub.publish("sess/c", b"q2", qos=2)
    with connected(Paho(broker, "keeper", v5=v5, **persistent(v5))) as s:
        assert s.connack.session_present is True
        s.wait_messages(2)
        got = s.settle(0.5)
        assert [(m.topic, m.payload, m.qos) for m in got] == [("sess/a", b"q1", 1), ("sess/c", b"q2", 2)]
        # The subscription survived too: live messages still arrive.
        with connected(Paho(broker, "pub2", v5=v5)) as pub:
            pub.publish("sess/live", b"live", qos=1)
        assert s.wait_messages(3)[2].payload == b"live"


@VERSIONS
def test_clean_session_discards_the_session(broker, v5):
    with connected(Paho(broker, "keeper", v5=v5, **persistent(v5))) as s:
        s.subscribe("sess/#", 1)
    with connected(Paho(broker, "pub", v5=v5)) as pub:
        pub.publish("sess/a", b"lost", qos=1)
    with connected(Paho(broker, "keeper", v5=v5, clean=True)) as s:
        assert s.connack.session_present is False
        assert s.settle(0.5) == []
    # ...and the clean session left nothing behind either.
    with connected(Paho(broker, "keeper", v5=v5, **persistent(v5))) as s:
        assert s.connack.session_present is False


def test_v5_session_without_expiry_ends_at_disconnect(broker):
    with connected(Paho(broker, "brief", v5=True, clean=False)) as s:  # session expiry absent = 0
        s.subscribe("sess/#", 1)
    with connected(Paho(broker, "brief", v5=True, clean=False, session_expiry=60)) as s:
        assert s.connack.session_present is False


@pytest.mark.timeout_seconds(30)
def test_v5_session_expiry_interval(broker):
    with connected(Paho(broker, "short", v5=True, clean=False, session_expiry=2)) as s:
        s.subscribe("sess/#", 1)
    with connected(Paho(broker, "pub", v5=True)) as pub:
        pub.publish("sess/x", b"within", qos=1)
    # Back within the interval: the session and its queued message are there.
    with connected(Paho(broker, "short", v5=True, clean=False, session_expiry=2)) as s:
        assert s.connack.session_present is True
        assert s.wait_messages(1)[0].payload == b"within"
    with connected(Paho(broker, "pub", v5=True)) as pub:
        pub.publish("sess/x", b"expired", qos=1)
    time.sleep(4)  # past the 2 s interval (brokers check expiry about once a second)
    with connected(Paho(broker, "short", v5=True, clean=False, session_expiry=60)) as s:
        assert s.connack.session_present is False
        assert s.settle(0.5) == []


@VERSIONS
def test_offline_queue_is_bounded_by_max_queued_messages(make_broker, v5):
    broker = make_broker(extra=["max_queued_messages 5"])
    with connected(Paho(broker, "slow", v5=v5, **persistent(v5))) as s:
        s.subscribe("sess/q", 1)
    with connected(Paho(broker, "pub", v5=v5)) as pub:
        for i in range(12):
            pub.publish("sess/q", str(i).encode(), qos=1)
    with connected(Paho(broker, "slow", v5=v5, **persistent(v5))) as s:
        s.wait_messages(5)
        got = [int(p) for p in (m.payload for m in s.settle(1.0))]
        assert len(got) == 5, got
        assert got == sorted(got), got
