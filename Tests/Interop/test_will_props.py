"""Wills (last will and testament) and MQTT v5 properties."""

import signal

import pytest

import brokerhelpers as b
import mqhelpers as h


@pytest.mark.parametrize("version", ["mqttv311", "5"], ids=["v311", "v5"])
def test_will_on_unclean_disconnect(broker, tool, mosq, version):
    watcher = broker.start_subscriber(mosq, "watcher", "-t", "will/#", "-q", "2", "-C", "1", "-F", "%t %p %q %r")

    dying = broker.start_subscriber(tool, "willer", "-V", version, "-t", "some/topic", "--will-topic", "will/willer",
                                    "--will-payload", "gone", "--will-qos", "1", "--will-retain")
    dying.send_signal(signal.SIGKILL)  # no DISCONNECT: the broker must publish the will
    dying.finish(5)

    got = watcher.finish(10)
    assert got.rc == 0, got
    # Delivered live to an existing subscriber, so the retain flag reads 0 here.
    assert got.stdout == "will/willer gone 1 0\n", got
    # ... but it was stored as retained.
    later = mosq.run("sub", *broker.auth, "-t", "will/#", "-C", "1", "-W", "5", "-F", "%t %p %r")
    assert later.stdout == "will/willer gone 1\n", later


def test_will_defaults_to_empty_payload(broker, tool, mosq):
    watcher = broker.start_subscriber(mosq, "watcher", "-t", "will/#", "-C", "1", "-F", "%t [%p] %l %q")
    dying = broker.start_subscriber(tool, "willer2", "-t", "x", "--will-topic", "will/e")
    dying.send_signal(signal.SIGKILL)
    assert watcher.finish(10).stdout == "will/e [] 0 0\n"


def test_no_will_on_clean_exit(broker, tool, mosq):
    """SIGTERM makes mosquitto_sub send DISCONNECT, so the will is discarded."""
    mark = broker.mark()
    dying = broker.start_subscriber(tool, "polite", "-t", "x", "--will-topic", "will/p", "--will-payload", "should-not-appear")
    watcher = broker.start_subscriber(mosq, "watcher", "-t", "will/#", "-W", "2", "-v")
    dying.terminate()
    res = dying.finish(10)
    assert res.rc == 0, res
    broker.wait_log(r"Received DISCONNECT from polite$", mark)
    got = watcher.finish(10)
    assert got.stdout == "", got
    assert got.rc == 27, got


def test_pub_with_will_flags_is_accepted(broker, tool, mosq):
    """mosquitto_pub takes the will options too; a normal run does not fire the will."""
    mark = broker.mark()
    watcher = broker.start_subscriber(mosq, "watcher", "-t", "wp/#", "-C", "1", "-v")
    res = tool.run("pub", *broker.auth, "-t", "wp/msg", "-m", "hi", "--will-topic", "wp/will",
                   "--will-payload", "dead", "-i", "pw", timeout=10)
    assert res.rc == 0, res
    assert watcher.finish(10).stdout == "wp/msg hi\n"
    assert "Will message specified" in broker.log_since(mark), broker.log_since(mark)


def test_v5_user_property_from_tool(broker, tool, mosq):
    paho = b.Paho(broker, "paho5", v5=True, user=h.USER, password=h.PASSWORD)
    try:
        paho.subscribe("props/#", qos=1)
        mw = broker.start_subscriber(mosq, "watcher", "-V", "5", "-t", "props/#", "-C", "1", "-F", "%t %p %P")
        res = tool.run("pub", *broker.auth, "-V", "5", "-t", "props/a", "-m", "v", "-q", "1",
                       "-D", "publish", "user-property", "key", "value",
                       "-D", "publish", "user-property", "key", "second",
                       "-D", "publish", "content-type", "text/plain", timeout=10)
        assert res.rc == 0, res
        msg = paho.wait_messages(1)[0]
        assert msg.topic == "props/a" and msg.payload == b"v"
        assert msg.properties.UserProperty == [("key", "value"), ("key", "second")]
        assert msg.properties.ContentType == "text/plain"
        got = mw.finish(10)
        assert got.stdout == "props/a v key:value key:second\n", got
    finally:
        paho.close()


def test_v5_user_property_to_tool(broker, tool, mosq):
    sub = broker.start_subscriber(tool, "propsub", "-V", "5", "-t", "props/#", "-C", "2", "-F", "%t %P")
    pub = mosq.run("pub", *broker.auth, "-V", "5", "-t", "props/a", "-m", "x",
                   "-D", "publish", "user-property", "k1", "v1",
                   "-D", "publish", "user-property", "k2", "v 2")
    assert pub.rc == 0, pub
    paho = b.Paho(broker, "paho5pub", v5=True, user=h.USER, password=h.PASSWORD)
    try:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties
        props = Properties(PacketTypes.PUBLISH)
        props.UserProperty = [("from", "paho"), ("n", "2")]
        info = paho.client.publish("props/b", b"y", qos=1, properties=props)
        info.wait_for_publish(10)
    finally:
        paho.close()
    sub.finish_printing("props/a k1:v1 k2:v 2\nprops/b from:paho n:2\n", 10)


def test_D_without_V_switches_to_v5(broker, tool, mosq):
    """-D without -V makes mosquitto_pub connect with MQTT 5 (the broker logs p5)."""
    mark = broker.mark()
    w = broker.start_subscriber(mosq, "watcher", "-V", "5", "-t", "x", "-C", "1", "-F", "%p [%P]")
    res = tool.run("pub", *broker.auth, "-t", "x", "-m", "y", "-i", "dpub",
                   "-D", "publish", "user-property", "k", "v", timeout=10)
    assert res.rc == 0, res
    assert w.finish(10).stdout == "y [k:v]\n"
    assert broker.connect_line("dpub", mark).group("proto") == "5"
