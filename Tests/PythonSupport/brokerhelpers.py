"""Helpers for the broker suite: the broker under test (mosquitto or `mqdash broker`) with a
config written per test, a paho-mqtt client that records everything, and a raw-socket MQTT
client for packet-level checks.

Processes, ports, certificates and password files come from the interop suite's mqhelpers.
Everything listens on and connects to 127.0.0.1 only.  Every wait has a deadline.
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import mqhelpers as h

HOST = h.HOST
USER = h.USER
PASSWORD = h.PASSWORD


# ---------------------------------------------------------------------------
# which broker


def broker_kind() -> str:
    """`mqdash` (default) or `mosquitto`, from MQDASH_BROKER_UNDER_TEST."""
    kind = os.environ.get("MQDASH_BROKER_UNDER_TEST", "mqdash").strip() or "mqdash"
    if kind not in ("mqdash", "mosquitto"):
        raise SystemExit(f"MQDASH_BROKER_UNDER_TEST must be 'mqdash' or 'mosquitto', not {kind!r}")
    return kind


def is_mosquitto() -> bool:
    return broker_kind() == "mosquitto"


# ---------------------------------------------------------------------------
# the broker under test


@dataclass
class BrokerOptions:
    """What goes into the generated config.  `extra` lines go into the global section,
    `listener_extra` into the plain listener's."""
    allow_anonymous: bool = True
    password_file: bool = False
    acl: Optional[str] = None           # the acl_file's text
    persistence: bool = False
    sys_interval: Optional[int] = None
    tls: Optional[h.Certs] = None
    websockets: bool = False
    extra: list[str] = field(default_factory=list)
    listener_extra: list[str] = field(default_factory=list)
    tls_extra: list[str] = field(default_factory=list)   # into the TLS listener's section
    bridge: list[str] = field(default_factory=list)      # a `connection` block, last in the file


class Broker(h.BrokerProcess):
    """The broker under test on 127.0.0.1 with its own folder: config, password file, ACL file,
    persistence, log.  `port` is the plain listener; `tls_port` / `ws_port` when asked for."""

    timeout = 15.0

    def __init__(self, workdir: Path, passwd_template: Path, opts: BrokerOptions,
                 conf_text: Optional[str] = None, kind: Optional[str] = None):
        super().__init__(workdir, passwd_template)
        self.kind = kind or broker_kind()
        self.opts = opts
        self.log = self.dir / "broker.log"
        self.output = self.dir / "broker.out"     # the process's stdout + stderr
        self.acl_path = self.dir / "acl"
        self.data = self.dir / "data"
        self.data.mkdir(exist_ok=True)
        self.port = self._pick_port()
        self.tls_port = self._pick_port() if opts.tls else None
        self.ws_port = self._pick_port() if opts.websockets else None
        if conf_text is not None:
            self.conf.write_text(conf_text)
        else:
            self._write_conf()

    # -- config
    def _security(self) -> list[str]:
        o = self.opts
        lines = [f"allow_anonymous {'true' if o.allow_anonymous else 'false'}"]
        if o.password_file:
            lines.append(f"password_file {self.passwd}")
        if o.acl is not None:
            self.acl_path.write_text(o.acl)
            lines.append(f"acl_file {self.acl_path}")
        return lines

    def _write_conf(self) -> None:
        o = self.opts
        c = [f"# written by Tests/BrokerBlackBox for {self.kind}"]
        if self.kind == "mosquitto" and os.geteuid() == 0:
            # mosquitto started as root drops to the 'mosquitto' user, which cannot read
            # files in a 0700 temp dir; stay root.
            c.append("user root")
        c += [f"log_dest file {self.log}", "log_type all", "connection_messages true"]
        c += self._security()
        if o.persistence:
            c += ["persistence true", f"persistence_location {self.data}/"]
        if o.sys_interval is not None:
            c.append(f"sys_interval {o.sys_interval}")
        c += o.extra
        c += ["", f"listener {self.port} {HOST}", *o.listener_extra]
        if o.tls:
            c += ["", f"listener {self.tls_port} {HOST}", f"cafile {o.tls.ca}",
                  f"certfile {o.tls.server_crt}", f"keyfile {o.tls.server_key}", *o.tls_extra]
        if o.websockets:
            c += ["", f"listener {self.ws_port} {HOST}", "protocol websockets"]
            if self.kind == "mosquitto":
                # Debian's libwebsockets binds [::] unless told otherwise.
                c.append("socket_domain ipv4")
        if o.bridge:
            c += [""] + o.bridge
        self.conf.write_text("\n".join(c) + "\n")

    def ports(self) -> list[int]:
        return [p for p in (self.port, self.tls_port, self.ws_port) if p]

    def argv(self) -> list[str]:
        if self.kind == "mosquitto":
            return super().argv()
        return [h.mqdash_binary(), "broker", "-c", str(self.conf), "-v"]

    @property
    def name(self) -> str:
        return self.kind

    @property
    def output_path(self) -> Path:
        return self.output

    def kill9(self) -> None:
        if self.running():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)
        h.wait_ports_closed(self.ports())

    kill = kill9

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss_kib(self) -> int:
        """The broker's resident memory (VmRSS from /proc), for tests that attack a memory bound."""
        return h.vm_rss_kib(self.pid)

    def holds_connection_from(self, client_port: int) -> bool:
        """Whether the broker process still has the socket of the connection from 127.0.0.1:`client_port`
        open (found by its inode in /proc/net/tcp and among the process's file descriptors)."""
        inodes = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = fields[1].split(":"), fields[2].split(":")
            if int(local[1], 16) in self.ports() and int(remote[1], 16) == client_port and fields[9] != "0":
                inodes.add(f"socket:[{fields[9]}]")
        for fd in Path(f"/proc/{self.pid}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return True
            except OSError:
                pass    # closed while we looked
        return False

    # -- diagnostics
    def dump(self) -> str:
        parts = []
        logs = sorted(p for p in self.dir.rglob("*.log") if p != self.log)
        for p in (self.conf, *sorted(self.dir.glob("conf.d/*")), self.acl_path, self.log, *logs,
                  self.output):
            if p.exists():
                parts += [f"--- {p} ---", p.read_text(errors="replace")]
        return "\n".join(parts)

    @property
    def anon(self) -> list[str]:
        return ["-h", HOST, "-p", str(self.port)]


# ---------------------------------------------------------------------------
# paho-mqtt


def anonymous_mqdash(tmp_path: Path) -> Broker:
    """`mqdash broker` (whichever broker the suite tests) in tmp_path/broker on a free 127.0.0.1 port,
    taking any client: for the suites that test mqdash's tools rather than the broker."""
    template = tmp_path / "passwd-template"
    template.write_text("")
    return Broker(tmp_path / "broker", template, BrokerOptions(allow_anonymous=True), kind="mqdash")


@dataclass
class Connack:
    rc: int                 # the CONNACK code (v5 reason codes; paho maps v3.1.1 codes onto them)
    session_present: bool
    props: Any


# Every Paho client made during a test; conftest closes leftovers after each test.
LIVE_CLIENTS: list["Paho"] = []


def close_all_clients() -> None:
    while LIVE_CLIENTS:
        c = LIVE_CLIENTS.pop()
        try:
            c.drop()
        except Exception:
            pass


class Paho:
    """A paho-mqtt 2.x client that records CONNACK, messages, SUBACKs and the disconnect.
    It never reconnects by itself: a test sees each disconnect exactly as it happened."""

    def __init__(self, broker: Broker, client_id: str = "", *, v5: bool = False,
                 clean: bool = True, session_expiry: Optional[int] = None,
                 user: Optional[str] = None, password: Optional[str] = None,
                 keepalive: int = 30, will: Optional[dict] = None,
                 connect_props: Optional[dict] = None, transport: str = "tcp",
                 port: Optional[int] = None, tls_ca: Optional[Path] = None,
                 expect_ok: bool = True, timeout: float = 10.0):
        import paho.mqtt.client as mqtt
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self.mqtt = mqtt
        self.v5 = v5
        self.client_id = client_id
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
            clean_session=None if v5 else clean,
            protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311, transport=transport)
        if user is not None:
            self.client.username_pw_set(user, password)
        if tls_ca is not None:
            self.client.tls_set(ca_certs=str(tls_ca))
        if will is not None:
            wp = None
            if v5 and will.get("props"):
                wp = Properties(PacketTypes.WILLMESSAGE)
                for k, v in will["props"].items():
                    setattr(wp, k, v)
            self.client.will_set(will["topic"], will.get("payload", b""), will.get("qos", 0),
                                 will.get("retain", False), properties=wp)
        self._cond = threading.Condition()
        self.connack: Optional[Connack] = None
        self.messages: list = []
        self.subacks: list[list[int]] = []
        self.disconnected: Optional[int] = None      # the reason code (v5) or rc
        self.disconnect_props: Any = None
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.on_disconnect = self._on_disconnect

        props = None
        if v5:
            props = Properties(PacketTypes.CONNECT)
            if session_expiry is not None:
                props.SessionExpiryInterval = session_expiry
            for k, v in (connect_props or {}).items():
                setattr(props, k, v)
        if port is None:
            port = broker.ws_port if transport == "websockets" else broker.port
        LIVE_CLIENTS.append(self)
        kw = {"clean_start": clean} if v5 else {}
        self.client.connect(HOST, port, keepalive=keepalive, properties=props, **kw)
        self.client.loop_start()
        with self._cond:
            done = self._cond.wait_for(lambda: self.connack is not None or self.disconnected is not None,
                                       timeout)
        if not done:
            self.close()
            raise AssertionError(f"paho {client_id!r}: no CONNACK within {timeout}s")
        if expect_ok and (self.connack is None or self.connack.rc != 0):
            self.close()
            raise AssertionError(f"paho {client_id!r}: connection refused: {self.connack}")

    # -- callbacks (network thread)
    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        with self._cond:
            self.connack = Connack(reason_code.value, bool(flags.session_present), properties)
            self._cond.notify_all()

    def _on_message(self, client, userdata, msg) -> None:
        with self._cond:
            self.messages.append(msg)
            self._cond.notify_all()

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        with self._cond:
            self.subacks.append([rc.value for rc in reason_codes])
            self._cond.notify_all()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        with self._cond:
            self.disconnected = reason_code.value
            self.disconnect_props = properties
            self._cond.notify_all()
        client.loop_stop()  # from the loop thread: no join, and no automatic reconnect

    # -- actions
    def subscribe(self, topic: str, qos: int = 0, *, no_local: bool = False,
                  retain_as_published: bool = False, retain_handling: int = 0,
                  sub_id: Optional[int] = None, timeout: float = 10.0) -> list[int]:
        """Subscribe and wait for the SUBACK; returns its reason codes."""
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties
        from paho.mqtt.subscribeoptions import SubscribeOptions

        with self._cond:
            want = len(self.subacks) + 1
        if self.v5:
            opts = SubscribeOptions(qos=qos, noLocal=no_local, retainAsPublished=retain_as_published,
                                    retainHandling=retain_handling)
            props = None
            if sub_id is not None:
                props = Properties(PacketTypes.SUBSCRIBE)
                props.SubscriptionIdentifier = sub_id
            self.client.subscribe(topic, options=opts, properties=props)
        else:
            self.client.subscribe(topic, qos)
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.subacks) >= want, timeout):
                raise AssertionError(f"paho {self.client_id!r}: no SUBACK for {topic} in {timeout}s")
            return self.subacks[want - 1]

    def publish(self, topic: str, payload: bytes | str = b"", qos: int = 0, retain: bool = False,
                props: Optional[dict] = None, wait: bool = True, timeout: float = 10.0):
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        p = None
        if props:
            p = Properties(PacketTypes.PUBLISH)
            for k, v in props.items():
                setattr(p, k, v)
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=p)
        if wait:
            info.wait_for_publish(timeout)
            assert info.is_published(), f"paho {self.client_id!r}: publish to {topic} not completed"
        return info

    def wait_messages(self, n: int, timeout: float = 10.0) -> list:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.messages) >= n, timeout):
                raise AssertionError(f"paho {self.client_id!r}: wanted {n} messages in {timeout}s, got "
                                     f"{[(m.topic, m.payload) for m in self.messages]}")
            return list(self.messages)

    def wait_disconnected(self, timeout: float = 10.0) -> int:
        with self._cond:
            if not self._cond.wait_for(lambda: self.disconnected is not None, timeout):
                raise AssertionError(f"paho {self.client_id!r}: still connected after {timeout}s")
            return self.disconnected

    def settle(self, seconds: float = 0.5) -> list:
        """Wait a little for anything else that might arrive, then return all messages. Only for "nothing
        more": wait_messages(n) first for what must come, so that a slow machine cannot fail the test."""
        time.sleep(seconds)
        with self._cond:
            return list(self.messages)

    def topics(self) -> list[str]:
        with self._cond:
            return [m.topic for m in self.messages]

    def payloads(self) -> list[bytes]:
        with self._cond:
            return [m.payload for m in self.messages]

    def close(self) -> None:
        """A normal DISCONNECT (no will)."""
        try:
            if self.disconnected is None:
                self.client.disconnect()
        finally:
            self.client.loop_stop()

    def drop(self) -> None:
        """Vanish without DISCONNECT (the broker sees the socket close: an unclean disconnect)."""
        self.client.loop_stop()
        sock = self.client.socket()
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def probe(broker: Broker, sub: Paho, topic: str = "probe/ready", timeout: float = 10.0,
          **paho_kw) -> None:
    """Make sure the broker has finished with earlier packets: publish a QoS 1 marker and
    wait until `sub` (subscribed to `topic`) got it."""
    n = len(sub.messages)
    with connected(Paho(broker, f"probe-{time.monotonic_ns()}", **paho_kw)) as p:
        p.publish(topic, b"marker", qos=1)
    wait_until(lambda: any(m.topic == topic and m.payload == b"marker" for m in sub.messages[n:]),
               timeout, f"the marker on {topic} at {sub.client_id!r}")


class _Closing:
    def __init__(self, client: Paho):
        self.client = client

    def __enter__(self) -> Paho:
        return self.client

    def __exit__(self, *exc) -> None:
        self.client.close()


def connected(client: Paho) -> _Closing:
    """`with connected(Paho(...)) as c:` closes the client however the block ends."""
    return _Closing(client)


def bystander(broker: Broker, subscription: str, *, v5: bool = False) -> _Closing:
    """`with bystander(broker, "x/#") as other:` a client subscribed (QoS 1) while others misbehave, to
    show the broker still serves it (see `probe`)."""
    client = Paho(broker, "bystander", v5=v5)
    client.subscribe(subscription, 1)
    return _Closing(client)


def add_user(broker: Broker, user: str, password: str, *extra: str) -> None:
    """Adds a user to the broker's password file with the real mosquitto_passwd (`extra`: its flags)."""
    r = h.run(["mosquitto_passwd", *extra, "-b", str(broker.passwd), user, password], timeout=30)
    assert r.rc == 0, r


# ---------------------------------------------------------------------------
# raw MQTT packets

CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP = 1, 2, 3, 4, 5, 6, 7
SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH = range(8, 16)

# v5 property id -> wire type
PROP_TYPES = {
    0x01: "byte", 0x02: "u32", 0x03: "str", 0x08: "str", 0x09: "bin", 0x0B: "varint",
    0x11: "u32", 0x12: "str", 0x13: "u16", 0x15: "str", 0x16: "bin", 0x17: "byte",
    0x18: "u32", 0x19: "byte", 0x1A: "str", 0x1C: "str", 0x1F: "str", 0x21: "u16",
    0x22: "u16", 0x23: "u16", 0x24: "byte", 0x25: "byte", 0x26: "pair", 0x27: "u32",
    0x28: "byte", 0x29: "byte", 0x2A: "byte",
}
MESSAGE_EXPIRY, CONTENT_TYPE, RESPONSE_TOPIC, CORRELATION_DATA = 0x02, 0x03, 0x08, 0x09
SUBSCRIPTION_ID, SESSION_EXPIRY, ASSIGNED_CLIENT_ID, SERVER_KEEP_ALIVE = 0x0B, 0x11, 0x12, 0x13
REASON_STRING, RECEIVE_MAXIMUM, TOPIC_ALIAS_MAXIMUM, TOPIC_ALIAS = 0x1F, 0x21, 0x22, 0x23
USER_PROPERTY, MAXIMUM_PACKET_SIZE, WILL_DELAY = 0x26, 0x27, 0x18


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def mqtt_str(s: str | bytes) -> bytes:
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("!H", len(b)) + b


def props_bytes(props: Optional[list[tuple[int, Any]]]) -> bytes:
    body = bytearray()
    for pid, value in props or []:
        body += varint(pid)
        kind = PROP_TYPES[pid]
        if kind == "byte":
            body.append(value)
        elif kind == "u16":
            body += struct.pack("!H", value)
        elif kind == "u32":
            body += struct.pack("!I", value)
        elif kind == "varint":
            body += varint(value)
        elif kind in ("str", "bin"):
            body += mqtt_str(value)
        elif kind == "pair":
            body += mqtt_str(value[0]) + mqtt_str(value[1])
    return varint(len(body)) + bytes(body)


def packet(ptype: int, flags: int, body: bytes) -> bytes:
    return bytes([(ptype << 4) | flags]) + varint(len(body)) + body


def connect_packet(client_id: str = "", *, v5: bool = False, clean: bool = True,
                   keepalive: int = 60, user: Optional[str] = None,
                   password: Optional[str] = None, will: Optional[dict] = None,
                   props: Optional[list] = None) -> bytes:
    flags = 0x02 if clean else 0
    if user is not None:
        flags |= 0x80
    if password is not None:
        flags |= 0x40
    if will is not None:
        flags |= 0x04 | (will.get("qos", 0) << 3) | (0x20 if will.get("retain") else 0)
    body = mqtt_str("MQTT") + bytes([5 if v5 else 4, flags]) + struct.pack("!H", keepalive)
    if v5:
        body += props_bytes(props)
    body += mqtt_str(client_id)
    if will is not None:
        if v5:
            body += props_bytes(will.get("props"))
        body += mqtt_str(will["topic"]) + mqtt_str(will.get("payload", b""))
    if user is not None:
        body += mqtt_str(user)
    if password is not None:
        body += mqtt_str(password)
    return packet(CONNECT, 0, body)


def publish_packet(topic: str | bytes, payload: bytes = b"", *, qos: int = 0, pid: int = 0,
                   retain: bool = False, dup: bool = False, v5: bool = False,
                   props: Optional[list] = None) -> bytes:
    flags = (0x08 if dup else 0) | (qos << 1) | (1 if retain else 0)
    body = mqtt_str(topic)
    if qos:
        body += struct.pack("!H", pid)
    if v5:
        body += props_bytes(props)
    return packet(PUBLISH, flags, body + payload)


def ack_packet(ptype: int, pid: int, *, v5: bool = False, reason: int = 0) -> bytes:
    """PUBACK / PUBREC / PUBREL / PUBCOMP (PUBREL carries its required flags 0b0010)."""
    body = struct.pack("!H", pid)
    if v5 and reason:
        body += bytes([reason])
    return packet(ptype, 2 if ptype == PUBREL else 0, body)


def subscribe_packet(pid: int, filters: list[tuple[str, int]], *, v5: bool = False,
                     props: Optional[list] = None) -> bytes:
    body = struct.pack("!H", pid)
    if v5:
        body += props_bytes(props)
    for f, opts in filters:
        body += mqtt_str(f) + bytes([opts])
    return packet(SUBSCRIBE, 2, body)


def disconnect_packet(*, v5: bool = False, reason: int = 0, props: Optional[list] = None) -> bytes:
    if not v5 or (reason == 0 and not props):
        return packet(DISCONNECT, 0, b"")
    return packet(DISCONNECT, 0, bytes([reason]) + props_bytes(props))


@dataclass
class Packet:
    type: int
    flags: int
    body: bytes

    def pid(self) -> int:
        return struct.unpack("!H", self.body[:2])[0]


@dataclass
class Publish:
    topic: str
    payload: bytes
    qos: int
    retain: bool
    dup: bool
    pid: int
    props: dict


def read_varint(buf: bytes, i: int) -> tuple[int, int]:
    n, mult = 0, 1
    for _ in range(4):
        b = buf[i]
        i += 1
        n += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            return n, i
    raise ValueError("malformed variable byte integer")


def parse_props(buf: bytes, i: int) -> tuple[dict, int]:
    """Decode a v5 property list at buf[i]; user properties and subscription ids are lists."""
    length, i = read_varint(buf, i)
    end = i + length
    props: dict = {}
    while i < end:
        pid, i = read_varint(buf, i)
        kind = PROP_TYPES[pid]
        if kind == "byte":
            v, i = buf[i], i + 1
        elif kind == "u16":
            v, i = struct.unpack("!H", buf[i:i + 2])[0], i + 2
        elif kind == "u32":
            v, i = struct.unpack("!I", buf[i:i + 4])[0], i + 4
        elif kind == "varint":
            v, i = read_varint(buf, i)
        elif kind in ("str", "bin"):
            n = struct.unpack("!H", buf[i:i + 2])[0]
            raw = buf[i + 2:i + 2 + n]
            v, i = (raw.decode() if kind == "str" else raw), i + 2 + n
        else:
            n = struct.unpack("!H", buf[i:i + 2])[0]
            k = buf[i + 2:i + 2 + n].decode()
            i += 2 + n
            m = struct.unpack("!H", buf[i:i + 2])[0]
            v, i = (k, buf[i + 2:i + 2 + m].decode()), i + 2 + m
        if pid in (USER_PROPERTY, SUBSCRIPTION_ID):
            props.setdefault(pid, []).append(v)
        else:
            props[pid] = v
    return props, end


def parse_publish(p: Packet, v5: bool) -> Publish:
    assert p.type == PUBLISH, p
    qos = (p.flags >> 1) & 3
    n = struct.unpack("!H", p.body[:2])[0]
    topic = p.body[2:2 + n].decode()
    i = 2 + n
    pid = 0
    if qos:
        pid = struct.unpack("!H", p.body[i:i + 2])[0]
        i += 2
    props: dict = {}
    if v5:
        props, i = parse_props(p.body, i)
    return Publish(topic, p.body[i:], qos, bool(p.flags & 1), bool(p.flags & 8), pid, props)


class Closed(Exception):
    """The broker closed the connection."""


class Raw:
    """One MQTT connection over a plain socket: send exact bytes, read whole packets."""

    def __init__(self, port: int, *, v5: bool = False, timeout: float = 10.0):
        self.v5 = v5
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no packet from the broker in time")
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise TimeoutError("no packet from the broker in time") from None
        except ConnectionResetError:
            raise Closed("connection reset") from None
        if not chunk:
            raise Closed("connection closed")
        self.buf += chunk

    def recv(self, timeout: float = 10.0) -> Packet:
        """The next whole packet; TimeoutError if none in time, Closed at end of stream."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 2:
                try:
                    length, i = read_varint(bytes(self.buf[:5]), 1)
                except IndexError:
                    length = None
                if length is not None and len(self.buf) >= i + length:
                    p = Packet(self.buf[0] >> 4, self.buf[0] & 0x0F, bytes(self.buf[i:i + length]))
                    del self.buf[:i + length]
                    return p
            self._fill(deadline)

    def expect(self, ptype: int, timeout: float = 10.0) -> Packet:
        p = self.recv(timeout)
        assert p.type == ptype, f"expected packet type {ptype}, got {p}"
        return p

    def connect(self, client_id: str = "", **kw) -> tuple[int, bool, dict]:
        """CONNECT and read CONNACK: (return/reason code, session present, properties)."""
        self.send(connect_packet(client_id, v5=self.v5, **kw))
        p = self.expect(CONNACK)
        props = parse_props(p.body, 2)[0] if self.v5 and len(p.body) > 2 else {}
        return p.body[1], bool(p.body[0] & 1), props

    def subscribe(self, topic: str, qos: int = 0, pid: int = 1, opts: Optional[int] = None,
                  props: Optional[list] = None) -> list[int]:
        self.send(subscribe_packet(pid, [(topic, qos if opts is None else opts)], v5=self.v5,
                                   props=props))
        p = self.expect(SUBACK)
        assert p.pid() == pid, p
        i = 2
        if self.v5:
            i = parse_props(p.body, 2)[1]
        return list(p.body[i:])

    def recv_publish(self, timeout: float = 10.0) -> Publish:
        return parse_publish(self.expect(PUBLISH, timeout), self.v5)

    def wait_closed(self, timeout: float = 10.0) -> list[Packet]:
        """Read until the broker closes the connection; returns what came before the close
        (a v5 broker may send DISCONNECT first).  Fails if still open after `timeout`."""
        got: list[Packet] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                got.append(self.recv(max(0.0, deadline - time.monotonic())))
            except Closed:
                return got
            except TimeoutError:
                raise AssertionError(f"connection still open after {timeout}s; received {got}")

    def silent_for(self, seconds: float) -> None:
        """Assert the broker sends nothing for `seconds` and keeps the connection open."""
        try:
            p = self.recv(seconds)
        except TimeoutError:
            return
        raise AssertionError(f"expected silence, got {p}")

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def disconnect_reason(packets: list[Packet]) -> Optional[int]:
    """The reason code of a DISCONNECT among `packets` (0 when it has none), else None."""
    for p in packets:
        if p.type == DISCONNECT:
            return p.body[0] if p.body else 0
    return None


def assert_closed_as_too_large(raw: Raw, v5: bool) -> None:
    """The broker ended `raw`'s connection for a packet over its maximum size: without a word, or in v5
    perhaps with DISCONNECT 0x95 (packet too large)."""
    got = raw.wait_closed(5)
    assert disconnect_reason(got) in ((None, 0x95) if v5 else (None,)), got


wait_until = h.wait_until


# ---------------------------------------------------------------------------
# mosquitto's command-line clients


def start_sub(conn: list[str], *args: str, timeout: float = 10.0) -> h.Proc:
    """mosquitto_sub -d with line-buffered stdout (stdbuf), returned once it printed that its
    SUBSCRIBE was acknowledged: from then on the broker delivers to it."""
    sub = h.Proc(["stdbuf", "-oL", "mosquitto_sub", *conn, "-d", *args])
    sub.wait_for_text("Subscribed (mid: 1):", timeout)
    return sub


def payload_lines(res: h.Result) -> list[str]:
    """mosquitto_sub's output without its -d trace lines."""
    return [line for line in res.lines if not line.startswith(("Client ", "Subscribed (mid"))]


class RssWatch:
    """Samples the broker's resident memory (VmRSS from /proc) every 20 ms while the `with` block runs:
    the memory tests attack a limit and read the peak growth."""

    def __init__(self, broker: Broker):
        self.pid = broker.pid
        self.baseline = h.vm_rss_kib(self.pid) * 1024
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, h.vm_rss_kib(self.pid) * 1024)
            except (FileNotFoundError, ProcessLookupError):
                return
            self._stop.wait(0.02)

    def __enter__(self) -> "RssWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(2)
        print(f"broker RSS: {self.baseline / (1 << 20):.0f} MB before, peak growth {self.growth_mb:.1f} MB")

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.baseline) / (1 << 20)
