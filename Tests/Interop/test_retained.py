"""Retained messages: -r, --retained-only, -R, and clearing with -r -n."""

import mqhelpers as h


def retain(mosq, broker, topic, payload):
    r = mosq.run("pub", *broker.auth, "-t", topic, "-m", payload, "-r", "-q", "1")
    assert r.rc == 0, r


def test_tool_publishes_retained(broker, tool, mosq):
    res = tool.run("pub", *broker.auth, "-t", "ret/a", "-m", "keep", "-r", "-q", "1",
                   "-i", "rp", "-d", timeout=10)
    assert res.rc == 0, res
    assert "Client rp sending PUBLISH (d0, q1, r1, m1, 'ret/a', ... (4 bytes))" in res.lines, res
    # A subscriber that arrives later gets it, flagged retained.
    got = mosq.run("sub", *broker.auth, "-t", "ret/#", "-C", "1", "-W", "5", "-F", "%t %p %r %q",
                   timeout=10)
    assert got.rc == 0, got
    assert got.stdout == "ret/a keep 1 0\n", got


def test_tool_receives_retained(broker, tool, mosq):
    retain(mosq, broker, "ret/a", "old")
    res = tool.run("sub", *broker.auth, "-t", "ret/#", "-C", "1", "-F", "%t %p %r", "-i", "rs",
                   "-d", timeout=10)
    assert res.rc == 0, res
    assert "Client rs received PUBLISH (d0, q0, r1, m0, 'ret/a', ... (3 bytes))" in res.lines, res
    assert res.lines[-2:] == ["ret/a old 1", "Client rs sending DISCONNECT"], res


def test_retained_only(broker, tool, mosq):
    """--retained-only prints the retained messages and exits 0 at the first live one."""
    retain(mosq, broker, "ret/a", "A")
    retain(mosq, broker, "ret/b", "B")
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "ret/#", "--retained-only", "-F", "%t %p %r",
                     "-i", "ronly")
    broker.wait_subscribed("ronly", mark, proc=sub)
    sub.wait_for_lines(2, timeout=10)
    assert mosq.run("pub", *broker.auth, "-t", "ret/c", "-m", "live").rc == 0
    res = sub.finish(10)
    assert res.rc == 0, res
    assert sorted(res.lines) == ["ret/a A 1", "ret/b B 1"], res


def test_retained_only_times_out_without_live_message(broker, tool, mosq):
    retain(mosq, broker, "ret/a", "A")
    res = tool.run("sub", *broker.auth, "-t", "ret/#", "--retained-only", "-v", "-W", "1",
                   timeout=10)
    assert res.rc == 27, res
    assert res.stdout == "ret/a A\n", res
    assert res.stderr == "Timed out\n", res


def test_no_stale_R(broker, tool, mosq):
    """-R skips messages that arrive with the retain flag (stale ones)."""
    retain(mosq, broker, "ret/a", "stale")
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "ret/#", "-R", "-C", "1", "-F", "%t %p %r",
                     "-i", "nostale")
    broker.wait_subscribed("nostale", mark, proc=sub)
    assert mosq.run("pub", *broker.auth, "-t", "ret/a", "-m", "fresh").rc == 0
    sub.finish_printing("ret/a fresh 0\n", 10)


def test_clear_retained_with_null_message(broker, tool, mosq):
    retain(mosq, broker, "ret/a", "old")
    before = mosq.run("sub", *broker.auth, "-t", "ret/a", "-C", "1", "-W", "5", "-v")
    assert before.stdout == "ret/a old\n", before

    res = tool.run("pub", *broker.auth, "-t", "ret/a", "-r", "-n", "-i", "clr", "-d", timeout=10)
    assert res.rc == 0, res
    assert res.lines == h.session_trace("clr", *h.pub_trace("clr", "ret/a", 0, retain=True)), res

    after = mosq.run("sub", *broker.auth, "-t", "ret/#", "-W", "1", "-v", timeout=10)
    assert after.rc == 27, after  # timed out: nothing retained any more
    assert after.stdout == "", after
