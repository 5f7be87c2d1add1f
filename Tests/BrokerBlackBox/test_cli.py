"""`mqdash broker` and `mqdash --broker` as a user starts them: config diagnostics with line numbers,
the local-only default, and a taken port explained."""

from __future__ import annotations

import re
import socket
import subprocess
import time

import pytest

import mqhelpers as h

pytestmark = pytest.mark.only_mqdash("tests the mqdash command line")


def run_broker(args: list[str], timeout: float = 10.0) -> subprocess.CompletedProcess:
    return subprocess.run([h.mqdash_binary(), "broker", *args], capture_output=True, text=True, timeout=timeout)


def start_broker(*args: str) -> subprocess.Popen:
    """`mqdash broker ARGS` left running, its stdout and stderr in one pipe."""
    return subprocess.Popen([h.mqdash_binary(), "broker", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def accepts_within(port: int, seconds: float) -> bool:
    """Whether something accepts on `port` by the time `seconds` have passed (a broker starting)."""
    deadline = time.time() + seconds
    while time.time() < deadline and not h.port_accepts(port):
        time.sleep(0.05)
    return h.port_accepts(port)


def test_a_malformed_option_is_an_error_with_its_line_number(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("allow_anonymous true\nmax_queued_messages lots\n")
    result = run_broker(["-c", str(conf)])
    assert result.returncode == 1
    assert f"{conf}:2" in result.stderr
    assert "max_queued_messages" in result.stderr


def test_an_unknown_option_is_a_warning_with_its_line_number_and_the_broker_runs(tmp_path):
    port = h.free_port()
    conf = tmp_path / "unknown.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\nflux_capacitor on\n")
    process = start_broker("-c", str(conf))
    try:
        assert accepts_within(port, 10), "the broker did not start"
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert f"{conf}:3" in output
    assert "flux_capacitor" in output


def test_without_a_config_it_listens_on_loopback_only():
    port = h.free_port()
    process = start_broker("-p", str(port))
    try:
        accepts_within(port, 10)    # whether it does, and where, is what `ss` says below
        listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
        addresses = {line.split()[3] for line in listening.splitlines() if line.split()[3].endswith(f":{port}")}
        assert addresses, listening
        assert addresses <= {f"127.0.0.1:{port}", f"[::1]:{port}"}, addresses
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.parametrize("command", [["broker", "-p"], ["--broker", "--broker-port"]])
def test_a_port_in_use_says_what_to_do(command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([h.mqdash_binary(), *command, str(port)], capture_output=True, text=True,
                                timeout=10, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "already in use" in result.stderr
    assert command[-1] in result.stderr, "the advice names the flag to change"


@pytest.mark.parametrize("line", ["starting", "running"])
def test_sigterm_as_soon_as_the_broker_logs_a_line_ends_it_cleanly(tmp_path, line):
    """SIGTERM is handled from the first log line on: sent while the broker starts or right after it
    runs, the broker stops what it opened and exits 0 (it once died of the signal before "running")."""
    port = h.free_port()
    conf = tmp_path / "stdout.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\nlog_dest stdout\n")
    broker = h.Proc([h.mqdash_binary(), "broker", "-c", str(conf)])
    logged = re.compile(rb"mqdash broker (\S+ )?" + line.encode() + rb"\n")
    broker.wait_for(lambda out: logged.search(out) is not None, timeout=10, what=f"the {line} line")
    broker.terminate()
    result = broker.finish(timeout=10)
    assert result.rc == 0, result
    assert "terminating" in result.stdout, result


def test_passwd_writes_a_one_character_file_name_in_the_current_folder(tmp_path):
    """`mqdash passwd -c -b y iot pw` once died of SIGILL splitting the path `y`."""
    result = h.run([h.mqdash_binary(), "passwd", "-c", "-b", "y", "iot", "pw"], cwd=tmp_path, timeout=10)
    assert result.rc == 0, result
    assert (tmp_path / "y").read_text().startswith("iot:$7$")


def test_crlfile_is_refused_rather_than_ignored(tmp_path, certs):
    """A broker that ignored `crlfile` would let revoked certificates in: it is an error naming the listener's line."""
    port = h.free_port()
    conf = tmp_path / "crl.conf"
    conf.write_text(f"allow_anonymous true\nlistener {port} 127.0.0.1\ncafile {certs.ca}\ncertfile {certs.server_crt}\n"
                    f"keyfile {certs.server_key}\ncrlfile {tmp_path / 'revoked.crl'}\n")
    result = run_broker(["-c", str(conf)])
    assert result.returncode == 1, result
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result
    assert "crlfile" in errors[0] and f"listener {port} at {conf}:2" in errors[0], result
    assert not h.port_accepts(port), "nothing may listen after the refusal"
