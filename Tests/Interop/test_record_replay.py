"""`mqdash record` and `mqdash replay` (docs/usage/record.md) against a real mosquitto, with paho and
mosquitto_sub/pub as the counterparts: round trips keep every byte and property, mosquitto_sub -F %J
captures replay, --retained-only makes a backup that restores, bad files are named by line, and a recorder
killed with SIGKILL leaves complete lines."""

from __future__ import annotations

import base64
import gzip
import json
import re
import signal
from pathlib import Path

import pytest

import brokerhelpers as b
import mqhelpers as h

pytestmark = pytest.mark.mqdash_only("record and replay are mqdash's own commands")


def mqdash(*args) -> list[str]:
    return [h.mqdash_binary(), *map(str, args)]


def records(path: Path) -> list[dict]:
    """The message lines of a recording (the header skipped), as dicts."""
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert lines and "mqdash_recording" in lines[0], lines[:1]
    return lines[1:]


def payload(record: dict) -> bytes:
    if "payload_b64" in record:
        return base64.b64decode(record["payload_b64"])
    return record["payload"].encode()


def message_lines(path: Path) -> int:
    try:
        return max(0, path.read_bytes().count(b"\n") - 1)
    except FileNotFoundError:
        return 0


def start_recorder(broker, client_id: str, out: Path, *args) -> h.Proc:
    mark = broker.mark()
    rec = h.Proc(mqdash("record", *broker.auth, "-V", "5", "-i", client_id, "-o", out, *args))
    broker.wait_subscribed(client_id, mark, proc=rec)
    return rec


def stop_recorder(rec: h.Proc) -> h.Result:
    rec.send_signal(signal.SIGINT)
    res = rec.finish(10)
    assert res.rc == 0, res
    return res


def comparable(record: dict, strip: str = "") -> tuple:
    expiry = record.get("message_expiry")
    return (record["topic"][len(strip):] if strip else record["topic"], payload(record), record["qos"],
            record["retain"], tuple(map(tuple, record.get("user_properties", []))), record.get("content_type"),
            record.get("response_topic"), record.get("correlation_data_b64"), record.get("payload_format"),
            expiry is not None)


SENT = [
    # (topic, payload, qos, retain, v5 properties)
    ("rt/text", "24.1", 0, False, None),
    ("rt/é/unicode", "漢字 \"quoted\" \\ line\nbreak", 1, False, None),
    ("rt/binary", bytes(range(256)), 2, False, None),
    ("rt/invalid-utf8", b"ok\xff\xfe\xc3", 1, True, None),
    ("rt/empty", b"", 0, False, None),
    ("rt/props", "with properties", 2, False,
     {"UserProperty": [("k", "v"), ("k", "v2"), ("ünï", "cödé")], "ContentType": "text/plain",
      "ResponseTopic": "reply/here", "CorrelationData": b"\x00\x01\xff", "MessageExpiryInterval": 300,
      "PayloadFormatIndicator": 1}),
]


def test_record_replay_record_round_trip_is_identical(broker, tmp_path):
    first = tmp_path / "first.jsonl"
    rec = start_recorder(broker, "rec-first", first, "-t", "rt/#")
    pub = b.Paho(broker, "pub-rt", v5=True, user=h.USER, password=h.PASSWORD)
    for topic, body, qos, retain, props in SENT:
        pub.publish(topic, body, qos=qos, retain=retain, props=props)
    h.wait_until(lambda: message_lines(first) >= len(SENT), 10, "the first recording")
    res = stop_recorder(rec)
    assert f"Recorded {len(SENT)} messages" in res.stderr, res
    recorded = records(first)
    # By topic: a QoS 2 message reaches subscribers only at its PUBREL, so one sent after it may arrive first.
    by_topic = {r["topic"]: r for r in recorded}
    assert sorted(by_topic) == sorted(s[0] for s in SENT), recorded
    for topic, body, _, _, _ in SENT:
        assert payload(by_topic[topic]) == (body.encode() if isinstance(body, str) else body), by_topic[topic]
    assert "payload_b64" in by_topic["rt/invalid-utf8"] and "payload" in by_topic["rt/é/unicode"], recorded
    assert by_topic["rt/invalid-utf8"]["retain"] is True and by_topic["rt/text"]["retain"] is False

    second = tmp_path / "second.jsonl"
    rec2 = start_recorder(broker, "rec-second", second, "-t", "again/#")
    res = h.run(mqdash("replay", first, *broker.auth, "-V", "5", "--max", "--prefix", "again/"), timeout=15)
    assert res.rc == 0, res
    assert f"{len(SENT)} sent" in res.stderr and "0 lines skipped" in res.stderr, res
    h.wait_until(lambda: message_lines(second) >= len(SENT), 10, "the second recording")
    stop_recorder(rec2)
    again = records(second)
    # Sorted: at --max a QoS 2 message reaches subscribers only at its PUBREL, so a QoS 1 one sent after it
    # may arrive first; each message itself must be the same.
    assert sorted(comparable(r, "again/") for r in again) == sorted(comparable(r) for r in recorded)
    # The broker counts message expiry down; what is left is within a few seconds of what was sent.
    expiry = [r["message_expiry"] for r in again if "message_expiry" in r]
    assert len(expiry) == 1 and 295 <= expiry[0] <= 300, again


def test_replay_of_a_mosquitto_sub_capture(broker, mosq, tmp_path):
    capture = tmp_path / "capture.json"
    mark = broker.mark()
    sub = h.Proc(["mosquitto_sub", *broker.auth, "-V", "5", "-t", "cap/#", "-i", "capture", "-F", "%J", "-q", "1"])
    broker.wait_subscribed("capture", mark, proc=sub)
    assert mosq.run("pub", *broker.auth, "-V", "5", "-t", "cap/a", "-m", '{"temp": 21.5}', "-q", "1",
                    "-D", "publish", "user-property", "room", "kitchen").rc == 0
    assert mosq.run("pub", *broker.auth, "-t", "cap/b", "-m", "[1,2,3]").rc == 0
    sub.wait_for_lines(2)
    sub.terminate()
    capture.write_bytes(sub.finish(5).out)

    watcher = b.Paho(broker, "watch-cap", v5=True, user=h.USER, password=h.PASSWORD)
    watcher.subscribe("copy/#", qos=1)
    res = h.run(mqdash("replay", capture, *broker.auth, "-V", "5", "--max", "--strip-prefix", "cap/",
                       "--prefix", "copy/"), timeout=15)
    assert res.rc == 0, res
    got = watcher.wait_messages(2)
    assert [(m.topic, m.payload, m.qos) for m in got] == [("copy/a", b'{"temp":21.5}', 1), ("copy/b", b"[1,2,3]", 0)]
    assert got[0].properties.UserProperty == [("room", "kitchen")]


def test_retained_only_backup_restores_into_an_empty_broker(broker, mosq, tmp_path, passwd_template):
    for topic, value in [("house/a", "1"), ("house/b/c", "two"), ("other", "x")]:
        assert mosq.run("pub", *broker.auth, "-t", topic, "-m", value, "-r", "-q", "1").rc == 0
    backup = tmp_path / "backup.jsonl.gz"
    # Ends by itself once the retained messages are in (no live traffic, no -C, no --duration).
    res = h.run(mqdash("record", *broker.auth, "-t", "#", "--retained-only", "-o", backup), timeout=15)
    assert res.rc == 0, res
    assert backup.read_bytes()[:2] == b"\x1f\x8b", "gzip"
    lines = [json.loads(line) for line in gzip.decompress(backup.read_bytes()).decode().splitlines()]
    assert lines[0]["mqdash_recording"] == 1 and lines[0]["filters"] == ["#"], lines[0]
    assert sorted((r["topic"], r["payload"], r["retain"]) for r in lines[1:]) == [
        ("house/a", "1", True), ("house/b/c", "two", True), ("other", "x", True)]

    empty = h.Broker(tmp_path / "restored", passwd_template).start()
    try:
        res = h.run(mqdash("replay", backup, *empty.auth, "--max"), timeout=15)
        assert res.rc == 0, res
        got = mosq.run("sub", *empty.auth, "-t", "#", "--retained-only", "-F", "%t=%p %r", "-W", "2", timeout=10)
        assert sorted(got.lines) == ["house/a=1 1", "house/b/c=two 1", "other=x 1"], got
    finally:
        empty.stop()


def test_a_corrupt_file_names_its_lines(broker, tmp_path):
    good = '{"ts":"2026-12-03T09:12:00.000001Z","topic":"bad/ok","qos":0,"retain":false,"payload":"fine"}'
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(good + "\nthis is not json\n" + good + '\n{"ts":"2026-12-03T09:12:01Z","topic":"bad/cut","pay')
    res = h.run(mqdash("replay", mixed, *broker.auth, "--max"), timeout=15)
    assert res.rc == 0, res
    assert "2 sent" in res.stderr and "2 lines skipped" in res.stderr, res
    assert "line 2: not JSON" in res.stderr and "line 4: truncated JSON" in res.stderr, res

    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\neggs\n")
    res = h.run(mqdash("replay", notes, *broker.auth), timeout=15)
    assert res.rc == 1, res
    assert res.err_lines == [f"Error: {notes} is not a recording: line 1: not JSON (byte 1)."], res

    res = h.run(mqdash("replay", tmp_path / "missing.jsonl", *broker.auth), timeout=15)
    assert res.rc == 1 and "missing.jsonl: No such file or directory" in res.stderr, res


def test_kill_9_loses_at_most_the_last_line(broker, tmp_path):
    out = tmp_path / "killed.jsonl"
    rec = start_recorder(broker, "rec-killed", out, "-t", "flood/#")
    # A steady stream from paho while the recorder is killed: it dies in the middle of work.
    pub = b.Paho(broker, "flooder", user=h.USER, password=h.PASSWORD)
    for i in range(3000):
        pub.publish(f"flood/{i % 10}", f"message {i} " + "x" * (i % 200), wait=False)
        if i == 1500:
            h.wait_until(lambda: message_lines(out) >= 200, 10, "lines in the recording")
            rec.send_signal(signal.SIGKILL)
    rec.finish(5)
    lines = out.read_bytes().split(b"\n")
    complete, last = lines[:-1], lines[-1]
    assert len(complete) > 200
    for line in complete:
        json.loads(line)  # every newline-terminated line is whole
    res = h.run(mqdash("replay", out, *broker.auth, "--max", "-t", "nothing/#"), timeout=15)
    assert res.rc == 0, res
    skipped = int(re.search(r"(\d+) lines skipped", res.stderr).group(1))
    assert skipped <= 1 and (skipped == 0) == (last == b""), res


def test_rotate_and_max_size_bound_the_files(broker, mosq, tmp_path):
    def publish(n: int) -> None:
        for i in range(n):
            assert mosq.run("pub", *broker.auth, "-t", f"size/{i}", "-m", f"reading number {i:04d} " + "x" * 40).rc == 0

    rotating = tmp_path / "rot.jsonl"
    rec = start_recorder(broker, "rec-rotate", rotating, "-t", "size/#", "--rotate", "1k", "--count", "30")
    publish(30)
    res = rec.finish(15)
    assert res.rc == 0, res
    older = tmp_path / "rot.1.jsonl"
    assert "rotated" in res.stderr and f"previous file: {older}" in res.stderr, res
    # Two files at most, each a recording of its own (header first), none much over the size.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("rot")) == ["rot.1.jsonl", "rot.jsonl"]
    for path in (rotating, older):
        assert path.stat().st_size < 1024 + 200, path
        records(path)
    # The newest message is in the current file, or in the older one if it filled that one up.
    assert (records(rotating) or records(older))[-1]["topic"] == "size/29"

    capped = tmp_path / "capped.jsonl"
    rec = start_recorder(broker, "rec-capped", capped, "-t", "size/#", "--max-size", "1k")
    publish(30)
    res = rec.finish(15)
    assert res.rc == 0 and "stopped at --max-size" in res.stderr, res
    assert capped.stat().st_size <= 1024
    kept = records(capped)
    assert [r["topic"] for r in kept] == [f"size/{i}" for i in range(len(kept))]
    assert "recording:" not in res.stderr, "no live counter when stderr is not a terminal"


def test_a_full_disk_stops_the_recording_with_a_valid_file(broker, mosq, tmp_path):
    """A file size limit (ulimit -f, SIGXFSZ ignored) fails writes the way a full disk does: the line that does
    not fit is cut at the limit by the kernel, and the recorder must take it back out."""
    out = tmp_path / "full.jsonl"
    mark = broker.mark()
    rec = h.Proc(["bash", "-c", f"trap '' XFSZ; ulimit -f 1; exec {h.mqdash_binary()} record {' '.join(broker.auth)} "
                  f"-i rec-full -t 'disk/#' -o {out}"])
    broker.wait_subscribed("rec-full", mark, proc=rec)
    for i in range(30):
        assert mosq.run("pub", *broker.auth, "-t", f"disk/{i}", "-m", "y" * 60).rc == 0
        if not rec.running():
            break
    res = rec.finish(10)
    assert res.rc == 1, res
    assert "full.jsonl: File too large; the recording stops here, complete up to its last line" in res.stderr, res
    data = out.read_bytes()
    assert len(data) <= 1024 and data.endswith(b"\n"), data[-80:]
    kept = records(out)
    assert len(kept) >= 5 and [r["topic"] for r in kept] == [f"disk/{i}" for i in range(len(kept))]


def test_a_writer_that_lags_holds_the_broker_back_instead_of_filling_memory(broker, mosq, tmp_path):
    """The file is a FIFO that nobody reads yet: the recorder's writes block. A 100 MB flood must then wait
    in TCP and in the broker, not in the recorder's memory (it writes from the thread that reads the broker),
    and once the FIFO is read, what the recorder took arrives whole."""
    out = tmp_path / "slow.jsonl"
    fifo = h.UnreadFifo(out)
    rec = start_recorder(broker, "rec-slow", out, "-q", "0", "-t", "flood/#")
    baseline, peak = h.vm_rss_under_flood(broker, mosq, tmp_path, rec.p.pid, "flood/x")
    print(f"VmRSS of record: {baseline} kB before the flood, peak {peak} kB while its writes were blocked")
    assert peak - baseline < 60_000, f"the recorder grew by {peak - baseline} kB while its file was blocked"

    fifo.drain()
    stop_recorder(rec)
    lines = fifo.close().splitlines()
    kept = [json.loads(line) for line in lines[1:]]
    assert kept and all(r["topic"] == "flood/x" and len(r["payload"]) == 100_000 for r in kept)
