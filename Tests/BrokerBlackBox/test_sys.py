"""$SYS/broker statistics, published every sys_interval seconds."""

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, connected

TOPICS = ["$SYS/broker/uptime", "$SYS/broker/clients/connected", "$SYS/broker/messages/received",
          "$SYS/broker/messages/sent", "$SYS/broker/version", "$SYS/broker/bytes/received", "$SYS/broker/bytes/sent"]


@pytest.mark.timeout_seconds(20)
def test_sys_topics_published_every_interval(make_broker):
    broker = make_broker(sys_interval=1)
    with connected(Paho(broker, "stats")) as s, connected(Paho(broker, "other")):
        s.subscribe("$SYS/broker/#", 0)

        def latest() -> dict:
            return {m.topic: m.payload.decode() for m in s.messages}

        b.wait_until(lambda: all(t in latest() for t in TOPICS), 6, f"all of {TOPICS}")
        # The first values may predate these clients; wait for one that counts them.
        b.wait_until(lambda: int(latest()["$SYS/broker/clients/connected"]) >= 2, 4,
                     "clients/connected to count both clients")
        first = latest()
        assert first["$SYS/broker/uptime"].endswith(" seconds"), first
        assert first["$SYS/broker/version"], first
        assert int(first["$SYS/broker/clients/connected"]) >= 2, first
        assert int(first["$SYS/broker/messages/received"]) >= 1, first  # at least the SUBSCRIBE

        # The counters move: ten more PUBLISHes received.
        received0 = int(first["$SYS/broker/messages/received"])
        with connected(Paho(broker, "pub")) as pub:
            for i in range(10):
                pub.publish("count/t", b"x", qos=1)
        b.wait_until(lambda: int(latest()["$SYS/broker/messages/received"]) >= received0 + 10, 4,
                     "messages/received to count the ten PUBLISHes")
        # mosquitto also counts bytes; ten PUBLISHes of 1 byte on count/t are at least 10 * 12 bytes more.
        bytes0 = int(first["$SYS/broker/bytes/received"])
        b.wait_until(lambda: int(latest()["$SYS/broker/bytes/received"]) >= bytes0 + 120, 4,
                     "bytes/received to count the PUBLISHes' bytes")
        assert int(latest()["$SYS/broker/bytes/sent"]) > 0

        # Published again: uptime goes up.
        up0 = int(first["$SYS/broker/uptime"].split()[0])
        b.wait_until(lambda: int(latest()["$SYS/broker/uptime"].split()[0]) > up0, 4, "uptime to grow")
