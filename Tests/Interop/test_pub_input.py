"""mosquitto_pub's message sources: -m, -f, -l, -s, -n, --repeat; binary payloads."""

import os
import time

import pytest

import mqhelpers as h


def watch(broker, mosq, topic, n, fmt=None, extra=()):
    """A mosquitto_sub counterpart that is subscribed when this returns."""
    mark = broker.mark()
    args = [*broker.auth, "-t", topic, "-i", "watcher", "-C", n, *extra]
    if fmt is not None:
        args += ["-F", fmt]
    w = mosq.start("sub", *args)
    broker.wait_subscribed("watcher", mark, proc=w)
    return w


@pytest.mark.parametrize("qos", [0, 1, 2])
def test_pub_file_100k_binary(broker, tool, mosq, tmp_path, qos):
    data = os.urandom(100 * 1024) + bytes(range(256)) + b"\x00\r\n\x00"
    f = tmp_path / "blob.bin"
    f.write_bytes(data)
    w = watch(broker, mosq, "bin/x", 1, extra=("-N", "-q", str(qos)))
    res = tool.run("pub", *broker.auth, "-t", "bin/x", "-f", f, "-q", qos, "-i", "fp", "-d",
                   timeout=20)
    assert res.rc == 0, res
    assert f"Client fp sending PUBLISH (d0, q{qos}, r0, m1, 'bin/x', ... ({len(data)} bytes))" \
        in res.lines, res
    got = w.finish(20)
    assert got.rc == 0, (got.rc, got.stderr)
    h.assert_same_bytes(got.out, data)


def test_sub_receives_100k_binary(broker, tool, mosq, tmp_path):
    data = os.urandom(100 * 1024) + b"\x00\n\xff"
    f = tmp_path / "blob.bin"
    f.write_bytes(data)
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "bin/y", "-i", "binsub", "-C", "1", "-N",
                     "-q", "1")
    broker.wait_subscribed("binsub", mark, proc=sub)
    pub = mosq.run("pub", *broker.auth, "-t", "bin/y", "-f", f, "-q", "1", timeout=20)
    assert pub.rc == 0, pub
    res = sub.finish(20)
    assert res.rc == 0, (res.rc, res.stderr)
    h.assert_same_bytes(res.out, data)
    # Without -N a newline follows the payload.
    sub2 = tool.start("sub", *broker.auth, "-t", "bin/y", "-i", "binsub2", "-C", "1", "-F", "%l")
    broker.wait_subscribed("binsub2", mark, proc=sub2)
    assert mosq.run("pub", *broker.auth, "-t", "bin/y", "-f", f).rc == 0
    assert sub2.finish(20).stdout == f"{len(data)}\n"


def test_pub_file_missing(broker, tool, tmp_path):
    res = tool.run("pub", *broker.auth, "-t", "x", "-f", tmp_path / "nope.bin", timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0] == f"Error: Unable to open file \"{tmp_path / 'nope.bin'}\".", res


def test_pub_lines_l(broker, tool, mosq):
    """-l sends one message per stdin line (an empty line is an empty message; a last
    line without newline is still sent)."""
    w = watch(broker, mosq, "l/x", 4, fmt="[%p] %l")
    res = tool.run("pub", *broker.auth, "-t", "l/x", "-l", "-i", "lp", "-d",
                   input=b"one\ntwo\n\nthree", timeout=10)
    assert res.rc == 0, res
    assert res.lines == h.session_trace("lp", *(line for mid, size in enumerate([3, 3, 0, 5], start=1)
                                                for line in h.pub_trace("lp", "l/x", size, mid=mid))), res
    got = w.finish(10)
    assert got.stdout == "[one] 3\n[two] 3\n[] 0\n[three] 5\n", got


def test_pub_lines_l_qos1_retained(broker, tool, mosq):
    res = tool.run("pub", *broker.auth, "-t", "l/r", "-l", "-q", "1", "-r",
                   input=b"first\nsecond\n", timeout=10)
    assert res.rc == 0, res
    got = mosq.run("sub", *broker.auth, "-t", "l/r", "-C", "1", "-W", "5", "-F", "%p %r")
    assert got.stdout == "second 1\n", got


def test_pub_stdin_s(broker, tool, mosq):
    w = watch(broker, mosq, "s/x", 1, fmt="%x %l")
    res = tool.run("pub", *broker.auth, "-t", "s/x", "-s", input=b"a\nb\n\x00c", timeout=10)
    assert res.rc == 0, res
    assert w.finish(10).stdout == "610a620a0063 6\n"


def test_pub_null_n(broker, tool, mosq):
    w = watch(broker, mosq, "n/x", 1, fmt="[%p] %l")
    res = tool.run("pub", *broker.auth, "-t", "n/x", "-n", timeout=10)
    assert res.rc == 0, res
    assert w.finish(10).stdout == "[] 0\n"


def test_pub_message_utf8(broker, tool, mosq):
    text = "grüße ☃ 𝄞"
    w = watch(broker, mosq, "m/x", 1, fmt="%p|%l")
    res = tool.run("pub", *broker.auth, "-t", "m/x", "-m", text, timeout=10)
    assert res.rc == 0, res
    assert w.finish(10).stdout == f"{text}|{len(text.encode())}\n"


def test_pub_repeat(broker, tool, mosq):
    w = watch(broker, mosq, "rep/x", 3, fmt="%p %m", extra=("-q", "1"))
    t0 = time.monotonic()
    res = tool.run("pub", *broker.auth, "-t", "rep/x", "-m", "again", "-q", "1",
                   "--repeat", "3", "--repeat-delay", "0.3", "-i", "rp", "-d", timeout=15)
    took = time.monotonic() - t0
    assert res.rc == 0, res
    assert [l for l in res.lines if "PUBLISH" in l] == [
        f"Client rp sending PUBLISH (d0, q1, r0, m{i}, 'rep/x', ... (5 bytes))" for i in (1, 2, 3)
    ], res
    assert took >= 0.55, f"3 publishes 0.3 s apart took only {took:.2f}s"
    assert w.finish(10).stdout == "again 1\nagain 2\nagain 3\n"
