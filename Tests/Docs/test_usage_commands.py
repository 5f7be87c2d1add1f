"""Every example of the usage pages runs as written (docs/usage/*.md; conventions in docblocks.py):
a page's ```sh and ```console blocks run in order in one fresh folder, against a `mqdash broker`
started for the page, and the test fails on a non-zero exit or a console output that differs."""

from __future__ import annotations

import dataclasses
import re
import signal
from pathlib import Path

import pytest

import docblocks as d
import mqhelpers as h
from conftest import USAGE_PAGES

# The dashboard's page is named for what it is, not for its subcommand.
PAGE_OF_SUBCOMMAND = {"dash": "dashboard"}
# Pages about a feature several commands share rather than about one command (their examples run all the same).
FEATURE_PAGES = {"decoders", "board"}
BLOCK_TIMEOUT = 20.0


def run_block(block: d.Block, folder: Path, env: dict[str, str], broker_port: int, spare_port: int) -> None:
    """Runs one block as the conventions say; raises AssertionError naming the page and line."""
    text = d.with_ports(block.text, broker_port, spare_port)
    if block.marker == "server":
        for command in d.server_commands(dataclasses.replace(block, text=text)):
            server = h.Proc(["bash", "-c", f"exec 2>&1\nexec {command}"], env=env, cwd=folder)
            # The start-up line `mqdash broker 0.1 running`, not the root warning's "running as root".
            server.wait_for(lambda out: re.search(rb" running\r?$", out, re.M) is not None,
                            BLOCK_TIMEOUT, "a line ending in `running`")
            # It serves: a QoS 1 message on the page's spare port is acknowledged.
            served = h.run([h.mqdash_binary(), "pub", "-p", str(spare_port), "-t", "docs/ready", "-m", "1",
                            "-q", "1"], env=env, cwd=folder, timeout=BLOCK_TIMEOUT)
            assert served.rc == 0, f"{block.where}: `{command}` does not serve on port 1884:{served}"
            server.send_signal(signal.SIGTERM)
            result = server.finish(BLOCK_TIMEOUT)
            assert result.rc == 0, f"{block.where}: `{command}` did not stop cleanly on SIGTERM:{result}"
    elif block.language == "sh":
        result = h.run(["bash", "-c", "set -euo pipefail\n" + text], env=env, cwd=folder, timeout=BLOCK_TIMEOUT)
        assert result.rc == 0, f"{block.where}: the block failed:{result}"
    else:
        for step in d.console_steps(dataclasses.replace(block, text=text)):
            result = h.run(["bash", "-c", "set -o pipefail\n" + step.command], env=env, cwd=folder,
                           timeout=BLOCK_TIMEOUT)
            assert result.rc == 0, f"{block.where}: `{step.command}` failed:{result}"
            assert d.output_matches(step.expected, result.lines), (
                f"{block.where}: `{step.command}` printed other lines than the page shows\n"
                f"--- the page ---\n" + "\n".join(step.expected) + f"\n--- printed ---{result}")


def run_page(page: Path, folder: Path, env: dict[str, str], broker_port: int, spare_port: int) -> int:
    """Runs every block of `page` in order; returns how many ran."""
    ran = 0
    for block in d.blocks(page):
        if block.runs:
            run_block(block, folder, env, broker_port, spare_port)
            ran += 1
    return ran


def subcommands() -> list[str]:
    """The subcommands `mqdash --help` lists, so a new command without a page fails here."""
    res = h.run([h.mqdash_binary(), "--help"], timeout=10)
    assert res.rc == 0, res
    listing = res.stdout.split("SUBCOMMANDS:", 1)[1]
    return re.findall(r"^  (\w+)(?: \(default\))? {2,}\S", listing, re.M)


def test_every_command_has_a_usage_page():
    commands = subcommands()
    assert "sub" in commands and "broker" in commands, commands
    assert sorted(p.stem for p in USAGE_PAGES if p.stem not in FEATURE_PAGES) == sorted(PAGE_OF_SUBCOMMAND.get(c, c) for c in commands)


@pytest.mark.parametrize("page", USAGE_PAGES, ids=lambda p: p.stem)
def test_usage_page_examples_run(page, page_broker, shell_env, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    spare = h.free_port(exclude=page_broker.ports())
    ran = run_page(page, folder, shell_env, page_broker.port, spare)
    assert ran > 0, f"{page.name}: no example ran"


@pytest.mark.parametrize("page", USAGE_PAGES, ids=lambda p: p.stem)
def test_every_example_runs_or_says_why_not(page):
    """A ```sh / ```console block either runs or is marked skip with a reason (checked by the parser);
    an example in a fence of another name would escape the test, so shell prompts outside
    sh/console fences are refused."""
    for block in d.blocks(page):
        if block.language not in d.RUN_LANGUAGES:
            assert not any(line.startswith(("$ mqdash", "mqdash ")) for line in block.text.splitlines()), (
                f"{block.where}: a command in a ```{block.language} fence is never run: use ```sh or ```console")


# -- the harness itself: each of these must fail, or the page tests above could pass by mistake


def _page(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "page.md"
    page.write_text(text)
    return page


def _run_fake(tmp_path: Path, shell_env: dict[str, str], page_broker, text: str) -> int:
    folder = tmp_path / "fake"
    folder.mkdir(exist_ok=True)
    return run_page(_page(tmp_path, text), folder, shell_env, page_broker.port, h.free_port())


def test_harness_fails_on_a_non_zero_exit(tmp_path, shell_env, page_broker):
    with pytest.raises(AssertionError, match="page.md:2"):
        _run_fake(tmp_path, shell_env, page_broker, "x\n```sh\nmqdash sub -p 1 -t a -C 1 -W 1\n```\n")


def test_harness_fails_on_different_console_output(tmp_path, shell_env, page_broker):
    page = ("```console\n$ mqdash pub -p 1883 -t docs/x -m 1 -r\n"
            "$ mqdash sub -p 1883 -t docs/x -C 1 -W 5\n2\n```\n")
    with pytest.raises(AssertionError, match="printed other lines"):
        _run_fake(tmp_path, shell_env, page_broker, page)


def test_harness_substitutes_the_broker_port(tmp_path, shell_env, page_broker):
    page = ("```console\n$ mqdash pub -p 1883 -t docs/x -m 7 -r\n"
            "$ mqdash sub -p 1883 -t docs/x -C 1 -W 5\n7\n```\n")
    assert _run_fake(tmp_path, shell_env, page_broker, page) == 1


def test_harness_refuses_a_skip_without_reason(tmp_path):
    with pytest.raises(d.DocFormatError, match="needs a reason"):
        d.blocks(_page(tmp_path, "<!-- docs-test: skip -->\n```sh\nfalse\n```\n"))


def test_harness_skips_only_marked_blocks(tmp_path, shell_env, page_broker):
    page = "<!-- docs-test: skip: shows a failure -->\n```sh\nfalse\n```\n```sh\ntrue\n```\n"
    assert _run_fake(tmp_path, shell_env, page_broker, page) == 1


def test_harness_server_must_serve(tmp_path, shell_env, page_broker):
    page = "<!-- docs-test: server -->\n```sh\nbash -c 'echo broker running; while :; do sleep 0.1; done'\n```\n"
    with pytest.raises(AssertionError, match="does not serve"):
        _run_fake(tmp_path, shell_env, page_broker, page)


def test_harness_server_must_stop_cleanly(tmp_path, shell_env, page_broker):
    server = "bash -c 'mqdash broker -p 1884 & trap \"kill $!; wait; exit 3\" TERM; wait'"
    page = f"<!-- docs-test: server -->\n```sh\n{server}\n```\n"
    with pytest.raises(AssertionError, match="did not stop cleanly"):
        _run_fake(tmp_path, shell_env, page_broker, page)


def test_output_wildcard():
    assert d.output_matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert d.output_matches(["a", "...", "z"], ["a", "z"])
    assert not d.output_matches(["a", "...", "z"], ["a", "b"])
    assert not d.output_matches(["a"], ["a", "b"])
