"""`c` in the dashboard: the connection picker over the profiles of $XDG_CONFIG_HOME/mqdash/config.toml switches
between two real mosquittos; the UI stays, the tree starts afresh, the status bar names the new broker, and a
slow password command does not hold up the screen."""

from __future__ import annotations

import json
import shlex
import time

import pytest

import mqhelpers as h
from conftest import MQDASH, Tmux
from test_dashboard_tmux import quit_and_check_shell, wait_dashboard_up


def write_profiles(tmp_path, text: str):
    """A profiles file with `text` in a fresh XDG_CONFIG_HOME below `tmp_path`, which it returns."""
    config_home = tmp_path / "config"
    (config_home / "mqdash").mkdir(parents=True)
    (config_home / "mqdash" / "config.toml").write_text(text)
    return config_home


def profile(name: str, broker: h.Broker, **settings) -> str:
    """A [profiles.NAME] table for `broker` on loopback as the suite's user, with these further settings."""
    settings = {"host": "127.0.0.1", "port": broker.port, "user": h.USER, **settings}
    return f"[profiles.{name}]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())


def publish(broker: h.Broker, topic: str, payload: str) -> None:
    r = h.run(["mosquitto_pub", *broker.auth, "-q", "1", "-t", topic, "-m", payload], timeout=10)
    assert r.rc == 0, r


@pytest.mark.timeout_seconds(60)
def test_c_switches_between_two_brokers(tmux: Tmux, tmp_path, passwd_template):
    first = h.Broker(tmp_path / "first", passwd_template)
    second = h.Broker(tmp_path / "second", passwd_template)
    first.start()
    second.start()
    try:
        # The second password comes from a command that takes its time, as `pass` asking for a passphrase would.
        config_home = write_profiles(tmp_path, "\n".join([
            profile("first", first, client_id="picker-first", password_env="E2E_FIRST_PASSWORD", subscriptions=["one/#"]),
            profile("second", second, client_id="picker-second", password_command=f"sh -c 'sleep 3; echo {h.PASSWORD}'",
                    subscriptions=["two/#"]),
        ]))
        env = {"XDG_CONFIG_HOME": str(config_home), "E2E_FIRST_PASSWORD": h.PASSWORD}
        tmux.type_line(" ".join(shlex.quote(a) for a in [f"{k}={v}" for k, v in env.items()] + [MQDASH, "--profile", "first"]))
        wait_dashboard_up(tmux)
        first.wait_subscribed("picker-first", timeout=10)
        publish(first, "one/lamp", "first-broker-value")
        tmux.wait_for(lambda s: "first-broker-value" in s, 10, "the first broker's message")

        tmux.send("c")
        screen = tmux.wait_for(lambda s: "Connect to" in s, 10, "the picker")
        assert f"mqtt://127.0.0.1:{second.port}" in screen and "second" in screen, screen
        tmux.send("Down")
        tmux.send("Enter")
        tmux.wait_for(lambda s: "switching to second" in s, 5, "the switch under way")
        # While the password command sleeps, the old broker's traffic still shows: nothing waits for it.
        publish(first, "one/lamp", "still-the-first")
        tmux.wait_for(lambda s: "still-the-first" in s and "switched to second" not in s, 2.5, "the UI going on meanwhile")

        screen = tmux.wait_for(lambda s: "switched to second" in s, 15, "the switch")
        assert "first-broker-value" not in screen and "still-the-first" not in screen, "a fresh tree:\n" + screen
        second.wait_subscribed("picker-second", timeout=10)
        publish(second, "two/fan", "second-broker-value")
        publish(first, "one/lamp", "not-shown")
        screen = tmux.wait_for(lambda s: "second-broker-value" in s, 10, "the second broker's message")
        assert "not-shown" not in screen, screen
        tmux.send("x")  # any key clears the notice: the status bar names the broker, and one topic
        tmux.wait_for(lambda s: f"second: mqtt://127.0.0.1:{second.port}" in s and " 1 topics" in s, 5,
                      "the broker and its one topic on the status bar")
        quit_and_check_shell(tmux)
    finally:
        first.stop()
        second.stop()


@pytest.mark.timeout_seconds(60)
def test_q_during_a_slow_password_command_quits_at_once(tmux: Tmux, tmp_path, passwd_template):
    broker = h.Broker(tmp_path / "broker", passwd_template)
    broker.start()
    try:
        config_home = write_profiles(tmp_path, profile("slow", broker, password_command="sleep 20"))
        argv = [f"XDG_CONFIG_HOME={config_home}", MQDASH, "-h", h.HOST, "-p", str(broker.port), "-u", h.USER, "-P", h.PASSWORD]
        tmux.type_line(" ".join(shlex.quote(a) for a in argv))
        wait_dashboard_up(tmux)
        tmux.send("c")
        tmux.wait_for(lambda s: "Connect to" in s, 10, "the picker")
        tmux.send("Enter")
        tmux.wait_for(lambda s: "switching to slow" in s, 5, "the switch under way")
        started = time.monotonic()
        quit_and_check_shell(tmux)
        assert time.monotonic() - started < 5, "q waited for the password command"
    finally:
        broker.stop()
