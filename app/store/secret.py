"""The store database's password, kept like the API key: in the OS keyring (service ``caja``, user
``store-password``) or, where no usable keyring exists (a headless till), in
``config_dir() / "store-password"`` readable by the user only. Never in the settings file, the
journal or a log line.

The password may also come in ``store_url`` itself (``CAJA_STORE_URL`` for a headless till, or a
managed service's connection string pasted once: :func:`store_credentials` splits it off).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from app import paths
from app.config import KEYRING_SERVICE, keep_secret, keyring_backend
from app.domain.redaction import strip_password
from app.i18n import _
from app.store.db import url_password

log = logging.getLogger(__name__)

KEYRING_USERNAME = "store-password"
PASSWORD_FILE = "store-password"

PasswordSource = Literal["", "url", "keyring", "file"]


def password_file() -> Path:
    return paths.config_dir() / PASSWORD_FILE


def get_store_password() -> tuple[str | None, PasswordSource]:
    """The stored password and where it is kept (keyring, else the file); ``(None, "")``. Never raises."""
    usable, backend = keyring_backend()
    if usable:
        try:
            import keyring

            password = keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
            if password:
                return password, "keyring"
        except Exception as exc:  # noqa: BLE001 - locked/unreachable keyring daemon and the like
            log.warning("cannot read the store password from the keyring (%s): %s", backend, type(exc).__name__)
    try:
        password = password_file().read_text(encoding="utf-8").rstrip("\n") or None
    except OSError:
        return None, ""
    return password, ("file" if password else "")


def set_store_password(password: str | None) -> Literal["keyring", "file", ""]:
    """Keep ``password`` (or forget it with None/""); returns where it now lives.

    Raises:
        ConfigurationError: it cannot be stored anywhere.
    """
    return keep_secret(password or "", username=KEYRING_USERNAME, path=password_file(), what=_("the store password"))


def store_credentials(store_url: str) -> tuple[str, str | None, PasswordSource]:
    """``(url without password, password, where it came from)`` for ``store_url``: the URL's own
    password wins, else the stored one."""
    in_url = url_password(store_url)
    if in_url:
        return strip_password(store_url), in_url, "url"
    password, source = get_store_password()
    return strip_password(store_url), password, source
