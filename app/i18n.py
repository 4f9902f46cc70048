"""Translation of user-facing strings, without Qt: GNU gettext catalogs read by the stdlib.

Every string a cashier, supervisor or installer can see goes through :func:`_` (or is marked with
:func:`N_` where it must be translated later, e.g. enum labels). A message that holds a count uses
:func:`ngettext`, so that Spanish says "1 venta encontrada" and "2 ventas encontradas"::

    ngettext("{n} sale found.", "{n} sales found.", n).format(n=n)

:func:`pgettext` tells apart two messages with the same English text but different meanings.
Source strings are English. Messages with values use ``str.format`` fields, and translations keep
the same fields (``python packaging/translations.py check`` and the test suite verify it).

The catalogs are one gettext ``.po`` file per language,
``resources/translations/<lang>/LC_MESSAGES/caja.po``, maintained with
``python packaging/translations.py extract|check|compile``. At run time the stdlib :mod:`gettext`
reads the compiled ``caja.mo`` beside it (``packaging/dev.py setup`` and the PyInstaller build
compile it; ``.mo`` files are not committed). In a source checkout whose ``.mo`` is missing or
older than its ``.po`` (after a pull or an edit), the ``.po`` is compiled in memory with Babel (a
test/dev dependency) so that nobody runs on stale translations; the frozen app never needs Babel.
Qt's own widgets (standard buttons, file dialogs) are translated by Qt's catalogs, installed by
:func:`app.bootstrap.install_translators`.
"""

from __future__ import annotations

import gettext
import io
import logging
import sys
from pathlib import Path

from app.resources import resource_path

log = logging.getLogger(__name__)

DOMAIN = "caja"
DEFAULT_LANGUAGE = "es"
LANGUAGES = {"es": "Español", "en": "English"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_cache: dict[tuple[str, float, float], gettext.NullTranslations] = {}


def _(text: str) -> str:
    """Translate ``text`` into the current language (identity when there is no translation)."""
    return _translations.gettext(text)


def N_(text: str) -> str:  # noqa: N802 - conventional gettext name
    """Mark ``text`` for extraction without translating it now."""
    return text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message that suits ``n`` in the current language (format it after)."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, text: str) -> str:
    """Translate ``text`` in ``context``, for English words that mean different things."""
    return _translations.pgettext(context, text)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """:func:`ngettext` within a ``context``."""
    return _translations.npgettext(context, singular, plural, n)


def NC_(context: str, text: str) -> tuple[str, str]:  # noqa: N802 - like N_, with a context
    """Mark ``text`` in ``context`` for extraction (translate it later with :func:`pgettext`)."""
    return context, text


# Qt's own strings that Qt's Spanish catalog (qtbase_es.qm) lacks: Qt 6 gave the file dialog's
# labels accelerators ("&Look in:") and their translations were lost. Caja's catalog translates them,
# with Qt's context as msgctxt; app.bootstrap.install_translators hands them to Qt.
QT_MESSAGES = (
    NC_("QFileDialog", "&Look in:"),
    NC_("QFileDialog", "Files of &type:"),
    NC_("QFileDialog", "File &name:"),  # Qt says "Nombre de fichero" (Spain); "archivo" here
    NC_("QFileDialog", "Computer"),
    NC_("QPlatformTheme", "Don't Save"),
    NC_("QPlatformTheme", "Close without Saving"),
)


def catalog_dir(language: str) -> Path:
    """The folder holding ``caja.po`` (and the compiled ``caja.mo``) of ``language``."""
    return Path(resource_path("translations")) / language / "LC_MESSAGES"


def mo_bytes(po_path: Path) -> bytes:
    """Compile a ``.po`` file to ``.mo`` bytes with Babel (needed only where ``.mo`` is built).

    Fuzzy entries and entries with any empty form are left out, so that an unfinished translation
    shows the English source rather than an empty string.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as fh:
        catalog = read_po(fh, abort_invalid=True)
    finished = Catalog(locale=catalog.locale, domain=catalog.domain, charset="utf-8")
    finished.mime_headers = catalog.mime_headers
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if forms and all(forms):
            finished[message.id] = message
    out = io.BytesIO()
    write_mo(out, finished)
    return out.getvalue()


def _load(language: str) -> gettext.NullTranslations:
    folder = catalog_dir(language)
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    mo_time = mo.stat().st_mtime if mo.exists() else -1.0
    po_time = po.stat().st_mtime if po.exists() else -1.0
    key = (language, mo_time, po_time)
    if key in _cache:
        return _cache[key]
    translations: gettext.NullTranslations | None = None
    fresh = mo_time >= 0 and (mo_time >= po_time or getattr(sys, "frozen", False))
    if not fresh and po_time >= 0:
        try:
            translations = gettext.GNUTranslations(io.BytesIO(mo_bytes(po)))
            log.info(
                "%s is missing or older than %s: compiled it in memory "
                "(run `python packaging/translations.py compile`)",
                mo.name,
                po,
            )
        except ImportError:
            log.warning(
                "%s is missing or older than its .po and Babel is not installed; "
                "run `python packaging/translations.py compile`",
                mo,
            )
        except Exception:  # a broken .po must not stop the till: fall back to the .mo or English
            log.exception("cannot read translation file %s", po)
    if translations is None and mo_time >= 0:
        try:
            with open(mo, "rb") as fh:
                translations = gettext.GNUTranslations(fh)
        except Exception:  # unreadable or not a .mo (gettext raises OSError, struct.error...)
            log.exception("cannot read translation file %s", mo)
    if translations is None:
        log.warning("no %s translations found in %s", language, folder)
        translations = gettext.NullTranslations()
    _cache[key] = translations
    return translations


def set_language(language: str | None) -> str:
    """Switch the process-wide language; unknown languages fall back to the default.

    Returns the language actually in effect.
    """
    global _translations, _language
    lang = (language or DEFAULT_LANGUAGE).split("_")[0].split("-")[0].lower()
    if lang not in LANGUAGES:
        log.warning("unknown language %r, using %s", language, DEFAULT_LANGUAGE)
        lang = DEFAULT_LANGUAGE
    _translations = gettext.NullTranslations() if lang == "en" else _load(lang)
    _language = lang
    return lang


def current_language() -> str:
    return _language
