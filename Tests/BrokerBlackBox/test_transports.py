"""TLS and websockets listeners with real clients."""

import pytest

import brokerhelpers as b
import mqhelpers as h
from brokerhelpers import Paho, connected


@pytest.fixture
def tls_broker(make_broker, certs):
    return make_broker(tls=certs)


@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
def test_paho_over_tls(tls_broker, certs, v5):
    with connected(Paho(tls_broker, "tls-sub", v5=v5, port=tls_broker.tls_port, tls_ca=certs.ca)) as sub, \
            connected(Paho(tls_broker, "plain-pub", v5=v5)) as pub:
        sub.subscribe("tls/#", 1)
        pub.publish("tls/t", b"secret", qos=1)
        assert sub.wait_messages(1)[0].payload == b"secret"


def test_mosquitto_clients_over_tls(tls_broker, certs):
    conn = ["-h", "localhost", "-p", str(tls_broker.tls_port), "--cafile", str(certs.ca)]
    sub = b.start_sub(conn, "-t", "tls/#", "-C", "1", "-v")
    r = h.run(["mosquitto_pub", *conn, "-t", "tls/cli", "-m", "over tls", "-q", "1"], timeout=10)
    assert r.rc == 0, r
    res = sub.finish(10)
    assert b.payload_lines(res) == ["tls/cli over tls"], res


def test_tls_with_the_wrong_ca_is_refused(tls_broker, certs):
    r = h.run(["mosquitto_pub", "-h", "localhost", "-p", str(tls_broker.tls_port), "--cafile",
               str(certs.other_ca), "-t", "x", "-m", "y"], timeout=10)
    assert r.rc != 0, r
    # The broker is unharmed.
    r = h.run(["mosquitto_pub", "-h", "localhost", "-p", str(tls_broker.tls_port), "--cafile",
               str(certs.ca), "-t", "x", "-m", "y"], timeout=10)
    assert r.rc == 0, r


def test_plain_mqtt_on_the_tls_port_is_closed(tls_broker):
    raw = b.Raw(tls_broker.tls_port)
    raw.send(b.connect_packet("plain"))
    raw.wait_closed(10)


@pytest.mark.parametrize("v5", [False, True], ids=["v311", "v5"])
def test_paho_over_websockets(make_broker, v5):
    broker = make_broker(websockets=True)
    with connected(Paho(broker, "ws-sub", v5=v5, transport="websockets")) as sub, \
            connected(Paho(broker, "tcp-pub", v5=v5)) as pub:
        sub.subscribe("ws/#", 1)
        pub.publish("ws/t", b"via tcp", qos=1)
        assert sub.wait_messages(1)[0].payload == b"via tcp"
        with connected(Paho(broker, "ws-pub", v5=v5, transport="websockets")) as wpub:
            wpub.publish("ws/u", b"via ws", qos=2)
        assert sub.wait_messages(2)[1].payload == b"via ws"
