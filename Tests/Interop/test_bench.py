"""`mqdash bench` against a real mosquitto: pub with subscribers in the same process (QoS 0/1/2),
fan-in and fan-out, sub alone, conn, and the error lines.  Only mqdash has a bench, so these
tests are skipped with MQDASH_REFERENCE=1.  They check counts and that figures are present,
never how fast anything was."""

import json
import re

import pytest

import brokerhelpers as b
import mqhelpers as h

pytestmark = pytest.mark.mqdash_only("bench is mqdash's own")

SECOND_LINE = re.compile(r"^\[\s*\d+s\]  ")


def bench(broker, *args, timeout=40):
    return h.run([h.mqdash_binary(), "bench", *map(str, args)], timeout=timeout)


def summary(res) -> dict:
    assert res.rc == 0, res
    assert len(res.lines) == 1, res  # --json: stdout is the summary alone
    return json.loads(res.lines[0])


def assert_latency(s: dict, res):
    lat = s.get("latency")
    assert lat is not None, res
    assert lat["count"] > 0, res
    assert 0 < lat["p50_us"] <= lat["p99_us"] <= lat["p99_9_us"] <= lat["max_us"], res


@pytest.mark.parametrize("qos", [0, 1, 2])
def test_pub_with_subscriber_two_seconds(broker, qos):
    # QoS 1/2 are paced so that a slow (debug, shared machine) subscriber never falls 1000 messages
    # behind: mosquitto's max_queued_messages would drop the rest, which is loss the broker reports
    # correctly but this test is not about.  QoS 0 runs flat out.
    pace = ["--rate", 1000] if qos > 0 else []
    res = bench(broker, "pub", *broker.auth, "-c", 1, "--subscribers", 1, "-q", qos, *pace, "--duration", 2, "--json")
    s = summary(res)
    assert s["mode"] == "pub" and s["qos"] == qos and s["payload_bytes"] == 64, res
    assert s["sent"] > 0 and s["received"] > 0, res
    assert s["duplicated"] == 0, res
    if qos > 0:
        assert s["acked"] == s["sent"], res
        assert s["received"] == s["sent"] == s["expected"], res
        assert s["lost"] == 0, res
    else:
        assert s["received"] <= s["sent"], res
        assert s["lost"] == s["sent"] - s["received"], res
    assert_latency(s, res)
    # It ran its two seconds; how much longer the drain took on a loaded machine is not this test's business.
    assert s["seconds"] >= 1.5, res
    # Once a second while running, on stderr because stdout carries the JSON.
    ticks = [line for line in res.err_lines if SECOND_LINE.match(line)]
    assert len(ticks) >= 2, res
    assert "sent " in ticks[0] and "recv " in ticks[0], res


def test_pub_human_summary(broker):
    res = bench(broker, "pub", *broker.auth, "-c", 2, "--subscribers", 2, "-q", 1, "--count", 300, "-s", 100)
    assert res.rc == 0, res
    assert SECOND_LINE.match(res.lines[0]), res
    last = res.lines[-1]
    assert last.startswith("bench pub: "), res
    assert "2 publishers -> 2 subscribers, QoS 1, 100 B" in last, res
    assert "sent 600 (" in last and "acked 600" in last and "received 600 (" in last, res
    assert "lost 0, duplicated 0" in last, res
    assert re.search(r"latency p50 \d+\.\d{3} ms  p99 \d+\.\d{3} ms  p99\.9 \d+\.\d{3} ms  max \d+\.\d{3} ms", last), res


def test_fan_in(broker):
    res = bench(broker, "pub", *broker.auth, "-c", 20, "--subscribers", 1, "--filter", "bench/#",
                "-q", 1, "--count", 50, "--json")
    s = summary(res)
    assert s["sent"] == 1000 and s["expected"] == 1000 and s["received"] == 1000 and s["lost"] == 0, res


def test_fan_out(broker):
    res = bench(broker, "pub", *broker.auth, "-c", 1, "--subscribers", 20, "-t", "bench/fanout",
                "-q", 2, "--count", 50, "--json")
    s = summary(res)
    assert s["sent"] == 50 and s["expected"] == 1000 and s["received"] == 1000 and s["lost"] == 0, res
    assert_latency(s, res)


def test_rate_limited_publisher(broker):
    res = bench(broker, "pub", *broker.auth, "--subscribers", 1, "--rate", 100, "--duration", 2, "--json")
    s = summary(res)
    # 100/s: never ahead of the clock (one message at the start, then one per 10 ms, and the stop
    # reaches the publisher a moment after `seconds` is taken), and catching up after a stall.
    assert 0.75 * 100 * s["seconds"] <= s["sent"] <= 100 * s["seconds"] + 3, res
    assert s["received"] == s["sent"], res


def test_sub_counts_what_mosquitto_pub_sends(broker, mosq):
    mark = broker.mark()
    sub = h.Proc([h.mqdash_binary(), "bench", "sub", *broker.auth, "-t", "feed/#", "-q", 1,
                  "--count", 10, "--duration", 20, "--json", "--prefix", "bsub"])
    broker.wait_subscribed("bsub-sub-0", since=mark, proc=sub)
    lines = "".join(f"{i}\n" for i in range(10)).encode()
    pub = mosq.run("pub", *broker.auth, "-t", "feed/x", "-q", 1, "-l", input=lines, timeout=10)
    assert pub.rc == 0, pub
    res = sub.finish(15)
    s = summary(res)
    assert s["mode"] == "sub" and s["received"] == 10, res
    assert s.get("latency") is None, res  # plain payloads carry no send time
    assert "lost" not in s, res


def test_sub_measures_latency_of_another_bench_process(broker):
    mark = broker.mark()
    sub = h.Proc([h.mqdash_binary(), "bench", "sub", *broker.auth, "-t", "bench/#", "-q", 1,
                  "--count", 200, "--duration", 20, "--json", "--prefix", "lat"])
    broker.wait_subscribed("lat-sub-0", since=mark, proc=sub)
    pub = bench(broker, "pub", *broker.auth, "-q", 1, "--count", 200, "--prefix", "latpub")
    assert pub.rc == 0, pub
    s = summary(sub.finish(15))
    assert s["received"] == 200 and s["duplicated"] == 0
    assert_latency(s, pub)


def test_conn_fifty(broker):
    mark = broker.mark()
    res = bench(broker, "conn", *broker.auth, "-c", 50, "--conn-rate", 500, "--duration", 1, "--json")
    s = summary(res)
    assert s["connections"] == 50 and s["connected"] == 50, res
    assert s["failed"] == 0 and s["dropped"] == 0, res
    lat = s["connect_latency"]
    assert lat["count"] == 50 and 0 < lat["p50_us"] <= lat["p99_us"] <= lat["max_us"], res
    log = broker.log_since(mark)
    for i in range(50):
        assert re.search(rf"New client connected from 127\.0\.0\.1:\d+ as mqdash-bench-conn-{i} ", log), i
    assert len(re.findall(r"Client mqdash-bench-conn-\d+ disconnected\.", log)) == 50, log[-2000:]


def test_conn_wrong_password_is_an_error(broker):
    res = bench(broker, "conn", "-h", h.HOST, "-p", broker.port, "-u", "iot", "-P", "wrong", "-c", 5, "--duration", 0)
    assert res.rc == 1, res
    assert res.err_lines[-1] == "Error: Connection Refused: not authorised.", res


def test_pub_wrong_password_is_an_error(broker):
    res = bench(broker, "pub", "-h", h.HOST, "-p", broker.port, "-u", "iot", "-P", "wrong", "--subscribers", 1)
    assert res.rc == 1, res
    assert res.err_lines == ["Error: Connection Refused: not authorised."], res


def test_unreachable_broker_is_an_error():
    port = h.free_port()
    res = bench(None, "pub", "-h", h.HOST, "-p", port, "--duration", 1, timeout=20)
    assert res.rc == 1, res
    assert res.err_lines == [f"Error: Connection refused by {h.HOST}:{port}"], res


def test_bad_flags_are_errors():
    res = bench(None, "pub", "-q", 3, timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0] == "Error: Invalid QoS 3, must be 0, 1 or 2.", res
    res = bench(None, "pub", "-I", 5, "--rate", 10, timeout=10)
    assert res.rc == 1 and "either -I/--interval or --rate" in res.err_lines[0], res


def test_pub_over_tls(tls_broker, certs):
    res = bench(tls_broker, "pub", "-h", h.HOST, "-p", tls_broker.tls_port, "-u", h.USER, "-P", h.PASSWORD,
                "--cafile", certs.ca, "--subscribers", 1, "-q", 1, "--count", 200, "--json")
    s = summary(res)
    assert s["broker"] == f"mqtts://{h.HOST}:{tls_broker.tls_port}", res
    assert s["sent"] == s["received"] == 200 and s["lost"] == 0, res


def test_tls_with_an_untrusted_certificate_is_an_error(tls_broker, certs):
    res = bench(tls_broker, "pub", "-h", h.HOST, "-p", tls_broker.tls_port, "-u", h.USER, "-P", h.PASSWORD,
                "--cafile", certs.other_ca, "--count", 10)
    assert res.rc == 1, res
    assert res.err_lines == ["Error: TLS error: certificate verify failed (untrusted CA, or the certificate does not name this host)"], res


@pytest.mark.parametrize("version", ["mqttv311", "5"], ids=["v311", "v5"])
def test_persistent_sessions_outlive_the_run(broker, version):
    """--persistent: every bench client connects with clean session 0 (v5: session expiry 300 s), so the
    broker still holds the subscriber's session after the run; without it nothing would be left."""
    res = bench(broker, "pub", *broker.auth, "-V", version, "-c", 1, "--subscribers", 1, "-q", 1, "--count", 20,
                "--persistent", "--prefix", "pb", "--json")
    s = summary(res)
    assert s["received"] == s["sent"] == 20, res
    connects = re.findall(r"as (pb-\S+) \(p(\d), c(\d)", broker.log_text())
    assert {(cid.split("-")[1], clean) for cid, _, clean in connects} == {("pub", "0"), ("sub", "0")}, connects
    subscriber = next(cid for cid, _, _ in connects if "-sub-" in cid)
    v5 = version == "5"
    back = b.Paho(broker, subscriber, v5=v5, clean=False, session_expiry=300 if v5 else None,
                  user=h.USER, password=h.PASSWORD)
    try:
        assert back.connack.session_present, f"{subscriber}'s session is gone:{res}"
    finally:
        back.close()
