#!/usr/bin/env bash
# `mqdash record` against `mosquitto_sub -F %J > file` on the same flood (issue 10, section 4): a local
# mosquitto, both recorders subscribed to flood/# at once, then `mosquitto_pub -l` sends N JSON payloads at
# QoS 0 as fast as it can (JSON, so that mosquitto_sub's %J keeps every one). Prints, for each recorder,
# the messages kept of those sent and its user+system CPU (from /proc/PID/stat) per message kept.
#
#   scripts/bench-record.sh [--count N] [--bench-pub C | --replay 1] [--mosquitto-sub 0] [--broker mqdash] [MQDASH_BINARY]
#   (default: 200000, this checkout's release build)
#
# --bench-pub C: the flood comes from `mqdash bench pub` with C publishers (N/C messages each, 64-byte binary
# payloads) instead of one `mosquitto_pub -l`, whose single connection tops out near 38 000 msg/s here.
# --replay 1: the flood is `mqdash replay --max` of a recording of the same JSON payloads over 16 topics, the
# fastest source here (over 250 000 msg/s into mosquitto), so the recorders rather than the source are the limit.
# --mosquitto-sub 0: `mqdash record` alone, so mosquitto delivers every message once: the recorder's own ceiling.
# --broker mqdash: the flood goes through `mqdash broker` (same configuration) instead of mosquitto, which on two
# cores takes 0.9 of one near 110 000 msg/s: whether the recorder keeps up past that when the broker costs less.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bench-lib.sh"
COUNT=200000
PUBLISHERS=0
REPLAY=0
WITH_SUB=1
BROKER_KIND=mosquitto
bench_options count=COUNT bench-pub=PUBLISHERS replay=REPLAY mosquitto-sub=WITH_SUB broker=BROKER_KIND -- "$@"
bench_mqdash "${ARGS[0]:-}"

bench_scratch bench-record
PORT=$(free_port)
start_flood_broker "$BROKER_KIND" "$PORT"
BROKER=${PIDS[-1]}
wait_port "$PORT"

python3 -c "
import sys
for i in range($COUNT):
    sys.stdout.write('{\"n\":%d,\"temp\":21.5,\"room\":\"kitchen\"}\n' % i)
" >"$WORK/payloads.txt"
if [[ "$REPLAY" -gt 0 ]]; then
    # The same payloads as a recording (16 topics, one timestamp: --max ignores the timing).
    python3 - "$WORK/payloads.txt" >"$WORK/flood.jsonl" <<'PY'
import json, sys
print(json.dumps({"mqdash_recording": 1, "filters": ["#"]}))
for i, payload in enumerate(open(sys.argv[1])):
    print(json.dumps({"ts": "2026-12-03T09:00:00.000000Z", "topic": "flood/%d" % (i % 16), "qos": 0,
                      "retain": False, "payload": payload.rstrip("\n")}, separators=(",", ":")))
PY
fi

"$MQDASH" record -h 127.0.0.1 -p "$PORT" -t 'flood/#' -q 0 -i bench-record -o "$WORK/record.jsonl" 2>"$WORK/record.err" &
RECORD=$!; PIDS+=("$RECORD")
SUB=""
: >"$WORK/sub.json"
if [[ "$WITH_SUB" -gt 0 ]]; then
    mosquitto_sub -h 127.0.0.1 -p "$PORT" -t 'flood/#' -i bench-mosquitto-sub -F %J >"$WORK/sub.json" 2>"$WORK/sub.err" &
    SUB=$!; PIDS+=("$SUB")
fi
subscribers=$(( 1 + WITH_SUB ))
for _ in $(seq 100); do [[ $(grep -c 'flood/#' "$WORK/broker.log" 2>/dev/null || true) -ge $subscribers ]] && break; sleep 0.1; done

broker_before=$(cpu_ticks "$BROKER"); record_before=$(cpu_ticks "$RECORD"); sub_before=0; [[ -n "$SUB" ]] && sub_before=$(cpu_ticks "$SUB")
start=$(date +%s.%N)
if [[ "$REPLAY" -gt 0 ]]; then
    "$MQDASH" replay "$WORK/flood.jsonl" -h 127.0.0.1 -p "$PORT" --max >/dev/null 2>&1
elif [[ "$PUBLISHERS" -gt 0 ]]; then
    COUNT=$(( COUNT / PUBLISHERS * PUBLISHERS ))
    "$MQDASH" bench pub -h 127.0.0.1 -p "$PORT" -c "$PUBLISHERS" --count $(( COUNT / PUBLISHERS )) -t 'flood/%i' >/dev/null 2>&1
else
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -t flood/1 -l <"$WORK/payloads.txt"
fi
sent_seconds=$(echo "$(date +%s.%N) - $start" | bc)
broker_sending=$(cpu_ticks "$BROKER")
# Until both files stop growing for a second: whatever is still queued in the broker gets written.
last=""
while true; do
    now="$(stat -c %s "$WORK/record.jsonl" "$WORK/sub.json" | tr '\n' ' ')"
    [[ "$now" == "$last" ]] && break
    last="$now"; sleep 1
done
record_after=$(cpu_ticks "$RECORD"); sub_after=0; [[ -n "$SUB" ]] && sub_after=$(cpu_ticks "$SUB")
ticks=$(getconf CLK_TCK)
record_kept=$(( $(wc -l <"$WORK/record.jsonl") - 1 ))   # the header line
sub_kept=$(grep -c '^{' "$WORK/sub.json" || true)
report() {  # name kept cpu_ticks
    local us="n/a"
    [[ "$2" -gt 0 ]] && us=$(echo "scale=2; ($3) * 1000000 / $ticks / $2" | bc)
    printf '%-22s kept %d of %d (%s%%)  CPU %s us per message\n' "$1" "$2" "$COUNT" "$(echo "scale=2; $2 * 100 / $COUNT" | bc)" "$us"
}
SOURCE="mosquitto_pub -l"; [[ "$PUBLISHERS" -gt 0 ]] && SOURCE="mqdash bench pub -c $PUBLISHERS"
[[ "$REPLAY" -gt 0 ]] && SOURCE="mqdash replay --max"
# The recorder's own rate: its messages over the span of its timestamps (first to last message written).
record_span=$(python3 -c "
import json, sys
from datetime import datetime
ts = [json.loads(l)['ts'] for l in open('$WORK/record.jsonl') if l.startswith('{\"ts\"')]
t = lambda s: datetime.strptime(s, '%Y-%m-%dT%H:%M:%S.%fZ').timestamp()
print('%.3f' % (t(ts[-1]) - t(ts[0])) if len(ts) > 1 else 0)")
echo "mqdash record received $record_kept messages over ${record_span} s (first to last): $(echo "$record_kept / ($record_span + 0.000001)" | bc) msg/s"
echo "flood: $COUNT QoS 0 messages by $SOURCE in ${sent_seconds} s ($(echo "$COUNT / $sent_seconds" | bc) msg/s)"
# Whether the broker was the limit: its share of one core while the flood was being sent.
echo "$BROKER_KIND broker: $(echo "($broker_sending - $broker_before) * 100 / $ticks / $sent_seconds" | bc)% of a core while the flood was sent"
report "mqdash record" "$record_kept" "$((record_after - record_before))"
if [[ -n "$SUB" ]]; then report "mosquitto_sub -F %J" "$sub_kept" "$((sub_after - sub_before))"; fi
