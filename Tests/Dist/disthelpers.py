"""What both tests of an installed tree check: its files, how it finds its themes, a minimal environment."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import mqhelpers as h

REPO = h.REPO_ROOT

# A theme that is not built into the binary, so only a search of share/mqdash/themes can list it.
EXTRA_THEME = "zz-installed"


def tree(root: Path) -> set[str]:
    """Every file and folder under root, as paths relative to it (folders end in /)."""
    return {str(p.relative_to(root)) + ("/" if p.is_dir() else "") for p in root.rglob("*")}


def expected_files() -> set[str]:
    """What an install puts under PREFIX, from the checkout: the layout README's Install section gives."""
    files = {"bin/mqdash", "share/mqdash/install-manifest",
             "share/bash-completion/completions/mqdash", "share/zsh/site-functions/_mqdash",
             "share/fish/vendor_completions.d/mqdash.fish"}
    files |= {f"share/mqdash/themes/{p.name}" for p in (REPO / "themes").glob("*.toml")}
    pages = {f"share/man/man1/{p.name}" for p in (REPO / "dist/man/man1").glob("*.1")}
    assert "share/man/man1/mqdash.1" in pages and "share/man/man1/mqdash.broker.1" in pages, pages
    return files | pages


def minimal_env(prefix: Path, home: Path) -> dict[str, str]:
    """No toolchain on PATH or LD_LIBRARY_PATH: what a user's shell with PREFIX/bin on PATH has."""
    return {"PATH": f"{prefix}/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def assert_finds_installed_themes(prefix: Path, cwd: Path, home: Path) -> None:
    """Run as plain `mqdash` through PATH (argv[0] has no folder in it) from an unrelated folder:
    an unknown --theme lists what the search path holds, which must include PREFIX/share/mqdash/themes."""
    themes = prefix / "share/mqdash/themes"
    (themes / f"{EXTRA_THEME}.toml").write_text((themes / "mono.toml").read_text())
    try:
        r = h.run(["mqdash", "--theme", "no-such-theme"], env=minimal_env(prefix, home), cwd=cwd, timeout=10)
    finally:
        (themes / f"{EXTRA_THEME}.toml").unlink()
    assert r.rc == 1, r
    assert "no-such-theme" in r.stderr and EXTRA_THEME in r.stderr, r


def expected_version_line() -> str:
    """`mqdash --version` of a binary built from this checkout as it is now."""
    release = re.search(r'static let version = "(.*)"', (REPO / "Sources/MQTTCore/MQDashRelease.swift").read_text())
    assert release, "MQDashRelease.version not found"
    return f"mqdash {release.group(1)} (commit {git_commit_of_checkout()})\n"


def git_commit_of_checkout() -> str:
    """What Plugins/GitCommit records for this checkout right now."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=10)
    head = git("rev-parse", "--short=12", "HEAD")
    if head.returncode != 0:
        return "unknown"
    dirty = git("diff", "--quiet", "HEAD", "--").returncode != 0
    return head.stdout.strip() + ("-dirty" if dirty else "")
