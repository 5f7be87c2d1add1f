"""`mqdash rr` (mosquitto_rr) against the real mosquitto and a paho responder that answers on the
request's response topic with its correlation data. MQDASH_REFERENCE=1 runs the same checks on
mosquitto_rr where it behaves the same."""

from __future__ import annotations

import pytest

import brokerhelpers as b
import mqhelpers as h


def rr_argv(tool: h.Tool, *args: str) -> list[str]:
    return (["mosquitto_rr"] if tool.reference else [tool.binary, "rr"]) + list(args)


class Responder:
    """Subscribes to req/#; answers each request on its response topic, echoing its correlation data
    and prefixing the payload with "re:". With `decoy`, a response with other correlation data goes first."""

    def __init__(self, broker, decoy: bool = False):
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self.requests: list = []
        self.paho = b.Paho(broker, "responder", v5=True, user=h.USER, password=h.PASSWORD)

        def on_message(client, userdata, msg):
            self.requests.append(msg)
            topic = getattr(msg.properties, "ResponseTopic", None)
            if not topic:
                return
            if decoy:
                other = Properties(PacketTypes.PUBLISH)
                other.CorrelationData = b"someone-else"
                client.publish(topic, b"not yours", properties=other)
            props = Properties(PacketTypes.PUBLISH)
            data = getattr(msg.properties, "CorrelationData", None)
            if data is not None:
                props.CorrelationData = data
            client.publish(topic, b"re:" + msg.payload, properties=props)

        self.paho.client.on_message = on_message
        self.paho.subscribe("req/#", qos=1)

    def close(self):
        self.paho.close()


@pytest.fixture
def responder(broker):
    r = Responder(broker)
    yield r
    r.close()


def test_rr_prints_the_response_and_exits_0(broker, tool, responder):
    res = h.run(rr_argv(tool, *broker.auth, "-t", "req/lamp", "-e", "resp/lamp", "-m", "on", "-W", "5"), timeout=10)
    assert res.rc == 0, res
    assert res.stdout == "re:on\n", res
    request = responder.requests[0]
    assert request.properties.ResponseTopic == "resp/lamp"
    # mqdash always sends correlation data (mosquitto_rr only with -D publish correlation-data).
    if not tool.reference:
        assert request.properties.CorrelationData.startswith(b"mqdash-rr-"), request.properties


def test_rr_verbose_and_given_correlation_data(broker, tool, responder):
    res = h.run(rr_argv(tool, *broker.auth, "-t", "req/x", "-e", "resp/x", "-m", "1", "-v", "-W", "5",
                        "-D", "publish", "correlation-data", "abc"), timeout=10)
    assert res.rc == 0, res
    assert res.stdout == "resp/x re:1\n", res
    assert responder.requests[0].properties.CorrelationData == b"abc"


def test_rr_skips_a_response_to_another_request(broker, tool):
    """A deliberate difference: mosquitto_rr takes the first message on the response topic, whatever
    its correlation data; mqdash rr waits for its own."""
    r = Responder(broker, decoy=True)
    try:
        res = h.run(rr_argv(tool, *broker.auth, "-t", "req/y", "-e", "resp/y", "-m", "2", "-W", "5"), timeout=10)
    finally:
        r.close()
    assert res.rc == 0, res
    assert res.stdout == ("not yours\n" if tool.reference else "re:2\n"), res


def test_rr_times_out_with_27(broker, tool):
    res = h.run(rr_argv(tool, *broker.auth, "-t", "req/none", "-e", "resp/none", "-m", "x", "-W", "1"), timeout=10)
    assert res.rc == 27, res
    assert res.stdout == "" and "Timed out" in res.stderr, res


def test_rr_needs_a_response_topic(broker, tool):
    res = h.run(rr_argv(tool, *broker.auth, "-t", "req/none", "-m", "x", "-W", "1"), timeout=10)
    assert res.rc != 0 and res.rc != 27, res
