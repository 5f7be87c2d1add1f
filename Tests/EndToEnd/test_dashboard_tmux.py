"""mqdash's dashboard end to end: the real binary in a real terminal (tmux on its own socket,
120x40), against a real mosquitto with the seed's password setup."""

from __future__ import annotations

import re
import shlex
import subprocess
import threading
import time

import pytest

import mqhelpers as h
from conftest import MQDASH, Tmux

CLIENT_ID = "mqdash-e2e"


def start_dashboard(tmux: Tmux, broker: h.Broker, *extra: str, password: str = h.PASSWORD,
                    env: dict[str, str] | None = None) -> None:
    """Types the mqdash command line at the shell and waits for the first frame."""
    argv = [MQDASH, "-h", h.HOST, "-p", str(broker.port), "-u", h.USER, "-P", password, "-i", CLIENT_ID, *extra]
    prefix = [f"{k}={v}" for k, v in (env or {}).items()]
    tmux.type_line(" ".join(shlex.quote(a) for a in prefix + argv))
    wait_dashboard_up(tmux)


def wait_dashboard_up(tmux: Tmux) -> str:
    """The first frame is on screen: the alternate screen is on and the shell's lines are gone."""
    deadline = time.monotonic() + 10
    while True:
        screen = tmux.capture()
        if tmux.pane("#{alternate_on}") == "1" and Tmux.PROMPT.rstrip() not in screen and screen.strip():
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"no dashboard frame within 10s; screen:\n{screen}")
        time.sleep(0.05)


def publish_retained(broker: h.Broker, topic: str, payload: str) -> None:
    r = h.run(["mosquitto_pub", *broker.auth, "-r", "-q", "1", "-t", topic, "-m", payload], timeout=10)
    assert r.rc == 0, r


def check_shell_restored(tmux: Tmux, expected_rc: int) -> str:
    """The shell is back in a sane terminal: prompt, exit code, cooked mode with echo, normal
    screen, visible cursor, no mouse reporting."""
    tmux.wait_for(lambda s: s.rstrip().endswith(Tmux.PROMPT.rstrip()), 10, "the shell prompt")
    assert tmux.pane("#{alternate_on}") == "0", "still on the alternate screen"
    assert tmux.pane("#{cursor_flag}") == "1", "cursor left hidden"
    assert tmux.pane("#{mouse_any_flag}") in ("0", ""), "mouse reporting left on"
    tmux.type_line("echo rc=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\?icanon' -e '-\\?echo' | tr '\\n' ' '; echo END")
    screen = tmux.wait_for(lambda s: re.search(r"rc=\d+\n.*END", s) is not None, 10, "the shell's answer")
    assert f"rc={expected_rc}" in screen, screen
    modes = re.search(r"rc=\d+\n(.*)END", screen).group(1).split()
    assert "icanon" in modes and "echo" in modes, f"terminal not restored to cooked mode: {modes}\n{screen}"
    return screen


def quit_and_check_shell(tmux: Tmux) -> str:
    tmux.send("q")
    return check_shell_restored(tmux, 0)


@pytest.mark.timeout_seconds(60)
def test_first_frame_resize_and_quit(tmux, broker):
    start_dashboard(tmux, broker)
    assert tmux.pane("#{alternate_on}") == "1"
    broker.wait_subscribed(CLIENT_ID, timeout=10)

    tmux.run("resize-window", "-t", tmux.target, "-x", "80", "-y", "24")
    screen = tmux.wait_for(lambda s: len(s.splitlines()) <= 24 and "mqdash" in s, 10, "a redraw at 80x24")
    assert all(len(line) <= 80 for line in screen.splitlines()), screen
    # Still alive and answering after the resize.
    assert tmux.pane("#{pane_current_command}") == "mqdash"
    quit_and_check_shell(tmux)


RETAINED_MARKER = re.compile(r"(®|◆|●|\[r\]|\bR\b|retained)", re.I)


def check_tree_and_log_then_quit(tmux: Tmux) -> None:
    """The retained livingroom/temp = 24.1 in the tree and the log, at 120x40 and at 80x24; then `q`
    (whether the checks passed or not) and a sane shell."""
    try:
        # The tree shows "livingroom" with a "temp" row carrying the value and the retained marker;
        # the log has a line with the full topic.
        screen = tmux.wait_for(lambda s: "livingroom" in s and re.search(r"temp\s.*24\.1", s) is not None, 10,
                               "livingroom/temp = 24.1 in the tree")
        tree_row = next(l for l in screen.splitlines() if re.search(r"temp\s.*24\.1", l))
        assert RETAINED_MARKER.search(tree_row), f"no retained marker in {tree_row!r}\n{screen}"
        assert re.search(r"livingroom/temp\s.*24\.1", screen), f"no log line for livingroom/temp:\n{screen}"

        tmux.run("resize-window", "-t", tmux.target, "-x", "80", "-y", "24")
        screen = tmux.wait_for(lambda s: len(s.splitlines()) <= 24 and "24.1" in s, 10, "the value after resizing")
        assert all(len(line) <= 80 for line in screen.splitlines()), screen
    finally:
        quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(60)
def test_retained_value_published_while_running_v5(tmux, broker):
    """v5 subscribes with retain-as-published, so a retained message published while the dashboard
    runs keeps its retained flag (3.1.1 brokers clear it on live delivery)."""
    start_dashboard(tmux, broker, "-V", "5")
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    publish_retained(broker, "livingroom/temp", "24.1")
    check_tree_and_log_then_quit(tmux)


@pytest.mark.timeout_seconds(60)
def test_retained_value_present_at_start_v311(tmux, broker):
    publish_retained(broker, "livingroom/temp", "24.1")
    start_dashboard(tmux, broker, "-V", "mqttv311")
    check_tree_and_log_then_quit(tmux)


@pytest.mark.timeout_seconds(60)
def test_refused_connection_keeps_running(tmux, broker):
    start_dashboard(tmux, broker, password="wrong")
    broker.wait_log(r"not authorised", timeout=10)
    # The refusal is not fatal: the dashboard is still up after it, and tries again.
    broker.wait_log(r"not authorised", timeout=20, count=2)
    assert tmux.pane("#{pane_current_command}") == "mqdash"
    assert tmux.pane("#{alternate_on}") == "1"
    quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(60)
def test_refused_connection_is_in_the_status_bar(tmux, broker):
    start_dashboard(tmux, broker, password="wrong")
    try:
        tmux.wait_for(lambda s: re.search(r"refused|not authori[sz]ed", s, re.I) is not None, 10,
                      "the refusal in the status bar")
    finally:
        quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(90)
def test_lost_connection_does_not_end_the_dashboard(tmux, broker):
    start_dashboard(tmux, broker)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    broker.stop()
    # Reconnect attempts fail meanwhile; the status bar counts down to the next one.
    tmux.wait_for(lambda s: re.search(r"reconnecting in \d+ s", s) is not None, 15, "reconnecting in the status bar")
    assert tmux.pane("#{pane_current_command}") == "mqdash"
    since = broker.mark()
    broker.start()
    # Back by itself, subscriptions restored.
    broker.wait_subscribed(CLIENT_ID, since=since, timeout=40)
    publish_retained(broker, "livingroom/temp", "24.1")
    assert tmux.pane("#{pane_current_command}") == "mqdash"
    quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(60)
def test_a_packet_above_max_packet_is_in_the_status_bar_and_it_keeps_trying(tmux, broker, tmp_path):
    """A retained 1 MB message over --max-packet 100000 (3.1.1, where the broker is not told the maximum):
    every connection ends on it, the status bar says why with the size and the flag, and the dashboard
    keeps reconnecting; once the message is cleared it stays connected."""
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 1_000_000)
    r = h.run(["mosquitto_pub", *broker.auth, "-r", "-t", "big", "-f", str(big)], timeout=10)
    assert r.rc == 0, r
    since = broker.mark()
    start_dashboard(tmux, broker, "-V", "mqttv311", "-t", "big", "--max-packet", "100000")
    try:
        tmux.wait_for(lambda s: re.search(r"reconnecting in \d+ s: got a 1000009-byte packet, over --max-packet 100000", s)
                      is not None, 10, "the reason in the status bar")
        broker.wait_subscribed(CLIENT_ID, since=since, timeout=10, count=3)
        assert tmux.pane("#{pane_current_command}") == "mqdash"
        r = h.run(["mosquitto_pub", *broker.auth, "-r", "-t", "big", "-n"], timeout=10)
        assert r.rc == 0, r
        tmux.wait_for(lambda s: re.search(r"^ connected ", s, re.M) is not None, 15, "connected again")
    finally:
        quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(60)
def test_sigterm_restores_terminal(tmux, broker):
    start_dashboard(tmux, broker)
    shell = tmux.pane("#{pane_pid}")
    pid = subprocess.run(["pgrep", "-P", shell, "-x", "mqdash"], capture_output=True, text=True).stdout.split()
    assert pid, "mqdash process not found"
    subprocess.run(["kill", "-TERM", pid[0]], check=True)
    check_shell_restored(tmux, 143)


def test_not_a_terminal_is_a_clear_error(broker):
    r = h.run([MQDASH, *broker.auth], timeout=10)
    assert r.rc == 1, r
    assert len(r.err_lines) == 1 and "not a terminal" in r.stderr, r
    assert r.stdout == "", r


@pytest.mark.timeout_seconds(30)
@pytest.mark.parametrize("term,words", [("nonexistent-term", "unknown to terminfo"), ("dumb", "cannot move the cursor")])
def test_unusable_term_is_a_clear_error(tmux, broker, term, words):
    argv = [MQDASH, *broker.auth]
    tmux.type_line(f"TERM={term} " + " ".join(shlex.quote(a) for a in argv) + "; echo rc=$?")
    screen = tmux.wait_for(lambda s: re.search(r"^rc=\d+", s, re.M) is not None, 10, "mqdash to exit")
    assert words in screen and re.search(r"^rc=1$", screen, re.M), screen


class Flood:
    """mosquitto_pub -l fed without end until stop(): a flood that outlasts any backlog the dashboard
    could work through, so a loop that applied messages before reading keys would never see `q`."""

    def __init__(self, broker: h.Broker, topic: str):
        self.proc = subprocess.Popen(["mosquitto_pub", *broker.auth, "-t", topic, "-l"], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()

    def _feed(self) -> None:
        chunk = "".join(f"{i}\n" for i in range(10_000)).encode()
        try:
            while not self.stopped.is_set():
                self.proc.stdin.write(chunk)
        except (BrokenPipeError, ValueError, OSError):
            pass

    def stop(self) -> None:
        self.stopped.set()
        self.proc.kill()
        self.proc.wait(5)
        self.thread.join(5)


@pytest.mark.timeout_seconds(90)
def test_quits_at_once_during_a_flood(tmux, broker, tmp_path):
    frames = tmp_path / "frames.log"
    start_dashboard(tmux, broker, env={"MQDASH_FRAME_LOG": str(frames)})
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    flood = Flood(broker, "flood/x")
    try:
        tmux.wait_for(lambda s: re.search(r"\b\d{2,}(\.\d)?k msgs\b", s) is not None, 30, "10k messages of the flood")
        assert tmux.pane("#{pane_current_command}") == "mqdash"
        tmux.send("q")
        # A bound, not a measurement: `q` must get through while messages keep coming.
        tmux.wait_for(lambda s: s.rstrip().endswith(Tmux.PROMPT.rstrip()), 15, "the prompt after q, mid-flood")
    finally:
        flood.stop()
    check_shell_restored(tmux, 0)
    # The frame log (`frame <at> <ms> <applied> <waiting> <skipped>`, then `quit <at>`) shows that `q` came
    # through with messages still waiting: the test pressed it into a backlog, not after one.
    lines = frames.read_text().splitlines()
    assert lines and lines[-1].startswith("quit "), lines[-3:]
    last_frame = next(line.split() for line in reversed(lines) if line.startswith("frame "))
    assert int(last_frame[4]) > 0, f"no backlog when q came, so nothing was tested: {last_frame}"


@pytest.mark.timeout_seconds(60)
def test_message_published_from_the_form_reaches_mosquitto_sub(tmux, broker):
    """Select livingroom/temp, press p (the form opens on that topic with the cursor in the
    payload), type a value, Ctrl-S: a real mosquitto_sub receives it, and the form shows the result."""
    start_dashboard(tmux, broker)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    publish_retained(broker, "livingroom/temp", "24.1")
    tmux.wait_for(lambda s: re.search(r"temp\s.*24\.1", s) is not None, 10, "livingroom/temp in the tree")
    mark = broker.mark()
    watcher = subprocess.Popen(
        ["mosquitto_sub", *broker.auth, "-i", "formwatch", "-t", "livingroom/temp", "-R", "-C", "1", "-v"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        broker.wait_subscribed("formwatch", mark)
        # Rows: livingroom, then temp.
        tmux.send("j")
        tmux.send("p")
        tmux.wait_for(lambda s: "Publish" in s and "livingroom/temp" in s, 10, "the publish form")
        tmux.run("send-keys", "-t", tmux.target, "-l", "25.5")
        tmux.send("C-s")
        out, err = watcher.communicate(timeout=10)
        assert out == "livingroom/temp 25.5\n", (out, err)
        tmux.wait_for(lambda s: "Result: sent for livingroom/temp" in s, 10, "the result in the form")
        tmux.send("Escape")
    finally:
        if watcher.poll() is None:
            watcher.kill()
        quit_and_check_shell(tmux)


def retained_value(broker: h.Broker, topic: str) -> str:
    """The retained payload of `topic`, read with mosquitto_sub (empty when none within 10 s: a retained
    message comes at once, so the bound only matters when it is missing)."""
    r = h.run(["mosquitto_sub", *broker.auth, "-t", topic, "-C", "1", "-W", "10"], timeout=15)
    return r.stdout.strip()


@pytest.mark.timeout_seconds(60)
def test_demo_simulator_feeds_the_tree(tmux, broker):
    """`--demo` runs the simulator against the dashboard's own broker: its readings appear in the
    tree, it labels itself with a retained demo/README, and it says "offline" when the dashboard quits."""
    start_dashboard(tmux, broker, "--demo")
    try:
        screen = tmux.wait_for(
            lambda s: "livingroom" in s and re.search(r"temp\s.*\b\d{2}\.\d\b", s) is not None, 15,
            "livingroom/temp with a reading in the tree")
        assert "kitchen" in screen, screen
        assert "mqdash --demo" in retained_value(broker, "demo/README")
        assert retained_value(broker, "demo/status") == "online"
        broker.wait_log(r"New client connected .* as mqdash-demo", timeout=5)
    finally:
        quit_and_check_shell(tmux)
    assert retained_value(broker, "demo/status") == "offline"


@pytest.mark.timeout_seconds(60)
@pytest.mark.parametrize("term,colour", [
    ("xterm", re.compile(r"\x1b\[3[0-7]m")),                      # 8 colours
    ("xterm-256color", re.compile(r"\x1b\[38;5;\d+m")),           # the 256-colour palette
    ("xterm-direct", re.compile(r"\x1b\[38;2;\d+;\d+;\d+m")),     # true colour (terminfo from ncurses-term)
])
def test_each_colour_depth_draws_with_its_own_colours(tmux, broker, term, colour):
    publish_retained(broker, "livingroom/temp", "24.1")
    argv = [MQDASH, "-h", h.HOST, "-p", str(broker.port), "-u", h.USER, "-P", h.PASSWORD, "-i", CLIENT_ID]
    tmux.type_line(f"TERM={term} " + " ".join(shlex.quote(a) for a in argv))
    wait_dashboard_up(tmux)
    tmux.wait_for(lambda s: "24.1" in s, 10, "the retained value")
    styled = tmux.run("capture-pane", "-e", "-p", "-t", tmux.target)
    assert colour.search(styled), f"no {term} colour sequences in:\n{styled[:2000]!r}"
    if term != "xterm-direct":
        assert "\x1b[38;2;" not in styled, "true colour sent to a terminal without it"
    if term == "xterm":
        assert "\x1b[38;5;" not in styled, "256-colour palette sent to an 8-colour terminal"
    quit_and_check_shell(tmux)


@pytest.mark.timeout_seconds(60)
def test_profile_gives_broker_password_and_subscriptions(tmux, broker, tmp_path):
    """`mqdash --profile home`: the connection, a password from password_command (the broker checks it)
    and the profile's subscriptions instead of '#'."""
    publish_retained(broker, "prof/a/x", "shown-by-profile")
    publish_retained(broker, "prof/b/y", "not-subscribed")
    config = tmp_path / "xdg" / "mqdash"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        "[profiles.home]\n"
        f'host = "{h.HOST}"\nport = {broker.port}\nuser = "{h.USER}"\n'
        f'password_command = "printf {h.PASSWORD}"\nclient_id = "{CLIENT_ID}"\n'
        'subscriptions = ["prof/a/#"]\n')
    tmux.type_line(f"XDG_CONFIG_HOME={shlex.quote(str(tmp_path / 'xdg'))} {shlex.quote(MQDASH)} --profile home")
    wait_dashboard_up(tmux)
    broker.wait_subscribed(CLIENT_ID, timeout=10)
    screen = tmux.wait_for(lambda s: "shown-by-profile" in s, 10, "the retained message of the profile's subscription")
    assert "not-subscribed" not in screen, screen
    quit_and_check_shell(tmux)
