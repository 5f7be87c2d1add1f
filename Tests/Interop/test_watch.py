"""`mqdash watch` against a real mosquitto, with mosquitto_pub crossing the limits: the alert lines, the
hysteresis, JSON fields, silence, `--exit-on-alert` (status 3) and the refusals of bad flags.  Only mqdash
has `watch`, so these are skipped with MQDASH_REFERENCE=1."""

import os
import re
import signal

import pytest

import mqhelpers as h

pytestmark = pytest.mark.mqdash_only("watch is mqdash's own")

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (ALERT|CLEAR) (.*)$")


def start_watch(broker, client_id: str, *args) -> h.Proc:
    mark = broker.mark()
    proc = h.Proc([h.mqdash_binary(), "watch", *broker.auth, "-i", client_id, *map(str, args)])
    broker.wait_subscribed(client_id, mark, proc=proc)
    return proc


def publish(broker, topic: str, *payloads: str) -> None:
    for payload in payloads:
        r = h.MOSQUITTO.run("pub", *broker.auth, "-t", topic, "-m", payload, "-q", "1")
        assert r.rc == 0, r


def alerts(res: h.Result) -> list[str]:
    """The lines without their timestamps, each checked to start with one."""
    out = []
    for line in res.lines:
        m = LINE.match(line)
        assert m, f"not an alert line: {line!r}"
        out.append(f"{m.group(1)} {m.group(2)}")
    return out


def test_above_fires_once_and_clears_past_the_hysteresis(broker):
    watch = start_watch(broker, "w-above", "-t", "home/+/temp", "--above", "30", "--hysteresis", "1")
    publish(broker, "home/living/temp", "29", "31", "32", "29.5", "28")
    watch.wait_for_text("CLEAR", timeout=10)
    watch.send_signal(signal.SIGINT)
    res = watch.finish(10)
    assert res.rc == 0, res
    assert alerts(res) == ["ALERT home/living/temp 31 (above 30)", "CLEAR home/living/temp 28 (above 30)"], res


def test_exit_on_alert_with_a_json_field_outside_a_range(broker):
    watch = start_watch(broker, "w-json", "-t", "sensors/#", "--field", "env.temp", "--outside", "18..26",
                        "--exit-on-alert")
    publish(broker, "sensors/kitchen", '{"env":{"temp":21}}', '{"env":{"temp":27.5}}')
    res = watch.finish(10)
    assert res.rc == 3, res
    assert alerts(res) == ["ALERT sensors/kitchen 27.5 (outside 18..26)"], res


def test_a_topic_that_never_speaks_goes_silent(broker):
    watch = start_watch(broker, "w-silent", "-t", "livingroom/temp", "--silent", "500ms", "--exit-on-alert")
    res = watch.finish(10)
    assert res.rc == 3, res
    assert alerts(res) == ["ALERT livingroom/temp (silent for 0.5s)"], res


def test_control_bytes_in_a_value_are_shown_not_sent(broker):
    watch = start_watch(broker, "w-ctl", "-t", "door", "--changed", "--exit-on-alert")
    publish(broker, "door", "closed", "\x1b[2Jopen")
    res = watch.finish(10)
    assert res.rc == 3, res
    assert b"\x1b" not in res.out, res
    assert len(alerts(res)) == 1 and alerts(res)[0].startswith("ALERT door "), res


@pytest.mark.parametrize("args, message", [
    (["-t", "x", "--above", "1", "--below", "0"], "Give exactly one condition"),
    (["-t", "x"], "Give exactly one condition"),
    (["--above", "1"], "You must specify a topic to watch (-t)."),
    (["-t", "x", "--silent", "5q"], "--silent '5q' is not a duration"),
    (["-t", "x", "--outside", "26..18"], "--outside '26..18' is not a range"),
    (["-t", "a/#/b", "--changed"], "Invalid subscription topic 'a/#/b'"),
])
def test_bad_flags_are_refused_with_one_error_line(broker, args, message):
    res = h.run([h.mqdash_binary(), "watch", *broker.auth, *args], timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0].startswith("Error: " + message), res


def test_board_rules_from_the_boards_file(broker, tmp_path):
    """`--board NAME` runs the rules of the board's tiles (docs/usage/board.md), on their fields."""
    config = tmp_path / "xdg" / "mqdash"
    config.mkdir(parents=True)
    (config / "boards.toml").write_text(
        '[boards.home]\n\n[[boards.home.tiles]]\ntopic = "home/fridge"\nfield = "temp"\nrules = ["above 8"]\n'
        '\n[[boards.home.tiles]]\ntopic = "home/door"\n')
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    mark = broker.mark()
    proc = h.Proc([h.mqdash_binary(), "watch", *broker.auth, "-i", "w-board", "--board", "home", "--exit-on-alert"], env=env)
    broker.wait_subscribed("w-board", mark, proc=proc)
    publish(broker, "home/fridge", '{"temp":5}', '{"temp":9.5}')
    res = proc.finish(10)
    assert res.rc == 3, res
    assert alerts(res) == ["ALERT home/fridge 9.5 (above 8)"], res


def test_board_refusals(broker, tmp_path):
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path))
    res = h.run([h.mqdash_binary(), "watch", *broker.auth, "--board", "nothing"], env=env, timeout=10)
    assert res.rc == 1 and "no board 'nothing'" in res.stderr, res
    res = h.run([h.mqdash_binary(), "watch", *broker.auth, "--board", "x", "-t", "a", "--above", "1"], env=env, timeout=10)
    assert res.rc != 0 and "--board takes its topics and rules from the board file" in res.stderr, res
