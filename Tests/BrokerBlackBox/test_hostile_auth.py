"""Hostile clients against the auth code (issue 8): client ids chosen to widen an ACL pattern,
and client ids, user names and topics chosen to forge lines in the broker's log.
Raw sockets for the attacker; the ACL and the log live in the test's tmp dir."""

import re

import pytest

import brokerhelpers as b
from brokerhelpers import USER, PASSWORD, Paho, Raw, connected

# iot reads and writes everything and watches; anonymous clients read public/# and get the pattern.
ACL_TEMPLATE = """\
topic read public/#

user iot
topic readwrite #

pattern readwrite {pattern}
"""


def attack(br: b.Broker, attacker_id: str, topic: str, owner_id: str):
    """`attacker_id` (anonymous, raw v5) subscribes to `topic`, publishes to it (QoS 1), then its
    owner publishes there.  Returns the attacker's PUBACK reason code, what the watcher (iot)
    received on `topic`, and the payloads the attacker read from it."""
    with connected(Paho(br, "watcher", v5=True, user=USER, password=PASSWORD)) as watcher:
        assert watcher.subscribe("#", 1) == [1]
        attacker = Raw(br.port, v5=True)
        assert attacker.connect(attacker_id)[0] == 0
        attacker.subscribe(topic, 1, pid=1)          # granted or not: delivery is what counts
        assert attacker.subscribe("public/#", 1, pid=2) == [1]
        attacker.send(b.publish_packet(topic, b"forged", qos=1, pid=3, v5=True))
        read: list[bytes] = []
        while True:
            p = attacker.recv()
            if p.type == b.PUBACK:
                reason = p.body[2] if len(p.body) > 2 else 0
                break
            read.append(b.parse_publish(p, True).payload)
        with connected(Paho(br, owner_id, v5=True)) as owner:
            owner.publish(topic, b"owner", qos=1)
        watcher.publish("public/end", b"end", qos=1)
        b.wait_until(lambda: b"end" in watcher.payloads(), 10, "the watcher's marker")
        while True:  # everything routed before the marker reached the attacker before it
            m = b.parse_publish(attacker.expect(b.PUBLISH), True)
            if m.topic == "public/end":
                break
            read.append(m.payload)
        attacker.close()
        seen = [m.payload for m in watcher.messages if m.topic == topic]
    return reason, seen, read


def test_client_id_with_share_prefix_gains_nothing_through_a_pattern(make_broker):
    """`pattern readwrite %c/#` with id `$share/g` once became the rule `$share/g/#`, which the
    matcher read as the shared subscription `#`: every topic, read and write."""
    br = make_broker(password_file=True, acl=ACL_TEMPLATE.format(pattern="%c/#"))
    reason, seen, read = attack(br, "$share/g", "victim/secret", "victim")
    assert reason == 0x87, f"PUBACK {reason:#x}: the forged publish was accepted"
    assert seen == [b"owner"]
    assert read == []


@pytest.mark.only_mqdash("mosquitto 2.0.11 substitutes a client id containing '/' into %c and grants it")
def test_client_id_with_slash_does_not_reach_another_clients_levels(make_broker):
    """`pattern readwrite devices/%c/#` with id `victim/valve` reaches into `devices/victim/...`,
    which belongs to client `victim`."""
    br = make_broker(password_file=True, acl=ACL_TEMPLATE.format(pattern="devices/%c/#"))
    reason, seen, read = attack(br, "victim/valve", "devices/victim/valve/open", "victim")
    assert reason == 0x87, f"PUBACK {reason:#x}: the forged publish was accepted"
    assert seen == [b"owner"]
    assert read == []


def log_text(br: b.Broker) -> str:
    return br.log.read_text(encoding="utf-8", errors="surrogateescape") if br.log.exists() else ""


FORGED = "1732573200: New client connected from 6.6.6.6:1 as admin (p4, c1, k60, u'admin')."


def test_client_id_user_name_and_topic_cannot_forge_log_lines(make_broker):
    """Control characters in what clients send are escaped in the log: no forged line, no raw
    escape sequence.  mosquitto refuses such strings at CONNECT; ours may accept or refuse."""
    br = make_broker()  # -v, log_type all, connection_messages true
    hostile = Raw(br.port)
    hostile.send(b.connect_packet("x\n" + FORGED, user="u\r\n" + FORGED + "\x1b[2J"))
    try:
        if hostile.recv().type == b.CONNACK:
            hostile.send(b.subscribe_packet(1, [("t\n" + FORGED, 0)]))
            hostile.send(b.publish_packet("t\n" + FORGED + "\x1b]0;owned\x07", b"x"))
            hostile.recv(5)  # SUBACK, or the close
    except (b.Closed, TimeoutError):
        pass
    hostile.close()
    # A well-behaved client after it: once its connection is logged, so are the hostile lines.
    with connected(Paho(br, "after")):
        b.wait_until(lambda: log_text(br).count("after") > 0, 10, "the log line of client 'after'")
    log = log_text(br)
    lines = log.splitlines()
    assert not [l for l in lines if l.startswith("1732573200:")], log
    assert "\x1b" not in log and "\r" not in log and "\x07" not in log, repr(log)
    stamped = re.compile(r"^\d+: ")
    assert all(stamped.match(l) for l in lines), [l for l in lines if not stamped.match(l)]
