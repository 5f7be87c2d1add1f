#!/usr/bin/env bash
# Measures MQTT brokers side by side with `mqdash bench` (release build), in one run:
#   QoS 0, 1 and 2 1->1 with 64 B payloads, fan-out 1->100, fan-in 100->1 (QoS 1), QoS 0 1->1 and
#   fan-in also paced at 20 000 msg/s, and 10 000 idle connections on a fresh broker with its
#   resident memory from /proc before and while they are held.
#
#   scripts/bench-broker.sh                                  mosquitto (Debian's) only
#   scripts/bench-broker.sh 'mqdash broker -c {conf} -p {port} -v'
#                                                            mosquitto, then a second broker
# In the second broker's command, {port} is a free loopback port, {conf} a mosquitto.conf-style file
# (listener on that port, anonymous access) and {dir} a temporary folder of its own; a leading
# `mqdash` means this checkout's release binary.
#
# Options (before the command): --seconds S (each throughput shape, default 10), --connections N
# (default 10000), --no-build (use the release binary as it is), --json FILE (every summary, one per line).
# MQDASH_BIN=PATH runs another mqdash binary (implies nothing about building; combine with --no-build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_SHAPE=10
CONNECTIONS=10000
BUILD=1
JSON_OUT=""
while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
        --seconds) SECONDS_PER_SHAPE="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --json) JSON_OUT="$2"; shift 2 ;;
        *) echo "Error: unknown option $1" >&2; exit 2 ;;
    esac
done
SECOND_BROKER="${1:-}"

for tool in mosquitto jq python3; do
    command -v "$tool" >/dev/null || { echo "Error: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
MQDASH="${MQDASH_BIN:-$ROOT/.build/release/mqdash}"
if [[ $BUILD == 1 ]]; then
    (cd "$ROOT" && swift build -c release --product mqdash >&2)
fi
[[ -x "$MQDASH" ]] || { echo "Error: $MQDASH is missing (run without --no-build)" >&2; exit 1; }

# Both the brokers and the bench need a descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < CONNECTIONS + 100 )); then
    echo "Error: ulimit -n is $(ulimit -n); $CONNECTIONS connections need more (raise the hard limit)" >&2
    exit 1
fi

WORK="$(mktemp -d /tmp/bench-broker.XXXXXX)"
BROKER_PID=""
stop_broker() {
    if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
        kill "$BROKER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$BROKER_PID" 2>/dev/null || true
    fi
    BROKER_PID=""
}
trap 'stop_broker; rm -rf "$WORK"' EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        kill -0 "$BROKER_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Starts broker $1 (a name) with command template $2, with `persistence true` when $3 is
# "persistent"; sets PORT and BROKER_PID.
start_broker() {
    local name="$1" template="$2" persistent="${3:-}" dir="$WORK/$1"
    mkdir -p "$dir"
    PORT="$(free_port)"
    {
        echo "listener $PORT 127.0.0.1"
        echo "allow_anonymous true"
        # Room for bursts, so that queues measure speed rather than drop policies.
        echo "max_queued_messages 100000"
        [[ "$name" == mosquitto && $(id -u) == 0 ]] && echo "user root"
        if [[ "$persistent" == persistent ]]; then
            rm -rf "$dir/data" && mkdir -p "$dir/data"
            echo "persistence true"
            echo "persistence_location $dir/data/"
        fi
        true
    } >"$dir/broker.conf"
    local command="${template//\{port\}/$PORT}"
    command="${command//\{conf\}/$dir/broker.conf}"
    command="${command//\{dir\}/$dir}"
    [[ "$command" == mqdash\ * ]] && command="$MQDASH ${command#mqdash }"
    bash -c "exec $command" >"$dir/broker.log" 2>&1 &
    BROKER_PID=$!
    if ! wait_port "$PORT"; then
        echo "Error: $name did not start on port $PORT: $command" >&2
        tail -20 "$dir/broker.log" >&2
        exit 1
    fi
}

RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

# Runs one `mqdash bench` shape against the running broker; appends its JSON summary, tagged.
run_shape() {
    local broker="$1" shape="$2"
    shift 2
    echo "== $broker: $shape" >&2
    local out
    if ! out="$("$MQDASH" bench "$@" -h 127.0.0.1 -p "$PORT" --json 2>"$WORK/last.err")"; then
        echo "   failed: $(tail -1 "$WORK/last.err")" >&2
        out="${out:-"{}"}"
    fi
    tail -1 "$WORK/last.err" >&2
    printf '%s\n' "$out" | tail -1 | jq -c --arg b "$broker" --arg s "$shape" '. + {broker_name: $b, shape: $s}' >>"$RESULTS"
}

bench_broker() {
    local name="$1" template="$2"
    start_broker "$name" "$template"
    local s="$SECONDS_PER_SHAPE"
    run_shape "$name" "QoS 0 1->1 64 B" pub -c 1 --subscribers 1 -q 0 --duration "$s"
    # Flat out, QoS 0 latency is the time spent in queues; paced, it is the broker's own.
    run_shape "$name" "QoS 0 1->1 at 20k/s" pub -c 1 --subscribers 1 -q 0 --rate 20000 --duration "$s"
    run_shape "$name" "QoS 1 1->1 64 B" pub -c 1 --subscribers 1 -q 1 --duration "$s"
    run_shape "$name" "QoS 2 1->1 64 B" pub -c 1 --subscribers 1 -q 2 --duration "$s"
    run_shape "$name" "QoS 1 4->4 64 B" pub -c 4 --subscribers 4 --filter 'bench/%i' -q 1 --duration "$s"
    # Latency at the same load on both brokers (flat out, each runs at its own speed and queues).
    run_shape "$name" "QoS 1 1->1 at 20k/s" pub -c 1 --subscribers 1 -q 1 --rate 20000 --duration "$s"
    run_shape "$name" "QoS 2 1->1 at 20k/s" pub -c 1 --subscribers 1 -q 2 --rate 20000 --duration "$s"
    run_shape "$name" "fan-out 1->100 QoS 1" pub -c 1 --subscribers 100 -t bench/fanout -q 1 --duration "$s"
    run_shape "$name" "fan-out 1->100 at 500/s" pub -c 1 --subscribers 100 -t bench/fanout -q 1 --rate 500 --duration "$s"
    run_shape "$name" "fan-in 100->1 QoS 1" pub -c 100 --subscribers 1 --filter 'bench/#' -q 1 --duration "$s"
    run_shape "$name" "fan-in 100->1 at 20k/s" pub -c 100 --subscribers 1 --filter 'bench/#' -q 1 --rate 200 --duration "$s"

    # Idle connections on a fresh broker, so that its memory is not what the shapes above left.
    stop_broker
    start_broker "$name" "$template"

    # Idle connections: the broker's memory before, and while all of them are held.
    local idle_rss held_rss="0" shape="$CONNECTIONS idle connections"
    idle_rss="$(rss_kb "$BROKER_PID")"
    echo "== $name: $shape" >&2
    "$MQDASH" bench conn -h 127.0.0.1 -p "$PORT" -c "$CONNECTIONS" --conn-rate 2000 --duration 5 --json \
        >"$WORK/conn.json" 2>"$WORK/conn.err" &
    local bench_pid=$!
    for _ in $(seq 600); do
        if grep -q "connected $CONNECTIONS/$CONNECTIONS" "$WORK/conn.err" 2>/dev/null; then
            sleep 1
            held_rss="$(rss_kb "$BROKER_PID")"
            break
        fi
        kill -0 "$bench_pid" 2>/dev/null || break
        sleep 0.1
    done
    wait "$bench_pid" || echo "   failed: $(tail -1 "$WORK/conn.err")" >&2
    tail -1 "$WORK/conn.err" >&2
    tail -1 "$WORK/conn.json" | jq -c --arg b "$name" --arg s "$shape" --argjson i "$idle_rss" --argjson h "$held_rss" \
        '. + {broker_name: $b, shape: $s, broker_rss_idle_kb: $i, broker_rss_held_kb: $h}' >>"$RESULTS" || true
    stop_broker

    # Persistence on, persistent sessions: every message is stored for the subscriber's session.
    # mqdash acknowledges a QoS 1 message once that is committed; mosquitto keeps it in memory and
    # writes a snapshot every autosave_interval, so its figure is not a durable one.
    start_broker "$name" "$template" persistent
    run_shape "$name" "QoS 1 1->1 persistence" pub -c 1 --subscribers 1 -q 1 --persistent --duration "$s"
    run_shape "$name" "QoS 1 4->4 persistence" pub -c 4 --subscribers 4 --filter 'bench/%i' -q 1 --persistent --duration "$s"
    stop_broker
}

echo "mqdash bench against brokers on 127.0.0.1; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %H:%M UTC')" >&2
bench_broker mosquitto "mosquitto -c {conf}"
if [[ -n "$SECOND_BROKER" ]]; then
    bench_broker "$(basename "${SECOND_BROKER%% *}")" "$SECOND_BROKER"
fi

[[ -n "$JSON_OUT" ]] && cp "$RESULTS" "$JSON_OUT"

# One table, brokers side by side per shape.
python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def ms(us): return "-" if us is None else f"{us / 1000:.3f}"
print(f"{'shape':<24} {'broker':<10} {'sent/s':>9} {'recv/s':>9} {'lost':>6} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'max ms':>8}")
for r in rows:
    if r.get("mode") == "conn":
        lat = r.get("connect_latency") or {}
        print(f"{r['shape']:<24} {r['broker_name']:<10} connected {r['connected']}/{r['connections']}, failed {r['failed']}, "
              f"connect p50 {ms(lat.get('p50_us'))} p99 {ms(lat.get('p99_us'))} max {ms(lat.get('max_us'))} ms, "
              f"broker RSS {r['broker_rss_idle_kb'] / 1024:.1f} MiB idle -> {r['broker_rss_held_kb'] / 1024:.1f} MiB held")
        continue
    if "sent" not in r:
        print(f"{r.get('shape', '?'):<24} {r.get('broker_name', '?'):<10} failed")
        continue
    lat = r.get("latency") or {}
    print(f"{r['shape']:<24} {r['broker_name']:<10} {r['sent_per_s']:>9} {r['received_per_s']:>9} {r.get('lost', 0):>6} "
          f"{ms(lat.get('p50_us')):>8} {ms(lat.get('p99_us')):>8} {ms(lat.get('p99_9_us')):>9} {ms(lat.get('max_us')):>8}")
PY
