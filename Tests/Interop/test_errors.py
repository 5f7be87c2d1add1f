"""Failures: wrong password, nothing listening, bad command lines.  Exit codes and the
first stderr line are mosquitto's (mosquitto_pub adds a second line after some of them)."""

import pytest

import mqhelpers as h

# (-V, exit code, first stderr line, CONNACK code in the -d trace)
BAD_PASSWORD = [
    ("mqttv311", 5, "Connection error: Connection Refused: not authorised.", 5),
    ("5", 135, "Connection error: Not authorized", 135),
]


@pytest.mark.parametrize("version,rc,line,code", BAD_PASSWORD, ids=["v311", "v5"])
@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_wrong_password(broker, tool, kind, version, rc, line, code):
    extra = ["-t", "x"] + (["-m", "y"] if kind == "pub" else [])
    res = tool.run(kind, "-h", "127.0.0.1", "-p", broker.port, "-u", "iot", "-P", "wrong",
                   "-V", version, *extra, timeout=10)
    assert res.rc == rc, res
    assert res.err_lines and res.err_lines[0] == line, res
    assert res.out == b"", res
    assert "not authorised" in broker.log_text()


@pytest.mark.parametrize("version,rc,line,code", BAD_PASSWORD, ids=["v311", "v5"])
def test_wrong_password_debug_trace(broker, tool, version, rc, line, code):
    res = tool.run("sub", "-h", "127.0.0.1", "-p", broker.port, "-u", "iot", "-P", "wrong",
                   "-V", version, "-t", "x", "-i", "badpw", "-d", timeout=10)
    assert res.rc == rc, res
    assert res.lines == h.session_trace("badpw", connack=code), res


def test_no_credentials(broker, tool):
    res = tool.run("sub", "-h", "127.0.0.1", "-p", broker.port, "-t", "x", timeout=10)
    assert res.rc == 5, res
    assert res.err_lines[0] == "Connection error: Connection Refused: not authorised.", res


@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_connection_refused(tool, kind):
    port = h.free_port()  # nothing listens there
    extra = ["-t", "x"] + (["-m", "y"] if kind == "pub" else [])
    res = tool.run(kind, "-h", "127.0.0.1", "-p", port, "-u", "iot", "-P", "secret", *extra,
                   timeout=10)
    assert res.rc == 1, res
    assert res.stderr == "Error: Connection refused\n", res
    assert res.out == b"", res


@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_unknown_option(tool, kind):
    res = tool.run(kind, "--bogus", timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0] == "Error: Unknown option '--bogus'.", res
    assert res.out == b"", res


def test_sub_without_topic(tool, broker):
    res = tool.run("sub", *broker.auth, timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0] == "Error: You must specify a topic to subscribe to.", res


def test_pub_without_message(tool, broker):
    res = tool.run("pub", *broker.auth, "-t", "x", timeout=10)
    assert res.rc == 1, res
    # mosquitto_pub also prints its usage text on stdout here; only stderr is compared.
    assert res.err_lines[0] == "Error: Both topic and message must be supplied.", res


@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_invalid_qos(tool, kind):
    extra = ["-m", "y"] if kind == "pub" else []
    res = tool.run(kind, "-q", "3", "-t", "x", *extra, timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0] == "Error: Invalid QoS given: 3", res


@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_unsupported_url_scheme(tool, kind):
    extra = ["-m", "y"] if kind == "pub" else []
    res = tool.run(kind, "-L", "gopher://127.0.0.1:1/x", *extra, timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0] == "Error: unsupported URL scheme.", res
