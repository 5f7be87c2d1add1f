"""The docs hang together: every page under docs/ is reachable from README.md through relative links,
every relative link (and #anchor) resolves, and nothing in README, docs/ or Package.swift points
outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mqhelpers as h

ROOT = h.REPO_ROOT
README = ROOT / "README.md"
LINK = re.compile(r"(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\((?P<target><[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
FENCE = re.compile(r"^```")


# What a checkout cannot follow: the team's notes outside the repository.
OUTSIDE = re.compile(r"/work/|\.\./shared|shared/DESIGN|DESIGN\.md|shared/seed")


def docs_pages() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md"))


def prose_lines(page: Path) -> list[str]:
    """The page's lines outside fenced blocks (a link inside a code example is not a link)."""
    lines, inside = [], False
    for line in page.read_text().splitlines():
        if FENCE.match(line):
            inside = not inside
            continue
        if not inside:
            lines.append(line)
    return lines


def links(page: Path) -> list[str]:
    found = []
    for line in prose_lines(page):
        # Inline code is not a link either: `[x](y)` in backticks is an example.
        for m in LINK.finditer(re.sub(r"`[^`]*`", "", line)):
            found.append(m.group("target").strip("<>"))
    return found


def is_relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target)


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"`|\*|_(?=\W)|(?<=\W)_", "", title.strip()).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for line in prose_lines(page):
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group("title"))
        n = seen.get(base, 0)
        seen[base] = n + 1
        result.add(base if n == 0 else f"{base}-{n}")
    return result


def resolve(page: Path, target: str) -> tuple[Path, str]:
    path, _, anchor = target.partition("#")
    return ((page.parent / path).resolve() if path else page), anchor


def test_there_are_docs_pages():
    assert len(docs_pages()) >= 10, "docs/ holds the manual; README links into it"


@pytest.mark.parametrize("page", [README, *docs_pages()], ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    broken = []
    for target in filter(is_relative, links(page)):
        path, anchor = resolve(page, target)
        relative = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if not path.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no heading with the anchor #{anchor} in {relative}")
    assert not broken, f"{page.relative_to(ROOT)}: broken links:\n" + "\n".join(broken)


def test_every_docs_page_is_reachable_from_readme():
    reached, todo = set(), [README.resolve()]
    while todo:
        page = todo.pop()
        if page in reached or not page.exists() or page.suffix != ".md":
            continue
        reached.add(page)
        todo += [resolve(page, t)[0] for t in links(page) if is_relative(t)]
    unreached = [str(p.relative_to(ROOT)) for p in docs_pages() if p.resolve() not in reached]
    assert not unreached, f"docs pages no link from README leads to: {unreached}"


@pytest.mark.parametrize("path", [README, ROOT / "Package.swift", *docs_pages()],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_outside_the_repository(path):
    hits = [f"{path.name}:{n}: {line.strip()}" for n, line in enumerate(path.read_text().splitlines(), 1)
            if OUTSIDE.search(line)]
    assert not hits, "notes outside the checkout are cited (docs/architecture.md is the place):\n" + "\n".join(hits)


# -- the checks themselves


def test_link_parser_finds_links_and_ignores_code(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("See [a](a.md) and [b `x`](b.md#part), not `[c](c.md)`,\n"
                    "```\n[d](d.md)\n```\n![img](i.png) [e](https://example.com)\n")
    assert links(page) == ["a.md", "b.md#part", "https://example.com"]


def test_anchors_follow_github(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# The `mqdash sub` command\n## Reload on SIGHUP\n## Limits, and robustness\n## Reload on SIGHUP\n")
    assert anchors(page) == {"the-mqdash-sub-command", "reload-on-sighup", "limits-and-robustness",
                             "reload-on-sighup-1"}
