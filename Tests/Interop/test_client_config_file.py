"""mosquitto_sub's and mosquitto_pub's defaults files ($XDG_CONFIG_HOME/mosquitto_sub, .../mosquitto_pub):
the same file read by mqdash and by mosquitto's own client gives the same result."""

import os

import pytest

import mqhelpers as h


def _env(config_home):
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(config_home)
    return env


def _sub_file(broker):
    # A comment, a blank line, leading spaces, and options the command line then adds to (-t) or overrides (-F).
    return "\n".join([
        "# defaults for mosquitto_sub",
        f"-h {h.HOST}",
        f"-p {broker.port}",
        "",
        f"  -u {h.USER}",
        f"-P {h.PASSWORD}",
        "-t cfgfile/a",
        "-F %t=%p",
        "",
    ])


def test_sub_reads_the_same_defaults_file_as_mosquitto_sub(broker, tool, mosq, tmp_path):
    for topic, payload in (("cfgfile/a", "1"), ("cfgfile/b", "2")):
        assert mosq.run("pub", *broker.auth, "-t", topic, "-m", payload, "-r").rc == 0
    (tmp_path / "mosquitto_sub").write_text(_sub_file(broker))
    results = {}
    for who in (tool, mosq):
        res = h.run(who.argv("sub", "-t", "cfgfile/b", "-F", "%t:%p", "-C", "2", "-W", "10"), env=_env(tmp_path))
        assert res.rc == 0, res
        results[who.name] = sorted(res.lines)
    assert results[tool.name] == ["cfgfile/a:1", "cfgfile/b:2"], results
    assert results[tool.name] == results[mosq.name], results


def test_pub_reads_mosquitto_pub_and_sub_does_not(broker, tool, mosq, tmp_path):
    (tmp_path / "mosquitto_pub").write_text(
        f"-h {h.HOST}\n-p {broker.port}\n-u {h.USER}\n-P {h.PASSWORD}\n-t cfgfile/pub\n-r\n")
    res = h.run(tool.argv("pub", "-m", "from-file-defaults"), env=_env(tmp_path))
    assert res.rc == 0, res
    got = mosq.run("sub", *broker.auth, "-t", "cfgfile/pub", "-C", "1", "-W", "10")
    assert got.stdout == "from-file-defaults\n", got
    # The sub file is mosquitto_sub's: without it, sub has no topic, as mosquitto_sub says.
    res = h.run(tool.argv("sub", *broker.auth), env=_env(tmp_path))
    assert res.rc == 1, res
    assert "You must specify a topic to subscribe to" in res.stderr, res


@pytest.mark.mqdash_only("mqdash names the file and line of a bad option; mosquitto_sub names neither")
def test_a_bad_line_is_named_by_file_and_line(tool, tmp_path):
    (tmp_path / "mosquitto_sub").write_text("-v\n# fine\n--no-such-option\n")
    res = h.run(tool.argv("sub", "-t", "x"), env=_env(tmp_path))
    assert res.rc == 1, res
    assert res.stderr.startswith(f"Error: {tmp_path}/mosquitto_sub:3: "), res
