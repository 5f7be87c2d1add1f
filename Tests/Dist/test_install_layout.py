"""`make install` / `make uninstall` through scripts/install-layout.sh, with the debug binary: the
files land where README says, the installed binary finds PREFIX/share/mqdash/themes when run from PATH,
and uninstall removes exactly what install put (files that were there before stay)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import mqhelpers as h
import disthelpers as d

SCRIPT = str(d.REPO / "scripts/install-layout.sh")


@pytest.fixture
def prefix(tmp_path: Path) -> Path:
    """A PREFIX that already holds someone else's files, in folders install also uses."""
    root = tmp_path / "prefix"
    (root / "bin").mkdir(parents=True)
    (root / "bin/other-tool").write_text("#!/bin/sh\n")
    (root / "share/man/man1").mkdir(parents=True)
    (root / "share/man/man1/other-tool.1").write_text(".TH OTHER 1\n")
    return root


def binary() -> str:
    path = h.mqdash_binary()
    if not os.access(path, os.X_OK):
        pytest.exit(f"mqdash binary not found at {path}: build it (`swift build`) or set MQDASH_BIN", returncode=2)
    return path


def test_install_puts_the_layout_and_uninstall_takes_exactly_it_back(prefix: Path, tmp_path: Path):
    before = d.tree(prefix)
    r = h.run([SCRIPT, "install", str(prefix), binary()], timeout=60)
    assert r.rc == 0, r
    added = {p for p in d.tree(prefix) - before if not p.endswith("/")}
    assert added == d.expected_files()
    # Exact copies of the checkout's generated pages and completions, and an executable binary.
    assert (prefix / "share/man/man1/mqdash.1").read_bytes() == (d.REPO / "dist/man/man1/mqdash.1").read_bytes()
    assert (prefix / "share/zsh/site-functions/_mqdash").read_bytes() == (d.REPO / "dist/completions/_mqdash").read_bytes()
    assert os.access(prefix / "bin/mqdash", os.X_OK)

    home = tmp_path / "home"
    home.mkdir()
    d.assert_finds_installed_themes(prefix, cwd=home, home=home)

    r = h.run([SCRIPT, "uninstall", str(prefix)], timeout=30)
    assert r.rc == 0, r
    assert d.tree(prefix) == before


def test_installing_again_replaces_the_previous_install(prefix: Path):
    before = d.tree(prefix)
    assert h.run([SCRIPT, "install", str(prefix), binary()], timeout=60).rc == 0
    # A file the previous install had and this one has not (a theme since renamed) must not linger.
    manifest = prefix / "share/mqdash/install-manifest"
    (prefix / "share/mqdash/themes/retired.toml").write_text("name = \"retired\"\n")
    manifest.write_text(manifest.read_text() + "file share/mqdash/themes/retired.toml\n")
    r = h.run([SCRIPT, "install", str(prefix), binary()], timeout=60)
    assert r.rc == 0, r
    assert not (prefix / "share/mqdash/themes/retired.toml").exists()
    assert h.run([SCRIPT, "uninstall", str(prefix)], timeout=30).rc == 0
    assert d.tree(prefix) == before


def test_uninstall_without_an_install_says_so_and_touches_nothing(prefix: Path):
    before = d.tree(prefix)
    r = h.run([SCRIPT, "uninstall", str(prefix)], timeout=30)
    assert r.rc == 1, r
    assert "nothing installed there" in r.stderr, r
    assert d.tree(prefix) == before


def test_a_folder_filled_since_the_install_stays(prefix: Path):
    assert h.run([SCRIPT, "install", str(prefix), binary()], timeout=60).rc == 0
    mine = prefix / "share/fish/vendor_completions.d/other-tool.fish"
    mine.write_text("complete -c other-tool\n")
    assert h.run([SCRIPT, "uninstall", str(prefix)], timeout=30).rc == 0
    assert mine.exists()
    assert not (prefix / "share/fish/vendor_completions.d/mqdash.fish").exists()


def test_version_names_the_release_and_the_commit_it_was_built_from(tmp_path: Path):
    r = h.run([binary(), "--version"], cwd=tmp_path, timeout=10)
    assert r.rc == 0, r
    # Built before the last commit or edit? Then this fails: rebuild, the binary is not this checkout.
    assert r.stdout == d.expected_version_line(), r
