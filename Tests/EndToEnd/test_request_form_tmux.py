"""The publish form's request toggle against a real responder: the real binary in tmux, a real mosquitto,
and a paho-mqtt v5 client that answers each request on its response topic with its correlation data
(mosquitto_sub and mosquitto_pub cannot carry correlation data back)."""

from __future__ import annotations

import re
import threading

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

import mqhelpers as h
from conftest import Tmux
from test_dashboard_tmux import CLIENT_ID, publish_retained, quit_and_check_shell, start_dashboard

REQUEST_TOPIC = "garage/door"
RESPONSE_TOPIC = "garage/door/response"
RESPONSE_LINE = re.compile(r"Response \(\d+ ms\) on garage/door/response: (\w+)")


class Responder:
    """Subscribes to the request topic; each request gets a decoy answer carrying other correlation data (which
    the form must not take), then `answer` with the request's own correlation data, both on its response topic."""

    def __init__(self, broker: h.Broker, answer: str):
        self.answer = answer
        self.requests: list[tuple[str | None, bytes | None, bytes]] = []
        self.ready = threading.Event()
        self.got_request = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="responder", protocol=mqtt.MQTTv5)
        self.client.username_pw_set(h.USER, h.PASSWORD)
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe(REQUEST_TOPIC, qos=1)
        self.client.on_subscribe = lambda c, u, mid, rcs, p: self.ready.set()
        self.client.on_message = self._on_request
        self.client.connect(h.HOST, broker.port)
        self.client.loop_start()
        assert self.ready.wait(10), "the responder did not subscribe within 10 s"

    def _on_request(self, client, userdata, message) -> None:
        if message.retain:
            return      # the topic's retained state, sent on subscribing: not a request
        response_topic = getattr(message.properties, "ResponseTopic", None)
        correlation = getattr(message.properties, "CorrelationData", None)
        self.requests.append((response_topic, correlation, message.payload))
        self.got_request.set()
        if response_topic:
            for payload, data in (("decoy", b"somebody-else"), (self.answer, correlation)):
                properties = Properties(PacketTypes.PUBLISH)
                if data is not None:
                    properties.CorrelationData = data
                client.publish(response_topic, payload, qos=1, properties=properties)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def send_request(tmux: Tmux, broker: h.Broker, payload: str) -> None:
    """Opens the form on garage/door (retained `closed`: the first frame selects it), types `payload`, turns the
    request row on (Tab past QoS and retain) and sends with Ctrl-S."""
    start_dashboard(tmux, broker, "-t", REQUEST_TOPIC)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    tmux.wait_for(lambda s: "closed" in s, 10, "garage/door in the tree")
    tmux.send("p")
    tmux.wait_for(lambda s: "Publish (MQTT 5)" in s and REQUEST_TOPIC in s, 10, "the publish form on MQTT 5")
    tmux.run("send-keys", "-t", tmux.target, "-l", payload)
    tmux.send("Tab", "Tab", "Tab", "Space")
    tmux.wait_for(lambda s: "[x] request" in s and RESPONSE_TOPIC in s, 10, "the request row on, with its response topic")
    tmux.send("C-s")


@pytest.mark.timeout_seconds(60)
def test_the_response_of_a_real_responder_shows_in_the_form(tmux: Tmux, broker):
    publish_retained(broker, REQUEST_TOPIC, "closed")
    responder = Responder(broker, answer="opened")
    try:
        send_request(tmux, broker, "open")
        # The decoy came first, with other correlation data: the form took the answer to its own request.
        screen = tmux.wait_for(lambda s: RESPONSE_LINE.search(s) is not None, 10, "the response in the form")
        assert RESPONSE_LINE.search(screen).group(1) == "opened", screen
        assert responder.got_request.wait(5)
        response_topic, correlation, payload = responder.requests[0]
        assert (response_topic, payload) == (RESPONSE_TOPIC, b"open"), responder.requests
        # Fresh correlation data as the docs describe it: `mqdash-` and a random number.
        assert correlation is not None and correlation.startswith(b"mqdash-") and len(correlation) > 7, correlation
        assert len(responder.requests) == 1, responder.requests
    finally:
        responder.close()
        tmux.send("Escape")
        quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(60)
def test_without_a_responder_the_form_waits_then_says_none_came(tmux: Tmux, broker):
    publish_retained(broker, REQUEST_TOPIC, "closed")
    send_request(tmux, broker, "open")
    tmux.wait_for(lambda s: f"Response: waiting on {RESPONSE_TOPIC}…" in s, 5, "the form saying it waits")
    # PublishFormState.requestTimeout is 10 s.
    tmux.wait_for(lambda s: f"No response within 10 s (is a responder running?) on {RESPONSE_TOPIC}" in s, 15,
                  "the form saying that no response came")
    tmux.send("Escape")
    quit_and_check_shell(tmux)
