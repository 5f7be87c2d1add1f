"""The broker restarts while a persistent QoS 1 subscriber is running.

mosquitto_sub 2.0.11 (libmosquitto's loop_forever) reconnects by itself about once a
second and subscribes again, so this runs against the reference tools too; mqdash must
reconnect (with backoff) and lose nothing.
"""

import re
import threading
import time

import pytest


N = 60


def publish_with_retry(mosq, broker, topic, payload, deadline):
    """mosquitto_pub -q 1 exits 0 only after PUBACK; retry while the broker is down."""
    while True:
        r = mosq.run("pub", *broker.auth, "-t", topic, "-m", payload, "-q", "1", "-i",
                     "numbers", timeout=10)
        if r.rc == 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"could not publish {payload} before the deadline:{r}")
        time.sleep(0.1)


@pytest.mark.timeout_seconds(90)
@pytest.mark.parametrize("version", ["mqttv311", "5"], ids=["v311", "v5"])
def test_restart_mid_stream_loses_nothing(broker, tool, mosq, version):
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-V", version, "-c", "-i", "persist1", "-q", "1",
                     "-t", "seq/n", "-F", "%p")
    broker.wait_subscribed("persist1", mark, proc=sub)

    errors: list[BaseException] = []
    sent = threading.Event()
    third = threading.Event()

    def publisher():
        try:
            deadline = time.monotonic() + 45
            for i in range(1, N + 1):
                publish_with_retry(mosq, broker, "seq/n", str(i), deadline)
                if i == N // 3:
                    third.set()
                time.sleep(0.03)
        except BaseException as e:  # reported by the main thread
            errors.append(e)
        finally:
            third.set()
            sent.set()

    t = threading.Thread(target=publisher, daemon=True)
    t.start()
    assert third.wait(30), "publisher stalled"
    broker.restart()  # SIGTERM saves the persistent session; same port afterwards
    assert sent.wait(60), "publisher did not finish"
    t.join(5)
    assert not errors, errors[0]

    # Every number arrived at least once (duplicates are allowed at QoS 1).
    want = {str(i) for i in range(1, N + 1)}
    try:
        sub.wait_for(lambda out: want <= set(out.decode(errors="replace").split()), timeout=30,
                     what=f"all of 1..{N}")
    finally:
        sub.terminate()
    res = sub.finish(10)
    missing = sorted(want - set(res.lines), key=int)
    assert not missing, f"lost {missing}{res}"
    assert set(res.lines) <= want, res

    # It really went through a reconnect that resumed the session: after the restart
    # the broker saw persist1 connect again with clean session 0.
    proto = "5" if version == "5" else "2"
    log = broker.log_text()
    assert log.count(f"as persist1 (p{proto}, c0, k60, u'iot').") >= 2, log
    # Two starts, whichever mosquitto version Debian ships.
    assert len(re.findall(r"^\S+: mosquitto version \S+ running$", log, re.M)) >= 2, log
