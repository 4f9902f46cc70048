#!/usr/bin/env python3
"""Maintain Caja's translations: gettext catalogs ``resources/translations/<lang>/LC_MESSAGES/caja.po``.

    python packaging/translations.py extract   # add new strings to every .po, retire vanished ones
    python packaging/translations.py check     # untranslated strings, broken fields/plurals; exit 1
    python packaging/translations.py compile   # .po -> .mo (what the app reads at run time)
    python packaging/translations.py todo      # untranslated strings as JSON {source: ""}
    python packaging/translations.py apply es FILE.json   # fill translations from {source: text}
    python packaging/translations.py import-ts es FILE.ts...  # take translations from Qt .ts files

Strings are found statically (``ast``) in every module under ``app/``: the literal arguments of
``_(text)``, ``N_(text)``, ``ngettext(singular, plural, n)``, ``pgettext(context, text)`` and
``npgettext(context, singular, plural, n)``, ``NC_(context, text)``. In ``apply``, a plural message's translation is a list
of forms (Spanish: ``["{n} venta", "{n} ventas"]``).

``check`` fails when an extracted string has no finished translation (missing, empty or fuzzy),
when a translation's ``{fields}`` or ``%`` placeholders differ from the source's, when a plural
message lacks one of the language's forms, or when the catalog's ``Plural-Forms`` header is not
the expected one. ``.mo`` files are build output (``packaging/dev.py setup`` and
``packaging/build.py`` run ``compile``); they are not committed.

Needs Babel (the ``test`` and ``build`` extras), for reading and writing ``.po``/``.mo`` files;
the app itself reads ``.mo`` with the standard library only.
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
TRANSLATIONS = ROOT / "resources" / "translations"
DOMAIN = "caja"
LANGS = ["es"]
# The GNU gettext plural rule each language's catalog must declare (CLDR's newer Spanish "many"
# form for millions is not one gettext or translators use).
PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);"}
PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}|%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|%[sdifr]")
COPYRIGHT = "Caja"

# call name -> which positional arguments are (context, singular, plural)
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "N_": (None, 0, None),
    "gettext": (None, 0, None),
    "ngettext": (None, 0, 1),
    "pgettext": (0, 1, None),
    "npgettext": (0, 1, 2),
    "NC_": (0, 1, None),
}

MessageKey = tuple[str | None, str]  # (context, msgid)


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal(args: list[ast.expr], index: int | None) -> str | None:
    if index is None or index >= len(args):
        return None
    arg = args[index]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


class Found:
    """One extracted message: its plural source (if any) and where it is used."""

    def __init__(self) -> None:
        self.plural: str | None = None
        self.files: set[str] = set()


def collect() -> dict[MessageKey, Found]:
    """``{(context, msgid): Found}`` for every translatable literal in ``app/``."""
    found: dict[MessageKey, Found] = defaultdict(Found)
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            spec = KEYWORDS.get(_call_name(node.func) or "")
            if spec is None:
                continue
            ctx_i, sing_i, plural_i = spec
            msgid = _literal(node.args, sing_i)
            if msgid is None or (ctx_i is not None and _literal(node.args, ctx_i) is None):
                continue
            entry = found[(_literal(node.args, ctx_i), msgid)]
            plural = _literal(node.args, plural_i)
            if plural is not None:
                entry.plural = plural
            entry.files.add(path.relative_to(ROOT).as_posix())
    return dict(found)


def read_catalog(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return new_catalog(lang)
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN, abort_invalid=True)


def new_catalog(lang: str) -> Catalog:
    catalog = Catalog(
        locale=lang, domain=DOMAIN, project="Caja", copyright_holder=COPYRIGHT, charset="utf-8", fuzzy=False
    )
    _set_plural_header(catalog, lang)
    return catalog


def _set_plural_header(catalog: Catalog, lang: str) -> None:
    headers = [(k, v) for k, v in catalog.mime_headers if k != "Plural-Forms"]
    headers.append(("Plural-Forms", PLURAL_FORMS[lang]))
    catalog.mime_headers = headers  # Babel parses nplurals from it


def write_catalog(lang: str, catalog: Catalog) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.fuzzy = False
    out = io.BytesIO()
    # No line numbers (they would churn on every unrelated edit) and no wrapping (grep-able).
    write_po(
        out, catalog, width=0, sort_output=True, include_lineno=False, ignore_obsolete=False, include_previous=False
    )
    # Nor the Babel version, which differs between machines and would make every extract a conflict.
    text = re.sub(rb"^\"Generated-By: [^\"]*\"\n", b"", out.getvalue(), flags=re.M)
    path.write_bytes(text)


def template() -> Catalog:
    catalog = Catalog(domain=DOMAIN, charset="utf-8")
    for (context, msgid), entry in sorted(collect().items(), key=lambda kv: (kv[0][1], kv[0][0] or "")):
        message_id = (msgid, entry.plural) if entry.plural is not None else msgid
        catalog.add(message_id, locations=[(f, None) for f in sorted(entry.files)], context=context)
    return catalog


def extract() -> None:
    tmpl = template()
    for lang in LANGS:
        catalog = read_catalog(lang)
        tmpl.creation_date = catalog.creation_date  # a header that changed on every run would conflict
        catalog.update(tmpl, no_fuzzy_matching=False, update_header_comment=False)
        _set_plural_header(catalog, lang)
        write_catalog(lang, catalog)
        untranslated = sum(1 for m in catalog if m.id and not _finished(m, catalog.num_plurals))
        print(
            f"{_shown(po_path(lang))}: {len(tmpl)} strings, {untranslated} to translate, "
            f"{len(catalog.obsolete)} obsolete"
        )


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string or "",)


def _finished(message: Message, nplurals: int) -> bool:
    forms = _forms(message)
    if message.fuzzy or not all(forms):
        return False
    return len(forms) == (nplurals if message.pluralizable else 1)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER_RE.findall(text))


def problems() -> list[str]:
    """What ``check`` reports: one line per problem, empty when the catalogs are complete."""
    found = collect()
    issues: list[str] = []
    for lang in LANGS:
        path = po_path(lang)
        if not path.exists():
            issues.append(f"[{lang}] {_shown(path)} is missing: run `extract`")
            continue
        catalog = read_catalog(lang)
        header = dict(catalog.mime_headers).get("Plural-Forms", "")
        if header.replace(" ", "") != PLURAL_FORMS[lang].replace(" ", ""):
            issues.append(f"[{lang}] Plural-Forms is {header!r}, expected {PLURAL_FORMS[lang]!r}")
        nplurals = catalog.num_plurals
        for (context, msgid), entry in sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")):
            where = sorted(entry.files)[0]
            message = catalog.get(msgid, context=context)
            if message is None:
                issues.append(f"[{lang}] untranslated ({where}): {msgid!r} (not in the catalog: run `extract`)")
                continue
            if (entry.plural is not None) != message.pluralizable or (
                entry.plural is not None and message.id[1] != entry.plural
            ):
                issues.append(f"[{lang}] plural source changed ({where}): {msgid!r} (run `extract`)")
                continue
            forms = _forms(message)
            if not _finished(message, nplurals):
                kind = (
                    "fuzzy"
                    if message.fuzzy and all(forms)
                    else ("plural forms incomplete" if message.pluralizable and any(forms) else "untranslated")
                )
                issues.append(f"[{lang}] {kind} ({where}): {msgid!r}")
                continue
            if not message.pluralizable:
                if _placeholders(forms[0]) != _placeholders(msgid):
                    issues.append(f"[{lang}] placeholders differ ({where}): {msgid!r} -> {forms[0]!r}")
                continue
            allowed = set(_placeholders(msgid)) | set(_placeholders(entry.plural or ""))
            for i, form in enumerate(forms):
                extra = set(_placeholders(form)) - allowed
                # Forms other than the first serve counts other than 1: they keep every field.
                lost = set(_placeholders(entry.plural or "")) - set(_placeholders(form)) if i else set()
                if extra or lost:
                    issues.append(f"[{lang}] placeholders differ ({where}): {entry.plural!r} -> form {i} {form!r}")
    return issues


def check() -> int:
    issues = problems()
    for line in issues:
        print(line)
    print(f"{len(issues)} problem(s)")
    return 1 if issues else 0


def compile_catalogs() -> int:
    sys.path.insert(0, str(ROOT))
    from app.i18n import mo_bytes

    for lang in LANGS:
        source = po_path(lang)
        if not source.exists():
            continue
        target = mo_path(lang)
        data = mo_bytes(source)
        tmp = target.with_suffix(".mo.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        print(f"{_shown(target)}: {len(data)} bytes")
    return 0


def todo() -> None:
    for lang in LANGS[:1]:
        catalog = read_catalog(lang)
        missing = {}
        for (context, msgid), entry in collect().items():
            message = catalog.get(msgid, context=context)
            if message is None or not _finished(message, catalog.num_plurals):
                missing[msgid] = [""] * catalog.num_plurals if entry.plural is not None else ""
        print(json.dumps(missing, ensure_ascii=False, indent=1))


def _fill(lang: str, mapping: dict[str, str | list[str]], only_missing: bool) -> int:
    """Put ``{msgid: translation}`` into the catalog after extracting; returns how many were set."""
    extract()
    catalog = read_catalog(lang)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        value = mapping.get(msgid)
        if not value or (only_missing and _finished(message, catalog.num_plurals)):
            continue
        if message.pluralizable:
            if isinstance(value, str):
                continue  # a singular translation cannot fill a plural message
            message.string = tuple(value)
        else:
            if not isinstance(value, str):
                continue
            message.string = value
        message.flags.discard("fuzzy")
        filled += 1
    write_catalog(lang, catalog)
    return filled


def apply(lang: str, json_file: str) -> None:
    """Fill translations from a JSON ``{source: translation}`` file (after ``extract``)."""
    mapping = json.loads(Path(json_file).read_text(encoding="utf-8"))
    print(f"{_fill(lang, mapping, only_missing=False)} translation(s) applied")


def read_ts(path: Path) -> dict[str, str]:
    """The finished translations of a Qt Linguist ``.ts`` file (the catalogs' former format)."""
    out: dict[str, str] = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source")
        tr = message.find("translation")
        if source is None or tr is None or not (tr.text or "").strip():
            continue
        if tr.get("type") == "unfinished":
            continue
        out[source] = tr.text or ""
    return out


def import_ts(lang: str, files: list[str]) -> None:
    """Take the translations of untranslated strings from ``.ts`` files (e.g. from an older branch)."""
    mapping: dict[str, str] = {}
    for file in files:
        mapping.update(read_ts(Path(file)))
    print(f"{_fill(lang, mapping, only_missing=True)} translation(s) imported")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "extract":
        extract()
    elif cmd == "check":
        sys.exit(check())
    elif cmd in {"compile", "build"}:  # "build": its name before the move to gettext
        sys.exit(compile_catalogs())
    elif cmd == "todo":
        todo()
    elif cmd == "apply" and len(sys.argv) == 4:
        apply(sys.argv[2], sys.argv[3])
    elif cmd == "import-ts" and len(sys.argv) >= 4:
        import_ts(sys.argv[2], sys.argv[3:])
    else:
        print(__doc__)
        sys.exit(2)
