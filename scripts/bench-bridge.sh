#!/usr/bin/env bash
# Bridges side by side, in one run: mosquitto -> mosquitto and mqdash broker -> mosquitto.
#
#   scripts/bench-bridge.sh [--seconds S] [--count N]     (this checkout's release build; MQDASH_BIN=PATH for another)
#   scripts/bench-bridge.sh --compare OTHER_MQDASH [--rounds R] [--seconds S]
#
# For each bridging broker, with a mosquitto on another loopback port as the remote:
#   throughput  `mqdash bench pub -q 1` publishes to the bridging broker for S seconds (default 10) while
#               `mqdash bench sub` on the remote receives through the bridge (topic bench/# out 1): received
#               per second of publishing, and the end-to-end latency through both brokers.
#   outage      the remote stopped; N QoS 1 messages (default 10000) published to the bridging broker and
#               acknowledged; the bridging broker killed -9 and started again; the remote started again; a
#               persistent subscriber on the remote counts what arrives (distinct payloads, and copies).
#               Once with max_queued_messages 100000 and persistence on both, once with the brokers' defaults.
#   --compare   throughput only, R rounds (default 3), each: OTHER_MQDASH's broker bridging, this build's, then
#               mosquitto's, so that a change is measured against the build before it in the same minutes (the
#               machine's load moves a lot between runs). The bench clients are this build's in every run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_RUN=10
COUNT=10000
COMPARE=""
ROUNDS=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
        --count) COUNT="$2"; shift 2 ;;
        --compare) COMPARE="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        *) echo "Error: unknown option $1" >&2; exit 2 ;;
    esac
done
MQDASH="${MQDASH_BIN:-$ROOT/.build/release/mqdash}"
[[ -x "$MQDASH" ]] || { echo "Error: $MQDASH is missing (swift build -c release --product mqdash)" >&2; exit 1; }
for tool in mosquitto mosquitto_pub mosquitto_sub jq python3; do
    command -v "$tool" >/dev/null || { echo "Error: $tool is not installed" >&2; exit 1; }
done

source "$ROOT/scripts/bench-lib.sh"
bench_scratch bench-bridge
# start NAME KIND CONF: runs mosquitto or mqdash broker on CONF, echoes its pid.
start() {
    local kind="$2" conf="$3"
    if [[ "$kind" == mosquitto ]]; then mosquitto -c "$conf" >>"$WORK/$1.log" 2>&1 &
    else "${BROKER_BIN:-$MQDASH}" broker -c "$conf" >>"$WORK/$1.log" 2>&1 & fi
    echo $!
}
stop() { kill "$1" 2>/dev/null || true; for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; }
state() {  # the bridge's state notification on port $1
    mosquitto_sub -h 127.0.0.1 -p "$1" -t '$SYS/broker/connection/bench-bridge/state' -C 1 -W 2 2>/dev/null || true
}
wait_state() {
    for _ in $(seq 300); do [[ "$(state "$1")" == "$2" ]] && return 0; sleep 0.1; done
    echo "Error: the bridge on port $1 never reached state $2" >&2; exit 1
}
# conf NAME KIND PORT [REMOTE_PORT] [raised]: a config; with REMOTE_PORT a bridge to it; "raised" raises the queues.
conf() {
    local dir="$WORK/$1"; mkdir -p "$dir/data"
    {
        echo "listener $3 127.0.0.1"
        echo "allow_anonymous true"
        # mosquitto started as root would switch to its own user, which cannot read this folder.
        if [[ "$2" == mosquitto && $(id -u) == 0 ]]; then echo "user root"; fi
        echo "persistence true"
        echo "persistence_location $dir/data/"
        if [[ "${5:-}" == raised ]]; then echo "max_queued_messages 100000"; fi
        if [[ -n "${4:-}" ]]; then
            printf 'connection cloud\naddress 127.0.0.1:%s\nremote_clientid bench-bridge\nrestart_timeout 1\ncleansession false\ntopic bench/# out 1\n' "$4"
        fi
    } >"$dir/broker.conf"
    echo "$dir/broker.conf"
}

# throughput KIND LABEL: QoS 1 through a bridging broker of KIND (mosquitto, or mqdash: $BROKER_BIN, else this build).
throughput() {
    local kind="$1" label="$2" remote_port local_port remote_pid local_pid sub_pid cpu_before cpu_after pub sub
    # Every run starts from empty stores.
    THROUGHPUT_RUNS=$((${THROUGHPUT_RUNS:-0} + 1))
    local name="$kind-$THROUGHPUT_RUNS"
    remote_port=$(free_port); local_port=$(free_port)
    remote_pid=$(start "remote-$name" mosquitto "$(conf "remote-$name" mosquitto "$remote_port" "" raised)"); PIDS+=("$remote_pid")
    wait_port "$remote_port"
    local_pid=$(start "bridging-$name" "$kind" "$(conf "bridging-$name" "$kind" "$local_port" "$remote_port" raised)"); PIDS+=("$local_pid")
    wait_port "$local_port"; wait_state "$local_port" 1
    "$MQDASH" bench sub -h 127.0.0.1 -p "$remote_port" -t 'bench/#' -q 1 --duration $((SECONDS_PER_RUN + 3)) --json \
        >"$WORK/sub.json" 2>/dev/null &
    sub_pid=$!
    sleep 1
    cpu_before=$(cpu_ticks "$local_pid")
    "$MQDASH" bench pub -h 127.0.0.1 -p "$local_port" -q 1 -t bench/t --duration "$SECONDS_PER_RUN" --json >"$WORK/pub.json" 2>/dev/null
    cpu_after=$(cpu_ticks "$local_pid")
    wait "$sub_pid" || true
    pub=$(tail -1 "$WORK/pub.json"); sub=$(tail -1 "$WORK/sub.json")
    echo "== $label -> mosquitto: QoS 1 through the bridge, ${SECONDS_PER_RUN} s"
    jq -n --argjson pub "$pub" --argjson sub "$sub" --arg s "$SECONDS_PER_RUN" -r \
        '"   published \($pub.acked) (\($pub.sent_per_s)/s)  received at the remote \($sub.received) (\(($sub.received / ($s|tonumber)) | floor)/s of publishing)  latency p50 \($sub.latency.p50_us / 1000) ms  p99 \($sub.latency.p99_us / 1000) ms  duplicated \($sub.duplicated)"'
    echo "   bridging broker CPU $(( (cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / $(jq .received <<<"$sub") )) us per message"
    stop "$local_pid"; stop "$remote_pid"
}

if [[ -n "$COMPARE" ]]; then
    [[ -x "$COMPARE" ]] || { echo "Error: $COMPARE is not an executable" >&2; exit 1; }
    echo "bridges on 127.0.0.1; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "compared: $COMPARE against $MQDASH"
    for round in $(seq "$ROUNDS"); do
        BROKER_BIN="$COMPARE" throughput mqdash "round $round: mqdash ($(basename "$COMPARE"))"
        throughput mqdash "round $round: mqdash (this build)"
        throughput mosquitto "round $round: mosquitto"
    done
    echo "load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%H:%M UTC')"
    exit 0
fi

echo "bridges on 127.0.0.1; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
for kind in mosquitto mqdash; do
    throughput "$kind" "$kind"

    # -- outage, with raised queues and with the defaults
    for queues in raised defaults; do
        remote_port=$(free_port); local_port=$(free_port)
        remote_conf=$(conf "outage-remote-$kind-$queues" mosquitto "$remote_port" "" raised)
        local_conf=$(conf "outage-$kind-$queues" "$kind" "$local_port" "$remote_port" "$queues")
        remote_pid=$(start "outage-remote-$kind-$queues" mosquitto "$remote_conf"); PIDS+=("$remote_pid"); wait_port "$remote_port"
        mosquitto_sub -h 127.0.0.1 -p "$remote_port" -c -i counter -q 1 -t 'bench/#' -W 1 >/dev/null 2>&1 || true
        local_pid=$(start "outage-$kind-$queues" "$kind" "$local_conf"); PIDS+=("$local_pid"); wait_port "$local_port"
        wait_state "$local_port" 1
        stop "$remote_pid"
        seq 1 "$COUNT" | mosquitto_pub -h 127.0.0.1 -p "$local_port" -q 1 -t bench/outage -l
        kill -9 "$local_pid"; sleep 0.5
        local_pid=$(start "outage-$kind-$queues" "$kind" "$local_conf"); PIDS+=("$local_pid"); wait_port "$local_port"
        remote_pid=$(start "outage-remote-$kind-$queues" mosquitto "$remote_conf"); PIDS+=("$remote_pid"); wait_port "$remote_port"
        mosquitto_sub -h 127.0.0.1 -p "$remote_port" -c -i counter -q 1 -t 'bench/#' -C "$COUNT" -W 30 >"$WORK/got.txt" 2>/dev/null || true
        distinct=$(sort -u "$WORK/got.txt" | grep -c . || true)
        total=$(grep -c . "$WORK/got.txt" || true)
        echo "== $kind -> mosquitto: outage with kill -9, $COUNT QoS 1 acknowledged, queues $queues"
        echo "   arrived $distinct of $COUNT (lost $((COUNT - distinct)))  copies $total"
        stop "$local_pid"; stop "$remote_pid"
    done
done
