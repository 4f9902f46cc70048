"""A real, throw-away PostgreSQL server for the store tests and benchmarks.

:func:`find_pg_bindir` finds PostgreSQL's server programs (``initdb``, ``pg_ctl``):
``$CAJA_PG_BINDIR``, then ``/usr/lib/postgresql/<newest>/bin`` (Debian), then ``pg_config --bindir``,
then ``PATH``. :class:`PgServer` runs one in a temporary directory on 127.0.0.1 and a free port,
with password (SCRAM) logins over TCP like a real store; as root, the server programs run as the
``postgres`` user (PostgreSQL refuses to run as root) and the directory is handed to that user.

The server is tuned for tests (no fsync: safe while the machine stays up; commits stay synchronous,
so a server crash — ``stop("immediate")`` — loses nothing committed); :meth:`PgServer.stop` and :meth:`PgServer.start` keep the
port, so a test can take the store down mid-day and bring it back.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

ADMIN_USER = "caja_admin"


def find_pg_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, or None when PostgreSQL's server is not installed."""
    candidates: list[str] = []
    if os.environ.get("CAJA_PG_BINDIR"):
        candidates.append(os.environ["CAJA_PG_BINDIR"])
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
        reverse=True,
    )
    candidates += versions
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).resolve().parent))
    for folder in candidates:
        path = Path(folder)
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class PgServer:
    """One PostgreSQL cluster in ``base`` (a temporary directory), listening on 127.0.0.1:``port``."""

    def __init__(self, bindir: Path, base: Path | None = None) -> None:
        self.bindir = bindir
        # As root the server runs as ``postgres``, which must reach the folder: /tmp, not $TMPDIR
        # (that may sit in root's home).
        where = "/tmp" if _as_root() and os.path.isdir("/tmp") else None
        self.base = Path(base or tempfile.mkdtemp(prefix="caja-pg-", dir=where))
        self.data = self.base / "data"
        self.socket_dir = self.base / "sock"
        self.logfile = self.base / "server.log"
        self.port = free_port()
        self.password = secrets.token_urlsafe(18)
        self.running = False
        self._user: pwd.struct_passwd | None = None
        if _as_root():
            try:
                self._user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root, and there is no 'postgres' user to run PostgreSQL as") from None

    # -- running the server programs

    def _run(self, args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
        cmd = [str(a) for a in args]
        if self._user is not None:
            runuser = shutil.which("runuser")
            if runuser:
                cmd = [runuser, "-u", "postgres", "--", *cmd]
            else:
                cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(_shell_quote(c) for c in cmd)]
        # Run from the server's folder: as ``postgres``, the caller's folder (a clone in /root) may be
        # unreadable, and initdb refuses to start where it cannot read its current directory.
        return subprocess.run(  # type: ignore[call-overload]
            cmd, capture_output=True, text=True, check=False, timeout=120, cwd=self.base, **kw
        )

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-3000:] if self.logfile.exists() else ""
            raise RuntimeError(f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{log}")

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        pwfile = self.base / "pw"
        pwfile.write_text(self.password + "\n")
        if self._user is not None:
            for path in (self.base, self.socket_dir, pwfile):
                os.chown(path, self._user.pw_uid, self._user.pw_gid)
        os.chmod(pwfile, 0o600)
        result = self._run(
            [
                self.bindir / "initdb",
                "-D",
                self.data,
                "-U",
                ADMIN_USER,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        pwfile.unlink()
        self._check(result, "initdb")

    def start(self) -> None:
        options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.socket_dir}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c full_page_writes=off",
                "-c max_connections=60",
                "-c shared_buffers=32MB",
            ]
        )
        if self._user is not None and not self.logfile.exists():
            self.logfile.touch()
            os.chown(self.logfile, self._user.pw_uid, self._user.pw_gid)
        result = self._run([self.bindir / "pg_ctl", "-D", self.data, "-l", self.logfile, "-o", options, "-w", "start"])
        self._check(result, "pg_ctl start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate`` is a crash: connections are cut at once)."""
        if not self.running:
            return
        result = self._run([self.bindir / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"])
        self._check(result, "pg_ctl stop")
        self.running = False

    def cleanup(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    # -- databases

    def url(self, dbname: str = "postgres", user: str = ADMIN_USER, password: str | None = None) -> str:
        pw = self.password if password is None else password
        return f"postgresql://{user}:{quote(pw, safe='')}@127.0.0.1:{self.port}/{dbname}"


def new_database_name() -> str:
    return "caja_" + uuid.uuid4().hex[:12]


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
