"""mosquitto_sub -F output formats, byte for byte where they are deterministic."""

import json
import re
import time

import pytest


# mosquitto 2.0.11 prints the %j/%J timestamp as local time with microseconds, a literal
# 'Z' and then the UTC offset, e.g. 2026-11-25T19:42:34.823681Z+0000 (sic).
TST = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z[+-]\d{4}"


def receive_one(broker, tool, mosq, fmt, *pub_args, sub_args=(), topic="fmt/a"):
    """Start the tool as subscriber with -F fmt -C 1, publish once with mosquitto_pub."""
    mark = broker.mark()
    sub = tool.start("sub", *broker.auth, "-t", "fmt/#", "-i", "fmt", "-C", "1", "-F", fmt,
                     *sub_args)
    broker.wait_subscribed("fmt", mark, proc=sub)
    pub = mosq.run("pub", *broker.auth, "-t", topic, *pub_args)
    assert pub.rc == 0, pub
    res = sub.finish(10)
    return res


def test_basic_fields(broker, tool, mosq):
    res = receive_one(broker, tool, mosq, "%t|%p|%q|%r|%l|%m|%%|%x|%X",
                      "-m", "h\u00e9llo", "-q", "1", sub_args=("-q", "1"))
    assert res.rc == 0, res
    assert res.stdout == "fmt/a|h\u00e9llo|1|0|6|1|%|68c3a96c6c6f|68C3A96C6C6F\n", res


def test_retain_flag_and_qos0_mid(broker, tool, mosq):
    assert mosq.run("pub", *broker.auth, "-t", "fmt/r", "-m", "kept", "-r").rc == 0
    res = tool.run("sub", *broker.auth, "-t", "fmt/#", "-C", "1", "-F", "%t %p r=%r q=%q m=%m",
                   timeout=10)
    assert res.stdout == "fmt/r kept r=1 q=0 m=0\n", res


def test_field_widths(broker, tool, mosq):
    # (Widths on %p/%x/%X are left out on purpose: mosquitto 2.0.11 also treats them
    # as a cut-off, e.g. %08x prints only the first 4 bytes.)
    res = receive_one(broker, tool, mosq, "%5t|%-5t|%05l|%-5l|%2.2t|%3m|%05m|%-3m|",
                      "-m", "0123456789", "-q", "1", sub_args=("-q", "1"))
    assert res.rc == 0, res
    assert res.stdout == "fmt/a|fmt/a|00010|10   |fm|  1|00001|1  |\n", res
    res2 = receive_one(broker, tool, mosq, "[%7t][%-7t]", "-m", "x")
    assert res2.stdout == "[  fmt/a][fmt/a  ]\n", res2


def test_escapes(broker, tool, mosq):
    # \t tab, \\ backslash, \e escape, \a bell, \0 NUL, \n newline; the format's own
    # output is always followed by one more newline (unless -N).
    res = receive_one(broker, tool, mosq, r"%t\t%p\\\e[0m\a\0\n", "-m", "x")
    assert res.rc == 0, res
    assert res.out == b"fmt/a\tx\\\x1b[0m\x07\x00\n\n", res
    res_n = receive_one(broker, tool, mosq, "%p", "-m", "y", sub_args=("-N",))
    assert res_n.out == b"y", res_n


def test_time_helpers_I_U_and_strftime(broker, tool, mosq):
    before = time.time()
    res = receive_one(broker, tool, mosq, "%I|%U|@Y|@@|@N", "-m", "x")
    after = time.time()
    assert res.rc == 0, res
    m = re.fullmatch(r"(\d{4})-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}\|(\d+)\.(\d{9})\|(\d{4})\|@\|(\d{9})\n",
                     res.stdout)
    assert m, res
    assert int(m.group(1)) == int(m.group(4)) == time.localtime(before).tm_year
    assert before - 1 <= float(f"{m.group(2)}.{m.group(3)}") <= after + 1, res


def test_json_j(broker, tool, mosq):
    payload = 'say "hi"\ntab\tx'
    res = receive_one(broker, tool, mosq, "%j", "-m", payload, "-q", "1", sub_args=("-q", "1"))
    assert res.rc == 0, res
    line = res.stdout
    # "mid" is only there for QoS > 0.
    assert re.fullmatch(
        r'\{"tst":"' + TST + r'","topic":"fmt/a","qos":1,"retain":0,"payloadlen":14,"mid":1,'
        r'"payload":"say \\"hi\\"\\ntab\\tx"\}\n', line), res
    obj = json.loads(line)
    assert list(obj) == ["tst", "topic", "qos", "retain", "payloadlen", "mid", "payload"]
    assert obj["payload"] == payload


def test_json_j_control_bytes(broker, tool, mosq):
    res = receive_one(broker, tool, mosq, "%j", "-m", "a\x01b")
    assert res.rc == 0, res
    assert re.fullmatch(r'\{"tst":"' + TST + r'","topic":"fmt/a","qos":0,"retain":0,'
                        r'"payloadlen":3,"payload":"a\\u0001b"\}\n', res.stdout), res


def test_json_J_with_json_payload(broker, tool, mosq):
    # Published with -r, but delivered live, so the retain flag is 0.
    res = receive_one(broker, tool, mosq, "%J", "-m", '{"t":27.5,"ok":true,"l":[1,"a"]}',
                      "-r")
    assert res.rc == 0, res
    assert re.fullmatch(r'\{"tst":"' + TST + r'","topic":"fmt/a","qos":0,"retain":0,'
                        r'"payloadlen":32,"payload":\{"t":27\.5,"ok":true,"l":\[1,"a"\]\}\}\n',
                        res.stdout), res
    assert json.loads(res.stdout)["payload"] == {"t": 27.5, "ok": True, "l": [1, "a"]}


def test_json_J_with_invalid_payload(broker, tool, mosq):
    """Not JSON: an error line on stderr, an empty line on stdout, and carry on (exit 0)."""
    res = receive_one(broker, tool, mosq, "%J", "-m", "notjson", topic="fmt/bad")
    assert res.rc == 0, res
    assert res.stderr == "Error: Message payload is not valid JSON on topic fmt/bad.\n", res
    assert res.stdout == "\n", res


def test_json_pretty(broker, tool, mosq):
    res = receive_one(broker, tool, mosq, "%j", "-m", "x", sub_args=("--pretty",))
    assert res.rc == 0, res
    assert re.fullmatch(r'\{\n\t"tst":\t"' + TST + r'",\n\t"topic":\t"fmt/a",\n\t"qos":\t0,\n'
                        r'\t"retain":\t0,\n\t"payloadlen":\t1,\n\t"payload":\t"x"\n\}\n',
                        res.stdout), res


def test_v5_properties_in_format(broker, tool, mosq):
    res = receive_one(broker, tool, mosq, "%P|%C|%R|%E|%F|%D",
                      "-V", "5", "-m", "x",
                      "-D", "publish", "user-property", "k1", "v1",
                      "-D", "publish", "user-property", "k2", "v 2",
                      "-D", "publish", "content-type", "text/plain",
                      "-D", "publish", "response-topic", "r/t",
                      "-D", "publish", "message-expiry-interval", "60",
                      "-D", "publish", "payload-format-indicator", "1",
                      "-D", "publish", "correlation-data", "abc",
                      sub_args=("-V", "5"))
    assert res.rc == 0, res
    m = re.fullmatch(r"k1:v1 k2:v 2\|text/plain\|r/t\|(\d+)\|1\|abc\n", res.stdout)
    assert m, res
    assert 55 <= int(m.group(1)) <= 60, res


def test_v5_properties_in_json(broker, tool, mosq):
    res = receive_one(broker, tool, mosq, "%j", "-V", "5", "-m", "x",
                      "-D", "publish", "user-property", "k1", "v1",
                      "-D", "publish", "content-type", "text/plain",
                      sub_args=("-V", "5"))
    assert res.rc == 0, res
    assert re.fullmatch(r'\{"tst":"' + TST + r'","topic":"fmt/a","qos":0,"retain":0,'
                        r'"payloadlen":1,"properties":\{"user-properties":\{"k1":"v1"\},'
                        r'"content-type":"text/plain"\},"payload":"x"\}\n', res.stdout), res


def test_absent_v5_properties_print_nothing(broker, tool, mosq):
    res = receive_one(broker, tool, mosq, "[%P|%C|%R|%E|%F|%D|%S|%A]", "-m", "x",
                      sub_args=("-V", "5"))
    assert res.stdout == "[|||||||]\n", res


@pytest.mark.parametrize("fmt,error", [
    ("%z", "Error: Invalid format specifier 'z'."),
    (r"\q", "Error: Invalid escape specifier 'q'."),
])
def test_invalid_format(broker, tool, fmt, error):
    res = tool.run("sub", *broker.auth, "-t", "x", "-F", fmt, timeout=10)
    assert res.rc == 1, res
    assert res.err_lines[0] == error, res
    assert res.stdout == "", res
