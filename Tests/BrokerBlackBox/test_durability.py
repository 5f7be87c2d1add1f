"""Durability: QoS 1 messages acknowledged to their publisher and retained messages survive
the broker's death.  `kill -9` is ours only (mosquitto keeps them in memory until its next
autosave); a clean restart (SIGTERM) is checked against both."""

import pytest

from brokerhelpers import Paho, connected

COUNT = 1000


def _queue_then_restart(make_broker, stop) -> None:
    # mosquitto's default max_queued_messages is exactly 1000; leave room for the retained one.
    broker = make_broker(persistence=True, extra=["max_queued_messages 2000"])
    with connected(Paho(broker, "durable", clean=False)) as s:
        s.subscribe("dur/#", 1)
    with connected(Paho(broker, "pub")) as pub:
        pub.publish("dur/retained", b"kept", qos=1, retain=True)
        infos = [pub.publish("dur/q", str(i).encode(), qos=1, wait=False) for i in range(COUNT)]
        for info in infos:
            info.wait_for_publish(30)
            assert info.is_published()  # PUBACK received: the broker owns the message now
    stop(broker)
    broker.start()
    with connected(Paho(broker, "durable", clean=False)) as s:
        assert s.connack.session_present is True
        s.wait_messages(COUNT + 1, timeout=60)  # the retained one was queued too
        got = [m.payload for m in s.settle(0.5) if m.topic == "dur/q"]
        assert got == [str(i).encode() for i in range(COUNT)], f"{len(got)} of {COUNT} delivered"
    with connected(Paho(broker, "late")) as late:
        late.subscribe("dur/retained", 1)
        [m] = late.wait_messages(1)
        assert (m.payload, m.retain) == (b"kept", True)


@pytest.mark.timeout_seconds(120)
def test_queued_and_retained_survive_a_clean_restart(make_broker):
    _queue_then_restart(make_broker, lambda br: br.stop())


@pytest.mark.only_mqdash("mosquitto loses what arrived since its last autosave on kill -9")
@pytest.mark.timeout_seconds(120)
def test_acknowledged_qos1_messages_survive_kill_9(make_broker):
    _queue_then_restart(make_broker, lambda br: br.kill9())
