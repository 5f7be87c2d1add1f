#!/usr/bin/env python3
"""End-to-end measurement of the dashboard under a flood from a real broker.

A mosquitto on a free loopback port; `mqdash` (release build) in a tmux pane of 200x60 subscribed to
`flood/#`, recording its frames and keys (MQDASH_FRAME_LOG); a publisher that sends QoS 0 messages over
5 000 topics at --rate messages/s for --seconds; `j`/`k` sent with tmux send-keys during the flood;
`q` right after it. Prints redraws per second during the flood, key latency (key read -> frame flushed,
and tmux send -> frame flushed), the rate mqdash actually received, the time from `q` to the process
exit, and the first frame time from exec.

    swift build -c release --product mqdash
    scripts/measure-dashboard-e2e.py [--rate 60000] [--seconds 10] [--binary .build/release/mqdash] [--board | --traffic]
    scripts/measure-dashboard-e2e.py --gzip-json    # gzip'd JSON payloads, mqdash --decode '#=gzip | json'
    scripts/measure-dashboard-e2e.py --rate 100000 --replay-source   # the flood from `mqdash replay --speed 1`

With --board the dashboard starts on a watch board of 12 tiles on flooded topics, 5 of them with an
alert rule (boards.toml in the work folder's XDG_CONFIG_HOME), and `j`/`k` move between its tiles.
With --traffic the traffic ranking view (`T`) is opened before the flood and stays open through it (its
10 s window ranking every topic and subtree), and `j`/`k` move its selection.

Loopback only. Needs mosquitto and tmux.
"""

from __future__ import annotations

import argparse
import multiprocessing
import base64
import gzip
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {what}")


def remaining_length(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def utf8(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("!H", len(raw)) + raw


def connect_packet(client_id: str) -> bytes:
    body = utf8("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 60) + utf8(client_id)
    return b"\x10" + remaining_length(len(body)) + body


def publish_packet(topic: str, payload: bytes) -> bytes:
    body = utf8(topic) + payload
    return b"\x30" + remaining_length(len(body)) + body


class Flood(threading.Thread):
    """QoS 0 PUBLISHes over `topics` topics, paced in 5 ms slices to `rate` per second."""

    def __init__(self, port: int, rate: int, seconds: float, topics: int = 5000, gzip_json: bool = False):
        super().__init__(daemon=True)
        self.port, self.rate, self.seconds = port, rate, seconds
        # Pre-encoded: site/floor/room/sensor-like names, numeric payloads that vary per round; with gzip_json
        # a small reading as gzip'd JSON (about 90 bytes), what `--decode '#=gzip | json'` reads.
        def payload(i: int) -> bytes:
            value = 20 + (i * 7919) % 100 / 10
            if not gzip_json:
                return f"{value:.1f}".encode()
            reading = {"temp": value, "unit": "C", "seq": i, "ok": True}
            return gzip.compress(json.dumps(reading, separators=(",", ":")).encode(), mtime=0)
        self.messages = [(f"flood/b{i % 10}/f{i // 10 % 10}/r{i // 100 % 10}/s{i // 1000}", payload(i))
                         for i in range(topics * 4)]
        self.packets = [publish_packet(topic, body) for topic, body in self.messages]
        self.sent = 0
        self.started = self.ended = 0.0

    def run(self) -> None:
        sock = socket.create_connection((HOST, self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(connect_packet("flood-" + uuid.uuid4().hex[:6]))
        assert sock.recv(4)[:1] == b"\x20", "no CONNACK"
        slice_seconds = 0.005
        per_slice = max(1, int(self.rate * slice_seconds))
        # One blob of all packets and their offsets: a slice of it is one sendall, no per-packet Python work.
        blob = b"".join(self.packets)
        offsets = [0]
        for packet in self.packets:
            offsets.append(offsets[-1] + len(packet))
        total = len(self.packets)
        index = 0
        self.started = time.time()
        while True:
            now = time.time()
            if now - self.started >= self.seconds:
                break
            due = int((now - self.started) * self.rate) + per_slice
            if self.sent < due:
                count = min(due - self.sent, total - index)
                sock.sendall(blob[offsets[index]:offsets[index + count]])
                index = (index + count) % total
                self.sent += count
            else:
                time.sleep(slice_seconds / 2)
        self.ended = time.time()
        sock.sendall(b"\xe0\x00")
        sock.close()


def _flood_in_process(port: int, rate: int, seconds: float, gzip_json: bool, results) -> None:
    flood = Flood(port, rate, seconds, gzip_json=gzip_json)
    flood.run()
    results.put((flood.sent, flood.started, flood.ended))


class Floods:
    """--sources N: N Flood publishers in processes of their own (one Python thread tops out near 60 000
    msg/s here), each at rate/N; reads like one Flood."""

    def __init__(self, port: int, rate: int, seconds: float, sources: int, gzip_json: bool):
        self.results = multiprocessing.Queue()
        self.processes = [multiprocessing.Process(target=_flood_in_process, daemon=True,
                                                  args=(port, rate // sources, seconds, gzip_json, self.results))
                          for _ in range(sources)]
        self.sent = 0
        self.started = self.ended = 0.0

    def start(self) -> None:
        self.started = time.time()
        for process in self.processes:
            process.start()

    def is_alive(self) -> bool:
        return any(process.is_alive() for process in self.processes)

    def join(self) -> None:
        results = [self.results.get(timeout=60) for _ in self.processes]
        for process in self.processes:
            process.join()
        self.sent = sum(r[0] for r in results)
        self.started = min(r[1] for r in results)
        self.ended = max(r[2] for r in results)


class ReplayFlood:
    """--replay-source: the same messages written as a recording, one every 1/rate s, and sent by
    `mqdash replay --speed 1` (the fastest source here; one Python publisher tops out near 60 000 msg/s).
    Reads like one Flood."""

    def __init__(self, binary: str, work: Path, port: int, rate: int, seconds: float, gzip_json: bool):
        template = Flood(port, rate, seconds, gzip_json=gzip_json)
        count = int(rate * seconds)
        path = work / "flood.jsonl"
        with path.open("w") as f:
            f.write('{"mqdash_recording":1,"filters":["#"]}\n')
            for i in range(count):
                topic, payload = template.messages[i % len(template.messages)]
                micros = i * 1_000_000 // rate
                stamp = "2026-12-03T09:%02d:%02d.%06dZ" % (micros // 60_000_000, micros // 1_000_000 % 60, micros % 1_000_000)
                body = ('"payload_b64":"%s"' % base64.b64encode(payload).decode() if gzip_json
                        else '"payload":"%s"' % payload.decode())
                f.write('{"ts":"%s","topic":"%s","qos":0,"retain":false,%s}\n' % (stamp, topic, body))
        self.command = [binary, "replay", str(path), "-h", HOST, "-p", str(port), "--speed", "1"]
        self.sent, self.count = 0, count
        self.started = self.ended = 0.0
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.started = time.time()
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def is_alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def join(self) -> None:
        assert self.process is not None
        if self.process.wait(timeout=120) != 0:
            raise SystemExit(f"mqdash replay failed: exit {self.process.returncode}")
        self.ended = time.time()
        self.sent = self.count


def write_board(path: Path) -> None:
    """12 tiles on topics the flood sends to, the first five with a rule (two of them fire and clear all along)."""
    rules = ['"above 25"', '"below 21"', '"outside 20..29"', '"rate above 1000"', '"silent for 5s"']
    lines = ["[boards.flood]", "bell = false"]
    for i in range(12):
        topic = f"flood/b{i % 10}/f{i // 10 % 10}/r0/s0"
        lines += ["", "[[boards.flood.tiles]]", f'topic = "{topic}"', 'unit = "°C"']
        if i < len(rules):
            lines.append(f"rules = [{rules[i]}]")
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n")


def tmux(sock: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True, timeout=10)


def parse_log(path: Path):
    frames, keys, quit_at = [], [], None
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts[0] == "frame":
            # The render time (field 7) is missing from the logs of older binaries: -1 then.
            render = float(parts[6]) if len(parts) > 6 else -1.0
            frames.append((float(parts[1]), float(parts[2]), int(parts[3]), int(parts[4]), int(parts[5]), render))
        elif parts[0] == "key":
            keys.append((float(parts[1]), float(parts[2]), parts[3]))
        elif parts[0] == "quit":
            quit_at = float(parts[1])
    return frames, keys, quit_at


def print_key_frames(window: list, key_flushes: set) -> None:
    """The frames that showed a key against the others: medians of render+draw, and of render and draw apart."""
    def medians(frames: list) -> str:
        if not frames:
            return "none"
        total = statistics.median(f[1] for f in frames)
        if frames[0][5] < 0:
            return f"{len(frames)}, render+draw {total:.2f} ms"
        render = statistics.median(f[5] for f in frames)
        draw = statistics.median(f[1] - f[5] for f in frames)
        return f"{len(frames)}, render+draw {total:.2f} ms (render {render:.2f}, draw {draw:.2f})"
    key_frames = [f for f in window if f[0] in key_flushes]
    others = [f for f in window if f[0] not in key_flushes]
    print(f"frames showing a key: {medians(key_frames)}; other frames: {medians(others)}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_pid(parent: int) -> int:
    out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()
    return int(out[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=60000, help="messages per second to publish")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--binary", default=str(REPO / ".build" / "release" / "mqdash"))
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--sources", type=int, default=1, help="publisher processes sharing --rate (default 1)")
    parser.add_argument("--gzip-json", action="store_true",
                        help="gzip'd JSON payloads, and the dashboard decodes every message with --decode '#=gzip | json'")
    parser.add_argument("--replay-source", action="store_true",
                        help="send the flood with `mqdash replay --speed 1` of a recording (--binary) instead of Python")
    views = parser.add_mutually_exclusive_group()
    views.add_argument("--board", action="store_true", help="start on a board of 12 tiles and 5 alert rules")
    views.add_argument("--traffic", action="store_true", help="open the traffic ranking view (T) before the flood and keep it open")
    args = parser.parse_args()
    for program in ("mosquitto", "tmux"):
        if not shutil.which(program):
            raise SystemExit(f"{program} not found")
    if not os.access(args.binary, os.X_OK):
        raise SystemExit(f"{args.binary} not found: swift build -c release --product mqdash")

    work = Path(tempfile.mkdtemp(prefix="mqdash-e2e-"))
    port = free_port()
    (work / "mosquitto.conf").write_text(f"listener {port} {HOST}\nallow_anonymous true\n")
    broker = subprocess.Popen(["mosquitto", "-c", str(work / "mosquitto.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = "mqdash-measure-" + uuid.uuid4().hex[:8]
    frame_log, start_file, exit_file = work / "frames.log", work / "start", work / "exit"
    try:
        wait_until(lambda: _accepts(port), 5, "mosquitto")
        decode = " --decode '#=gzip | json'" if args.gzip_json else ""
        board_args = ""
        if args.board:
            write_board(work / "xdg" / "mqdash" / "boards.toml")
            board_args = " --board flood"
        xdg = f"XDG_CONFIG_HOME={work / 'xdg'} " if args.board else ""
        command = (f"export LANG=C.UTF-8 MQDASH_FRAME_LOG={frame_log}; "
                   f"date +%s.%N > {start_file}; {xdg}{args.binary} -h {HOST} -p {port} -t 'flood/#'{decode}{board_args}; "
                   f"date +%s.%N > {exit_file}; sleep 30")
        env = dict(os.environ, TERM="tmux-256color")
        subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "60",
                        "bash", "--norc", "-c", command], check=True, env=env, timeout=10)
        wait_until(lambda: "connected" in tmux(sock, "capture-pane", "-p").stdout, 10, "mqdash to connect")
        if args.board:
            wait_until(lambda: "┌ flood/b0/f0/r0/s0" in tmux(sock, "capture-pane", "-p").stdout, 10, "the board")
        if args.traffic:
            tmux(sock, "send-keys", "-t", "0", "T")
            wait_until(lambda: "Traffic by msgs/s" in tmux(sock, "capture-pane", "-p").stdout, 10, "the traffic view")
        time.sleep(0.5)

        mqdash_pid = child_pid(int(tmux(sock, "display-message", "-p", "#{pane_pid}").stdout))
        cpu_before = (cpu_seconds(mqdash_pid), cpu_seconds(broker.pid))
        if args.replay_source:
            flood = ReplayFlood(args.binary, work, port, args.rate, args.seconds, args.gzip_json)
        elif args.sources > 1:
            flood = Floods(port, args.rate, args.seconds, args.sources, args.gzip_json)
        else:
            flood = Flood(port, args.rate, args.seconds, gzip_json=args.gzip_json)
        flood.start()
        sent_keys = []
        time.sleep(1.0)
        key_index = 0
        while flood.is_alive() and time.time() - flood.started < args.seconds - 0.5:
            key = "j" if key_index % 4 < 2 else "k"
            sent_keys.append(time.time())
            tmux(sock, "send-keys", "-t", "0", key)
            key_index += 1
            time.sleep(0.4)
        flood.join()
        flood_end = flood.ended
        cpu_used = (cpu_seconds(mqdash_pid) - cpu_before[0], cpu_seconds(broker.pid) - cpu_before[1])
        peak_rss = next(line.split()[1] for line in Path(f"/proc/{mqdash_pid}/status").read_text().splitlines()
                        if line.startswith("VmHWM"))
        if args.traffic:
            # Still the traffic view at the end of the flood: no key closed it, so the figures are the view's.
            screen = tmux(sock, "capture-pane", "-p").stdout
            if "Traffic by msgs/s" not in screen:
                raise SystemExit(f"the traffic view was not open at the end of the flood:\n{screen}")
        q_sent = time.time()
        tmux(sock, "send-keys", "-t", "0", "q")
        wait_until(lambda: exit_file.exists() and exit_file.read_text().strip(), 10, "mqdash to exit")
        exited = float(exit_file.read_text())
        started = float(start_file.read_text())
        screen_note = ""
    finally:
        tmux(sock, "kill-server")
        broker.terminate()
        broker.wait(5)

    frames, keys, quit_at = parse_log(frame_log)
    window = [f for f in frames if flood.started + 0.5 <= f[0] <= flood_end]
    span = window[-1][0] - window[0][0] if len(window) > 1 else 0
    gaps = [b[0] - a[0] for a, b in zip(window, window[1:])]
    flood_keys = [k for k in keys if flood.started <= k[0] <= flood_end]
    latencies = [(k[1] - k[0]) * 1000 for k in flood_keys]
    # Each key sent is matched with the first key read after it (tmux delivers them in order).
    send_to_flush = []
    reads = sorted(flood_keys)
    for sent in sent_keys:
        match = next((k for k in reads if k[0] >= sent), None)
        if match:
            send_to_flush.append((match[1] - sent) * 1000)
    before = max((f for f in frames if f[0] <= flood.started), default=frames[0], key=lambda f: f[0])
    after_flood = [f for f in frames if f[0] <= flood_end + 2]
    last = after_flood[-1]
    received = (last[2] + last[4]) - (before[2] + before[4])
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; flood {args.rate}/s for {args.seconds} s"
          + (f" from {args.sources} publishers" if args.sources > 1 else "")
          + (" from mqdash replay --speed 1" if args.replay_source else "")
          + ("; gzip'd JSON payloads, --decode '#=gzip | json'" if args.gzip_json else "")
          + ("; on a board of 12 tiles, 5 rules" if args.board else "")
          + ("; with the traffic view (T) open" if args.traffic else ""))
    print(f"published: {flood.sent} messages in {flood_end - flood.started:.2f} s = {flood.sent / (flood_end - flood.started):.0f} msg/s")
    print(f"mqdash received (applied + skipped) by 2 s after the flood: {received} "
          f"= {received / (flood_end - flood.started):.0f} msg/s over the flood; skipped: {last[4] - before[4]}")
    duration = flood_end - flood.started
    steady = [f for f in frames if flood.started + 1 <= f[0] <= flood_end]
    if len(steady) > 1:
        got = (steady[-1][2] + steady[-1][4]) - (steady[0][2] + steady[0][4])
        print(f"steady state (from 1 s into the flood to its end): {got / (steady[-1][0] - steady[0][0]):.0f} msg/s "
              f"applied or skipped; most events waiting at a frame: {max(f[3] for f in steady)}")
    print(f"mqdash peak resident memory: {int(peak_rss) / 1024:.1f} MB")
    print(f"CPU during the flood: mqdash {cpu_used[0] / duration * 100:.0f}% of a core "
          f"({cpu_used[0] / max(1, received) * 1e6:.1f} us per message received), mosquitto {cpu_used[1] / duration * 100:.0f}%")
    print(f"frames during the flood: {len(window)} in {span:.2f} s = {len(window) / span if span else 0:.1f} redraws/s; "
          f"longest gap {max(gaps) * 1000 if gaps else 0:.1f} ms; render+draw median {statistics.median(f[1] for f in window):.2f} ms, "
          f"max {max(f[1] for f in window):.2f} ms")
    if latencies:
        print(f"keys during the flood: {len(latencies)}; read -> frame flushed p50 {statistics.median(latencies):.2f} ms, "
              f"max {max(latencies):.2f} ms")
        print_key_frames(window, {k[1] for k in flood_keys})
    if send_to_flush:
        print(f"tmux send-keys -> frame flushed: p50 {statistics.median(send_to_flush):.1f} ms, "
              f"max {max(send_to_flush):.1f} ms ({len(send_to_flush)} keys)")
    print(f"q sent {q_sent - flood_end:.3f} s after the flood; loop ended {((quit_at or q_sent) - q_sent) * 1000:.1f} ms "
          f"and process exited {(exited - q_sent) * 1000:.1f} ms after q was sent")
    print(f"first frame {(frames[0][0] - started) * 1000:.1f} ms after exec (process start)")
    if args.keep:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
