"""Typed settings with defaults, declared once, and the API key's safe keeping.

Nobody reads string keys scattered around: code asks :func:`load_settings` for a
:class:`Settings`. The values live as JSON in ``app.paths.config_dir() / "settings.json"``
(``CAJA_CONFIG_DIR`` overrides the folder). Environment variables override the stored values for
headless use: ``OCOTE_API_URL``, ``OCOTE_API_KEY``, ``CAJA_PRINTER``, ``CAJA_STORE_URL`` (``CAJA_DATA_DIR`` and friends
are read by ``app.paths``).

A settings file that is corrupt, half written or holds values of the wrong type never stops the app:
:func:`load_settings` keeps the fields that are still valid, uses defaults for the rest, moves the bad
file aside as ``settings.json.bad-<timestamp>`` and lists what it found in ``Settings.problems``
(translated, for the window and ``caja doctor`` to show). Writes are atomic.

The API key is never written to the settings file. It lives in the OS keyring (service ``caja``)
or, where no usable keyring backend exists (a headless Linux till), in ``config_dir() / "api-key"``
readable by the user only, with a warning in the log and in ``caja doctor``.

Training mode is simply "no API key configured": the app then talks to its embedded sandbox and
prints to the preview printer. Whether a configured key is a *test* or a *production* key only the
server knows (the company bound to the key); :func:`environment_of_dte` reads it from a signed DTE.

Why over 500 lines: :class:`Settings` declares every setting with its validation in one place (the
point of this module), and the API key's keeping shares its private-file writer and its ``Issue``
type with the settings file (``app.store.secret`` reuses both for the store password).
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic import ValidationError as PydanticValidationError

from app import paths
from app.domain.errors import ConfigurationError
from app.domain.redaction import strip_password
from app.domain.scale import ScaleFormat, ScaleValue, parse_prefixes
from app.i18n import LANGUAGES, N_, _

log = logging.getLogger(__name__)

PRODUCTION_API_URL = "https://ocote.io/api/connect"
SETTINGS_FILE = "settings.json"
API_KEY_FILE = "api-key"
KEYRING_SERVICE = "caja"
KEYRING_USERNAME = "api-key"
API_KEY_RE = re.compile(r"^odt_[0-9a-f]{56}$")
_CODE_RE = re.compile(r"^[A-Z0-9]{4}$")

ApiKeySource = Literal["", "environment", "keyring", "file"]
# A problem found while loading: an English template (marked for translation) and its fields.
# Kept untranslated so that ``Settings.problems`` speaks the language chosen *after* loading.
Issue = tuple[str, dict[str, str]]


def _issue(template: str, **fields: object) -> Issue:
    return template, {name: str(value) for name, value in fields.items()}


class Settings(BaseModel):
    """Everything a till is configured with. Field names are a contract with the other teams."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    api_url: str = PRODUCTION_API_URL
    # Never written to the settings file: kept in the OS keyring (or the documented fallback).
    api_key: SecretStr | None = Field(default=None, exclude=True)
    printer: str = ""  # connection URL (tcp://, usb://, serial://, file:, cups://, win32://, preview:, dummy:)
    printer_profile: str = "generic-80"
    cut: bool = True
    printer_open_timeout: float = Field(default=5.0, gt=0)  # seconds to open/connect the printer
    max_job_mm: float = Field(default=3000.0, gt=0)  # longest print job, all pages together
    drawer_on_cash: bool = False
    branch_code: str = "M001"  # 4-char MH establishment code, as in control numbers
    register_code: str = "P001"  # 4-char MH point-of-sale code
    cashier: str = ""
    language: str = "es"
    # Wall-clock budget of one sale's POST /invoice (connect + send + read + retries), seconds;
    # pass it to OcoteClient(sale_deadline=...). Past it the sale is queued, never left waiting.
    sale_deadline_s: float = Field(default=12.0, gt=0, le=120)
    # Largest discount (percent of a line) a cashier gives alone; above it a supervisor's PIN.
    max_discount_pct: Decimal = Field(default=Decimal(10), ge=0, le=100)
    # After the outbox settles a queued sale it prints the fiscal ticket at once; True holds it
    # for pickup in History instead (the customer may have left with the provisional receipt).
    hold_fiscal_tickets: bool = False
    # Printed in the header of the provisional receipt (all optional; empty ones are left out).
    business_name: str = Field(default="", max_length=120)
    business_nit: str = Field(default="", max_length=40)
    business_nrc: str = Field(default="", max_length=40)
    business_address: str = Field(default="", max_length=250)
    # The store database shared by the shop's tills (docs/store.md): postgresql://user@host:5432/db
    # (libpq parameters such as sslmode as query). "" = a standalone till. Its password is kept like
    # the API key (app.store.secret), never in this file; CAJA_STORE_URL may carry one.
    store_url: str = ""
    # Scale labels (docs/installing.md#scale-labels): EAN-13 codes starting with one of these
    # prefixes carry an item code and a price or weight ("" turns them off). Default layout:
    # 2X IIIII PPPPP C (price in cents).
    scale_prefixes: str = "20-29"
    scale_item_digits: int = Field(default=5, ge=1, le=10)
    scale_value: Literal["price", "weight"] = "price"
    scale_decimals: int = Field(default=2, ge=0, le=3)
    scale_price_check: bool = False
    # Quick keys (docs/cashier.md#quick-keys): product codes of the favourite-products grid, in order.
    quick_keys: list[str] = Field(default_factory=list, max_length=60)

    # Runtime facts, never stored: what loading found wrong (see ``problems``), which fields
    # environment variables set, and where the API key came from.
    issues: list[Issue] = Field(default_factory=list, exclude=True)
    from_environment: frozenset[str] = Field(default=frozenset(), exclude=True)
    api_key_source: ApiKeySource = Field(default="", exclude=True)

    @field_validator("api_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value.rstrip("/")

    @field_validator("store_url")
    @classmethod
    def _check_store_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql://")
        return value

    @field_validator("branch_code", "register_code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        value = value.strip().upper()
        if not _CODE_RE.match(value):
            raise ValueError("must be 4 letters or digits")
        return value

    @field_validator("language")
    @classmethod
    def _check_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {sorted(LANGUAGES)}")
        return value

    @field_validator("scale_prefixes")
    @classmethod
    def _check_scale_prefixes(cls, value: str) -> str:
        parse_prefixes(value)  # raises ValueError with what is wrong
        return value.strip()

    @field_validator("quick_keys")
    @classmethod
    def _check_quick_keys(cls, value: list[str]) -> list[str]:
        return [code.strip() for code in value if code.strip()]

    @property
    def scale_format(self) -> ScaleFormat | None:
        """The scale label format, or None when scale labels are off (no prefix) or the fields do
        not make a layout that fits 13 digits (logged)."""
        prefixes = parse_prefixes(self.scale_prefixes)
        if not prefixes:
            return None
        try:
            return ScaleFormat(
                prefixes,
                self.scale_item_digits,
                ScaleValue(self.scale_value),
                self.scale_decimals,
                self.scale_price_check,
            )
        except ValueError as exc:
            log.warning("scale labels are off: %s", exc)
            return None

    @property
    def problems(self) -> list[str]:
        """What loading found wrong, translated into the current language, safe to show."""
        return [_(template).format(**fields) for template, fields in self.issues]

    @property
    def training_mode(self) -> bool:
        """No API key: the embedded sandbox and the preview printer, nothing fiscal."""
        return self.api_key is None or not self.api_key.get_secret_value()

    @property
    def mode(self) -> Literal["training", "configured"]:
        """``"training"`` or ``"configured"``.

        Test versus production is decided by the company bound to the key and only the server
        knows it: see :func:`environment_of_dte`.
        """
        return "training" if self.training_mode else "configured"


# --------------------------------------------------------------------------- settings file


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _valid_fields(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """Split stored values into the valid ones and issues about the rest."""
    stored = {
        name: value
        for name, value in data.items()
        if name in Settings.model_fields and not Settings.model_fields[name].exclude
    }
    issues = []
    if "api_key" in data:
        issues.append(
            _issue(
                N_(
                    "The settings file contained an API key; it was ignored. Enter the "
                    "key in Settings so that it is kept in the system keyring."
                )
            )
        )
    while True:
        try:
            Settings.model_validate(stored)
            return stored, issues
        except PydanticValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            if not bad:  # cannot happen for per-field validators; never loop forever
                return {}, issues
            for name in sorted(bad):
                issues.append(
                    _issue(
                        N_("The setting “{name}” has an invalid value ({value}); the default is used."),
                        name=name,
                        value=_short(stored.pop(name)),
                    )
                )


def _read_file(path: Path) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Parse the settings file without side effects.

    Returns:
        ``(valid_fields, issues)``; ``valid_fields`` is None when nothing could be read at all.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return None, [
            _issue(
                N_("The settings file {path} cannot be read ({reason}); defaults are used."),
                path=path,
                reason=exc.strerror or exc,
            )
        ]
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, [
            _issue(N_("The settings file {path} is damaged (perhaps half written); defaults are used."), path=path)
        ]
    if not isinstance(data, dict):
        return None, [_issue(N_("The settings file {path} does not hold settings; defaults are used."), path=path)]
    return _valid_fields(data)


def _move_aside(path: Path) -> Path | None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bad-{stamp}-{n}")
    try:
        os.replace(path, target)
    except OSError:
        log.exception("cannot move the bad settings file %s aside", path)
        return None
    return target


def bad_settings_files() -> list[Path]:
    """Damaged settings files set aside by earlier loads (oldest first), for ``caja doctor``."""
    return sorted(paths.config_dir().glob(f"{SETTINGS_FILE}.bad-*"))


def load_settings() -> Settings:
    """The effective settings: stored values, then environment overrides, then the API key.

    Never raises because of the settings file: a bad file is moved aside (the valid fields are
    kept and saved again) and ``Settings.problems`` says what happened.
    """
    path: Path | None
    stored: dict[str, Any] | None
    issues: list[Issue]
    try:
        path = settings_path()
    except OSError as exc:  # the folder cannot be created (read-only home, bad CAJA_CONFIG_DIR)
        path = None
        stored, issues = (
            {},
            [
                _issue(
                    N_("The settings folder cannot be used ({reason}); defaults are used."), reason=exc.strerror or exc
                )
            ],
        )
    else:
        stored, issues = _read_file(path)
    if path is not None and issues and path.exists():
        moved = _move_aside(path)
        if moved is not None:
            issues.append(_issue(N_("The damaged settings file was kept as {path}."), path=moved))
        if moved is not None and stored:
            try:
                _save(Settings.model_validate(stored))
            except OSError as exc:
                issues.append(
                    _issue(N_("Could not save the settings to {path}: {reason}"), path=path, reason=exc.strerror or exc)
                )
    settings = apply_environment(Settings.model_validate(stored or {}))
    issues += settings.issues
    if settings.api_key is None:
        key, source, key_issues = _read_api_key()
        issues += key_issues
        if key:
            settings = settings.model_copy(update={"api_key": SecretStr(key), "api_key_source": source})
    elif not is_valid_api_key(settings.api_key.get_secret_value()):
        issues.append(
            _issue(
                N_(
                    "OCOTE_API_KEY is not a valid Ocote API key "
                    "(“odt_” followed by 56 lowercase hexadecimal characters)."
                )
            )
        )
    for template, fields in issues:
        log.warning("settings: %s", template.format(**fields))
    return settings.model_copy(update={"issues": issues})


def apply_environment(settings: Settings) -> Settings:
    """Return ``settings`` with environment overrides applied (invalid ones reported, not applied)."""
    updates: dict[str, Any] = {}
    issues: list[Issue] = []
    for var, name in (("OCOTE_API_URL", "api_url"), ("CAJA_PRINTER", "printer"), ("CAJA_STORE_URL", "store_url")):
        value = os.environ.get(var)
        if not value:
            continue
        try:
            updates[name] = getattr(Settings.model_validate({name: value}), name)
        except PydanticValidationError:
            issues.append(_issue(N_("The environment variable {var} has an invalid value; it was ignored."), var=var))
    if os.environ.get("OCOTE_API_KEY"):
        updates["api_key"] = SecretStr(os.environ["OCOTE_API_KEY"].strip())
        updates["api_key_source"] = "environment"
    updates["from_environment"] = frozenset(n for n in updates if n != "api_key_source")
    updates["issues"] = [*settings.issues, *issues]
    return settings.model_copy(update=updates)


def _write_private(path: Path, text: str) -> None:
    """Atomically replace ``path`` with ``text``: temp file in the same folder, fsync, rename; 0600."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)  # mkstemp already uses 0600; say it explicitly
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if os.name == "posix":  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _save(settings: Settings) -> None:
    path = settings_path()
    data = settings.model_dump(mode="json")
    data["store_url"] = strip_password(data.get("store_url", ""))  # the password lives in the keyring
    env_fields = settings.from_environment - {"api_key"}
    if env_fields:
        stored, _issues = _read_file(path)
        for name in env_fields:
            if stored and name in stored:
                data[name] = stored[name]
            else:
                data.pop(name, None)
    _write_private(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def save_settings(settings: Settings) -> None:
    """Store ``settings`` (without the API key) atomically, readable by the user only.

    Values that came from environment variables are not written: the stored value is kept.
    The API key is stored separately with :func:`set_api_key`.

    Raises:
        ConfigurationError: the file cannot be written.
    """
    try:
        _save(settings)
    except OSError as exc:
        raise ConfigurationError(
            _("Could not save the settings to {path}: {reason}").format(
                path=settings_path(), reason=exc.strerror or exc
            )
        ) from exc


# --------------------------------------------------------------------------- API key


def is_valid_api_key(key: str) -> bool:
    """True for ``odt_`` followed by 56 lowercase hexadecimal characters."""
    return bool(API_KEY_RE.match(key))


def api_key_file() -> Path:
    """The fallback file for the API key where no keyring backend is usable."""
    return paths.config_dir() / API_KEY_FILE


def keyring_backend() -> tuple[bool, str]:
    """``(usable, backend name)`` of the OS keyring.

    keyring's ``fail`` and ``null`` backends (and an empty chainer) have a priority <= 0: that is a
    headless machine without Secret Service, KWallet or the Windows Credential Manager.
    """
    try:
        import keyring

        backend = keyring.get_keyring()
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        return float(backend.priority) > 0, name
    except Exception as exc:  # noqa: BLE001 - a broken keyring installation must not stop the app
        log.warning("keyring unavailable: %s", exc)
        return False, type(exc).__name__


def _read_api_key() -> tuple[str | None, ApiKeySource, list[Issue]]:
    """The stored key, where it came from, and issues. Never raises."""
    issues: list[Issue] = []
    usable, backend = keyring_backend()
    key: str | None = None
    source: ApiKeySource = ""
    if usable:
        try:
            import keyring

            key = keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
            source = "keyring" if key else ""
        except Exception as exc:  # noqa: BLE001 - locked/unreachable keyring daemon and the like
            log.warning("cannot read the API key from the keyring (%s): %s", backend, type(exc).__name__)
            issues.append(_issue(N_("The system keyring could not be read; the API key file is used instead.")))
    if not key:
        try:
            path = api_key_file()
            key = path.read_text(encoding="utf-8").strip() or None
            source = "file" if key else ""
        except FileNotFoundError:
            key = None
        except OSError as exc:
            issues.append(_issue(N_("The API key file cannot be read ({reason})."), reason=exc.strerror or exc))
    if key and not is_valid_api_key(key):
        issues.append(
            _issue(
                N_(
                    "The stored API key is not a valid Ocote API key "
                    "(“odt_” followed by 56 lowercase hexadecimal characters)."
                )
            )
        )
    return key, source, issues


def get_api_key() -> str | None:
    """The stored API key (keyring, else the fallback file), or None. Never raises.

    ``OCOTE_API_KEY`` is not consulted here; :func:`load_settings` applies it.
    """
    return _read_api_key()[0]


def set_api_key(key: str | None) -> Literal["keyring", "file", ""]:
    """Store the API key (or forget it with None/empty).

    Stored in the OS keyring; where no usable keyring exists, in :func:`api_key_file` with mode
    0600 and a logged warning. Forgetting removes it from both places.

    Returns:
        Where the key now lives: ``"keyring"``, ``"file"``, or ``""`` when forgotten.

    Raises:
        ConfigurationError: the key is malformed, or it cannot be stored anywhere.
    """
    key = (key or "").strip()
    if key and not is_valid_api_key(key):
        raise ConfigurationError(_("The API key must be “odt_” followed by 56 lowercase hexadecimal characters."))
    return keep_secret(key, username=KEYRING_USERNAME, path=api_key_file(), what=_("the API key"))


def keep_secret(value: str, *, username: str, path: Path, what: str) -> Literal["keyring", "file", ""]:
    """Keep a secret (the API key, the store password) in the OS keyring (service ``caja``, user
    ``username``); where no usable keyring exists, in ``path`` with mode 0600 and a logged warning.
    An empty ``value`` forgets it in both places; once the keyring holds it, no plain copy is left.

    Returns:
        Where it now lives: ``"keyring"``, ``"file"``, or ``""`` when forgotten.

    Raises:
        ConfigurationError: it cannot be stored (or its file removed); ``what`` names it.
    """
    usable, backend = keyring_backend()
    stored_in_keyring = False
    if usable:
        try:
            import keyring
            from keyring.errors import PasswordDeleteError

            if value:
                keyring.set_password(KEYRING_SERVICE, username, value)
                stored_in_keyring = True
            else:
                try:
                    keyring.delete_password(KEYRING_SERVICE, username)
                except PasswordDeleteError:
                    pass
        except Exception as exc:  # noqa: BLE001 - fall back to the file, below
            log.warning("cannot use the keyring %s (%s); using the file %s", backend, type(exc).__name__, path)
    if not value or stored_in_keyring:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ConfigurationError(
                _("Could not remove the file {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ) from exc
        return "keyring" if value else ""
    log.warning("no usable keyring (%s): %s is kept in %s (readable by this user only)", backend, username, path)
    try:
        _write_private(path, value + "\n")
    except OSError as exc:
        raise ConfigurationError(
            _("Could not save {what} to {path}: {reason}").format(what=what, path=path, reason=exc.strerror or exc)
        ) from exc
    return "file"


# --------------------------------------------------------------------------- environment (MH ambiente)


def environment_of_dte(status: Mapping[str, Any]) -> Literal["test", "production"] | None:
    """Test or production, from a ``/status?include_dte=1`` body (or its ``schema``).

    MH's ``identificacion.ambiente`` is ``"00"`` for test and ``"01"`` for production; anything
    else (missing, unknown) gives None.
    """
    schema = status.get("schema", status)
    if isinstance(schema, str):  # some answers carry the signed JSON as text
        try:
            schema = json.loads(schema)
        except json.JSONDecodeError:
            return None
    if not isinstance(schema, Mapping):
        return None
    ident = schema.get("identificacion")
    ambiente = ident.get("ambiente") if isinstance(ident, Mapping) else None
    environments: dict[str, Literal["test", "production"]] = {"00": "test", "01": "production"}
    return environments.get(str(ambiente)) if ambiente is not None else None
