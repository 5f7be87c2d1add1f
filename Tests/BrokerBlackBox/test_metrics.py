"""metrics_listener: Prometheus /metrics and /health, scraped with Python's own HTTP client."""

import re
import urllib.error
import urllib.request

import pytest

import brokerhelpers as b
import mqhelpers as h
from brokerhelpers import Paho, connected

pytestmark = pytest.mark.only_mqdash("metrics_listener is mqdash's own option")


def scrape(port: int, path: str = "/metrics") -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def value(text: str, name: str) -> float:
    """The sample `name` (with its labels, if any) from the exposition text."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} not in:\n{text}"
    return float(match.group(1))


def test_metrics_count_clients_messages_drops_and_store_commits(make_broker):
    port = h.free_port([])
    broker = make_broker(persistence=True, extra=[f"metrics_listener 127.0.0.1:{port}", "max_queued_messages 2"])
    status, text = scrape(port, "/health")
    assert (status, text) == (200, "ok\n")
    with connected(Paho(broker, "sub", v5=True, session_expiry=300)) as sub, connected(Paho(broker, "pub")) as pub:
        sub.subscribe("m/#", 1)
        for i in range(3):
            pub.publish(f"m/{i}", b"x", qos=1)
        pub.publish("keep", b"retained", qos=1, retain=True)
        sub.wait_messages(3)
        status, text = scrape(port)
        assert status == 200
        assert value(text, "mqdash_clients_connected") == 2
        assert value(text, "mqdash_messages_received_total") >= 4
        assert value(text, "mqdash_messages_sent_total") >= 3
        assert value(text, "mqdash_retained_messages") == 1
        assert value(text, "mqdash_store_commit_seconds_count") >= 1
    # The subscriber's session outlives it with a queue of 2: the third message is dropped as queue_full.
    with connected(Paho(broker, "pub2")) as pub:
        for i in range(3):
            pub.publish(f"m/offline/{i}", b"x", qos=1)
    _, text = scrape(port)
    assert value(text, "mqdash_clients_connected") == 0
    assert value(text, 'mqdash_messages_dropped_total{reason="queue_full"}') == 1
    assert value(text, "mqdash_messages_queued") == 2
    assert scrape(port, "/nothing")[0] == 404


def test_a_bad_metrics_listener_line_is_an_error_with_its_line(make_broker):
    broker = make_broker(start=False, extra=["metrics_listener 127.0.0.1:99999"])
    r = h.run(broker.argv(), timeout=10)
    assert r.rc == 1, r
    assert "metrics_listener" in r.stderr and "mosquitto.conf:" in r.stderr, r
