"""The skips a run of `make test` may have, from Tests/skip-allowlist.txt; any other skip fails it.

Used by Tests/conftest.py for the pytest suites, and from the command line for XCTest's output:

    python3 Tests/PythonSupport/skipallowlist.py xctest .build/xctest.log

Each entry of the list is `suite | start of the skip reason | why this skip is allowed`, where suite is
XCTest, Interop, BrokerBlackBox, EndToEnd or `*`. An entry without a why is an error: the list is
there to be read.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ALLOWLIST = Path(__file__).resolve().parents[1] / "skip-allowlist.txt"


@dataclass(frozen=True)
class Skip:
    suite: str
    test: str
    reason: str


@dataclass(frozen=True)
class Allowed:
    suite: str
    reason_prefix: str
    why: str
    line: int

    def explains(self, skip: Skip) -> bool:
        return self.suite in ("*", skip.suite) and skip.reason.startswith(self.reason_prefix)


def load(path: Path = ALLOWLIST) -> list[Allowed]:
    entries = []
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        fields = [f.strip() for f in text.split("|")]
        if len(fields) != 3 or not all(fields):
            raise SystemExit(f"{path}:{number}: want `suite | start of the skip reason | why`, got {raw!r}")
        entries.append(Allowed(fields[0], fields[1], fields[2], number))
    return entries


def report(skips: list[Skip], allowed: list[Allowed], write: Callable[[str], None]) -> list[Skip]:
    """Writes the count of skips and each one the list does not explain; returns those."""
    unexplained = [s for s in skips if not any(a.explains(s) for a in allowed)]
    write(f"skipped: {len(skips)} ({len(skips) - len(unexplained)} on {ALLOWLIST.name}, "
          f"{len(unexplained)} not)")
    for s in unexplained:
        write(f"  SKIP NOT ALLOWED [{s.suite}] {s.test}: {s.reason}")
    if unexplained:
        write(f"  a skip hides a test that stopped testing: fix it, or add it to {ALLOWLIST} with why")
    return unexplained


# swift-corelibs-xctest prints, for a skipped test:
#   /path/File.swift:36: Suite.testName : Test skipped - the reason
#   Test Case 'Suite.testName' skipped (0.001 seconds)
XCTEST_REASON = re.compile(r": (?P<test>[\w.]+) : Test skipped(?: - (?P<reason>.*))?$")
XCTEST_SKIPPED = re.compile(r"^Test Case '(?P<test>[^']+)' skipped")


def xctest_skips(log: str) -> list[Skip]:
    reasons: dict[str, str] = {}
    skips = []
    for line in log.splitlines():
        if m := XCTEST_REASON.search(line):
            reasons[m["test"]] = m["reason"] or ""
        elif m := XCTEST_SKIPPED.match(line):
            skips.append(Skip("XCTest", m["test"], reasons.get(m["test"], "(no reason given)")))
    return skips


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "xctest":
        print(__doc__, file=sys.stderr)
        return 2
    log = Path(argv[2]).read_text(errors="replace")
    if "Executed " not in log:
        print(f"{argv[2]}: no XCTest summary (`Executed N tests`): did the tests run?", file=sys.stderr)
        return 1
    return 1 if report(xctest_skips(log), load(), print) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
