"""mosquitto_sub options: -C, -W, -N, -T, -E, -U, -c."""

import time

import mqhelpers as h


def test_count_C(broker, tool, mosq):
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "cnt/x", "-i", "counter", "-C", "3", "-v")
    broker.wait_subscribed("counter", mark, proc=sub)
    pub = mosq.run("pub", *broker.auth, "-t", "cnt/x", "-l", input=b"1\n2\n3\n4\n5\n")
    assert pub.rc == 0, pub
    res = sub.finish_printing("cnt/x 1\ncnt/x 2\ncnt/x 3\n", 10)
    assert res.err == b"", res


def test_timeout_W(broker, tool):
    t0 = time.monotonic()
    res = tool.run("sub", *broker.auth, "-t", "nothing/here", "-W", "1", "-v", timeout=10)
    took = time.monotonic() - t0
    assert res.rc == 27, res
    assert res.stdout == "", res
    assert res.stderr == "Timed out\n", res
    # It waited its second (a lower bound: load only makes it later); run()'s timeout bounds the rest.
    assert took >= 0.8, f"took {took:.2f}s{res}"


def test_timeout_W_with_debug(broker, tool):
    res = tool.run("sub", *broker.auth, "-t", "nothing/here", "-W", "1", "-i", "wd", "-d",
                   timeout=10)
    assert res.rc == 27, res
    assert res.lines == h.session_trace("wd", *h.subscribe_trace("wd", "nothing/here")), res
    assert res.stderr == "Timed out\n", res


def test_no_newline_N(broker, tool, mosq):
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "nl/x", "-i", "nl", "-C", "3", "-N")
    broker.wait_subscribed("nl", mark, proc=sub)
    for p in ("a", "b", "c"):
        assert mosq.run("pub", *broker.auth, "-t", "nl/x", "-m", p).rc == 0
    res = sub.finish(10)
    assert res.rc == 0, res
    assert res.out == b"abc", res


def test_no_newline_N_with_v(broker, tool, mosq):
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "nl/x", "-i", "nlv", "-C", "1", "-N", "-v")
    broker.wait_subscribed("nlv", mark, proc=sub)
    assert mosq.run("pub", *broker.auth, "-t", "nl/x", "-m", "a").rc == 0
    res = sub.finish(10)
    assert res.out == b"nl/x a", res


def test_empty_payload_printing(broker, tool, mosq):
    """-v shows a zero-length payload as '(null)'; plain output prints nothing for it,
    not even a newline."""
    mark = broker.mark()
    sv = tool.start("sub", *broker.auth, "-t", "empty/#", "-i", "ev", "-C", "2", "-v")
    sp = tool.start("sub", *broker.auth, "-t", "empty/#", "-i", "ep", "-C", "2")
    broker.wait_subscribed("ev", mark, proc=sv)
    broker.wait_subscribed("ep", mark, proc=sp)
    assert mosq.run("pub", *broker.auth, "-t", "empty/a", "-n").rc == 0
    assert mosq.run("pub", *broker.auth, "-t", "empty/b", "-m", "x").rc == 0
    rv, rp = sv.finish(10), sp.finish(10)
    assert rv.stdout == "empty/a (null)\nempty/b x\n", rv
    assert rp.stdout == "x\n", rp


def test_filter_out_T(broker, tool, mosq):
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "tf/#", "-T", "tf/b", "-T", "tf/d/#",
                     "-i", "filt", "-C", "2", "-F", "%t")
    broker.wait_subscribed("filt", mark, proc=sub)
    for t in ("tf/b", "tf/a", "tf/d/e", "tf/c"):
        assert mosq.run("pub", *broker.auth, "-t", t, "-m", "x").rc == 0
    res = sub.finish(10)
    assert res.rc == 0, res
    assert res.lines == ["tf/a", "tf/c"], res


def test_exit_after_subscribe_E(broker, tool, mosq):
    """-E returns 0 as soon as the SUBACK arrives; with -c the subscription stays in the
    session, so a message published afterwards is queued for that client id."""
    res = tool.run("sub", *broker.auth, "-t", "ex/x", "-q", "1", "-c", "-i", "esub", "-E",
                   timeout=10)
    assert res.rc == 0, res
    assert res.out == b"" and res.err == b"", res
    assert "Sending SUBACK to esub" in broker.log_text()

    assert mosq.run("pub", *broker.auth, "-t", "ex/x", "-m", "queued", "-q", "1").rc == 0
    got = mosq.run("sub", *broker.auth, "-t", "ex/x", "-q", "1", "-c", "-i", "esub", "-C", "1",
                   "-W", "5", "-v", timeout=10)
    assert got.stdout == "ex/x queued\n", got


def subscribe_and_leave(broker: h.Broker, tool: h.Tool, *args) -> h.Result:
    """`sub ARGS -E`: connects, subscribes (with -c the session keeps it) and exits at the SUBACK."""
    r = tool.run("sub", *broker.auth, *args, "-E", timeout=10)
    assert r.rc == 0, r
    return r


def test_unsubscribe_U(broker, tool, mosq):
    """-U unsubscribes from a topic of the (persistent) session."""
    # A persistent session subscribed to u/a and u/b.
    subscribe_and_leave(broker, tool, "-t", "u/a", "-t", "u/b", "-q", "1", "-c", "-i", "usub")
    # Reconnect and drop u/a (mosquitto_sub still wants a -t; u/b is subscribed again).
    mark = broker.mark()
    r = subscribe_and_leave(broker, tool, "-U", "u/a", "-t", "u/b", "-q", "1", "-c", "-i", "usub", "-d")
    assert "Client usub sending UNSUBSCRIBE (Mid: 2, Topic: u/a)" in r.lines, r
    broker.wait_log(r"Received UNSUBSCRIBE from usub$", mark)

    # While offline: one message on each topic; only u/b is queued for the session.
    assert mosq.run("pub", *broker.auth, "-t", "u/a", "-m", "dropped", "-q", "1").rc == 0
    assert mosq.run("pub", *broker.auth, "-t", "u/b", "-m", "kept", "-q", "1").rc == 0
    got = mosq.run("sub", *broker.auth, "-t", "u/b", "-q", "1", "-c", "-i", "usub", "-W", "2",
                   "-v", timeout=10)
    assert got.stdout == "u/b kept\n", got


def test_unsubscribe_U_v5(broker, tool, mosq):
    subscribe_and_leave(broker, tool, "-V", "5", "-t", "u/a", "-q", "1", "-c", "-i", "usub5")
    mark = broker.mark()
    subscribe_and_leave(broker, tool, "-V", "5", "-U", "u/a", "-t", "u/z", "-c", "-i", "usub5")
    broker.wait_log(r"Received UNSUBSCRIBE from usub5$", mark)
    assert mosq.run("pub", *broker.auth, "-t", "u/a", "-m", "dropped", "-q", "1").rc == 0
    got = mosq.run("sub", *broker.auth, "-V", "5", "-t", "u/z", "-c", "-i", "usub5", "-W", "2",
                   "-v", timeout=10)
    assert got.stdout == "", got


def test_persistent_session_c_gets_queued_messages(broker, tool, mosq):
    """-c -i ID -q 1: messages published while the client is away are delivered on return."""
    subscribe_and_leave(broker, tool, "-t", "pc/x", "-q", "1", "-c", "-i", "pc")
    for i in range(3):
        assert mosq.run("pub", *broker.auth, "-t", "pc/x", "-m", f"m{i}", "-q", "1").rc == 0
    res = tool.run("sub", *broker.auth, "-t", "pc/x", "-q", "1", "-c", "-i", "pc", "-C", "3",
                   "-v", timeout=10)
    assert res.rc == 0, res
    assert res.stdout == "pc/x m0\npc/x m1\npc/x m2\n", res
    assert broker.connect_line("pc").group("clean") == "0"
