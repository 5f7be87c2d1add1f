"""Helpers for the mqdash interop suite: a real mosquitto broker per test,
processes with bounded waits, the tool under test, certificates (paho clients: brokerhelpers.Paho).

Everything listens on and connects to 127.0.0.1 only.  Every wait has a deadline.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence, Union

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
USER = "iot"
PASSWORD = "secret"

# Default bound for one child process (seconds).  Tests pass smaller ones.
DEFAULT_TIMEOUT = 15.0


# ---------------------------------------------------------------------------
# ports


def free_port(exclude: Sequence[int] = ()) -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        if port not in exclude:
            return port
    raise RuntimeError("could not find a free loopback port")


def vm_rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (VmRSS from /proc), for tests that attack a memory bound;
    0 once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def peak_vm_rss_kib(pid: int, seconds: float = 3.0) -> int:
    """The highest VmRSS of a process sampled every 50 ms for `seconds` (while a flood is held back)."""
    peak = vm_rss_kib(pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        peak = max(peak, vm_rss_kib(pid))
        time.sleep(0.05)
    return peak


def vm_rss_under_flood(broker, mosq, folder: Path, pid: int, topic: str) -> tuple[int, int]:
    """Publishes 100 MB to `topic` (mosquitto_pub, 1000 messages of 100 kB) and samples the VmRSS of `pid`
    meanwhile and for 3 s after: (KiB before the flood, peak KiB)."""
    baseline = vm_rss_kib(pid)
    big = folder / "payload.bin"
    big.write_bytes(b"z" * 100_000)
    assert mosq.run("pub", *broker.auth, "-t", topic, "-f", big, "--repeat", "1000", timeout=60).rc == 0
    return baseline, max(baseline, peak_vm_rss_kib(pid))


class UnreadFifo:
    """A FIFO that nobody reads until `drain()`: a writer into it blocks, as into a stalled reader or a
    disk that lags. Opened for reading at once (non-blocking), so that the writer's open does not wait."""

    def __init__(self, path: Path):
        os.mkfifo(path)
        self.path = path
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self._chunks: list[bytes] = []
        self._reader: Optional[threading.Thread] = None

    def drain(self) -> None:
        """Starts reading everything, in a thread, until the writer closes."""
        def read_all():
            os.set_blocking(self._fd, True)
            while data := os.read(self._fd, 1 << 20):
                self._chunks.append(data)
        self._reader = threading.Thread(target=read_all)
        self._reader.start()

    def lines_read(self) -> int:
        return sum(chunk.count(b"\n") for chunk in self._chunks)

    def close(self, timeout: float = 20) -> bytes:
        """Waits for the writer to close (`timeout` at most) and returns all that was read."""
        if self._reader:
            self._reader.join(timeout)
        os.close(self._fd)
        return b"".join(self._chunks)


def port_accepts(port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def stop_process(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM (a broker's clean shutdown), then SIGKILL if it is not gone within `timeout`."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def wait_until(pred: Callable[[], bool], timeout: float, what: str) -> None:
    """Until `pred()` holds; fails after `timeout` seconds naming `what`."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def wait_listening(proc: subprocess.Popen, ports: Sequence[int], timeout: float, name: str,
                   dump: Callable[[], str]) -> None:
    """Until a just-started broker accepts on every one of `ports`; kills it and fails (with `dump()`)
    if it exits or is not listening within `timeout`."""
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}\n{dump()}")
        if time.monotonic() > deadline:
            stop_process(proc, 5)
            raise RuntimeError(f"{name} did not open {pending} in {timeout}s\n{dump()}")
        pending = [p for p in pending if not port_accepts(p)]
        if pending:
            time.sleep(0.02)


def wait_ports_closed(ports: Sequence[int], seconds: float = 5) -> None:
    """Until nothing accepts on `ports` any more (a stopped broker's sockets), at most `seconds`."""
    deadline = time.monotonic() + seconds
    while any(port_accepts(p) for p in ports) and time.monotonic() < deadline:
        time.sleep(0.02)


# ---------------------------------------------------------------------------
# processes

# Every Proc started during a test; the autouse fixture in conftest kills leftovers.
LIVE_PROCS: list["Proc"] = []


@dataclass
class Result:
    argv: list[str]
    rc: Optional[int]
    out: bytes
    err: bytes
    elapsed: float

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "replace")

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    @property
    def err_lines(self) -> list[str]:
        return self.stderr.splitlines()

    def __str__(self) -> str:  # shown by failed asserts
        return (
            f"\n$ {' '.join(self.argv)}\nexit code: {self.rc}  ({self.elapsed:.2f}s)\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}\n"
        )

    __repr__ = __str__


class Proc:
    """A child process whose stdout/stderr are collected by reader threads."""

    def __init__(self, argv: Sequence[str], input: Optional[bytes] = None,
                 env: Optional[dict] = None, cwd: Optional[Union[str, Path]] = None):
        self.argv = [str(a) for a in argv]
        self._out = bytearray()
        self._err = bytearray()
        self._cond = threading.Condition()
        self._started = time.monotonic()
        self._ended: Optional[float] = None
        self.p = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        LIVE_PROCS.append(self)
        self._threads = [
            threading.Thread(target=self._pump, args=(self.p.stdout, self._out), daemon=True),
            threading.Thread(target=self._pump, args=(self.p.stderr, self._err), daemon=True),
        ]
        for t in self._threads:
            t.start()
        if input is not None:
            threading.Thread(target=self._feed, args=(input,), daemon=True).start()

    def _feed(self, data: bytes) -> None:
        try:
            self.p.stdin.write(data)
            self.p.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def _pump(self, stream, buf: bytearray) -> None:
        while True:
            chunk = stream.read1(65536)
            if not chunk:
                break
            with self._cond:
                buf.extend(chunk)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    # -- state
    @property
    def pid(self) -> int:
        return self.p.pid

    @property
    def out(self) -> bytes:
        with self._cond:
            return bytes(self._out)

    @property
    def err(self) -> bytes:
        with self._cond:
            return bytes(self._err)

    def running(self) -> bool:
        return self.p.poll() is None

    def snapshot(self) -> Result:
        end = self._ended or time.monotonic()
        return Result(self.argv, self.p.poll(), self.out, self.err, end - self._started)

    # -- waiting
    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float, what: str = "output") -> None:
        """Wait until predicate(stdout so far) holds; fail with the output if it never does."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if predicate(bytes(self._out)):
                    return
                left = deadline - time.monotonic()
                ended = self.p.poll() is not None and not any(t.is_alive() for t in self._threads)
                if left <= 0 or ended:
                    if predicate(bytes(self._out)):
                        return
                    break
                self._cond.wait(min(left, 0.05))
        raise AssertionError(f"waited {timeout}s for {what}; got:{self.snapshot()}")

    def wait_for_text(self, text: str, timeout: float = 10.0) -> None:
        needle = text.encode()
        self.wait_for(lambda b: needle in b, timeout, what=repr(text))

    def wait_for_lines(self, n: int, timeout: float = 10.0) -> None:
        self.wait_for(lambda b: b.count(b"\n") >= n, timeout, what=f"{n} lines")

    def finish(self, timeout: float = DEFAULT_TIMEOUT) -> Result:
        """Wait for exit (killing it after timeout, which fails the test) and return its Result."""
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            for t in self._threads:
                t.join(2)
            raise AssertionError(f"process did not exit within {timeout}s:{self.snapshot()}")
        for t in self._threads:
            t.join(5)
        self._ended = self._ended or time.monotonic()
        return self.snapshot()

    def finish_printing(self, stdout: str, timeout: float = DEFAULT_TIMEOUT) -> Result:
        """finish(), checking that the process exited 0 having printed exactly `stdout`."""
        res = self.finish(timeout)
        assert res.rc == 0, res
        assert res.stdout == stdout, res
        return res

    def send_signal(self, sig: int) -> None:
        if self.p.poll() is None:
            self.p.send_signal(sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.p.poll() is None:
            self.p.kill()
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self._ended = self._ended or time.monotonic()


def run(argv: Sequence[str], input: Optional[bytes] = None, timeout: float = DEFAULT_TIMEOUT,
        env: Optional[dict] = None, cwd: Optional[Union[str, Path]] = None) -> Result:
    return Proc(argv, input=input, env=env, cwd=cwd).finish(timeout)


def reap_all() -> None:
    """Kill every Proc still running (used after each test)."""
    while LIVE_PROCS:
        p = LIVE_PROCS.pop()
        p.kill()


def print_if_failed(request, text: Callable[[], str]) -> None:
    """After a test, in a fixture: print `text()` (a broker's config and log) when the test failed, where
    pytest shows it with the failure."""
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(text())


def serve_during_test(request, broker: "BrokerProcess", title: str = ""):
    """For a fixture to `yield from`: starts `broker` and yields it to the test; then reaps the processes
    the test left, stops the broker, and prints `title` and its config and log if the test failed."""
    broker.start()
    yield broker
    reap_all()
    broker.stop()
    print_if_failed(request, lambda: title + broker.dump())


# ---------------------------------------------------------------------------
# the tool under test and the reference counterparts


class Tool:
    """Runs `sub`/`pub`: either `MQDASH_BIN sub|pub ...` or `mosquitto_sub|mosquitto_pub ...`."""

    def __init__(self, reference: bool, binary: Optional[str] = None):
        self.reference = reference
        self.binary = binary

    @property
    def name(self) -> str:
        return "mosquitto" if self.reference else f"mqdash ({self.binary})"

    def argv(self, kind: str, *args) -> list[str]:
        assert kind in ("sub", "pub"), kind
        if self.reference:
            return [f"mosquitto_{kind}", *map(str, args)]
        return [self.binary, kind, *map(str, args)]

    def start(self, kind: str, *args, input: Optional[bytes] = None) -> Proc:
        return Proc(self.argv(kind, *args), input=input)

    def run(self, kind: str, *args, input: Optional[bytes] = None,
            timeout: float = DEFAULT_TIMEOUT) -> Result:
        return self.start(kind, *args, input=input).finish(timeout)


MOSQUITTO = Tool(reference=True)


def reference_mode() -> bool:
    return os.environ.get("MQDASH_REFERENCE", "") not in ("", "0")


def mqdash_binary() -> str:
    raw = os.environ.get("MQDASH_BIN") or str(REPO_ROOT / ".build" / "debug" / "mqdash")
    path = Path(raw)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return str(path)


def tool_under_test() -> Tool:
    if reference_mode():
        return Tool(reference=True)
    return Tool(reference=False, binary=mqdash_binary())


# ---------------------------------------------------------------------------
# certificates


@dataclass
class Certs:
    dir: Path
    ca: Path            # the CA that signed server, client and badname
    server_crt: Path    # CN=localhost, SAN IP:127.0.0.1, DNS:localhost
    server_key: Path
    client_crt: Path    # CN=iot, clientAuth
    client_key: Path
    badname_crt: Path   # signed by ca, but SAN DNS:elsewhere.invalid only
    badname_key: Path
    other_ca: Path      # an unrelated self-signed CA (the "bad CA")
    device_crt: Path    # O=mqdash-tests, CN=device-7, clientAuth
    device_key: Path
    nocn_crt: Path      # O=mqdash-tests and no CN, clientAuth
    nocn_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    r = run(["openssl", *args], timeout=60, cwd=cwd)
    assert r.rc == 0, f"openssl failed:{r}"


def make_certs(d: Path) -> Certs:
    d.mkdir(parents=True, exist_ok=True)
    p = lambda name: d / name  # noqa: E731

    def key(name: str) -> None:
        _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                 "-out", str(p(name)), cwd=d)

    def leaf(name: str, cn: str, ext_lines: list[str], subj: str = "") -> None:
        key(f"{name}.key")
        _openssl("req", "-new", "-key", str(p(f"{name}.key")), "-subj", subj or f"/CN={cn}",
                 "-out", str(p(f"{name}.csr")), cwd=d)
        p(f"{name}.ext").write_text("\n".join(ext_lines) + "\n")
        _openssl("x509", "-req", "-in", str(p(f"{name}.csr")), "-CA", str(p("ca.crt")),
                 "-CAkey", str(p("ca.key")), "-CAcreateserial", "-days", "3", "-sha256",
                 "-extfile", str(p(f"{name}.ext")), "-out", str(p(f"{name}.crt")), cwd=d)

    def self_signed_ca(name: str, cn: str) -> None:
        key(f"{name}.key")
        _openssl("req", "-x509", "-new", "-key", str(p(f"{name}.key")), "-subj", f"/CN={cn}",
                 "-days", "3", "-sha256", "-out", str(p(f"{name}.crt")),
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)

    self_signed_ca("ca", "mqdash interop test CA")
    self_signed_ca("other-ca", "unrelated test CA")
    leaf("server", "localhost", [
        "basicConstraints=CA:FALSE",
        "keyUsage=digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ])
    leaf("client", USER, [
        "basicConstraints=CA:FALSE",
        "keyUsage=digitalSignature,keyEncipherment",
        "extendedKeyUsage=clientAuth",
    ])
    leaf("badname", "elsewhere.invalid", [
        "basicConstraints=CA:FALSE",
        "keyUsage=digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
        "subjectAltName=DNS:elsewhere.invalid",
    ])
    client_ext = ["basicConstraints=CA:FALSE", "keyUsage=digitalSignature,keyEncipherment",
                  "extendedKeyUsage=clientAuth"]
    leaf("device", "", client_ext, subj="/O=mqdash-tests/CN=device-7")
    leaf("nocn", "", client_ext, subj="/O=mqdash-tests")
    return Certs(d, p("ca.crt"), p("server.crt"), p("server.key"), p("client.crt"),
                 p("client.key"), p("badname.crt"), p("badname.key"), p("other-ca.crt"),
                 p("device.crt"), p("device.key"), p("nocn.crt"), p("nocn.key"))


def make_password_file(path: Path) -> Path:
    r = run(["mosquitto_passwd", "-c", "-b", str(path), USER, PASSWORD], timeout=30)
    assert r.rc == 0, f"mosquitto_passwd failed:{r}"
    return path


# ---------------------------------------------------------------------------
# the broker


class BrokerProcess:
    """What every broker the suites start has in common: its own folder (config, a copy of the
    password file), free loopback ports, a process started from the config and waited for until it
    listens, stopped with SIGTERM.  The Interop suite's mosquitto (`Broker` below) and the broker
    suite's broker under test (`brokerhelpers.Broker`) each write their own config."""

    name = "mosquitto"          # in the error when it does not start
    timeout = 10.0              # to start, and to stop before SIGKILL

    def __init__(self, workdir: Path, passwd_template: Path):
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.conf = self.dir / "mosquitto.conf"
        self.passwd = self.dir / "passwd"
        shutil.copyfile(passwd_template, self.passwd)
        self.proc: Optional[subprocess.Popen] = None
        self._used_ports: list[int] = []

    def _pick_port(self) -> int:
        """A free port other than this broker's others (all are picked before it starts)."""
        port = free_port(self._used_ports)
        self._used_ports.append(port)
        return port

    # -- what a subclass says
    def argv(self) -> list[str]:
        return ["mosquitto", "-c", str(self.conf)]

    def ports(self) -> list[int]:
        raise NotImplementedError

    @property
    def output_path(self) -> Path:
        """Where the process's stdout and stderr go."""
        raise NotImplementedError

    def dump(self) -> str:
        raise NotImplementedError

    # -- connection arguments for mosquitto-style tools
    @property
    def auth(self) -> list[str]:
        """-h -p -u -P for the plain listener."""
        return ["-h", HOST, "-p", str(self.port), "-u", USER, "-P", PASSWORD]

    # -- lifecycle
    def start(self, timeout: Optional[float] = None) -> "BrokerProcess":
        assert not self.running(), "broker already running"
        with open(self.output_path, "ab") as out:
            self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                         cwd=self.dir)
        wait_listening(self.proc, self.ports(), self.timeout if timeout is None else timeout, self.name,
                       self.dump)
        return self

    def stop(self, timeout: Optional[float] = None) -> None:
        """SIGTERM (a clean shutdown: mosquitto writes its persistence file), SIGKILL if it hangs."""
        if not self.running():
            return
        stop_process(self.proc, self.timeout if timeout is None else timeout)
        wait_ports_closed(self.ports())

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Broker(BrokerProcess):
    """A real mosquitto on 127.0.0.1 with its own config, password file, log and
    persistence directory.  Listeners:

    - `port`: plain MQTT (always)
    - `tls_port`: TLS, server cert for 127.0.0.1/localhost (when certs are given)
    - `mtls_port`: TLS that requires a client certificate (when certs are given)
    - `badname_port`: TLS whose certificate names another host (when certs are given)
    - `ws_port`: MQTT over WebSockets (when websockets=True)

    Every listener requires user `iot` / password `secret`.
    """

    def __init__(self, workdir: Path, passwd_template: Path, certs: Optional[Certs] = None,
                 websockets: bool = False):
        super().__init__(workdir, passwd_template)
        self.certs = certs
        self.websockets = websockets
        self.log = self.dir / "mosquitto.log"
        self.stderr_path = self.dir / "mosquitto.stderr"
        self.port = self._pick_port()
        self.tls_port = self._pick_port() if certs else None
        self.mtls_port = self._pick_port() if certs else None
        self.badname_port = self._pick_port() if certs else None
        self.ws_port = self._pick_port() if websockets else None
        self._write_conf()

    @property
    def output_path(self) -> Path:
        return self.stderr_path

    # -- config
    def _auth_lines(self) -> list[str]:
        return ["allow_anonymous false", f"password_file {self.passwd}"]

    def _write_conf(self) -> None:
        c = [
            "# written by Tests/Interop (modelled on the seed's mosquitto.conf)",
            "per_listener_settings true",
            # mosquitto started as root drops to the 'mosquitto' user, which could not
            # read our files in a 0700 temp dir; stay root (ignored when not root).
            "user root",
            "persistence true",
            f"persistence_location {self.dir}/",
            "persistence_file mosquitto.db",
            f"log_dest file {self.log}",
            "log_type all",
            "log_timestamp true",
            "connection_messages true",
            "",
            f"listener {self.port} {HOST}",
            *self._auth_lines(),
        ]
        if self.certs:
            k = self.certs
            c += [
                "",
                f"listener {self.tls_port} {HOST}",
                f"cafile {k.ca}", f"certfile {k.server_crt}", f"keyfile {k.server_key}",
                *self._auth_lines(),
                "",
                f"listener {self.mtls_port} {HOST}",
                f"cafile {k.ca}", f"certfile {k.server_crt}", f"keyfile {k.server_key}",
                "require_certificate true",
                *self._auth_lines(),
                "",
                f"listener {self.badname_port} {HOST}",
                f"cafile {k.ca}", f"certfile {k.badname_crt}", f"keyfile {k.badname_key}",
                *self._auth_lines(),
            ]
        if self.websockets:
            c += [
                "",
                f"listener {self.ws_port} {HOST}",
                "protocol websockets",
                # Without this, libwebsockets in Debian's 2.0.11 binds [::]:port
                # (all interfaces) even though the listener names 127.0.0.1.
                "socket_domain ipv4",
                *self._auth_lines(),
            ]
        self.conf.write_text("\n".join(c) + "\n")

    def ports(self) -> list[int]:
        return [p for p in (self.port, self.tls_port, self.mtls_port, self.badname_port,
                            self.ws_port) if p]

    # -- log
    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def mark(self) -> int:
        """Position in the log; pass to wait_log(since=...) to look only at newer lines."""
        try:
            return self.log.stat().st_size
        except FileNotFoundError:
            return 0

    def log_since(self, since: int = 0) -> str:
        try:
            with open(self.log, "rb") as f:
                f.seek(since)
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_log(self, pattern: str, since: int = 0, timeout: float = 10.0,
                 proc: Optional[Proc] = None, count: int = 1) -> re.Match:
        """Wait until `pattern` (a regex, multiline) has appeared `count` times in the log
        after position `since`.  If `proc` exits meanwhile, fail with its output."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        while True:
            found = list(rx.finditer(self.log_since(since)))
            if len(found) >= count:
                return found[count - 1]
            if proc is not None and not proc.running():
                raise AssertionError(f"process exited before broker logged /{pattern}/:"
                                     f"{proc.finish(2)}")
            if time.monotonic() > deadline:
                extra = f"{proc.snapshot()}" if proc is not None else ""
                raise AssertionError(f"broker did not log /{pattern}/ within {timeout}s{extra}\n"
                                     f"--- broker log since mark ---\n{self.log_since(since)}")
            time.sleep(0.02)

    def wait_subscribed(self, client_id: str, since: int = 0, proc: Optional[Proc] = None,
                        timeout: float = 10.0, count: int = 1) -> None:
        """Wait until the broker has sent a SUBACK to client_id."""
        self.wait_log(rf"Sending SUBACK to {re.escape(client_id)}$", since, timeout, proc, count)

    def start_subscriber(self, client: "Tool", client_id: str, *args) -> Proc:
        """`client sub` on this broker's plain listener as `client_id` with `args`, returned once the broker
        has acknowledged its subscription."""
        mark = self.mark()
        proc = client.start("sub", *self.auth, "-i", client_id, *args)
        self.wait_subscribed(client_id, mark, proc=proc)
        return proc

    def connect_line(self, client_id: str, since: int = 0, timeout: float = 10.0) -> re.Match:
        """The broker's 'New client connected ... as ID (pN, cN, kN, u'user')' line."""
        return self.wait_log(
            rf"New client connected from 127\.0\.0\.1:\d+ as {re.escape(client_id)} "
            rf"\(p(?P<proto>\d+), c(?P<clean>\d), k(?P<keepalive>\d+)(?:, u'(?P<user>[^']*)')?\)\.$",
            since, timeout)

    def dump(self) -> str:
        parts = [f"--- {self.conf} ---", self.conf.read_text() if self.conf.exists() else ""]
        parts += [f"--- {self.log} ---", self.log_text()]
        if self.stderr_path.exists():
            parts += [f"--- {self.stderr_path} ---", self.stderr_path.read_text(errors="replace")]
        return "\n".join(parts)


# ---------------------------------------------------------------------------
# expected -d traces of mosquitto_sub / mosquitto_pub 2.0.11


def session_trace(client_id: str, *middle: str, connack: int = 0) -> list[str]:
    """The lines a `-d` tool prints around one session: CONNECT, CONNACK, `middle`, DISCONNECT."""
    c = f"Client {client_id}"
    return [f"{c} sending CONNECT", f"{c} received CONNACK ({connack})", *middle, f"{c} sending DISCONNECT"]


def subscribe_trace(client_id: str, *filters: str, qos: int = 0) -> list[str]:
    """The lines `mosquitto_sub -d` prints for its one SUBSCRIBE of `filters`, all at `qos`, granted."""
    c = f"Client {client_id}"
    return [*(f"{c} sending SUBSCRIBE (Mid: 1, Topic: {f}, QoS: {qos}, Options: 0x00)" for f in filters),
            f"{c} received SUBACK", "Subscribed (mid: 1): " + ", ".join(str(qos) for _ in filters)]


# What each side prints after the PUBLISH line, by QoS: the publisher receives PUBACK, or PUBREC and
# PUBCOMP around its PUBREL; the subscriber answers with the mirror image.  mosquitto spells the
# lines it sends and the lines it receives differently, hence two tables rather than one.
_PUBLISHER_ACKS = {0: [], 1: ["received PUBACK (Mid: {mid}, RC:0)"],
                   2: ["received PUBREC (Mid: {mid})", "sending PUBREL (m{mid})",
                       "received PUBCOMP (Mid: {mid}, RC:0)"]}
_SUBSCRIBER_ACKS = {0: [], 1: ["sending PUBACK (m{mid}, rc0)"],
                    2: ["sending PUBREC (m{mid}, rc0)", "received PUBREL (Mid: {mid})",
                        "sending PUBCOMP (m{mid})"]}


def _publish_trace(client_id: str, verb: str, topic: str, payload_len: int, qos: int, retain: bool,
                   shown_mid: int, acks: list[str], mid: int) -> list[str]:
    c = f"Client {client_id}"
    return [f"{c} {verb} PUBLISH (d0, q{qos}, r{int(retain)}, m{shown_mid}, '{topic}', ... "
            f"({payload_len} bytes))", *(f"{c} {ack.format(mid=mid)}" for ack in acks)]


def pub_trace(client_id: str, topic: str, payload_len: int, qos: int = 0, retain: bool = False,
              mid: int = 1) -> list[str]:
    """The lines `mosquitto_pub -d` prints for one successful publish."""
    return _publish_trace(client_id, "sending", topic, payload_len, qos, retain, mid,
                          _PUBLISHER_ACKS[qos], mid)


def sub_receive_trace(client_id: str, topic: str, payload_len: int, qos: int = 0,
                      retain: bool = False, mid: int = 1) -> list[str]:
    """The lines `mosquitto_sub -d` prints when one message arrives (before printing it); a QoS 0
    PUBLISH carries no packet id, so it shows m0."""
    return _publish_trace(client_id, "received", topic, payload_len, qos, retain, mid if qos else 0,
                          _SUBSCRIBER_ACKS[qos], mid)


def assert_same_bytes(got: bytes, want: bytes) -> None:
    """Byte-exact comparison with a short message (no 100 KB diffs)."""
    if got == want:
        return
    first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    raise AssertionError(f"payload differs: got {len(got)} bytes, want {len(want)}; first "
                         f"difference at offset {first}: got {got[first:first + 16]!r}, "
                         f"want {want[first:first + 16]!r}")


# Hard bound for a single test (seconds), enforced by Tests/conftest.py; a test can ask for more with
# @pytest.mark.timeout_seconds(N).
TEST_TIMEOUT = int(os.environ.get("MQDASH_TEST_TIMEOUT", "60"))


def exit_if_missing(programs: list[str]) -> None:
    """Stop the whole run at once when a program the tests drive is not installed."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.exit(f"missing programs: {missing} (run `make deps`)", returncode=2)
