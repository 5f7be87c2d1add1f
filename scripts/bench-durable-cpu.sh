#!/usr/bin/env bash
# The broker's CPU time per durable message: `mqdash broker` with `persistence true`, one persistent
# `bench sub` and one `bench pub` for 6 s at the given QoS; prints the publisher's rate and the broker's
# user+system CPU (from /proc/PID/stat) divided by the messages delivered. Less noisy than throughput on
# a shared machine, which is why it exists: compare two builds by running them alternately.
#
#   scripts/bench-durable-cpu.sh [--qos 1|2] [MQDASH_BINARY]     (default: this checkout's release build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bench-lib.sh"
QOS=1
if [[ "${1:-}" == --qos ]]; then QOS="$2"; shift 2; fi
bench_mqdash "${1:-}"
command -v jq >/dev/null || { echo "Error: jq is not installed" >&2; exit 1; }

bench_scratch bench-durable
PORT=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 100000\n' \
    "$PORT" "$WORK" >"$WORK/broker.conf"
"$MQDASH" broker -c "$WORK/broker.conf" >"$WORK/broker.log" 2>&1 &
BROKER=$!; PIDS+=("$BROKER")
wait_port "$PORT"

"$MQDASH" bench sub -h 127.0.0.1 -p "$PORT" -t 'bench/#' -q "$QOS" --persistent --duration 9 --json >"$WORK/sub.json" 2>/dev/null &
SUB=$!
sleep 1
before=$(cpu_ticks "$BROKER")
"$MQDASH" bench pub -h 127.0.0.1 -p "$PORT" -q "$QOS" -t bench/t --duration 6 --json >"$WORK/pub.json" 2>/dev/null
after=$(cpu_ticks "$BROKER")
wait "$SUB" || true
received=$(tail -1 "$WORK/sub.json" | jq .received)
ticks_per_s=$(getconf CLK_TCK)
echo "qos $QOS  published $(tail -1 "$WORK/pub.json" | jq .sent_per_s)/s  received $received  p50 $(tail -1 "$WORK/sub.json" | jq .latency.p50_us) us" \
     " broker CPU $(( (after - before) * 1000000 / ticks_per_s / received )) us per message"
