#!/usr/bin/env python3
"""Maintain Caja's translations (Qt Linguist ``.ts`` files in ``resources/translations``).

    python packaging/translations.py extract   # add new strings, mark vanished ones
    python packaging/translations.py check     # list untranslated strings / broken fields; exit 1
    python packaging/translations.py build     # compile .ts -> caja_<lang>.qm (needs pyside6-lrelease)
    python packaging/translations.py todo      # untranslated strings as JSON {source: ""}
    python packaging/translations.py apply es FILE.json   # fill translations from {source: text}

Strings are found statically (``ast``) as the first argument of calls to ``_``, ``N_``, ``tr``
and ``self.tr`` with a literal string, in every module under ``app/``. Each top-level package gets
its own file (``domain_es.ts``, ``ui_es.ts``, ...), so that work on different packages does not
touch the same file. Standard library only.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
TS_DIR = ROOT / "resources" / "translations"
LANGS = ["es"]
CALL_NAMES = {"_", "N_", "tr", "QT_TR_NOOP", "QT_TRANSLATE_NOOP"}
FIELD_RE = re.compile(r"\{[^{}]*\}")


def area_of(path: Path) -> str:
    rel = path.relative_to(APP)
    return rel.parts[0] if len(rel.parts) > 1 else "app"


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def collect() -> dict[str, dict[str, list[str]]]:
    """``{area: {source: ["file:line", ...]}}`` for every translatable literal in ``app/``."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node.func) not in CALL_NAMES:
                continue
            args = node.args
            if _call_name(node.func) == "QT_TRANSLATE_NOOP":
                args = args[1:]
            if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found[area_of(path)][args[0].value].append(where)
    return found


def read_ts(path: Path) -> dict[str, tuple[str, str | None]]:
    """``{source: (translation, type)}`` of an existing file."""
    if not path.exists():
        return {}
    out = {}
    for message in ET.parse(path).getroot().iter("message"):
        src = message.findtext("source") or ""
        tr = message.find("translation")
        out[src] = ((tr.text or "") if tr is not None else "", tr.get("type") if tr is not None else None)
    return out


def write_ts(path: Path, lang: str, context: str, entries: dict[str, tuple[str, str | None, list[str]]]) -> None:
    ts = ET.Element("TS", version="2.1", language=lang)
    ctx = ET.SubElement(ts, "context")
    ET.SubElement(ctx, "name").text = context
    for source in sorted(entries):
        translation, kind, locations = entries[source]
        msg = ET.SubElement(ctx, "message")
        # File names only: line numbers would churn the file on every unrelated edit.
        for file in sorted({loc.rsplit(":", 1)[0] for loc in locations})[:3]:
            ET.SubElement(msg, "location", filename="../../" + file)
        ET.SubElement(msg, "source").text = source
        tr = ET.SubElement(msg, "translation")
        tr.text = translation
        if kind:
            tr.set("type", kind)
    ET.indent(ts)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(ts, encoding="unicode") + "\n", encoding="utf-8")


def extract() -> None:
    TS_DIR.mkdir(parents=True, exist_ok=True)
    found = collect()
    for lang in LANGS:
        for area, sources in found.items():
            path = TS_DIR / f"{area}_{lang}.ts"
            old = read_ts(path)
            entries = {}
            for src, locs in sources.items():
                tr, kind = old.get(src, ("", "unfinished"))
                if kind in {"vanished", "obsolete"}:
                    kind = "unfinished" if not tr else None
                entries[src] = (tr, kind, locs)
            for src, (tr, _kind) in old.items():
                if src not in entries and tr:
                    entries[src] = (tr, "vanished", [])
            write_ts(path, lang, area, entries)
            print(f"{path.relative_to(ROOT)}: {len(sources)} strings")


def problems() -> list[str]:
    found = collect()
    issues: list[str] = []
    for lang in LANGS:
        catalog: dict[str, tuple[str, str | None]] = {}
        for path in TS_DIR.glob(f"*_{lang}.ts"):
            catalog.update(read_ts(path))
        for _area, sources in sorted(found.items()):
            for src, locs in sorted(sources.items()):
                tr, kind = catalog.get(src, ("", "missing"))
                if not tr or kind in {"unfinished", "missing", "vanished", "obsolete"}:
                    issues.append(f"[{lang}] untranslated ({locs[0]}): {src!r}")
                elif sorted(FIELD_RE.findall(tr)) != sorted(FIELD_RE.findall(src)):
                    issues.append(f"[{lang}] placeholders differ ({locs[0]}): {src!r} -> {tr!r}")
    return issues


def check() -> int:
    issues = problems()
    for line in issues:
        print(line)
    print(f"{len(issues)} problem(s)")
    return 1 if issues else 0


def build() -> int:
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which("pyside6-lrelease")
    for lang in LANGS:
        sources = sorted(TS_DIR.glob(f"*_{lang}.ts"))
        if not sources:
            continue
        if not lrelease:
            print("pyside6-lrelease not found; .qm files not built (the app still translates "
                  "from the .ts sources)", file=sys.stderr)
            return 0
        target = TS_DIR / f"caja_{lang}.qm"
        subprocess.run([lrelease, "-silent", *map(str, sources), "-qm", str(target)], check=True)
    return 0


def todo() -> None:
    import json

    catalog: dict[str, tuple[str, str | None]] = {}
    for path in TS_DIR.glob("*_es.ts"):
        catalog.update(read_ts(path))
    missing = {src: "" for sources in collect().values() for src in sources
               if not catalog.get(src, ("", None))[0] or catalog[src][1] == "unfinished"}
    print(json.dumps(missing, ensure_ascii=False, indent=1))


def apply(lang: str, json_file: str) -> None:
    """Fill translations from a JSON ``{source: translation}`` file (after ``extract``)."""
    import json

    mapping = json.loads(Path(json_file).read_text(encoding="utf-8"))
    extract()
    found = collect()
    for area, sources in found.items():
        path = TS_DIR / f"{area}_{lang}.ts"
        old = read_ts(path)
        entries = {}
        for src, locs in sources.items():
            tr, kind = old.get(src, ("", "unfinished"))
            if mapping.get(src):
                tr, kind = mapping[src], None
            entries[src] = (tr, kind, locs)
        for src, (tr, _kind) in old.items():
            if src not in entries and tr:
                entries[src] = (tr, "vanished", [])
        write_ts(path, lang, area, entries)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "extract":
        extract()
    elif cmd == "check":
        sys.exit(check())
    elif cmd == "build":
        sys.exit(build())
    elif cmd == "todo":
        todo()
    elif cmd == "apply" and len(sys.argv) == 4:
        apply(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
