"""What every Python suite shares (Interop, BrokerBlackBox, EndToEnd): the per-test time limit, phase
reports for failure dumps, the processes and clients reaped after each test, the password file and
certificates made once per session, and the check that nothing skips unless Tests/skip-allowlist.txt
says why.  pytest finds this file because Tests/pytest.ini makes Tests/ the root of every run."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

import mqhelpers as h
import skipallowlist


def pytest_configure(config):
    config.addinivalue_line("markers", "timeout_seconds(n): per-test time limit")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """`item.rep_call` etc., so fixtures can tell a failed test and dump the broker's config and log."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A hard bound for each test (h.TEST_TIMEOUT s, or @pytest.mark.timeout_seconds(N))."""
    m = item.get_closest_marker("timeout_seconds")
    limit = int(m.args[0]) if m else h.TEST_TIMEOUT

    def on_alarm(signum, frame):
        raise TimeoutError(f"test exceeded its {limit}s limit")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def pytest_sessionfinish(session, exitstatus):
    """Count the skips and fail the run on any the allow list does not explain: a skip on CI is
    otherwise a test that silently stopped testing. (The terminal summary, which comes after, prints it.)"""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    suite = _suite_of(session.config)
    skips = [skipallowlist.Skip(suite, rep.nodeid, _skip_reason(rep)) for rep in reporter.stats.get("skipped", [])]
    lines: list[str] = []
    if skipallowlist.report(skips, skipallowlist.load(), lines.append) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    session.config.stash[_SKIP_LINES] = lines


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for line in config.stash.get(_SKIP_LINES, []):
        terminalreporter.write_line(line)


_SKIP_LINES = pytest.StashKey[list]()


def _suite_of(config) -> str:
    args = [Path(a.split("::")[0]).resolve() for a in config.args]
    here = Path(__file__).resolve().parent
    names = {p.relative_to(here).parts[0] for p in args if p.is_relative_to(here) and p != here}
    return names.pop() if len(names) == 1 else "*"


def _skip_reason(rep) -> str:
    # A skip's longrepr is (file, line, "Skipped: reason").
    if isinstance(rep.longrepr, tuple) and len(rep.longrepr) == 3:
        return rep.longrepr[2].removeprefix("Skipped: ")
    return str(rep.longrepr)


@pytest.fixture(autouse=True)
def _reap_processes():
    yield
    # Imported here: brokerhelpers is the black-box suite's, but its clients may appear anywhere.
    import brokerhelpers as b
    b.close_all_clients()
    h.reap_all()


@pytest.fixture(scope="session")
def passwd_template(tmp_path_factory) -> Path:
    """A password file for iot/secret written by the real mosquitto_passwd ($7$)."""
    return h.make_password_file(tmp_path_factory.mktemp("passwd") / "passwd")


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> h.Certs:
    """A CA, server and client certificates made with openssl (see h.make_certs)."""
    return h.make_certs(tmp_path_factory.mktemp("certs"))
