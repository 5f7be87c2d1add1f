"""TLS listeners: --cafile, --cert/--key, --insecure, a wrong CA, mqtts:// URLs.

Certificates are made by the session fixture `certs` with openssl: a CA, a server
certificate for 127.0.0.1/localhost, a client certificate, a server certificate for
another host name, and an unrelated CA.
"""

import re

import pytest

import mqhelpers as h

CRED = ["-u", "iot", "-P", "secret"]


def watch(b, mosq, topic, fmt="%t %p"):
    mark = b.mark()
    w = mosq.start("sub", *b.auth, "-t", topic, "-i", "watcher", "-C", "1", "-F", fmt)
    b.wait_subscribed("watcher", mark, proc=w)
    return w


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_pub_over_tls_with_cafile(tls_broker, tool, mosq, certs, host):
    b = tls_broker
    w = watch(b, mosq, "tls/#")
    res = tool.run("pub", "-h", host, "-p", b.tls_port, *CRED, "--cafile", certs.ca,
                   "-t", "tls/a", "-m", "secure", "-q", "1", "-i", "tlspub", "-d", timeout=10)
    assert res.rc == 0, res
    assert res.lines == h.session_trace("tlspub", *h.pub_trace("tlspub", "tls/a", 6, qos=1)), res
    assert w.finish(10).stdout == "tls/a secure\n"
    assert re.search(rf"New connection from 127\.0\.0\.1:\d+ on port {b.tls_port}\.",
                     b.log_text())


def test_sub_over_tls_with_cafile(tls_broker, tool, mosq, certs):
    b = tls_broker
    mark = b.mark()
    sub = tool.start("sub", "-h", "localhost", "-p", b.tls_port, *CRED, "--cafile", certs.ca,
                     "-t", "tls/#", "-q", "1", "-i", "tlssub", "-C", "1", "-v")
    b.wait_subscribed("tlssub", mark, proc=sub)
    assert mosq.run("pub", *b.auth, "-t", "tls/b", "-m", "over tls", "-q", "1").rc == 0
    sub.finish_printing("tls/b over tls\n", 10)


def test_client_certificate(tls_broker, tool, mosq, certs):
    b = tls_broker
    w = watch(b, mosq, "mtls/#")
    res = tool.run("pub", "-h", "127.0.0.1", "-p", b.mtls_port, *CRED, "--cafile", certs.ca,
                   "--cert", certs.client_crt, "--key", certs.client_key,
                   "-t", "mtls/a", "-m", "with cert", timeout=10)
    assert res.rc == 0, res
    assert w.finish(10).stdout == "mtls/a with cert\n"


def test_client_certificate_subscriber(tls_broker, tool, mosq, certs):
    b = tls_broker
    mark = b.mark()
    sub = tool.start("sub", "-h", "127.0.0.1", "-p", b.mtls_port, *CRED, "--cafile", certs.ca,
                     "--cert", certs.client_crt, "--key", certs.client_key,
                     "-t", "mtls/#", "-i", "mtlssub", "-C", "1", "-v")
    b.wait_subscribed("mtlssub", mark, proc=sub)
    assert mosq.run("pub", *b.auth, "-t", "mtls/b", "-m", "x").rc == 0
    assert sub.finish(10).stdout == "mtls/b x\n"


@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_missing_client_certificate_fails(tls_broker, tool, certs, kind):
    b = tls_broker
    extra = ["-m", "x"] if kind == "pub" else ["-W", "5"]
    res = tool.run(kind, "-h", "127.0.0.1", "-p", b.mtls_port, *CRED, "--cafile", certs.ca,
                   "-t", "mtls/a", *extra, timeout=10)
    # mosquitto_*: exit 1, "Error: Protocol error" (the server drops the handshake).
    assert res.rc not in (0, 27), res
    assert res.err_lines, res


@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_wrong_ca_fails_with_tls_error(tls_broker, tool, certs, kind):
    b = tls_broker
    extra = ["-m", "x"] if kind == "pub" else []
    res = tool.run(kind, "-h", "127.0.0.1", "-p", b.tls_port, *CRED, "--cafile", certs.other_ca,
                   "-t", "tls/a", *extra, timeout=10)
    # mosquitto_*: usually exit 1 "Unable to connect (A TLS error occurred.)."; when the
    # failure surfaces after connect() it is exit 8 "Error: A TLS error occurred.".
    assert res.rc != 0, res
    assert any("TLS error" in l for l in res.err_lines), res


@pytest.mark.parametrize("kind", ["sub", "pub"])
def test_hostname_mismatch_needs_insecure(tls_broker, tool, mosq, certs, kind):
    b = tls_broker
    extra = ["-m", "x"] if kind == "pub" else ["-C", "1"]
    base = ["-h", "127.0.0.1", "-p", b.badname_port, *CRED, "--cafile", certs.ca,
            "-t", "bad/a", *extra]
    res = tool.run(kind, *base, timeout=10)
    # mosquitto_*: exit 8, "Error: A TLS error occurred."
    assert res.rc != 0, res
    assert any("TLS error" in l for l in res.err_lines), res

    if kind == "pub":
        w = watch(b, mosq, "bad/#")
        ok = tool.run("pub", *base, "--insecure", timeout=10)
        assert ok.rc == 0, ok
        assert w.finish(10).stdout == "bad/a x\n"
    else:
        mark = b.mark()
        sub = tool.start("sub", *base, "--insecure", "-i", "insecure", "-v")
        b.wait_subscribed("insecure", mark, proc=sub)
        assert mosq.run("pub", *b.auth, "-t", "bad/a", "-m", "y").rc == 0
        assert sub.finish(10).stdout == "bad/a y\n"


def test_plain_mqtt_to_tls_port_fails(tls_broker, tool):
    res = tool.run("pub", "-h", "127.0.0.1", "-p", tls_broker.tls_port, *CRED, "-t", "x",
                   "-m", "y", timeout=10)
    # mosquitto_pub: exit 7, "Error: The connection was lost."
    assert res.rc != 0, res
    assert res.err_lines, res


def test_mqtts_url(tls_broker, tool, mosq, certs):
    b = tls_broker
    w = watch(b, mosq, "url/#")
    res = tool.run("pub", "-L", f"mqtts://iot:secret@127.0.0.1:{b.tls_port}/url/tls",
                   "--cafile", certs.ca, "-m", "via url", timeout=10)
    assert res.rc == 0, res
    assert w.finish(10).stdout == "url/tls via url\n"
