"""Translation of user-facing strings, without Qt.

Every string a cashier, supervisor or installer can see goes through :func:`_` (or is marked with
:func:`N_` where it must be translated later, e.g. enum labels). Source strings are English; the
translations live in Qt Linguist ``.ts`` files under ``resources/translations/`` (one per package,
``<area>_<lang>.ts``), maintained with ``python packaging/translations.py extract|check``. Core
packages read the ``.ts`` catalog directly (no Qt needed, so the CLI and services translate too);
the GUI additionally loads the compiled ``.qm`` into a ``QTranslator`` for Qt's own widgets.

Messages with values use ``str.format`` fields: ``_("Line {n}: quantity must be positive").format(n=2)``,
and translations must keep the same fields (checked by the test suite).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from app.resources import resource_path

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "es"
LANGUAGES = {"es": "Español", "en": "English"}

_catalog: dict[str, str] = {}
_language = "en"


def _(text: str) -> str:
    """Translate ``text`` into the current language (identity when there is no translation)."""
    return _catalog.get(text) or text


def N_(text: str) -> str:  # noqa: N802 - conventional gettext name
    """Mark ``text`` for extraction without translating it now."""
    return text


def load_ts(path: Path) -> dict[str, str]:
    """Read the finished translations of one Qt ``.ts`` file as ``{source: translation}``."""
    out: dict[str, str] = {}
    root = ET.parse(path).getroot()
    for message in root.iter("message"):
        source = message.findtext("source")
        tr = message.find("translation")
        if source is None or tr is None or not (tr.text or "").strip():
            continue
        if tr.get("type") in {"unfinished", "obsolete", "vanished"}:
            continue
        out[source] = tr.text or ""
    return out


def set_language(language: str | None) -> str:
    """Switch the process-wide language; unknown languages fall back to the default.

    Returns the language actually in effect.
    """
    global _catalog, _language
    lang = (language or DEFAULT_LANGUAGE).split("_")[0].split("-")[0].lower()
    if lang not in LANGUAGES:
        log.warning("unknown language %r, using %s", language, DEFAULT_LANGUAGE)
        lang = DEFAULT_LANGUAGE
    catalog: dict[str, str] = {}
    if lang != "en":
        for ts in sorted(resource_path("translations").glob(f"*_{lang}.ts")):
            try:
                catalog.update(load_ts(ts))
            except (OSError, ET.ParseError):
                log.exception("cannot read translation file %s", ts)
    _catalog, _language = catalog, lang
    return lang


def current_language() -> str:
    return _language
