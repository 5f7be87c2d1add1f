"""use_identity_as_username / use_subject_as_username: the client certificate names the user, whatever
the CONNECT says, and the ACL rules are that user's. Run against mosquitto too (make
broker-tests-reference): the names and refusals are mosquitto's."""

import pytest

import brokerhelpers as b
import mqhelpers as h

# Anonymous clients (the plain listener's publisher) may write anywhere; iot and the device only under
# their own prefix; admin everywhere, which nobody with a certificate may become by saying so in CONNECT.
ACL = """topic readwrite #

user iot
topic readwrite iot/#

user CN=device-7,O=mqdash-tests
topic readwrite device-7/#

user admin
topic readwrite #
"""


def tls_conn(broker: b.Broker, certs: h.Certs, crt, key) -> list[str]:
    return ["-h", "localhost", "-p", str(broker.tls_port), "--cafile", str(certs.ca),
            "--cert", str(crt), "--key", str(key), "-u", "admin", "-P", "not-checked"]


def first_message(broker: b.Broker, conn: list[str], filters: list[str], publishes: list[str]) -> list[str]:
    """Subscribes over `conn` to `filters`, publishes each topic of `publishes` from an anonymous plain
    client in order, and returns the one message the subscriber got first."""
    args = [a for f in filters for a in ("-t", f)]
    sub = b.start_sub(conn, *args, "-C", "1", "-v")
    for topic in publishes:
        r = h.run(["mosquitto_pub", "-h", b.HOST, "-p", str(broker.port), "-t", topic, "-m", "m", "-q", "1"],
                  timeout=10)
        assert r.rc == 0, r
    return b.payload_lines(sub.finish(10))


@pytest.mark.parametrize("option, crt, prefix", [
    ("use_identity_as_username", "client", "iot"),
    ("use_subject_as_username", "device", "device-7"),
], ids=["identity", "subject"])
def test_the_certificate_names_the_user_and_connect_cannot_widen_it(make_broker, certs, option, crt, prefix):
    broker = make_broker(tls=certs, acl=ACL, tls_extra=["require_certificate true", f"{option} true"])
    conn = tls_conn(broker, certs, getattr(certs, f"{crt}_crt"), getattr(certs, f"{crt}_key"))
    got = first_message(broker, conn, ["admin/#", f"{prefix}/#"], ["admin/secret", f"{prefix}/hello"])
    assert got == [f"{prefix}/hello m"], "the CONNECT said admin; the certificate's user may not read admin/#"


def test_a_certificate_that_names_nobody_is_a_bad_user_name(make_broker, certs):
    broker = make_broker(tls=certs, acl=ACL,
                         tls_extra=["require_certificate true", "use_identity_as_username true"])
    r = h.run(["mosquitto_pub", *tls_conn(broker, certs, certs.nocn_crt, certs.nocn_key), "-t", "x", "-m", "y"],
              timeout=10)
    assert r.rc != 0, r
    assert "bad user name or password" in (r.out + r.err).decode().lower(), r
