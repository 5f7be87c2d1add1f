#!/usr/bin/env bash
# Alternates two mqdash broker binaries on the 1->1 shapes (QoS 0, 1, 2; 4 s each), ROUNDS rounds:
# the way to compare builds on a machine whose run-to-run noise is larger than their difference.
#   scripts/bench-broker-alternate.sh BEFORE_BIN AFTER_BIN [ROUNDS]   (BENCH=bin picks the mqdash bench)
set -u
BEFORE=$1; AFTER=$2; ROUNDS=${3:-3}; BENCH=${BENCH:-$AFTER}
port=18831
run() { # name binary qos
  local conf=${TMPDIR:-/tmp}/mqdash-alt-$1.conf
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' $port > $conf
  $2 broker -c $conf > ${TMPDIR:-/tmp}/mqdash-alt-$1.log 2>&1 & local pid=$!
  sleep 0.5
  echo "q$3 r$r $1: $($BENCH bench pub -h 127.0.0.1 -p $port --subscribers 1 -q $3 --duration 4 2>&1 | tail -1)"
  kill $pid; wait $pid 2>/dev/null
}
for q in 0 1 2; do for r in $(seq 1 $ROUNDS); do run before $BEFORE $q; run after $AFTER $q; done; done
