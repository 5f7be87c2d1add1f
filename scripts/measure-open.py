#!/usr/bin/env python3
"""`mqdash open` of a large recording (issue 10, section 4): writes a recording of N messages over 5 000
topics, opens it in tmux (120x40) and prints the time to the first frame, the time until the status bar
counts every message, and the dashboard's VmRSS then.

    scripts/measure-open.py [--count N] [--play] [MQDASH_BINARY]   (defaults: 1000000, this checkout's release build)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stamp(us: int) -> str:
    s, us = divmod(us, 1_000_000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return "2026-12-03T%02d:%02d:%02d.%06dZ" % (9 + h, m, s, us)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--play", action="store_true", help="open with --play --speed 1024")
    parser.add_argument("binary", nargs="?", default=str(ROOT / ".build/release/mqdash"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="measure-open.") as work:
        rec = Path(work) / "big.jsonl"
        with open(rec, "w") as f:
            f.write('{"mqdash_recording":1,"filters":["#"]}\n')
            for i in range(args.count):
                f.write('{"ts":"%s","topic":"flood/%d","qos":0,"retain":false,"payload":"{\\"n\\":%d,\\"temp\\":21.5}"}\n'
                        % (stamp(i * 10), i % 5000, i))
        sock = "measure-open-" + uuid.uuid4().hex[:8]

        def tmux(*a: str) -> str:
            return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", *a], capture_output=True, text=True).stdout

        tmux("new-session", "-d", "-s", "m", "-x", "120", "-y", "40", "env", "LANG=C.UTF-8", "TERM=tmux-256color",
             "bash", "--noprofile", "--norc")
        try:
            time.sleep(0.5)
            extra = " --play --speed 1024" if args.play else ""
            started = time.monotonic()
            tmux("send-keys", "-t", "m", f"{args.binary} open {rec}{extra}", "Enter")
            first = None
            total = f"{args.count / 1e6:.1f}M msgs" if args.count >= 1_000_000 else f"{args.count} msgs"
            while time.monotonic() - started < 300:
                screen = tmux("capture-pane", "-p", "-t", "m")
                if first is None and "Topics" in screen and tmux("display-message", "-p", "-t", "m", "#{alternate_on}").strip() == "1":
                    first = time.monotonic() - started
                if total in screen.splitlines()[-1] if screen.strip() else False:
                    break
                time.sleep(0.05)
            done = time.monotonic() - started
            shell = tmux("display-message", "-p", "-t", "m", "#{pane_pid}").strip()
            rss = 0
            for child in subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split():
                for line in open(f"/proc/{child}/status"):
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
            print(f"{args.count} messages ({os.path.getsize(rec) // 1_000_000} MB): first frame {first:.2f} s, "
                  f"all {args.count} counted after {done:.1f} s, VmRSS then {rss // 1024} MB")
            print("status bar:", tmux("capture-pane", "-p", "-t", "m").splitlines()[-1].strip())
            tmux("send-keys", "-t", "m", "q")
            time.sleep(0.5)
        finally:
            tmux("kill-server")


if __name__ == "__main__":
    main()
