"""`mqdash passwd`, the binary itself, on both sides of mosquitto's own tools: it edits files that
mosquitto_passwd wrote, and the real mosquitto broker logs users in from files it wrote. With
MQDASH_REFERENCE=1 the tool is mosquitto_passwd, which is how these tests are checked."""

from collections.abc import Iterable
from pathlib import Path


import mqhelpers as h


def passwd(tool: h.Tool, *args, input: bytes | None = None) -> h.Result:
    argv = ["mosquitto_passwd"] if tool.reference else [tool.binary, "passwd"]
    return h.run([*argv, *map(str, args)], input=input, timeout=30)


def logs_in(broker: h.Broker, user: str, password: str) -> int:
    """mosquitto_sub's exit code for one login (0 in, 5 refused), -E: it leaves once subscribed."""
    r = h.run(["mosquitto_sub", "-h", h.HOST, "-p", broker.port, "-u", user, "-P", password, "-t", "t", "-E",
               "-i", f"login-{user}"], timeout=10)
    return r.rc


def login_codes(tmp_path: Path, passwd_file: Path,
                logins: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """{(user, password): logs_in's code} for each of `logins`, in turn, against a real mosquitto
    that reads `passwd_file`."""
    broker = h.Broker(tmp_path / "broker", passwd_file).start()
    try:
        return {login: logs_in(broker, *login) for login in logins}
    finally:
        broker.stop()


def test_mosquitto_logs_in_users_from_a_file_the_tool_wrote(tmp_path, tool):
    f = tmp_path / "passwd"
    assert passwd(tool, "-c", "-b", f, "iot", "made by the tool").rc == 0
    assert passwd(tool, "-H", "sha512", "-b", f, "legacy", "old hash").rc == 0
    # The guide's way: no -b, the password typed twice.
    r = passwd(tool, f, "typed", input=b"tw1ce\ntw1ce\n")
    assert r.rc == 0, r
    lines = f.read_text().splitlines()
    assert [line.split(":")[0] for line in lines] == ["iot", "legacy", "typed"], lines
    assert lines[0].startswith("iot:$7$") and lines[1].startswith("legacy:$6$"), lines
    want = {("iot", "made by the tool"): 0, ("legacy", "old hash"): 0, ("typed", "tw1ce"): 0, ("iot", "wrong"): 5}
    assert login_codes(tmp_path, f, want) == want


def test_the_tool_edits_a_file_mosquitto_passwd_wrote(tmp_path, tool):
    f = tmp_path / "passwd"
    for args in (["-c", "-b", f, "alice", "a"], ["-b", f, "bob", "b"], ["-b", f, "carol", "c"]):
        r = h.run(["mosquitto_passwd", *map(str, args)], timeout=30)
        assert r.rc == 0, r
    carol_before = next(line for line in f.read_text().splitlines() if line.startswith("carol:"))
    assert passwd(tool, "-b", f, "bob", "new b").rc == 0     # changes bob's password
    assert passwd(tool, "-D", f, "alice").rc == 0            # deletes alice
    lines = f.read_text().splitlines()
    assert [line.split(":")[0] for line in lines] == ["bob", "carol"], lines
    assert carol_before in lines, "an untouched user's line is kept byte for byte"
    want = {("bob", "new b"): 0, ("bob", "b"): 5, ("carol", "c"): 0, ("alice", "a"): 5}
    assert login_codes(tmp_path, f, want) == want
