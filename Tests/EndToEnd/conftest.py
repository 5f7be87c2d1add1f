"""Fixtures for the end-to-end dashboard tests: the interop suite's mosquitto (same password
setup: user `iot`, password `secret`) and a tmux server on its own socket per test."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from typing import Callable

import pytest

import mqhelpers as h  # (Tests/PythonSupport, shared with the other suites: Broker, password file, processes)

REPO_ROOT = h.REPO_ROOT
MQDASH = h.mqdash_binary()
REQUIRED_PROGRAMS = ["tmux", "mosquitto", "mosquitto_pub", "mosquitto_sub", "mosquitto_passwd"]


@pytest.fixture(scope="session", autouse=True)
def _required():
    h.exit_if_missing(REQUIRED_PROGRAMS)
    if not os.access(MQDASH, os.X_OK):
        pytest.exit(f"mqdash binary not found at {MQDASH}: build it (`swift build`) or set MQDASH_BIN",
                    returncode=2)


@pytest.fixture
def broker(tmp_path, passwd_template):
    b = h.Broker(tmp_path / "broker", passwd_template)
    b.start()
    yield b
    b.stop()


class Tmux:
    """One tmux server on its own socket with one pane running a plain bash (prompt `E2E$ `)."""

    PROMPT = "E2E$ "

    def __init__(self, width: int = 120, height: int = 40):
        self.socket = f"mqdash-e2e-{uuid.uuid4().hex[:10]}"
        self.target = "e2e"
        env = {"LANG": "C.UTF-8", "TERM": "tmux-256color", "PS1": self.PROMPT}
        env_args = [f"{k}={v}" for k, v in env.items()]
        self.run("new-session", "-d", "-s", self.target, "-x", str(width), "-y", str(height),
                 "env", *env_args, "bash", "--noprofile", "--norc")
        try:
            self.wait_for(lambda s: self.PROMPT.rstrip() in s, 10, "the shell prompt")
        except BaseException:
            self.kill()
            raise

    def run(self, *args: str) -> str:
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                           capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {r.stderr}")
        return r.stdout

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.target, *keys)

    def type_line(self, text: str) -> None:
        self.run("send-keys", "-t", self.target, "-l", text)
        self.send("Enter")

    def capture(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target)

    def lines(self) -> list[str]:
        return self.capture().splitlines()

    def pane(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.target, fmt).strip()

    def wait_for(self, predicate: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout}s for {what}; screen:\n{screen}")
            time.sleep(0.05)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def tmux():
    t = Tmux()
    yield t
    t.kill()
