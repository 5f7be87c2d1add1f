# Sourced by the benchmark scripts (bash): a scratch folder that is removed at exit together with every
# process whose pid was added to PIDS, free loopback ports, waiting for a listener, and CPU clock ticks.

# bench_scratch NAME: sets WORK to a fresh folder under /tmp and PIDS to (); cleans both up at exit.
bench_scratch() {
    WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
    PIDS=()
    trap bench_cleanup EXIT
}
bench_cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_port PORT: returns once something accepts on 127.0.0.1:PORT; exits after 10 s.
wait_port() {
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
    echo "Error: nothing listens on port $1" >&2; exit 1
}
# cpu_ticks PID: clock ticks of user + system time so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# bench_mqdash [PATH]: sets MQDASH to PATH, or to this checkout's release build; either must exist.
bench_mqdash() {
    MQDASH="${1:-$ROOT/.build/release/mqdash}"
    [[ -x "$MQDASH" ]] || { echo "Error: $MQDASH is missing (swift build -c release --product mqdash)" >&2; exit 1; }
}
# bench_options NAME=VARIABLE... -- "$@": each `--NAME value` at the front of the arguments sets VARIABLE (which
# keeps its default otherwise); an unknown option is an error. The arguments after the options are left in ARGS.
bench_options() {
    local -A variables=()
    while [[ "$1" != -- ]]; do variables["--${1%%=*}"]="${1#*=}"; shift; done
    shift
    while [[ "${1:-}" == --* ]]; do
        [[ -n "${variables[$1]:-}" ]] || { echo "Error: unknown option $1" >&2; exit 2; }
        printf -v "${variables[$1]}" '%s' "$2"
        shift 2
    done
    ARGS=("$@")
}
# start_flood_broker KIND PORT: a broker (KIND mosquitto, or mqdash for `$MQDASH broker`) on 127.0.0.1:PORT for anyone,
# logging subscriptions to $WORK/broker.log, with no queue limit for its subscribers: a slow one then shows as CPU
# and time, not as the broker's drops. Both read the same mosquitto.conf.
start_flood_broker() {
    printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nlog_type subscribe\nlog_dest file %s/broker.log\n' \
        "$2" "$WORK" >"$WORK/broker-$2.conf"
    case "$1" in
        mosquitto) mosquitto -c "$WORK/broker-$2.conf" >/dev/null 2>&1 & ;;
        mqdash) "$MQDASH" broker -c "$WORK/broker-$2.conf" >/dev/null 2>&1 & ;;
        *) echo "Error: unknown broker $1 (mosquitto or mqdash)" >&2; exit 2 ;;
    esac
    PIDS+=($!)
}
