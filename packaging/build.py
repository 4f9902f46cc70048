#!/usr/bin/env python3
"""Build Caja as a one-folder app with PyInstaller and report its size.

Usage (from a set-up checkout, with the interpreter that has Caja's dependencies)::

    python3 packaging/dev.py setup
    .venv/bin/python packaging/build.py            # -> dist/caja/caja (dist\\caja\\caja.exe)
    .venv/bin/python packaging/build.py --smoke    # build, then run the bundle's headless commands

Steps: make sure PyInstaller is installed (the ``build`` extra of ``pyproject.toml``; pass
``--no-install`` to only use what is there), compile the translations (``.po`` -> ``.mo``), run
``packaging/caja.spec``, print the bundle's size and the build time.

``--smoke`` then runs, from the bundle, in throwaway data/config/log folders: ``caja --version``;
``caja doctor --json`` (training mode: every check must pass or warn); the bundle's ``caja sandbox``
with ``caja doctor --json`` pointed at it (the API check must pass); ``caja store status --json``
with no store, then with a store that is down (psycopg and libpq must load); the window (Qt offscreen,
training mode) until it is shown; and, when the bundle has the ``print`` command,
``caja print <generated ticket PDF> --printer file:<tmp>``, checking that ESC/POS bytes were
written. If PyInstaller is not available the build is skipped with a message saying so
(exit code 0 with ``--skip-if-unavailable``, 3 otherwise).

Standard library only (PyMuPDF, from Caja's own dependencies, draws the test ticket).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "caja.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
EXE = DIST / "caja" / ("caja.exe" if os.name == "nt" else "caja")
EXIT_UNAVAILABLE = 3


def log(msg: str) -> None:
    print(f"[caja-build] {msg}", file=sys.stderr, flush=True)


def build_requirements() -> list[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return meta["project"]["optional-dependencies"]["build"]


def ensure_pyinstaller(install: bool) -> str | None:
    """None when PyInstaller is importable (installing it if allowed), else why not."""
    if importlib.util.find_spec("PyInstaller") is not None:
        return None
    if not install:
        return "PyInstaller is not installed (run: pip install '.[build]')"
    log(f"installing {' '.join(build_requirements())}")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *build_requirements()]
    )
    importlib.invalidate_caches()
    if result.returncode != 0 or importlib.util.find_spec("PyInstaller") is None:
        return "PyInstaller could not be installed (pip failed; see above)"
    return None


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build() -> float:
    subprocess.run([sys.executable, str(ROOT / "packaging" / "translations.py"), "compile"], check=True)
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
    )
    return time.monotonic() - started


def run_bundle(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    cmd = [str(EXE), *args]
    log("$ " + " ".join(cmd))
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if result.stdout.strip():
        print(result.stdout.rstrip())
    if result.stderr.strip():
        print(result.stderr.rstrip(), file=sys.stderr)
    return result


def ticket_pdf(path: Path) -> None:
    """An 80 x 210 mm ticket-like PDF (text, a rule, a box standing in for the QR code)."""
    import pymupdf

    mm = 72 / 25.4
    doc = pymupdf.open()
    page = doc.new_page(width=80 * mm, height=210 * mm)
    y = 12 * mm
    for line in [
        "SUPER TIENDA DEMO",
        "FACTURA",
        "DTE-01-M001P001-000000000000001",
        "1 x Cafe 250 g        $5.65",
        "TOTAL                 $5.65",
    ]:
        page.insert_text((5 * mm, y), line, fontsize=9, fontname="cour")
        y += 6 * mm
    page.draw_line((5 * mm, y), (75 * mm, y))
    page.draw_rect(pymupdf.Rect(25 * mm, y + 5 * mm, 55 * mm, y + 35 * mm), fill=(0, 0, 0))
    doc.save(path)


def doctor_against_bundled_sandbox(env: dict[str, str]) -> list[str]:
    """Start the bundle's ``caja sandbox`` and check the API and a key with the bundle's doctor."""
    import secrets

    sandbox = subprocess.Popen(
        [str(EXE), "sandbox", "--port", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = sandbox.stdout.readline()  # "... listening at http://127.0.0.1:PORT/api/connect"
        url = line.split()[-1] if "http://" in line else ""
        if not url:
            return [f"caja sandbox did not start (said {line!r})"]
        key = "odt_" + secrets.token_hex(28)
        result = run_bundle(["doctor", "--json"], dict(env, OCOTE_API_URL=url, OCOTE_API_KEY=key))
        try:
            api = next(c for c in json.loads(result.stdout)["checks"] if c["id"] == "api")
        except (ValueError, KeyError, StopIteration):
            return [f"caja doctor against the sandbox: exit {result.returncode}, no API check"]
        return [] if api["status"] == "pass" else [f"caja doctor against the sandbox: {api}"]
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)


def window_starts(env: dict[str, str], log_file: Path) -> list[str]:
    """Start the bundle's window (Qt offscreen, training mode) and wait for it to be shown.

    The window logs "window shown" (``app.bootstrap``) once it is on screen.
    """
    log("$ " + str(EXE) + "   (the window, offscreen)")
    window = subprocess.Popen([str(EXE)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and window.poll() is None:
            if log_file.exists() and "window shown" in log_file.read_text(encoding="utf-8"):
                log("the window started")
                return []
            time.sleep(0.5)
        return [f"the window did not start (exit code {window.poll()}); see {log_file}"]
    finally:
        window.terminate()
        window.wait(timeout=30)


def store_commands(env: dict[str, str]) -> list[str]:
    """The store (issue 12) from the bundle: ``caja store status`` with no store configured, then
    pointed at a port where no PostgreSQL listens. The second one must fail as "cannot be reached",
    which proves psycopg and its binary libpq wrapper (``psycopg_binary``) load in the bundle, and
    must know the schema version the bundled SQL migrations give (they are package data)."""
    import socket

    failures: list[str] = []
    result = run_bundle(["store", "status", "--json"], env)
    try:
        facts = json.loads(result.stdout)
        if result.returncode != 0 or facts.get("configured") is not False:
            failures.append(f"caja store status (no store): exit {result.returncode}, {facts}")
    except ValueError:
        failures.append(f"caja store status --json (no store): exit {result.returncode}, not JSON")
    if not list((EXE.parent).rglob("psycopg_binary")):
        failures.append("psycopg_binary (libpq) is not in the bundle: the store cannot be used")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "smoke-store-pw"
    dead = f"postgresql://caja:{secret}@127.0.0.1:{port}/store"
    result = run_bundle(["store", "status", "--json"], dict(env, CAJA_STORE_URL=dead))
    try:
        facts = json.loads(result.stdout)
    except ValueError:
        return [*failures, f"caja store status --json (store down): exit {result.returncode}, not JSON"]
    error = str(facts.get("error", ""))
    if facts.get("reachable") is not False or not error or "module" in error.lower() or "libpq" in error.lower():
        failures.append(f"caja store status (store down): psycopg did not answer as expected: {facts}")
    if "(binary" not in str(facts.get("driver", "")):  # not the system's libpq through ctypes
        failures.append(f"caja store status: psycopg does not use its bundled binary libpq: {facts.get('driver')}")
    if not facts.get("expected_schema"):
        failures.append("caja store status: no store schema version: are app/store/migrations/*.sql bundled?")
    if secret in result.stdout + result.stderr:
        failures.append("caja store status printed the store password")
    if not failures:
        log(f"caja store status: {facts['driver']} loads, schema {facts['expected_schema']} bundled")
    return failures


def smoke() -> list[str]:
    """Run the bundle's headless commands; return the failures (empty when all is well)."""
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="caja-smoke-") as tmp:
        base = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in {"OCOTE_API_KEY", "CAJA_PRINTER"}}
        env.update(
            CAJA_DATA_DIR=str(base / "data"),
            CAJA_CONFIG_DIR=str(base / "config"),
            CAJA_LOG_DIR=str(base / "log"),
            QT_QPA_PLATFORM="offscreen",
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )

        from app import __version__

        result = run_bundle(["--version"], env)
        if result.returncode != 0 or result.stdout.strip() != f"caja {__version__}":
            failures.append(f"caja --version: exit {result.returncode}, output {result.stdout!r}")

        # Spanish by default: proves the compiled gettext catalog (caja.mo) is in the bundle.
        result = subprocess.run([str(EXE), "--help"], env=env, capture_output=True, text=True, timeout=120)
        if "Punto de venta Caja" not in result.stdout:
            failures.append(
                "caja --help is not in Spanish: is resources/translations/es/LC_MESSAGES/caja.mo in the bundle?"
            )

        result = run_bundle(["doctor", "--json"], env)
        try:
            report = json.loads(result.stdout)
            bad = [c for c in report["checks"] if c["status"] == "fail"]
            if result.returncode != 0 or bad:
                failures.append(f"caja doctor --json: exit {result.returncode}, failed checks {bad}")
        except (ValueError, KeyError, TypeError):
            failures.append(f"caja doctor --json: exit {result.returncode}, not a JSON report")

        failures += doctor_against_bundled_sandbox(env)
        failures += store_commands(env)
        failures += window_starts(env, base / "log" / "caja.log")

        if subprocess.run([str(EXE), "print", "--help"], env=env, capture_output=True).returncode != 0:
            log("NOTE: this build has no `caja print` command; the print check was not run")
        else:
            pdf, out = base / "ticket.pdf", base / "printed.bin"
            ticket_pdf(pdf)
            result = run_bundle(["print", str(pdf), "--printer", f"file:{out}"], env)
            data = out.read_bytes() if out.exists() else b""
            if result.returncode != 0 or not data.startswith(b"\x1b@"):
                failures.append(f"caja print: exit {result.returncode}, {len(data)} bytes written")
            else:
                log(f"caja print wrote {len(data)} bytes of ESC/POS")
    return failures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build Caja with PyInstaller.")
    parser.add_argument("--no-install", action="store_true", help="do not pip-install PyInstaller")
    parser.add_argument(
        "--skip-if-unavailable", action="store_true", help="exit 0 (after saying so) when PyInstaller is not available"
    )
    parser.add_argument("--smoke", action="store_true", help="run the bundle's headless commands")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    missing = ensure_pyinstaller(install=not args.no_install)
    if missing:
        print(f"SKIPPED: the frozen build was not made: {missing}.", flush=True)
        return 0 if args.skip_if_unavailable else EXIT_UNAVAILABLE
    seconds = build()
    size = folder_size(EXE.parent)
    print(
        f"built {EXE.relative_to(ROOT)} in {seconds:.0f} s; bundle {size / 1e6:.1f} MB "
        f"({sum(1 for _ in EXE.parent.rglob('*'))} files)",
        flush=True,
    )
    if args.smoke:
        failures = smoke()
        for failure in failures:
            print(f"FAILED: {failure}", flush=True)
        if failures:
            return 1
        print("smoke test of the bundle passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
