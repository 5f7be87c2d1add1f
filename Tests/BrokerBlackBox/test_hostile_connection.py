"""Hostile clients against the broker's connections and sessions (issue 8, defects 3, 4, 7, 8, 10):
clients that never read, floods of packets that each need an answer, a SUBSCRIBE that asks the
retained store for a thousand filters, and sessions resumed or restored under another identity.
Memory is read from /proc while the attack runs; every wait is bounded."""

import os
import signal
import socket
import time

import pytest

import brokerhelpers as b
from brokerhelpers import PASSWORD, USER, Raw

MIB = 1024 * 1024

ACL = """\
user iot
topic readwrite home/#

user admin
topic readwrite #
"""


def _stop_reading(raw: Raw) -> Raw:
    raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return raw


def _flood(raw: Raw, chunk: bytes, limit: int, seconds: float) -> int:
    """Sends `chunk` until `limit` bytes went out, `seconds` passed, or the broker stopped reading
    (three sends in a row blocked for half a second each). Returns the bytes sent."""
    raw.sock.settimeout(0.5)
    sent, blocked = 0, 0
    deadline = time.monotonic() + seconds
    while sent < limit and time.monotonic() < deadline and blocked < 3:
        try:
            sent += raw.sock.send(chunk)
            blocked = 0
        except socket.timeout:
            blocked += 1
    return sent


@pytest.mark.timeout_seconds(80)
@pytest.mark.only_mqdash("mosquitto 2.0.11 keeps reading a client that reads none of its answers")
@pytest.mark.parametrize("kind", ["pingreq", "qos1"])
def test_a_flood_of_packets_needing_answers_from_a_client_that_never_reads_stays_bounded(broker, kind):
    """27 MB of PINGREQ from a client that reads nothing grew the broker by 2.3 GB: every PINGRESP was
    queued. The unsent answers are bounded now and the broker stops reading the flooder."""
    flooder = _stop_reading(Raw(broker.port))
    assert flooder.connect("flooder", keepalive=0)[0] == 0
    one = b.packet(b.PINGREQ, 0, b"") if kind == "pingreq" else b.publish_packet("nobody/listens", b"", qos=1, pid=1)
    chunk = one * (65536 // len(one))
    before = broker.rss_kib()
    sent = _flood(flooder, chunk, 27 * MIB, 15)
    grown = broker.rss_kib() - before
    print(f"{kind}: sent {sent / MIB:.1f} MiB before the broker stopped reading; RSS grew {grown / 1024:.1f} MiB")
    assert sent < 27 * MIB, "the broker kept reading a client that reads none of its answers"
    assert grown < 64 * 1024, f"RSS grew by {grown / 1024:.0f} MiB"
    # Others are still served while the flooder waits unread. Generous timeouts: a debug build on a loaded
    # machine answers the flood's last read bursts slowly (one event loop, as in mosquitto).
    with b.connected(b.Paho(broker, "other", timeout=30)) as other:
        other.subscribe("still/serving", 1, timeout=30)
        other.publish("still/serving", b"marker", qos=1, timeout=30)
        assert other.wait_messages(1, timeout=30)[0].payload == b"marker"
    flooder.close()


def _fill_the_output_of(stuck: Raw, broker) -> None:
    """Subscribes `stuck` to a topic and floods it with QoS 0 until its unsent bytes pass the broker's bound."""
    assert stuck.subscribe("flood/#", 0) == [0]
    publisher = Raw(broker.port)
    assert publisher.connect("flooder")[0] == 0
    payload = b"x" * 16384
    publisher.send(b.publish_packet("flood/t", payload) * 1000)   # 16 MB: far more than the sockets and bound hold
    publisher.send(b.publish_packet("flood/done", b"", qos=1, pid=1))
    publisher.expect(b.PUBACK, timeout=20)
    publisher.close()


@pytest.mark.timeout_seconds(30)
def test_keep_alive_ends_a_client_that_stopped_reading(broker):
    """The keep alive expired, but closing waited for a flush the client never allowed: the socket stayed."""
    stuck = _stop_reading(Raw(broker.port))
    assert stuck.connect("stuck", keepalive=2)[0] == 0
    port = stuck.sock.getsockname()[1]
    assert broker.holds_connection_from(port)
    start = time.monotonic()
    _fill_the_output_of(stuck, broker)
    b.wait_until(lambda: not broker.holds_connection_from(port), 10, "the broker to let go of the silent client's socket")
    print(f"let go {time.monotonic() - start:.1f} s after connecting (keep alive 2 s: due 3 s after its last packet)")
    stuck.close()


@pytest.mark.timeout_seconds(30)
def test_sigterm_stops_the_broker_while_a_client_never_reads(broker):
    """Shutdown must not wait for a flush that a client which never reads will never allow."""
    stuck = _stop_reading(Raw(broker.port))
    assert stuck.connect("stuck", keepalive=0)[0] == 0
    _fill_the_output_of(stuck, broker)
    start = time.monotonic()
    broker.proc.send_signal(signal.SIGTERM)
    # A bound, not a measurement: a shutdown waiting on that flush would never end.
    try:
        broker.proc.wait(15)
    except b.subprocess.TimeoutExpired:
        pass
    assert not broker.running(), "SIGTERM did not stop the broker within 15 s"
    print(f"stopped {time.monotonic() - start:.2f} s after SIGTERM")
    stuck.close()


@pytest.mark.timeout_seconds(60)
def test_a_subscribe_of_2000_filters_over_50000_retained_messages_does_not_stall_others(broker):
    """Each filter used to scan every retained message: 1000 filters over 20 000 held the broker for 13 s,
    so this SUBSCRIBE (five times the work) would hold it for a minute. A PINGREQ sent right behind it
    must be answered, and the SUBACK must come, within the usual wait for a packet: no stopwatch, the
    scan is simply far longer than any wait here."""
    publisher = Raw(broker.port)
    assert publisher.connect("retainer")[0] == 0
    publisher.send(b"".join(b.publish_packet(f"sensors/{i}/value", b"21.5", retain=True) for i in range(50_000)))
    publisher.send(b.publish_packet("sensors/done", b"", qos=1, pid=1))
    publisher.expect(b.PUBACK, timeout=30)

    pinger = Raw(broker.port)
    assert pinger.connect("pinger")[0] == 0
    greedy = Raw(broker.port)
    assert greedy.connect("greedy")[0] == 0
    greedy.send(b.subscribe_packet(1, [(f"nothing/{i}/here", 0) for i in range(2000)]))
    pinger.send(b.packet(b.PINGREQ, 0, b""))
    pinger.expect(b.PINGRESP, timeout=10)
    greedy.expect(b.SUBACK, timeout=10)
    for raw in (publisher, pinger, greedy):
        raw.close()


@pytest.fixture
def acl_broker(make_broker):
    br = make_broker(start=False, allow_anonymous=False, password_file=True, acl=ACL, persistence=True)
    b.add_user(br, "admin", "adminpw")
    return br.start()


def _queue_a_secret_for(broker, client_id: str) -> None:
    """`client_id`, logged in as admin, subscribes to secret/#, leaves its session behind, and a secret is queued."""
    owner = Raw(broker.port)
    assert owner.connect(client_id, clean=False, user="admin", password="adminpw")[0] == 0
    assert owner.subscribe("secret/#", 1) == [1]
    owner.send(b.disconnect_packet())
    owner.close()
    publisher = Raw(broker.port)
    assert publisher.connect("admin-pub", user="admin", password="adminpw")[0] == 0
    publisher.send(b.publish_packet("secret/code", b"1234", qos=1, pid=1))
    publisher.expect(b.PUBACK)
    publisher.close()


@pytest.mark.timeout_seconds(30)
def test_a_session_resumed_by_another_user_gets_only_what_that_user_may_read(acl_broker):
    _queue_a_secret_for(acl_broker, "panel")
    intruder = Raw(acl_broker.port)
    code, present, _ = intruder.connect("panel", clean=False, user=USER, password=PASSWORD)
    assert code == 0 and present
    with pytest.raises(TimeoutError):
        got = intruder.recv_publish(timeout=1.5)
        pytest.fail(f"user {USER} received {got.topic}, which only admin may read")
    intruder.close()


@pytest.mark.timeout_seconds(40)
def test_a_restored_session_keeps_its_user_and_gets_what_it_may_read(acl_broker):
    """After a restart a session was checked as anonymous: admin's messages to it were dropped."""
    owner = Raw(acl_broker.port)
    assert owner.connect("panel", clean=False, user="admin", password="adminpw")[0] == 0
    assert owner.subscribe("secret/#", 1) == [1]
    owner.send(b.disconnect_packet())
    owner.close()
    acl_broker.stop()
    acl_broker.start()
    publisher = Raw(acl_broker.port)
    assert publisher.connect("admin-pub", user="admin", password="adminpw")[0] == 0
    publisher.send(b.publish_packet("secret/code", b"1234", qos=1, pid=1))
    publisher.expect(b.PUBACK)
    back = Raw(acl_broker.port)
    code, present, _ = back.connect("panel", clean=False, user="admin", password="adminpw")
    assert code == 0 and present
    assert back.recv_publish(timeout=5).topic == "secret/code"
    for raw in (publisher, back):
        raw.close()


@pytest.mark.timeout_seconds(20)
@pytest.mark.only_mqdash("mosquitto 2.0.11 does not tell a v5 client the capped Session Expiry in CONNACK")
def test_persistent_client_expiration_caps_a_v5_session_expiry(make_broker):
    broker = make_broker(extra=["persistent_client_expiration 1h"])
    raw = Raw(broker.port, v5=True)
    code, _, props = raw.connect("forever", clean=False, props=[(b.SESSION_EXPIRY, 0xFFFFFFFF)])
    assert code == 0
    assert props.get(b.SESSION_EXPIRY) == 3600, props
    raw.close()


@pytest.mark.timeout_seconds(20)
@pytest.mark.parametrize("sub_qos,answer", [
    pytest.param(1, b.PUBREC, id="pubrec-for-qos1"),
    pytest.param(1, b.PUBCOMP, id="pubcomp-for-qos1"),
    pytest.param(2, b.PUBACK, id="puback-for-qos2",
                 marks=pytest.mark.only_mqdash("mosquitto 2.0.11 takes a PUBACK for a QoS 2 message and stays connected")),
])
def test_an_ack_of_the_wrong_kind_closes_the_connection(broker, sub_qos, answer):
    sub = Raw(broker.port)
    assert sub.connect("mixer")[0] == 0
    assert sub.subscribe("acks/t", sub_qos) == [sub_qos]
    pub = Raw(broker.port)
    assert pub.connect("pub")[0] == 0
    pub.send(b.publish_packet("acks/t", b"x", qos=sub_qos, pid=1))
    message = sub.recv_publish()
    sub.send(b.ack_packet(answer, message.pid))
    sub.wait_closed(timeout=5)
    pub.close()


@pytest.mark.timeout_seconds(20)
@pytest.mark.only_mqdash("mosquitto 2.0.11 answers the SUBSCRIBE (MQTT 5.0 3.8.3.1 makes it a Protocol Error)")
def test_no_local_on_a_shared_subscription_closes_with_protocol_error(broker):
    raw = Raw(broker.port, v5=True)
    assert raw.connect("sharer")[0] == 0
    raw.send(b.subscribe_packet(1, [("$share/g/t", 0x04)], v5=True))   # No Local is bit 2 of the options
    got = raw.wait_closed(timeout=5)
    assert all(p.type != b.SUBACK for p in got), f"answered instead of closed: {got}"
    if got:
        assert got[-1].type == b.DISCONNECT and got[-1].body[0] == 0x82, got


@pytest.mark.timeout_seconds(20)
@pytest.mark.only_mqdash("mosquitto 2.0.11 sent the tenant its own message with the prefix on (its manual says it is removed)")
def test_mount_point_keeps_a_listeners_clients_under_their_prefix(make_broker):
    """`mount_point` was parsed and ignored: tenants of different listeners saw each other's topics."""
    tenant_port = b.h.free_port()
    broker = make_broker(extra=[f"listener {tenant_port} {b.HOST}", "mount_point tenant1/"])
    tenant = Raw(tenant_port)
    assert tenant.connect("tenant")[0] == 0
    assert tenant.subscribe("#", 0) == [0]
    admin = Raw(broker.port)
    assert admin.connect("admin")[0] == 0
    assert admin.subscribe("#", 0) == [0]

    tenant.send(b.publish_packet("temp", b"21"))
    seen = admin.recv_publish()
    assert (seen.topic, seen.payload) == ("tenant1/temp", b"21"), "the tenant's topic lives under its mount point"
    echoed = tenant.recv_publish()
    assert echoed.topic == "temp", "the tenant never sees its mount point"

    admin.send(b.publish_packet("elsewhere/x", b"private"))
    admin.send(b.publish_packet("tenant1/cmd", b"go"))
    assert admin.recv_publish().topic == "elsewhere/x"
    got = tenant.recv_publish()
    assert (got.topic, got.payload) == ("cmd", b"go"), f"the tenant got {got.topic}: only its own tree may reach it"
    for raw in (tenant, admin):
        raw.close()


@pytest.mark.timeout_seconds(20)
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
@pytest.mark.only_mqdash("mosquitto drops root; ours refuses to start rather than drop it partially (see RootPrivileges)")
def test_user_as_root_is_refused_rather_than_silently_ignored(make_broker):
    """`user` was parsed and ignored: a broker started as root with `user nobody` stayed root, silently."""
    broker = make_broker(start=False, extra=["user nobody"])
    r = b.h.run([b.h.mqdash_binary(), "broker", "-c", str(broker.conf)], timeout=15)
    assert r.rc == 1, r
    assert 'Error: "user nobody": dropping root privileges is not supported' in r.stderr, r
    assert not b.h.port_accepts(broker.port), "nothing may listen after the refusal"


@pytest.mark.timeout_seconds(40)
@pytest.mark.only_mqdash("mosquitto 2.0.11 keeps queueing QoS 0 for a client that never reads: its dropped count stays 0")
def test_qos0_messages_dropped_for_a_client_that_never_reads_are_counted_under_sys(make_broker):
    """The README's promise: past a connection's bound of unsent data, QoS 0 messages to it are dropped
    and counted in $SYS/broker/publish/messages/dropped."""
    broker = make_broker(sys_interval=1)
    with b.connected(b.Paho(broker, "stats")) as stats:
        stats.subscribe("$SYS/broker/publish/messages/dropped", 0)
        stuck = _stop_reading(Raw(broker.port))
        assert stuck.connect("stuck", keepalive=0)[0] == 0
        _fill_the_output_of(stuck, broker)
        # $SYS is published every second: wait for a figure that counts the flood.
        b.wait_until(lambda: any(int(m.payload) > 0 for m in stats.messages), 15, "a dropped count above 0")
        stuck.close()


@pytest.mark.timeout_seconds(30)
@pytest.mark.only_mqdash("mosquitto 2.0.11 closes v5 connections on SIGTERM without a DISCONNECT")
def test_sigterm_tells_v5_clients_the_server_is_shutting_down(broker):
    """The README's promise: SIGTERM stops the broker cleanly, and v5 clients hear DISCONNECT 0x8B
    (Server shutting down); a 3.1.1 client, which has no such packet, sees its connection closed."""
    v5 = Raw(broker.port, v5=True)
    assert v5.connect("v5-client")[0] == 0
    v311 = Raw(broker.port)
    assert v311.connect("v311-client")[0] == 0
    broker.proc.send_signal(signal.SIGTERM)
    assert b.disconnect_reason(v5.wait_closed(15)) == 0x8B
    assert b.disconnect_reason(v311.wait_closed(15)) is None
    broker.proc.wait(15)
