"""The dashboard's key table in docs/usage/dashboard.md lists the keys the program's own help (`?`,
HelpOverlay.entries) lists, in the same order: a key added to one and not the other fails here."""

from __future__ import annotations

import re

import mqhelpers as h

HELP_SOURCE = h.REPO_ROOT / "Sources" / "Dashboard" / "Widgets" / "HelpOverlay.swift"
PAGE = h.REPO_ROOT / "docs" / "usage" / "dashboard.md"


def help_keys() -> list[str]:
    """The first string of each `("KEYS", "ACTION"),` entry of HelpOverlay.entries."""
    source = HELP_SOURCE.read_text()
    body = source[source.index("static let entries"):]
    body = body[:body.index("]\n")]
    return re.findall(r'^\s*\("((?:[^"\\]|\\.)*)",\s*"', body, re.M)


def page_keys() -> list[str]:
    """The first column of the table under the page's `## Keys` heading, without backticks."""
    lines = PAGE.read_text().splitlines()
    start = lines.index("## Keys")
    keys = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] not in ("keys", "---"):
            keys.append(cells[0].replace("`", ""))
    return keys


def test_the_help_has_keys():
    assert len(help_keys()) >= 15


def test_docs_key_table_matches_the_in_program_help():
    assert page_keys() == help_keys()
