"""The seed guide's whole scenario: its mosquitto.conf verbatim (paths moved into the test's
folder, the listener in its include_dir; the file is Tests/Fixtures/guide/mosquitto.conf), its password file made by mosquitto_passwd the
interactive way, its mosquitto_sub / mosquitto_pub commands, QoS 1 and the retain flag."""

import os
import re

import brokerhelpers as b
import mqhelpers as h

# The guide's config block verbatim (Tests/Fixtures/guide); its paths move into the test's folder.
GUIDE_CONF = h.REPO_ROOT / "Tests" / "Fixtures" / "guide" / "mosquitto.conf"
SEED_PASSWORD = "password"  # what the guide's commands pass with -P


def seed_broker(make_broker) -> b.Broker:
    br = make_broker(start=False, conf_text="")
    d = br.dir
    for sub in ("run", "lib/mosquitto", "log/mosquitto", "conf.d"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    # `sudo mosquitto_passwd -c /etc/mosquitto/passwd iot`, answering its two prompts.
    br.passwd.unlink()
    r = h.run(["mosquitto_passwd", "-c", str(br.passwd), "iot"],
              input=f"{SEED_PASSWORD}\n{SEED_PASSWORD}\n".encode(), timeout=30)
    assert r.rc == 0, r
    assert re.fullmatch(r"iot:\$7\$\d+\$\S+\$\S+\n", br.passwd.read_text()), br.passwd.read_text()
    # The guide's broker has only the default listener (port 1883, every interface), which the
    # security lines configure.  The include_dir moves that default listener to a free loopback
    # port with mosquitto's own options for it (a `listener` line would be a second listener
    # without the password file: per_listener_settings ties those lines to the default one).
    local = ["bind_address 127.0.0.1", f"port {br.port}"]
    if br.kind == "mosquitto" and os.geteuid() == 0:
        local.insert(0, "user root")
    (d / "conf.d" / "local.conf").write_text("\n".join(local) + "\n")
    br.conf.write_text(GUIDE_CONF.read_text().replace("/var/", f"{d}/").replace("/etc/mosquitto/", f"{d}/"))
    return br.start()


def seed_sub(br, *extra) -> h.Proc:
    return b.start_sub(["-h", "127.0.0.1", "-p", str(br.port)], "-t", "livingroom/#", "-u", "iot",
                       "-P", SEED_PASSWORD, "-i", "testsubscriber", "-v", *extra)


def seed_pub(br, *args) -> h.Result:
    return h.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(br.port), *args, "-u", "iot",
                  "-P", SEED_PASSWORD, "-i", "testpublisher", "-d"], timeout=10)


def test_seed_scenario(make_broker):
    br = seed_broker(make_broker)
    pid_file = br.dir / "run" / "mosquitto.pid"
    assert pid_file.read_text().strip() == str(br.pid)

    # The guide's subscriber and publisher, verbatim but for host, port and password.
    sub = seed_sub(br)
    pub = seed_pub(br, "-m", "24.1", "-t", "livingroom/temp")
    assert pub.rc == 0, pub
    assert pub.lines == h.session_trace("testpublisher", *h.pub_trace("testpublisher", "livingroom/temp", 4)), pub
    sub.wait_for_text("livingroom/temp 24.1\n", timeout=10)
    snap = sub.snapshot()
    assert "Client testsubscriber received PUBLISH (d0, q0, r0, m0, 'livingroom/temp', ... (4 bytes))" \
        in snap.lines, snap
    sub.terminate()
    sub.finish(10)

    # "Example with QoS 1".
    q1 = b.start_sub(["-h", "127.0.0.1", "-p", str(br.port)], "-t", "livingroom/temp", "-q", "1",
                     "-u", "iot", "-P", SEED_PASSWORD, "-C", "1")
    assert seed_pub(br, "-m", "24.2", "-t", "livingroom/temp", "-q", "1").rc == 0
    res = q1.finish(10)
    assert "received PUBLISH (d0, q1, r0, m1, 'livingroom/temp', ... (4 bytes))" in res.stdout, res
    assert b.payload_lines(res) == ["24.2"], res

    # The retain flag: a later subscriber gets the last value at once.
    assert seed_pub(br, "-m", "24.3", "-t", "livingroom/temp", "-r", "-q", "1").rc == 0
    late = h.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(br.port), "-t", "livingroom/#",
                  "-u", "iot", "-P", SEED_PASSWORD, "-C", "1", "-v", "-F", "%r %t %p"], timeout=10)
    assert (late.rc, late.stdout) == (0, "1 livingroom/temp 24.3\n"), late

    # Only the user in the password file gets in.
    for creds in (["-u", "iot", "-P", "wrong"], []):
        r = h.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(br.port), *creds, "-t", "x",
                   "-m", "y"], timeout=10)
        assert r.rc != 0 and "not authorised" in r.stderr.lower(), r

    log = br.dir / "log" / "mosquitto" / "mosquitto.log"
    assert log.exists() and log.stat().st_size > 0

    # persistence true: the retained value is still there after a restart.
    br.stop()
    br.start()
    again = h.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(br.port), "-t", "livingroom/#",
                   "-u", "iot", "-P", SEED_PASSWORD, "-C", "1", "-v"], timeout=10)
    assert (again.rc, again.stdout) == (0, "livingroom/temp 24.3\n"), again
