"""SIGHUP reloads the password file, the ACL file and the TLS certificates without dropping clients:
the new ACL applies to existing subscriptions, users removed from the password file are disconnected,
and a reload that cannot read its files keeps every old setting."""

import dataclasses
import os
import shutil
import signal
import socket
import ssl

import pytest

import brokerhelpers as b
import mqhelpers as h
from brokerhelpers import HOST, PASSWORD, USER, Paho, Raw, connected

VERSIONS = pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])

# mosquitto 2.0.11 logs only that it starts reloading (its reload is done before it reads the next packet);
# ours logs when the new settings are in force, or that they are not.
RELOADED = "Reloading config." if b.is_mosquitto() else "Config reloaded:"
RELOAD_FAILED = "Reloading config." if b.is_mosquitto() else "reload failed"

# iot reads home/# but not home/secret; admin (the publisher) may write anything.
ACL_BEFORE = "user iot\ntopic readwrite home/#\ntopic deny home/secret\n\nuser admin\ntopic readwrite #\n"
# The deny moved: home/secret readable now, home/lamp not.
ACL_AFTER = "user iot\ntopic readwrite home/#\ntopic deny home/lamp\n\nuser admin\ntopic readwrite #\n"


def log_text(br: b.Broker) -> str:
    return br.log.read_text(encoding="utf-8", errors="surrogateescape") if br.log.exists() else ""


def hang_up(br: b.Broker, expect: str = RELOADED) -> str:
    """SIGHUP, then wait for the log line that says the reload is done (or failed); returns the log since."""
    before = log_text(br)
    os.kill(br.pid, signal.SIGHUP)
    b.wait_until(lambda: log_text(br)[len(before):].count(expect) > 0, 10, f"{expect!r} in the log")
    return log_text(br)[len(before):]


@pytest.fixture
def acl_broker(make_broker):
    br = make_broker(start=False, allow_anonymous=False, password_file=True, acl=ACL_BEFORE)
    b.add_user(br, "admin", "adminpw")
    return br.start()


def publish_round(writer: Paho, reader: Paho, tag: str) -> list[str]:
    """admin publishes home/secret, home/lamp and an end marker at QoS 1; what the reader got of them, in
    order (one publisher, one subscriber: the marker comes after whatever else gets through)."""
    start = len(reader.messages)
    for topic in ("home/secret", "home/lamp", "home/end"):
        writer.publish(topic, tag, qos=1)
    b.wait_until(lambda: any(m.topic == "home/end" for m in reader.messages[start:]), 10, f"home/end ({tag})")
    return [m.topic for m in reader.messages[start:]]


@VERSIONS
def test_a_changed_acl_applies_to_an_existing_subscription_without_disconnecting(acl_broker, v5):
    reader = Paho(acl_broker, "reader", v5=v5, user=USER, password=PASSWORD)
    assert reader.subscribe("home/#", 1)[0] in (0, 1)
    with connected(Paho(acl_broker, "writer", user="admin", password="adminpw")) as writer:
        assert publish_round(writer, reader, "before") == ["home/lamp", "home/end"]

        acl_broker.acl_path.write_text(ACL_AFTER)
        hang_up(acl_broker)

        assert publish_round(writer, reader, "after") == ["home/secret", "home/end"]
    assert reader.disconnected is None, "the reload disconnected a client whose credentials still hold"


@pytest.fixture
def passwd_broker(make_broker):
    br = make_broker(start=False, allow_anonymous=False, password_file=True)
    b.add_user(br, "alice", "apass")
    return br.start()


def test_a_removed_user_is_disconnected_and_refused_while_others_stay(passwd_broker):
    br = passwd_broker
    stays = Paho(br, "stays", user=USER, password=PASSWORD)
    stays.subscribe("t/#", 1)
    alice = b.start_sub(["-h", HOST, "-p", str(br.port), "-u", "alice", "-P", "apass"], "-t", "t/#", "-i", "alice-sub")

    r = h.run(["mosquitto_passwd", "-D", str(br.passwd), "alice"], timeout=30)
    assert r.rc == 0, r
    hang_up(br)

    # mosquitto_sub reconnects after the disconnect, is refused, and gives up.
    res = alice.finish(10)
    assert res.rc == 5 and "not authorised" in res.stderr.lower(), res
    raw = Raw(br.port)
    assert raw.connect("alice-again", user="alice", password="apass")[0] == 5
    raw.close()

    b.probe(br, stays, topic="t/probe", user=USER, password=PASSWORD)
    assert stays.disconnected is None


@pytest.mark.only_mqdash("mosquitto 2.0.11 closes the socket of a removed v5 user without DISCONNECT")
def test_a_removed_v5_user_hears_not_authorized(passwd_broker):
    raw = Raw(passwd_broker.port, v5=True)
    assert raw.connect("alice-v5", user="alice", password="apass")[0] == 0
    h.run(["mosquitto_passwd", "-D", str(passwd_broker.passwd), "alice"], timeout=30)
    hang_up(passwd_broker)
    assert b.disconnect_reason(raw.wait_closed(5)) == 0x87
    assert "alice-v5 disconnected, not authorised" in log_text(passwd_broker), log_text(passwd_broker)


@pytest.mark.only_mqdash("mosquitto 2.0.11 keeps the ACL lines read before a broken one and drops the rest (checked: "
                         "home/secret became readable), drops a password file entry it cannot read, and logs no line")
@pytest.mark.parametrize("broken", ["acl-syntax", "acl-missing", "passwd-syntax"])
def test_a_reload_that_cannot_read_a_file_keeps_everything_and_says_where(acl_broker, broken):
    br = acl_broker
    reader = Paho(br, "reader", user=USER, password=PASSWORD)
    reader.subscribe("home/#", 1)
    if broken == "acl-syntax":
        br.acl_path.write_text("user iot\ntopic readwrite home/#\nbogus home/secret\n")
        where = f"{br.acl_path}:3:"
    elif broken == "acl-missing":
        br.acl_path.unlink()
        where = f"{br.acl_path}:"
    else:
        br.passwd.write_text(br.passwd.read_text() + "admin:not-a-hash\n")
        where = f"{br.passwd}:"
    logged = hang_up(br, RELOAD_FAILED)
    assert where in logged, logged

    # Old users and old rules: admin still logs in, iot still may not read home/secret.
    with connected(Paho(br, "writer", user="admin", password="adminpw")) as writer:
        assert publish_round(writer, reader, "after") == ["home/lamp", "home/end"]
    assert reader.disconnected is None


def served_certificate(port: int) -> bytes:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection((HOST, port), timeout=5) as s, ctx.wrap_socket(s) as tls:
        return tls.getpeercert(binary_form=True)


def der(path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(path.read_text())


def test_new_tls_connections_get_the_reloaded_certificate_and_open_ones_stay(make_broker, certs, tmp_path):
    crt, key = tmp_path / "listener.crt", tmp_path / "listener.key"
    shutil.copyfile(certs.server_crt, crt)
    shutil.copyfile(certs.server_key, key)
    br = make_broker(tls=dataclasses.replace(certs, server_crt=crt, server_key=key))
    assert served_certificate(br.tls_port) == der(certs.server_crt)
    old = Paho(br, "old-tls", port=br.tls_port, tls_ca=certs.ca)
    old.subscribe("tls/#", 1)

    shutil.copyfile(certs.badname_crt, crt)
    shutil.copyfile(certs.badname_key, key)
    hang_up(br)
    assert served_certificate(br.tls_port) == der(certs.badname_crt)
    b.probe(br, old, topic="tls/probe")
    assert old.disconnected is None

    # A certificate that does not load keeps the one in use.
    crt.write_text("not a certificate\n")
    logged = hang_up(br, RELOAD_FAILED)
    assert str(crt) in logged, logged
    assert served_certificate(br.tls_port) == der(certs.badname_crt)


@pytest.mark.only_mqdash("the log lines are ours: mosquitto 2.0.11 names no option it leaves as it was")
def test_other_changed_options_are_logged_as_needing_a_restart(make_broker):
    br = make_broker(listener_extra=["max_connections 50"])
    br.conf.write_text(br.conf.read_text().replace("max_connections 50", "max_connections 7"))
    logged = hang_up(br)
    assert "max_connections (listener" in logged and "needs a restart" in logged, logged

    br.conf.write_text(br.conf.read_text() + "max_queued_messages lots\n")
    logged = hang_up(br, RELOAD_FAILED)
    lines = len(br.conf.read_text().splitlines())
    assert f"{br.conf}:{lines}:" in logged, logged
    with connected(Paho(br, "still-serving")) as c:
        assert c.subscribe("x", 0) == [0]


def test_a_sighup_as_soon_as_the_port_answers_is_not_lost(make_broker):
    # The handler was installed after the listeners opened, so a SIGHUP sent the moment the port answered
    # was ignored now and then (it failed one CI run); ten fresh brokers widen the chance to hit that window.
    for _ in range(10):
        br = make_broker()
        assert "Reloading config." in hang_up(br)
        br.kill9()
