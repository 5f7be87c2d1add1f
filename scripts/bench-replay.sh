#!/usr/bin/env bash
# `mqdash replay` (issue 10, section 4): (1) `--max` throughput of an N-message recording into mosquitto and
# into `mqdash broker`, with the replayer's peak RSS (streamed, so it should not grow with N); (2) the timing
# of `--speed 1`: a recording of S seconds with irregular gaps is replayed into mosquitto while `mqdash
# record` records it again; each message's lateness is |(arrival - first arrival) - (recorded - first
# recorded)|, so it includes the broker's and the recorder's loopback latency, not only the replayer's.
#
#   scripts/bench-replay.sh [--count N] [--seconds S] [MQDASH_BINARY]   (defaults: 1000000, 60, release build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bench-lib.sh"
COUNT=1000000
SECONDS_LONG=60
bench_options count=COUNT seconds=SECONDS_LONG -- "$@"
bench_mqdash "${ARGS[0]:-}"
bench_scratch bench-replay

MOSQ_PORT=$(free_port)
start_flood_broker mosquitto "$MOSQ_PORT"
MQD_PORT=$(free_port)
"$MQDASH" broker -p "$MQD_PORT" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$MOSQ_PORT"
wait_port "$MQD_PORT"

python3 - "$WORK" "$COUNT" "$SECONDS_LONG" <<'PY'
import json, random, sys
work, count, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def stamp(us):
    s, us = divmod(us, 1_000_000)
    m, s = divmod(s, 60); h, m = divmod(m, 60)
    return "2026-12-03T%02d:%02d:%02d.%06dZ" % (9 + h, m, s, us)
with open(f"{work}/max.jsonl", "w") as f:
    f.write('{"mqdash_recording":1,"filters":["#"]}\n')
    for i in range(count):
        f.write('{"ts":"%s","topic":"flood/%d","qos":0,"retain":false,"payload":"{\\"n\\":%d,\\"temp\\":21.5}"}\n' % (stamp(i * 10), i % 16, i))
# Irregular: mostly 1-40 ms apart, bursts of 0 gap, and pauses up to 1.5 s.
random.seed(10)
t, n = 0, 0
with open(f"{work}/timed.jsonl", "w") as f:
    f.write('{"mqdash_recording":1,"filters":["#"]}\n')
    while t < seconds * 1_000_000:
        f.write('{"ts":"%s","topic":"timed/x","qos":0,"retain":false,"payload":"%d"}\n' % (stamp(t), n))
        n += 1
        r = random.random()
        t += 0 if r < 0.1 else (random.randint(200_000, 1_500_000) if r > 0.995 else random.randint(1_000, 40_000))
PY
echo "recording: $COUNT messages, $(du -h "$WORK/max.jsonl" | cut -f1); timed: $(( $(wc -l <"$WORK/timed.jsonl") - 1 )) messages over ${SECONDS_LONG} s"

replay_max() {  # name port
    /usr/bin/time -f '%e %M %P %U %S' -o "$WORK/time.txt" "$MQDASH" replay "$WORK/max.jsonl" -h 127.0.0.1 -p "$2" --max 2>"$WORK/replay.err"
    read -r elapsed rss_kb cpu user sys <"$WORK/time.txt"
    # CPU time per message (user + sys): what the replayer costs, which a loaded machine distorts less than the rate.
    printf '%-16s %d messages in %s s: %d msg/s, peak RSS %d MB, replay CPU %s, %s us/msg  (%s)\n' "$1" "$COUNT" "$elapsed" \
        "$(echo "$COUNT / $elapsed" | bc)" "$((rss_kb / 1024))" "$cpu" "$(echo "scale=2; ($user + $sys) * 1000000 / $COUNT" | bc)" \
        "$(grep -o '[0-9]* sent, [0-9]* written' "$WORK/replay.err")"
}
replay_max "into mosquitto" "$MOSQ_PORT"
replay_max "into mqdash" "$MQD_PORT"

"$MQDASH" record -h 127.0.0.1 -p "$MOSQ_PORT" -t 'timed/#' -q 0 -i bench-timing -o "$WORK/again.jsonl" 2>/dev/null &
RECORD=$!; PIDS+=("$RECORD")
for _ in $(seq 100); do grep -q 'bench-timing' "$WORK/broker.log" 2>/dev/null && break; sleep 0.1; done
"$MQDASH" replay "$WORK/timed.jsonl" -h 127.0.0.1 -p "$MOSQ_PORT" --speed 1 2>/dev/null
sleep 1
kill -INT "$RECORD"; wait "$RECORD" 2>/dev/null || true
python3 - "$WORK" <<'PY'
import json, sys
from datetime import datetime
work = sys.argv[1]
def us(ts): return int(datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1_000_000)
def load(path): return {l["payload"]: us(l["ts"]) for l in map(json.loads, open(path)) if "topic" in l}
sent, got = load(f"{work}/timed.jsonl"), load(f"{work}/again.jsonl")
keys = sorted(got, key=int)
first = min(keys, key=int)
late = sorted(abs((got[k] - got[first]) - (sent[k] - sent[first])) / 1000 for k in keys)
q = lambda p: late[min(len(late) - 1, int(p * len(late)))]
print(f"--speed 1: {len(got)} of {len(sent)} messages back; |actual - recorded| offset: "
      f"median {q(0.5):.2f} ms, p99 {q(0.99):.2f} ms, max {late[-1]:.2f} ms")
PY
