"""The documentation stays a short front door plus pages that link to things that exist.

* ``README.md`` is at most 200 lines and starts with ``## Quick start``, whose first code block holds
  exactly the two commands a newcomer needs (and the test one is what CI runs, ``.ci/run``).
* Every relative link and image in ``README.md``, ``CONTRIBUTING.md`` and ``docs/*.md`` points to a
  file that exists, and a ``#fragment`` to a heading of that file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MAX_README_LINES = 200
DOCS = sorted([README, ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")])

FENCE = re.compile(r"^(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target) and ![alt](target); the target ends at whitespace or ")" (an optional "title" follows).
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:, ...


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code removed."""
    out, in_fence = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        if not in_fence:
            out.append(INLINE_CODE.sub("", line))
    return out


def links(path: Path) -> list[str]:
    return [m.group(1) for line in prose_lines(path.read_text(encoding="utf-8")) for m in LINK.finditer(line)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.replace("`", ""))
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if in_fence or not match:
            continue
        base = slug(match.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def code_blocks(lines: list[str]) -> list[list[str]]:
    blocks, current = [], None
    for line in lines:
        if FENCE.match(line.strip()):
            if current is None:
                current = []
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
    return blocks


# ----------------------------------------------------------------------------------- README


def test_readme_is_a_short_front_door():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, (
        f"README.md has {len(lines)} lines (at most {MAX_README_LINES}): move detail to docs/"
    )


def test_readme_starts_with_quick_start_and_its_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0] == "## Quick start", "README.md must start with '## Quick start'"
    section = []
    for line in lines[1:]:
        if line.startswith("## ") or line.startswith("# "):
            break
        section.append(line)
    blocks = code_blocks(section)
    assert blocks, "the Quick start section has no code block"
    commands = [line.strip() for line in blocks[0] if line.strip()]
    assert len(commands) == 2, f"the first Quick start block must hold exactly two commands: {commands}"
    assert all(c.startswith("python3 packaging/dev.py ") for c in commands), commands
    run, test = commands
    assert run.split()[2] == "run" and test.split()[2] == "test", commands


def test_ci_runs_the_readme_test_command():
    lines = README.read_text(encoding="utf-8").splitlines()
    test_command = [line.strip() for line in code_blocks(lines)[0] if line.strip()][1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in [line.strip() for line in ci]


def test_dev_script_has_the_quick_start_commands():
    source = (ROOT / "packaging" / "dev.py").read_text(encoding="utf-8")
    assert re.search(r'\{\s*"run",\s*"test"', source), "packaging/dev.py no longer accepts run and test"


# ----------------------------------------------------------------------------------- links


def test_there_are_docs_to_check():
    names = {p.name for p in DOCS}
    for expected in (
        "README.md",
        "CONTRIBUTING.md",
        "cashier.md",
        "cli.md",
        "installing.md",
        "going-live.md",
        "troubleshooting.md",
        "sandbox.md",
        "architecture.md",
        "printing.md",
        "benchmarks.md",
    ):
        assert expected in names


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_existing_files(doc: Path):
    broken = []
    for target in links(doc):
        if EXTERNAL.match(target) or target.startswith("#"):
            continue
        file_part = target.split("#", 1)[0]
        resolved = (doc.parent / file_part).resolve()
        if not resolved.is_file():
            broken.append(target)
    assert broken == [], f"{doc.relative_to(ROOT)} links to missing files: {broken}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_link_fragments_name_a_heading(doc: Path):
    broken = []
    for target in links(doc):
        if EXTERNAL.match(target) or "#" not in target:
            continue
        file_part, fragment = target.split("#", 1)
        resolved = (doc.parent / file_part).resolve() if file_part else doc
        if resolved.suffix == ".md" and resolved.is_file() and fragment not in anchors(resolved):
            broken.append(target)
    assert broken == [], f"{doc.relative_to(ROOT)} links to missing headings: {broken}"


def test_link_extraction_sees_links_images_and_skips_code():
    text = (
        'See [the CLI](docs/cli.md#exit-codes) and ![shot](a/b.png "title").\n'
        "`[not](a link)`\n```\n[nor](this.md)\n```\n[after](c.md)\n"
    )
    found = [m.group(1) for line in prose_lines(text) for m in LINK.finditer(line)]
    assert found == ["docs/cli.md#exit-codes", "a/b.png", "c.md"]
    assert slug("`caja print` and `caja test-print`") == "caja-print-and-caja-test-print"
    assert slug("Linux (Debian/Ubuntu shown)") == "linux-debianubuntu-shown"
