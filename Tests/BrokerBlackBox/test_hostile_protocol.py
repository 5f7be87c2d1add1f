"""Protocol rules a hostile client probes (issue 8, from a public packet-sequence corpus), over
raw sockets: where mosquitto closes the connection or answers a refusal, so do we, and another
client goes on working.  One test per rule: MQTT 3.1 and protocol levels, control characters,
DISCONNECT/PINGREQ bodies, client-only PUBLISH properties, authentication methods and
`use_username_as_clientid`."""

import struct

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, Raw, connected

AUTHENTICATION_METHOD = 0x15

# Where mosquitto 2.0.11 (the reference run) does not follow the rule; later mosquitto versions do.
NORMAL_DISCONNECT = "mosquitto 2.0.11 takes a DISCONNECT with an invalid reason code as a normal one: no will"
PING_KEPT = "mosquitto 2.0.11 answers a PINGREQ with a body and ignores a PINGRESP from a client, keeping the connection"
FORWARDS = ("mosquitto 2.0.11 forwards a client's PUBLISH carrying one Subscription Identifier "
            "or a Response Topic with a wildcard")


def connect_with(name: str, level: int, client_id: str = "legacy", flags: int = 0x02) -> bytes:
    """A CONNECT with any protocol name and level (no v5 properties)."""
    body = b.mqtt_str(name) + bytes([level, flags]) + struct.pack("!H", 60) + b.mqtt_str(client_id)
    return b.packet(b.CONNECT, 0, body)


def assert_refused(raw: Raw, *, connack: tuple[int, ...] = ()) -> list[b.Packet]:
    """The broker closes `raw`. Before the close it may send a CONNACK with one of the codes in
    `connack` (a refusal) or a DISCONNECT with an error reason code, nothing else."""
    got = raw.wait_closed(10)
    for p in got:
        if p.type == b.CONNACK:
            assert p.body[1] in connack, f"CONNACK code {p.body[1]:#x} not among {connack}: {got}"
        else:
            assert p.type == b.DISCONNECT and p.body and p.body[0] >= 0x80, got
    return got


def bystander(broker, topic: str = "#", **paho_kw) -> Paho:
    """A v5 client subscribed to `topic`: it must stay connected and see only valid messages."""
    other = Paho(broker, "bystander", v5=True, **paho_kw)
    other.subscribe(topic, 1)
    return other


def assert_unaffected(broker, other: Paho, *, forbidden: str = "", **paho_kw) -> None:
    """`other` still receives (a QoS 1 marker arrives) and got no message whose topic contains `forbidden`."""
    b.probe(broker, other, "hostile/probe", **paho_kw)
    assert other.disconnected is None
    if forbidden:
        assert not [t for t in other.topics() if forbidden in t], other.topics()


# --- a. MQTT 3.1 and protocol levels


def test_mqtt31_client_is_accepted_and_served_as_311(broker):
    with connected(bystander(broker, "hostile/#")) as other:
        raw = Raw(broker.port)
        raw.send(connect_with("MQIsdp", 3))
        assert raw.expect(b.CONNACK).body == b"\x00\x00"
        assert raw.subscribe("hostile/31", 1) == [1]
        raw.send(b.publish_packet("hostile/31", b"from 3.1", qos=1, pid=7))
        # Our own message comes back (3.1 has no no-local) and the PUBACK arrives, in either order.
        got = {p.type: p for p in (raw.recv(), raw.recv())}
        assert got[b.PUBACK].pid() == 7
        assert b.parse_publish(got[b.PUBLISH], False).payload == b"from 3.1"
        assert other.wait_messages(1)[0].payload == b"from 3.1"
        raw.send(b.packet(b.PINGREQ, 0, b""))
        raw.expect(b.PINGRESP)
        assert_unaffected(broker, other)


@pytest.mark.parametrize("name,level", [("MQTT", 3), ("MQTT", 6), ("MQTT", 0), ("MQIsdp", 4)],
                         ids=["MQTT-3", "MQTT-6", "MQTT-0", "MQIsdp-4"])
def test_unsupported_protocol_level_is_connack_1_then_close(broker, name, level):
    with connected(bystander(broker)) as other:
        raw = Raw(broker.port)
        raw.send(connect_with(name, level))
        got = raw.wait_closed(10)
        assert [(p.type, p.body) for p in got] == [(b.CONNACK, b"\x00\x01")], got
        assert_unaffected(broker, other)


def test_mqtt31_empty_client_id_is_refused_with_connack_2(broker):
    with connected(bystander(broker)) as other:
        raw = Raw(broker.port)
        raw.send(connect_with("MQIsdp", 3, client_id=""))
        got = raw.wait_closed(10)
        assert [(p.type, p.body) for p in got] == [(b.CONNACK, b"\x00\x02")], got
        assert_unaffected(broker, other)


# --- b. control characters in client ids, user names and topics

CONTROL = {"U+0001": "\x01", "U+001F": "\x1f", "U+007F": "\x7f", "U+0080": "\x80", "U+009F": "\x9f"}


def control_case(where: str, ch: str, v5: bool) -> bytes:
    """The bytes a client sends to carry `ch` in `where`."""
    bad = f"hostile/bad{ch}topic"
    if where == "client-id":
        return b.connect_packet(f"id{ch}", v5=v5)
    if where == "username":
        return b.connect_packet("ctl-user", v5=v5, user=f"us{ch}er")
    if where == "will-topic":
        return b.connect_packet("ctl-will", v5=v5, will={"topic": bad, "payload": b"will"})
    ok = b.connect_packet("ctl-topics", v5=v5)
    if where == "publish-topic":
        return ok + b.publish_packet(bad, b"x", v5=v5)
    if where == "subscribe-filter":
        return ok + b.subscribe_packet(1, [(f"hostile/{ch}/#", 0)], v5=v5)
    if where == "unsubscribe-filter":
        body = struct.pack("!H", 1) + (b"\x00" if v5 else b"") + b.mqtt_str(f"hostile/{ch}")
        return ok + b.packet(b.UNSUBSCRIBE, 2, body)
    raise AssertionError(where)


@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
@pytest.mark.parametrize("ch", list(CONTROL.values()), ids=list(CONTROL))
@pytest.mark.parametrize("where", ["client-id", "username", "will-topic", "publish-topic",
                                   "subscribe-filter", "unsubscribe-filter"])
def test_control_characters_are_refused(broker, where, ch, v5):
    with connected(bystander(broker)) as other:
        raw = Raw(broker.port, v5=v5)
        raw.send(control_case(where, ch, v5))
        # The CONNECT in front of a topic is valid: its CONNACK 0 may come before the close.
        ok = (0,) if where.endswith(("-topic", "-filter")) and where != "will-topic" else ()
        assert_refused(raw, connack=ok + ((0x85, 0x81) if v5 else (2,)))
        assert_unaffected(broker, other, forbidden=ch)


# --- c. DISCONNECT and PING bodies


def test_v5_disconnect_with_an_invalid_reason_code_closes(broker):
    with connected(bystander(broker)) as other:
        raw = Raw(broker.port, v5=True)
        assert raw.connect("bad-bye")[0] == 0
        raw.send(b.disconnect_packet(v5=True, reason=0x01))  # 0x01 is not a DISCONNECT reason code
        assert_refused(raw)
        assert_unaffected(broker, other)


@pytest.mark.only_mqdash(NORMAL_DISCONNECT)
def test_v5_disconnect_with_an_invalid_reason_code_is_an_error_and_sends_the_will(broker):
    with connected(bystander(broker, "hostile/#")) as other:
        raw = Raw(broker.port, v5=True)
        assert raw.connect("bad-bye", will={"topic": "hostile/will", "payload": b"gone"})[0] == 0
        raw.send(b.disconnect_packet(v5=True, reason=0x01))
        assert_refused(raw)
        # A protocol error, not a normal disconnection: the will goes out (MQTT 5.0 3.1.2.5).
        assert other.wait_messages(1)[0].topic == "hostile/will"
        assert_unaffected(broker, other)


@pytest.mark.only_mqdash(PING_KEPT)
@pytest.mark.parametrize("sent", [b"\xc0\x01\x00", b"\xd0\x00", b"\xd0\x01\x00"],
                         ids=["pingreq-length-1", "pingresp", "pingresp-length-1"])
@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
def test_ping_with_a_body_or_from_the_client_closes(broker, sent, v5):
    with connected(bystander(broker)) as other:
        raw = Raw(broker.port, v5=v5)
        assert raw.connect("bad-ping")[0] == 0
        raw.send(sent)
        got = assert_refused(raw)
        assert b.PINGRESP not in [p.type for p in got]
        assert_unaffected(broker, other)


# --- d. PUBLISH properties only a server may send, or never valid


@pytest.mark.parametrize("props", [
    pytest.param([(b.SUBSCRIPTION_ID, 1)], id="subscription-id", marks=pytest.mark.only_mqdash(FORWARDS)),
    pytest.param([(b.SUBSCRIPTION_ID, 1), (b.SUBSCRIPTION_ID, 2)], id="two-subscription-ids"),
    pytest.param([(b.RESPONSE_TOPIC, "reply/+")], id="response-topic-plus", marks=pytest.mark.only_mqdash(FORWARDS)),
    pytest.param([(b.RESPONSE_TOPIC, "reply/#")], id="response-topic-hash", marks=pytest.mark.only_mqdash(FORWARDS)),
])
def test_v5_publish_with_forbidden_properties_is_a_protocol_error(broker, props):
    with connected(bystander(broker, "hostile/#")) as other:
        raw = Raw(broker.port, v5=True)
        assert raw.connect("bad-props")[0] == 0
        raw.send(b.publish_packet("hostile/forwarded", b"x", qos=1, pid=1, v5=True, props=props))
        got = assert_refused(raw)
        assert b.disconnect_reason(got) in (None, 0x82), got
        assert_unaffected(broker, other, forbidden="hostile/forwarded")


# --- e. authentication methods


def test_unsupported_authentication_method_is_connack_0x8c(broker):
    with connected(bystander(broker)) as other:
        raw = Raw(broker.port, v5=True)
        raw.send(b.connect_packet("auth-method", v5=True, props=[(AUTHENTICATION_METHOD, "SCRAM-SHA-1")]))
        got = raw.wait_closed(10)
        assert [(p.type, p.body[:2]) for p in got] == [(b.CONNACK, b"\x00\x8c")], got
        assert_unaffected(broker, other)


# --- f. use_username_as_clientid


@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
def test_use_username_as_clientid_refuses_a_client_without_user_name(make_broker, v5):
    broker = make_broker(listener_extra=["use_username_as_clientid true"])
    with connected(bystander(broker, user="watcher")) as other:
        raw = Raw(broker.port, v5=v5)
        raw.send(b.connect_packet("no-user", v5=v5))
        got = raw.wait_closed(10)
        assert [(p.type, p.body[:2]) for p in got] == [(b.CONNACK, b"\x00\x87" if v5 else b"\x00\x05")], got
        named = Raw(broker.port, v5=v5)
        assert named.connect("ignored", user="alice")[0] == 0
        named.close()
        assert_unaffected(broker, other, user="prober")
