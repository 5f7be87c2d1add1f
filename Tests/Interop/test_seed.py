"""The two commands of the seed guide, verbatim but for host, port and password."""

import re

import pytest

import mqhelpers as h


@pytest.mark.parametrize("version", [None, "5"], ids=["default-v311", "v5"])
def test_seed_sub_and_pub(broker, tool, version):
    port = str(broker.port)
    vflag = ["-V", version] if version else []
    mark = broker.mark()
    sub = tool.start("sub", "-h", "127.0.0.1", "-p", port, "-t", "livingroom/#", "-u", "iot",
                     "-P", "secret", "-i", "testsubscriber", "-v", "-d", *vflag)
    broker.wait_subscribed("testsubscriber", mark, proc=sub)

    pub = tool.run("pub", "-h", "127.0.0.1", "-p", port, "-m", "24.1", "-t", "livingroom/temp",
                   "-u", "iot", "-P", "secret", "-i", "testpublisher", "-d", *vflag, timeout=10)
    assert pub.rc == 0, pub
    assert pub.lines == h.session_trace("testpublisher", *h.pub_trace("testpublisher", "livingroom/temp", 4)), pub
    assert pub.err == b"", pub

    sub.wait_for_text("livingroom/temp 24.1\n", timeout=10)
    sub.terminate()  # mosquitto_sub disconnects cleanly on SIGTERM and exits 0
    res = sub.finish(10)
    assert res.rc == 0, res
    # mosquitto_sub prints the final "sending DISCONNECT" trace line on SIGTERM almost
    # always (the broker always gets the DISCONNECT); once in a while the line is lost,
    # so it is optional here.
    lines = res.lines
    if lines and lines[-1] == "Client testsubscriber sending DISCONNECT":
        lines = lines[:-1]
    assert lines == h.session_trace("testsubscriber", *h.subscribe_trace("testsubscriber", "livingroom/#"),
                                    *h.sub_receive_trace("testsubscriber", "livingroom/temp", 4),
                                    "livingroom/temp 24.1")[:-1], res
    assert res.err == b"", res
    broker.wait_log(r"Received DISCONNECT from testsubscriber$", mark)

    # What the broker saw: protocol level (p2 = 3.1.1, p5 = 5.0), clean session,
    # the default keepalive of 60 s, and the user name.
    proto = "5" if version else "2"
    for cid in ("testsubscriber", "testpublisher"):
        m = broker.connect_line(cid, mark)
        assert m.group("proto", "clean", "keepalive", "user") == (proto, "1", "60", "iot"), m.group(0)


def test_seed_sub_verbose_without_debug(broker, tool, mosq):
    """-v alone prints only 'topic payload' lines."""
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "livingroom/#", "-i", "testsubscriber", "-v",
                     "-C", "2")
    broker.wait_subscribed("testsubscriber", mark, proc=sub)
    assert mosq.run("pub", *broker.auth, "-t", "livingroom/temp", "-m", "24.1").rc == 0
    assert mosq.run("pub", *broker.auth, "-t", "livingroom/lamp/state", "-m", "on").rc == 0
    res = sub.finish_printing("livingroom/temp 24.1\nlivingroom/lamp/state on\n", 10)
    assert res.err == b"", res


def test_default_client_id_trace_is_null_in_v311(broker, tool):
    """Without -i, mosquitto's tools send an empty client id and their -d trace says
    '(null)' until the broker assigns one (v5 CONNACK carries it; v3.1.1 does not)."""
    res = tool.run("sub", *broker.auth, "-t", "x", "-E", "-d", timeout=10)
    assert res.rc == 0, res
    assert res.lines == h.session_trace("(null)", *h.subscribe_trace("(null)", "x")), res


def test_default_client_id_trace_v5_uses_assigned_id(broker, tool):
    res = tool.run("sub", *broker.auth, "-t", "x", "-E", "-d", "-V", "5", timeout=10)
    assert res.rc == 0, res
    assert res.lines[0] == "Client (null) sending CONNECT", res
    # The broker assigns 'auto-<UUID>' and the trace uses it from CONNACK on.
    m = re.fullmatch(r"Client (auto-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}) "
                     r"received CONNACK \(0\)", res.lines[1])
    assert m, res
    cid = m.group(1)
    assert res.lines[2:] == h.session_trace(cid, *h.subscribe_trace(cid, "x"))[2:], res


def test_multiple_topics_share_one_subscribe(broker, tool):
    res = tool.run("sub", *broker.auth, "-t", "a/b", "-t", "c/#", "-q", "1", "-i", "multi",
                   "-E", "-d", timeout=10)
    assert res.rc == 0, res
    assert res.lines == h.session_trace("multi", *h.subscribe_trace("multi", "a/b", "c/#", qos=1)), res
    log = broker.log_text()
    assert "multi 1 a/b" in log and "multi 1 c/#" in log, log
