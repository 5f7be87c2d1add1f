"""The release archive of `make dist`, unpacked into an empty folder and run from there with a minimal
environment: `--version`, `mqdash broker` on a free loopback port, `mqdash pub` and `mqdash sub`.
What it needs of the system is read from the binary: every shared library must come from a Debian
package that a fresh Debian has (glibc, libgcc, libstdc++) or that the README names (libncursesw6,
libtinfo6 which it depends on, libsqlite3-0, zlib1g for gzip recordings); nothing from the Swift toolchain."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

import mqhelpers as h
import disthelpers as d

ALLOWED_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "libncursesw6", "libtinfo6", "libsqlite3-0", "zlib1g"}


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    tarball = os.environ.get("MQDASH_DIST_TARBALL", "")
    if not tarball or not Path(tarball).is_file():
        pytest.exit(f"MQDASH_DIST_TARBALL={tarball!r} is not a file: run `make dist-test`", returncode=2)
    folder = tmp_path_factory.mktemp("empty")
    assert list(folder.iterdir()) == []
    # As a user would; tar also keeps the binary's mode.
    r = h.run(["tar", "-xzf", tarball], cwd=folder, timeout=60)
    assert r.rc == 0, r
    tops = {p.name for p in folder.iterdir()}
    assert len(tops) == 1, f"one top folder expected, got {tops}"
    return folder / tops.pop()


@pytest.fixture
def env(unpacked: Path, tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return d.minimal_env(unpacked, home)


def test_holds_the_installed_layout(unpacked: Path):
    assert {p for p in d.tree(unpacked) if not p.endswith("/")} == d.expected_files()


def test_version_names_the_release_and_the_commit(unpacked: Path, env: dict, tmp_path: Path):
    r = h.run(["mqdash", "--version"], env=env, cwd=tmp_path, timeout=10)
    assert r.rc == 0, r
    assert r.stdout == d.expected_version_line(), r


def test_needs_only_libraries_a_fresh_debian_has(unpacked: Path):
    binary = unpacked / "bin/mqdash"
    ldd = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, timeout=10, env={"PATH": "/usr/bin:/bin"})
    assert ldd.returncode == 0, ldd.stderr
    assert "not found" not in ldd.stdout, ldd.stdout
    packages: dict[str, str] = {}
    for line in ldd.stdout.splitlines():
        match = re.search(r"(/\S+) \(0x", line)
        if not match:
            continue  # linux-vdso.so.1 has no file
        packages[match.group(1)] = owning_package(match.group(1))
    assert "libncursesw6" in packages.values() and "libsqlite3-0" in packages.values(), packages
    assert set(packages.values()) <= ALLOWED_PACKAGES, packages
    # No search path into the toolchain that built it (/opt/swift/...), which a user's machine lacks.
    dynamic = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True, timeout=10).stdout
    for line in dynamic.splitlines():
        if "RUNPATH" in line or "RPATH" in line:
            assert "/opt/" not in line and "swift" not in line.lower(), line


def owning_package(path: str) -> str:
    """The Debian package a library file belongs to (through the /lib -> /usr/lib merge if need be)."""
    for candidate in (path, os.path.realpath(path)):
        r = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, timeout=10)
        if r.returncode == 0:
            return r.stdout.split(":", 1)[0]
    return f"no package owns {path}"


@pytest.mark.timeout_seconds(30)
def test_broker_pub_and_sub_run_from_the_unpacked_folder(unpacked: Path, env: dict, tmp_path: Path):
    port = h.free_port()
    broker = h.Proc(["mqdash", "broker", "-p", str(port)], env=env, cwd=tmp_path)
    try:
        while not h.port_accepts(port):
            assert broker.running(), broker.snapshot()
            time.sleep(0.02)  # between connection attempts; the 30 s limit bounds the wait
        published = h.run(["mqdash", "pub", "-h", h.HOST, "-p", str(port), "-t", "dist/check", "-m", "from the tarball", "-r", "-q", "1"],
                          env=env, cwd=tmp_path, timeout=10)
        assert published.rc == 0, published
        received = h.run(["mqdash", "sub", "-h", h.HOST, "-p", str(port), "-t", "dist/#", "-C", "1", "-v"],
                         env=env, cwd=tmp_path, timeout=10)
        assert received.rc == 0, received
        assert received.stdout == "dist/check from the tarball\n", received
    finally:
        broker.terminate()
        result = broker.finish(10)
    assert result.rc == 0, result
    assert "running" in result.stderr + result.stdout, result
