"""-L URLs (mqtt://, ws://) and the websockets listener.

mosquitto_sub/mosquitto_pub 2.0.11 accept only mqtt:// and mqtts:// in -L ("Error:
unsupported URL scheme." for ws://) and cannot speak MQTT over WebSockets at all, so
the ws:// tests run only against mqdash.  Their counterpart is paho-mqtt over
websockets; test_ws_listener_works_with_paho checks that set-up with every run.
"""

import pytest

import brokerhelpers as bh
import mqhelpers as h

NO_WS_IN_REFERENCE = "mosquitto_sub/_pub 2.0.11 have no websockets transport (-L ws:// is refused)"


def test_mqtt_url_pub(broker, tool, mosq):
    mark = broker.mark()
    w = mosq.start("sub", *broker.auth, "-t", "url/#", "-i", "watcher", "-C", "1", "-v")
    broker.wait_subscribed("watcher", mark, proc=w)
    res = tool.run("pub", "-L", f"mqtt://iot:secret@127.0.0.1:{broker.port}/url/plain",
                   "-m", "hello", timeout=10)
    assert res.rc == 0, res
    assert w.finish(10).stdout == "url/plain hello\n"


def test_mqtt_url_sub(broker, tool, mosq):
    mark = broker.mark()
    sub = tool.start("sub", "-L", f"mqtt://iot:secret@127.0.0.1:{broker.port}/url/+",
                     "-i", "urlsub", "-C", "1", "-v")
    broker.wait_subscribed("urlsub", mark, proc=sub)
    assert mosq.run("pub", *broker.auth, "-t", "url/x", "-m", "hi").rc == 0
    sub.finish_printing("url/x hi\n", 10)


def test_mqtt_url_topic_is_taken_verbatim(broker, tool, mosq):
    """Everything after host:port/ is the topic, '#' included (it is no URL fragment)."""
    mark = broker.mark()
    sub = tool.start("sub", "-L", f"mqtt://iot:secret@127.0.0.1:{broker.port}/url/#",
                     "-i", "urlhash", "-C", "1", "-v")
    broker.wait_subscribed("urlhash", mark, proc=sub)
    assert "urlhash 0 url/#" in broker.log_since(mark)
    assert mosq.run("pub", *broker.auth, "-t", "url/deep/x", "-m", "hash").rc == 0
    res = sub.finish(10)
    assert res.stdout == "url/deep/x hash\n", res


def test_mqtt_url_wrong_password(broker, tool):
    res = tool.run("sub", "-L", f"mqtt://iot:nope@127.0.0.1:{broker.port}/url/x", timeout=10)
    assert res.rc == 5, res
    assert res.err_lines[0] == "Connection error: Connection Refused: not authorised.", res


def test_ws_listener_works_with_paho(ws_broker):
    """The fixture itself: paho over websockets through mosquitto's ws listener."""
    c = bh.Paho(ws_broker, "paho-ws", transport="websockets", user=h.USER, password=h.PASSWORD)
    try:
        c.subscribe("ws/#", qos=1)
        c.publish("ws/self", b"loop", qos=1)
        msgs = c.wait_messages(1)
        assert (msgs[0].topic, msgs[0].payload) == ("ws/self", b"loop")
    finally:
        c.close()
    assert f"Opening websockets listen socket on port {ws_broker.ws_port}." in ws_broker.log_text()


@pytest.mark.mqdash_only(NO_WS_IN_REFERENCE)
def test_ws_url_sub(ws_broker, tool):
    b = ws_broker
    mark = b.mark()
    sub = tool.start("sub", "-L", f"ws://iot:secret@127.0.0.1:{b.ws_port}/ws/#",
                     "-i", "wssub", "-q", "1", "-C", "2", "-v")
    b.wait_subscribed("wssub", mark, proc=sub)
    pub = bh.Paho(b, "paho-ws-pub", transport="websockets", user=h.USER, password=h.PASSWORD)
    try:
        pub.publish("ws/a", b"first", qos=1)
        pub.publish("ws/b", b"second", qos=0)
    finally:
        pub.close()
    sub.finish_printing("ws/a first\nws/b second\n", 10)


@pytest.mark.mqdash_only(NO_WS_IN_REFERENCE)
@pytest.mark.parametrize("qos", [0, 1, 2])
def test_ws_url_pub(ws_broker, tool, qos):
    b = ws_broker
    sub = bh.Paho(b, "paho-ws-sub", transport="websockets", user=h.USER, password=h.PASSWORD)
    try:
        sub.subscribe("ws/#", qos=2)
        res = tool.run("pub", "-L", f"ws://iot:secret@127.0.0.1:{b.ws_port}/ws/t",
                       "-m", f"over ws q{qos}", "-q", qos, "-i", "wspub", "-d", timeout=10)
        assert res.rc == 0, res
        assert res.lines == h.session_trace("wspub", *h.pub_trace("wspub", "ws/t", len(f"over ws q{qos}"), qos)), res
        m = sub.wait_messages(1)[0]
        assert (m.topic, m.payload, m.qos) == ("ws/t", f"over ws q{qos}".encode(), qos)
    finally:
        sub.close()
    assert "as wspub (p2, c1, k60, u'iot')" in b.log_text()


@pytest.mark.mqdash_only(NO_WS_IN_REFERENCE)
def test_ws_with_h_p_flags_and_mosquitto_counterpart(ws_broker, tool, mosq):
    """A ws:// subscriber and a plain-TCP mosquitto_pub share one broker."""
    b = ws_broker
    mark = b.mark()
    sub = tool.start("sub", "-L", f"ws://iot:secret@127.0.0.1:{b.ws_port}/mix/x", "-V", "5",
                     "-i", "wsmix", "-C", "1", "-F", "%t %p %P")
    b.wait_subscribed("wsmix", mark, proc=sub)
    assert mosq.run("pub", *b.auth, "-V", "5", "-t", "mix/x", "-m", "tcp->ws",
                    "-D", "publish", "user-property", "via", "tcp").rc == 0
    sub.finish_printing("mix/x tcp->ws via:tcp\n", 10)


@pytest.mark.mqdash_only(NO_WS_IN_REFERENCE)
def test_ws_wrong_password(ws_broker, tool):
    res = tool.run("sub", "-L", f"ws://iot:wrong@127.0.0.1:{ws_broker.ws_port}/x", timeout=10)
    assert res.rc == 5, res
    assert res.err_lines[0] == "Connection error: Connection Refused: not authorised.", res
