"""The fenced blocks of the usage pages (docs/usage/*.md), read as the docs test runs them.

The conventions are written for page authors in docs/testing.md ("The docs suite"); in short:
```sh blocks are bash scripts, ```console blocks are `$ COMMAND` lines each followed by its exact
stdout (`...` for any lines), the comment just above a fence may say `<!-- docs-test: skip: WHY -->`
or `<!-- docs-test: server -->`, and 1883 / 1884 in a block become the test's two free ports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

RUN_LANGUAGES = ("sh", "console")
MARKER = re.compile(r"^<!--\s*docs-test:\s*(?P<kind>[a-z]+)\s*(?::\s*(?P<reason>.*?))?\s*-->\s*$")
FENCE = re.compile(r"^(?P<fence>```+)(?P<lang>[A-Za-z0-9_-]*)\s*$")


@dataclass
class Block:
    page: Path
    line: int                  # 1-based line of the opening fence
    language: str
    text: str
    marker: Optional[str]      # None, "skip" or "server"
    reason: str = ""

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.language in RUN_LANGUAGES and self.marker != "skip"


class DocFormatError(Exception):
    """A page breaks the conventions (unknown marker, skip without a reason, unclosed fence...)."""


def blocks(page: Path) -> list[Block]:
    """Every fenced block of `page`, in order, with the marker that precedes it."""
    lines = page.read_text().splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            if MARKER.match(lines[i]) and not (i + 1 < len(lines) and FENCE.match(lines[i + 1])):
                raise DocFormatError(f"{page.name}:{i + 1}: a docs-test marker must sit just above a fence")
            i += 1
            continue
        start, fence = i, m.group("fence")
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence), None)
        if end is None:
            raise DocFormatError(f"{page.name}:{start + 1}: the fence is never closed")
        marker, reason = None, ""
        if start > 0 and (mm := MARKER.match(lines[start - 1])):
            marker, reason = mm.group("kind"), (mm.group("reason") or "").strip()
            if marker not in ("skip", "server"):
                raise DocFormatError(f"{page.name}:{start}: unknown docs-test marker {marker!r}")
            if marker == "skip" and not reason:
                raise DocFormatError(f"{page.name}:{start}: `docs-test: skip` needs a reason after a colon")
        found.append(Block(page, start + 1, m.group("lang"), "\n".join(lines[start + 1:end]) + "\n",
                           marker, reason))
        i = end + 1
    return found


def with_ports(text: str, broker_port: int, spare_port: int) -> str:
    """The block as it runs: 1883 is the test's broker, 1884 the page's spare port."""
    text = re.sub(r"(?<![0-9])1883(?![0-9])", str(broker_port), text)
    return re.sub(r"(?<![0-9])1884(?![0-9])", str(spare_port), text)


@dataclass
class ConsoleStep:
    command: str
    expected: list[str]


def console_steps(block: Block) -> list[ConsoleStep]:
    """`$ COMMAND` lines and the output lines after each (blank lines at the end ignored)."""
    steps: list[ConsoleStep] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            steps.append(ConsoleStep(line[2:], []))
        elif steps:
            steps[-1].expected.append(line)
        elif line.strip():
            raise DocFormatError(f"{block.where}: a console block starts with a `$ ` command")
    for step in steps:
        while step.expected and not step.expected[-1].strip():
            step.expected.pop()
    return steps


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line, trailing spaces ignored; a line `...` matches any number of lines."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in actual]
    if not expected:
        return True if not actual else False
    if expected[0] == "...":
        return any(output_matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and output_matches(expected[1:], actual[1:])


def server_commands(block: Block) -> list[str]:
    """One command per line; blank lines and comment lines left out."""
    return [line for line in block.text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
