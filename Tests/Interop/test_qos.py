"""QoS 0/1/2 in both directions, MQTT 3.1.1 and 5.0, with the -d traces compared line by line."""

import pytest

import mqhelpers as h

VERSIONS = [("mqttv311", "2"), ("5", "5")]  # (-V value, protocol level the broker logs as pN)
QOS = [0, 1, 2]


def each_version_and_qos(test):
    """Runs `test` for every QoS over both protocol versions."""
    test = pytest.mark.parametrize("version,proto", VERSIONS, ids=["v311", "v5"])(test)
    return pytest.mark.parametrize("qos", QOS)(test)


@each_version_and_qos
def test_tool_publishes(broker, tool, mosq, version, proto, qos):
    topic = f"qos/pub/{qos}"
    payload = f"hello q{qos}"
    mark = broker.mark()
    watcher = mosq.start("sub", *broker.auth, "-V", version, "-q", qos, "-t", topic,
                         "-i", "watcher", "-C", "1", "-F", "%t %p %q %r")
    broker.wait_subscribed("watcher", mark, proc=watcher)

    res = tool.run("pub", *broker.auth, "-V", version, "-q", qos, "-t", topic, "-m", payload,
                   "-i", "toolpub", "-d", timeout=10)
    assert res.rc == 0, res
    assert res.lines == h.session_trace("toolpub", *h.pub_trace("toolpub", topic, len(payload), qos)), res
    assert res.err == b"", res

    watcher.finish_printing(f"{topic} {payload} {qos} 0\n", 10)
    assert broker.connect_line("toolpub", mark).group("proto") == proto


@each_version_and_qos
def test_tool_subscribes(broker, tool, mosq, version, proto, qos):
    topic = f"qos/sub/{qos}"
    payload = f"hello q{qos}"
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-V", version, "-q", qos, "-t", "qos/sub/#",
                     "-i", "toolsub", "-C", "1", "-v", "-d")
    broker.wait_subscribed("toolsub", mark, proc=sub)
    pub = mosq.run("pub", *broker.auth, "-V", version, "-q", qos, "-t", topic, "-m", payload)
    assert pub.rc == 0, pub

    res = sub.finish(10)
    assert res.rc == 0, res
    assert res.lines == h.session_trace("toolsub", *h.subscribe_trace("toolsub", "qos/sub/#", qos=qos),
                                        *h.sub_receive_trace("toolsub", topic, len(payload), qos),
                                        f"{topic} {payload}"), res
    assert res.err == b"", res
    assert broker.connect_line("toolsub", mark).group("proto") == proto


@pytest.mark.parametrize("sub_qos,pub_qos", [(0, 2), (2, 0), (1, 2), (2, 1)])
def test_delivered_qos_is_the_minimum(broker, tool, mosq, sub_qos, pub_qos):
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-q", sub_qos, "-t", "qmin", "-i", "qmin",
                     "-C", "1", "-F", "%q")
    broker.wait_subscribed("qmin", mark, proc=sub)
    assert mosq.run("pub", *broker.auth, "-q", pub_qos, "-t", "qmin", "-m", "x").rc == 0
    sub.finish_printing(f"{min(sub_qos, pub_qos)}\n", 10)


def line_by_line(broker: h.Broker, publisher: h.Tool, subscriber: h.Tool, qos: int, topic: str,
                 client_id: str, payloads: list[str]) -> h.Result:
    """`payloads` sent as one `pub -l` (a message a line) to a `sub` that waits for as many, printing
    each payload; the subscriber's result."""
    mark = broker.mark()
    sub = subscriber.start("sub", *broker.auth, "-q", qos, "-t", topic, "-i", client_id,
                           "-C", len(payloads), "-F", "%p")
    broker.wait_subscribed(client_id, mark, proc=sub)
    lines = "".join(f"{p}\n" for p in payloads).encode()
    pub = publisher.run("pub", *broker.auth, "-q", qos, "-t", topic, "-l", input=lines, timeout=20)
    assert pub.rc == 0, pub
    return sub.finish(20)


def test_many_qos1_messages_in_order(broker, tool, mosq):
    """200 QoS 1 messages from one publisher arrive complete and in order."""
    payloads = [str(i) for i in range(1, 201)]
    res = line_by_line(broker, mosq, tool, 1, "seq/x", "seqsub", payloads)
    assert res.rc == 0, res
    assert res.lines == payloads, res


def test_tool_publishes_many_lines_qos2(broker, tool, mosq):
    payloads = [f"m{i}" for i in range(100)]
    got = line_by_line(broker, tool, mosq, 2, "seq/y", "w", payloads)
    assert got.lines == payloads, got
