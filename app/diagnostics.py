"""Health checks behind ``caja doctor``: each one explains in words what is wrong and what to do.

Qt-free, so the window can show the same list. Every check returns a :class:`Check` whose
``title`` and ``detail`` are translated and free of secrets. Checks never raise for the problem
they look for; an unexpected exception inside a check becomes a failed check (and a log entry).

Why over 500 lines: one check per part of the till, kept side by side so that they
read (and are ordered) as the report does.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from app import paths
from app.api.errors import Conflict, NotFound, NotSent, RateLimited, ServerError, Unauthorized
from app.config import (
    Settings,
    api_key_file,
    bad_settings_files,
    environment_of_dte,
    is_valid_api_key,
    keyring_backend,
    settings_path,
)
from app.domain.errors import ApiError, CajaError, ConfigurationError
from app.i18n import _, ngettext
from app.logs import log_file, redact

if TYPE_CHECKING:
    from app.api.client import OcoteClient

log = logging.getLogger(__name__)

JOURNAL_FILE = "journal.sqlite3"


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """One line of the report. ``id`` is stable (for ``--json``); the texts are translated."""

    id: str
    status: Status
    title: str
    detail: str

    def __post_init__(self) -> None:
        # Details quote addresses and error texts (an API address with the key as user-info, a
        # printer URL with ?key=): redact here once, so no check can forget to.
        object.__setattr__(self, "detail", redact(self.detail))

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


def check_settings(settings: Settings) -> list[Check]:
    """The settings file, the problems found on loading it, and the API key's presence/format."""
    title = _("Settings")
    path = settings_path()
    checks = []
    problems = settings.problems
    if problems:
        checks.append(Check("settings", Status.WARN, title, " ".join(problems)))
    elif path.exists():
        checks.append(Check("settings", Status.PASS, title, _("{path} is valid.").format(path=path)))
    else:
        checks.append(
            Check(
                "settings",
                Status.PASS,
                title,
                _("No settings file yet ({path}): defaults are in use.").format(path=path),
            )
        )
    bad = bad_settings_files()
    if bad:
        checks.append(
            Check(
                "settings_bad_files",
                Status.WARN,
                title,
                ngettext(
                    "{n} damaged settings file was set aside: {path}. Delete it once you have checked your settings.",
                    "{n} damaged settings files were set aside, the latest {path}. Delete them once you "
                    "have checked your settings.",
                    len(bad),
                ).format(n=len(bad), path=bad[-1]),
            )
        )

    key_title = _("API key")
    if settings.training_mode:
        checks.append(
            Check(
                "api_key",
                Status.WARN,
                key_title,
                _("No API key is configured: Caja runs in training mode and issues no real invoices."),
            )
        )
    elif not is_valid_api_key(settings.api_key.get_secret_value()):  # type: ignore[union-attr]
        checks.append(
            Check(
                "api_key",
                Status.FAIL,
                key_title,
                _(
                    "The API key is not valid: it must be “odt_” followed by 56 lowercase hexadecimal "
                    "characters. Copy it again from your Ocote account into Settings."
                ),
            )
        )
    else:
        source = {
            "environment": _("the OCOTE_API_KEY environment variable"),
            "keyring": _("the system keyring"),
            "file": _("the file {path}").format(path=api_key_file()),
        }.get(settings.api_key_source, "?")
        checks.append(
            Check(
                "api_key", Status.PASS, key_title, _("An API key is configured (from {source}).").format(source=source)
            )
        )
    return checks


def check_keyring(settings: Settings) -> Check:
    """Is there an OS keyring? If the fallback file holds the key, is it private?"""
    title = _("Keyring")
    usable, backend = keyring_backend()
    if settings.api_key_source == "environment":
        return Check("keyring", Status.PASS, title, _("The API key comes from OCOTE_API_KEY; the keyring is not used."))
    if usable:
        return Check("keyring", Status.PASS, title, _("System keyring available ({backend}).").format(backend=backend))
    path = api_key_file()
    if settings.api_key_source == "file" and os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            return Check(
                "keyring",
                Status.FAIL,
                title,
                _("The API key file {path} can be read by other users. Run: chmod 600 {path}").format(path=path),
            )
    return Check(
        "keyring",
        Status.WARN,
        title,
        _(
            "No system keyring is available ({backend}): the API key is kept in {path}, readable by "
            "this user only. See “Troubleshooting” in the README."
        ).format(backend=backend, path=path),
    )


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.hostname and parts.netloc.rpartition("@")[2] or url


def check_api(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 5.0,
    document: str | None = None,
) -> list[Check]:
    """Reach the API and prove the key with ``GET /status/<random ref>``: 404 means it works.

    Asks through :class:`~app.api.client.OcoteClient` (from the composition root's
    :func:`~app.services.container.open_api_client`), as a sale would, once and without retries.

    Args:
        transport: an ``httpx`` transport for the client (tests).
        timeout: seconds to wait for each step (connect, send, answer).
        document: a document id or external_ref; when given, its signed DTE tells whether the key
            issues test or production documents.
    """
    from app.api.client import RetryPolicy
    from app.services.container import open_api_client

    title = _("Ocote API")
    if settings.training_mode:
        return [
            Check("api", Status.PASS, title, _("Training mode: the built-in sandbox is used, no connection is needed."))
        ]
    host = _host(settings.api_url)
    ref = f"caja-doctor-{secrets.token_hex(8)}"
    try:
        client = open_api_client(
            settings,
            transport=transport,
            timeout=httpx.Timeout(timeout),
            retry=RetryPolicy(max_attempts=1, total_seconds=timeout + 1.0),
        )
    except ConfigurationError as exc:
        if _is_http_url(settings.api_url):  # the key itself cannot be sent (the key check says why)
            return [Check("api", Status.FAIL, title, exc.message)]
        return [
            Check(
                "api",
                Status.FAIL,
                title,
                _("The API address “{url}” is not a valid URL. Fix it in Settings.").format(
                    url=redact(settings.api_url)
                ),
            )
        ]
    with client:
        try:
            client.get_status(ref)
        except NotFound:
            pass  # the key was accepted; no document has a random reference
        except ApiError as exc:
            return [_api_failure(title, host, exc, timeout)]
        checks = [
            Check("api", Status.PASS, title, _("{host} is reachable and the API key was accepted.").format(host=host))
        ]
        if document:
            checks.append(_environment(client, document))
        return checks


def _is_http_url(url: str) -> bool:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


def _api_failure(title: str, host: str, exc: ApiError, timeout: float) -> Check:
    """What an error of the client means for the person at the till."""
    cause = exc.__cause__
    if isinstance(cause, httpx.TimeoutException):
        return Check(
            "api",
            Status.FAIL,
            title,
            _("{host} did not answer within {seconds} seconds. Check the internet connection and try again.").format(
                host=host, seconds=f"{timeout:g}"
            ),
        )
    if isinstance(exc, NotSent):
        reason = redact(str(cause)) if cause is not None and str(cause) else type(cause or exc).__name__
        return Check(
            "api",
            Status.FAIL,
            title,
            _(
                "Cannot connect to {host} ({reason}). Check the internet connection and the API address in Settings."
            ).format(host=host, reason=reason),
        )
    if isinstance(exc, Unauthorized):
        return Check(
            "api",
            Status.FAIL,
            title,
            _(
                "The API key was refused: check it in Settings. {host} answered 401: the key is wrong, "
                "was deactivated, or its company is disabled."
            ).format(host=host),
        )
    if isinstance(exc, RateLimited):
        return Check(
            "api",
            Status.WARN,
            title,
            _("{host} is reachable but says too many requests were made; wait a minute.").format(host=host),
        )
    if isinstance(exc, ServerError):
        return Check(
            "api",
            Status.FAIL,
            title,
            _("{host} answered with a server error (HTTP {code}); try again later.").format(host=host, code=exc.status),
        )
    code = 409 if isinstance(exc, Conflict) else getattr(exc, "status", None)
    if isinstance(code, int):
        return Check(
            "api",
            Status.FAIL,
            title,
            _("{host} gave an unexpected answer (HTTP {code}). Check the API address in Settings.").format(
                host=host, code=code
            ),
        )
    return Check(
        "api",
        Status.FAIL,
        title,
        _("The connection to {host} failed ({reason}).").format(
            host=host, reason=redact(getattr(exc, "cause", "") or str(cause or "")) or type(exc).__name__
        ),
    )


def _environment(client: OcoteClient, document: str) -> Check:
    title = _("Environment")
    try:
        status = client.get_status(document, include_dte=True)
    except NotFound:
        return Check("environment", Status.WARN, title, _("Document {ref} was not found.").format(ref=document))
    except ApiError as exc:
        return Check(
            "environment",
            Status.WARN,
            title,
            _("The environment of document {ref} could not be read (HTTP {code}).").format(
                ref=document, code=getattr(exc, "status", "?")
            ),
        )
    env = environment_of_dte({"schema": status.dte_schema}) if status.dte_schema is not None else None
    if env == "production":
        return Check(
            "environment",
            Status.PASS,
            title,
            _("This key issues production documents (MH ambiente 01): real invoices."),
        )
    if env == "test":
        return Check(
            "environment",
            Status.WARN,
            title,
            _("This key issues test documents (MH ambiente 00): they have no fiscal value."),
        )
    return Check(
        "environment",
        Status.WARN,
        title,
        _("The environment of document {ref} could not be read (HTTP {code}).").format(ref=document, code=200),
    )


def check_printer(settings: Settings, *, timeout: float = 5.0) -> list[Check]:
    """The configured printer's profile, connection and status."""
    title = _("Printer")
    if not settings.printer:
        if settings.training_mode:
            return [Check("printer", Status.PASS, title, _("Training mode: tickets go to the preview printer."))]
        return [
            Check(
                "printer",
                Status.WARN,
                title,
                _("No printer is configured: tickets cannot be printed. Set the printer in Settings."),
            )
        ]
    from app.printing.backends import open_connection  # escpos: only when needed
    from app.printing.profiles import get_profile

    checks = []
    try:
        get_profile(settings.printer_profile)
    except CajaError as exc:
        checks.append(Check("printer_profile", Status.FAIL, title, exc.message))
    try:
        connection = open_connection(settings.printer, timeout=timeout)
    except CajaError as exc:
        return [*checks, Check("printer", Status.FAIL, title, exc.message)]
    try:
        connection.check_ready()
    except CajaError as exc:
        checks.append(
            Check(
                "printer",
                Status.FAIL,
                title,
                _("{printer}: {problem}").format(printer=connection.description, problem=exc.message),
            )
        )
    else:
        checks.append(
            Check("printer", Status.PASS, title, _("{printer} is ready.").format(printer=connection.description))
        )
    finally:
        connection.close()
    return checks


def journal_path() -> Path:
    return paths.data_dir() / JOURNAL_FILE


def check_journal(path: Path | None = None) -> Check:
    """``PRAGMA integrity_check`` on the journal, opened read-only (the app may be running)."""
    title = _("Journal")
    path = path or journal_path()
    if not path.exists():
        return Check(
            "journal",
            Status.PASS,
            title,
            _("No journal yet ({path}); it is created with the first sale.").format(path=path),
        )
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            rows = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
        finally:
            db.close()
    except sqlite3.Error as exc:
        return Check(
            "journal",
            Status.FAIL,
            title,
            _(
                "The journal {path} cannot be read ({reason}). Do not delete it: keep a copy and ask for support."
            ).format(path=path, reason=exc),
        )
    if rows == ["ok"]:
        return Check("journal", Status.PASS, title, _("{path} is intact.").format(path=path))
    return Check(
        "journal",
        Status.FAIL,
        title,
        _("The journal {path} is damaged ({reason}). Do not delete it: keep a copy and ask for support.").format(
            path=path, reason="; ".join(map(str, rows[:3]))
        ),
    )


def check_folders() -> list[Check]:
    """Data, configuration and log folders exist and are writable."""
    checks = []
    for check_id, title, folder in (
        ("data_dir", _("Data folder"), paths.data_dir),
        ("config_dir", _("Settings folder"), paths.config_dir),
        ("log_dir", _("Log folder"), paths.log_dir),
    ):
        try:
            where = folder()
            with tempfile.TemporaryFile(dir=where):
                pass
        except OSError as exc:
            checks.append(
                Check(check_id, Status.FAIL, title, _("{reason}: Caja cannot write there.").format(reason=exc))
            )
            continue
        detail = _("{path} is writable.").format(path=where)
        if check_id == "log_dir":
            detail += " " + _("Log file: {path}").format(path=log_file())
        checks.append(Check(check_id, Status.PASS, title, detail))
    return checks


def check_store(settings: Settings, *, timeout: float = 5.0) -> Check:
    """The store database (issue 12): reachable, its schema, who holds this till's register code."""
    from datetime import UTC, datetime

    from app.store.health import store_health

    title = _("Store database")
    health = store_health(settings, journal_path(), connect_timeout=max(2, int(timeout)))
    if not health.configured:
        return Check("store", Status.PASS, title, _("Not used: this till works on its own (no store_url)."))
    waiting = _("{n} records waiting to be sent.").format(n=health.backlog or 0)
    if not health.reachable:
        return Check(
            "store",
            Status.WARN,
            title,
            _("{address} cannot be reached ({error}). Sales go on; they are sent when it is back.").format(
                address=health.address or "?", error=health.error
            )
            + " "
            + waiting,
        )
    if health.schema < health.expected_schema:
        return Check(
            "store",
            Status.FAIL,
            title,
            _("{address} has schema version {have}, this Caja needs {need}: run “caja store migrate”.").format(
                address=health.address, have=health.schema, need=health.expected_schema
            ),
        )
    holder = health.holder
    if holder is not None and not health.claimed_by_us and health.holder_live(datetime.now(UTC)):
        return Check(
            "store",
            Status.FAIL,
            title,
            _("The register {code} is in use by the till on {host}.").format(
                code=health.register, host=holder.hostname
            ),
        )
    if health.quarantined_count:
        first = health.quarantined[0] if health.quarantined else None
        return Check(
            "store",
            Status.WARN,
            title,
            _(
                "The store refused {n} records of this till; they are set aside and the rest is sent. "
                "First: {what} ({error}). Fix the cause, then run “caja store retry”."
            ).format(
                n=health.quarantined_count,
                what=f"{first.table} {first.ref or first.row_id}" if first else "?",
                error=(first.error.splitlines()[0] if first and first.error else "?"),
            ),
        )
    detail = _("{address} (PostgreSQL {version}, schema {schema}); register {code}: {claim}.").format(
        address=health.address,
        version=health.server_version,
        schema=health.schema,
        code=health.register,
        claim=_("claimed by this till") if health.claimed_by_us else _("not claimed yet"),
    )
    return Check("store", Status.PASS, title, detail + " " + waiting)


def run_checks(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 5.0,
    document: str | None = None,
) -> list[Check]:
    """Every check, in the order a person would fix things."""
    steps: list[tuple[str, Callable[[], list[Check] | Check]]] = [
        ("folders", check_folders),
        ("settings", lambda: check_settings(settings)),
        ("keyring", lambda: check_keyring(settings)),
        ("api", lambda: check_api(settings, transport=transport, timeout=timeout, document=document)),
        ("printer", lambda: check_printer(settings, timeout=timeout)),
        ("journal", check_journal),
        ("store", lambda: check_store(settings, timeout=timeout)),
    ]
    checks: list[Check] = []
    for name, step in steps:
        try:
            result = step()
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            log.exception("doctor check %s failed", name)
            result = Check(
                name,
                Status.FAIL,
                name,
                _("The check itself failed ({error}); see the log file {path}.").format(
                    error=type(exc).__name__, path=log_file()
                ),
            )
        checks += result if isinstance(result, list) else [result]
    return checks
