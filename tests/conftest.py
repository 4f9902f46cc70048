"""Suite-wide fixtures. Qt runs offscreen; tests never touch the user's real folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app import i18n  # noqa: E402
from tests.helpers.clock import FakeClock  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Point data, config and log folders at a temporary place; no stray API key or printer."""
    base = tmp_path_factory.mktemp("caja-home")
    monkeypatch.setenv("CAJA_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("CAJA_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("CAJA_LOG_DIR", str(base / "log"))
    for var in ("OCOTE_API_KEY", "OCOTE_API_URL", "CAJA_PRINTER", "CAJA_STORE_URL"):
        monkeypatch.delenv(var, raising=False)
    yield
    i18n.set_language("en")


@pytest.fixture
def fake_clock() -> FakeClock:
    """A monotonic clock that moves only on ``fake_clock.sleep`` / ``advance`` (see tests/helpers/clock.py)."""
    return FakeClock()


@pytest.fixture
def spanish():
    """Run a test with the Spanish catalog loaded."""
    i18n.set_language("es")
    yield
    i18n.set_language("en")


@pytest.fixture
def api_key() -> str:
    """A well-formed Ocote key, made at run time (never a literal key in the repository)."""
    import secrets

    return "odt_" + secrets.token_hex(28)


@pytest.fixture
def sandbox():
    """A running in-process Ocote sandbox on 127.0.0.1 with a free port.

    Contingency documents are stamped on a ``/status`` at least 0.2 s after issue, so tests
    exercising that path stay fast.
    """
    from app.sandbox.server import SandboxServer

    server = SandboxServer(host="127.0.0.1", port=0, contingency_seconds=0.2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _isolated_keyring():
    """No test reads or writes the real OS keyring.

    keyring's ``fail`` backend stands in (what a headless till has): the API key falls back to a
    file in the temporary config folder. Tests that need a working keyring use ``memory_keyring``.
    Without keyring installed there is nothing to isolate: the domain tests run without it
    (tests/test_architecture.py proves it).
    """
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        yield
        return

    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def memory_keyring():
    """A working in-memory keyring backend for this test; ``.passwords`` is its storage."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.passwords: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.passwords.get((service, username))

        def set_password(self, service, username, password):
            self.passwords[(service, username)] = password

        def delete_password(self, service, username):
            if self.passwords.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
