#!/usr/bin/env python3
"""Set up a development environment for Caja and run it or its tests.

Usage::

    python3 packaging/dev.py run [caja arguments...]    # set up, then launch Caja
    python3 packaging/dev.py test [pytest arguments...] # set up, then run the whole test suite
    python3 packaging/dev.py setup                       # set up only
    python3 packaging/dev.py check [--no-format]         # set up, then lint, type-check, check import layers

Standard library only, so that it works on a fresh machine that has nothing but ``python3``:

* creates ``.venv`` next to ``pyproject.toml``; where the interpreter has no ``ensurepip``
  (Debian without ``python3-venv``) it creates the venv without pip and installs pip from its
  wheel on PyPI;
* installs Caja in editable mode with the ``test``, ``usb`` and ``serial`` extras, again only
  when ``pyproject.toml`` changed;
* on Linux, checks that Qt's shared libraries load and, when running as root with ``apt-get``,
  installs the missing Debian packages (otherwise prints the command to run);
* compiles the translations (``resources/translations/<lang>/LC_MESSAGES/caja.po`` -> ``caja.mo``,
  with Babel from the ``test`` extra).

``check`` also installs the ``check`` extra (pinned ruff, mypy, import-linter) and runs, reporting
every step before failing: ``ruff check``, ``mypy`` (configured in pyproject.toml: strict on the
core packages), ``lint-imports`` (the layer contracts) and ``ruff format --check``; ``--no-format``
skips the last one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
EXTRAS = ("test", "usb", "serial")
CHECK_EXTRAS = (*EXTRAS, "check")
LINT_PATHS = ["app", "tests", "packaging"]
STAMP = VENV / ".caja-setup-stamp"

# Shared libraries PySide6's wheels expect from the system, with the Debian packages providing them.
QT_DEBIAN_PACKAGES = [
    "libegl1",
    "libgl1",
    "libopengl0",
    "libxkbcommon0",
    "libfontconfig1",
    "libfreetype6",
    "libglib2.0-0",
    "libdbus-1-3",
    "fonts-dejavu-core",
    # Only needed for a real X11 window (the ``run`` command), not offscreen tests.
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxcb-image0",
]


def log(msg: str) -> None:
    print(f"[caja-dev] {msg}", file=sys.stderr, flush=True)


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def run(cmd: list[str | os.PathLike[str]], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def has_ensurepip() -> bool:
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def bootstrap_pip(python: Path) -> None:
    """Install pip into a venv created without it, from pip's wheel on PyPI."""
    log("this Python has no ensurepip; installing pip from its wheel on PyPI")
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as resp:
        meta = json.load(resp)
    wheel = next(u for u in meta["urls"] if u["filename"].endswith("-py3-none-any.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as resp:
            data = resp.read()
        if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
            raise SystemExit("pip wheel checksum mismatch")
        path.write_bytes(data)
        # A pip wheel is runnable as a zip: use it to install itself into the venv.
        run([python, str(path / "pip"), "install", "--quiet", str(path)])


def ensure_venv() -> Path:
    python = venv_bin("python")
    if not python.exists():
        log(f"creating virtual environment in {VENV}")
        with_pip = has_ensurepip()
        venv.EnvBuilder(with_pip=with_pip, upgrade_deps=False).create(VENV)
        if not with_pip:
            bootstrap_pip(python)
    return python


def ensure_installed(python: Path, extras: tuple[str, ...] = EXTRAS) -> None:
    """Install Caja with ``extras``, unless pyproject.toml is unchanged and they are already there."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    try:
        stamp = json.loads(STAMP.read_text())
        installed = set(stamp["extras"]) if stamp["pyproject"] == digest else set()
    except (OSError, ValueError, KeyError, TypeError):
        installed = set()
    if set(extras) <= installed:
        return
    wanted = sorted(installed | set(extras))  # switching between test and check reinstalls nothing
    log("installing Caja and its dependencies (editable)")
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f"{ROOT}[{','.join(wanted)}]"])
    STAMP.write_text(json.dumps({"pyproject": digest, "extras": wanted}))


# Test-only tools that cannot be declared in pyproject.toml. emupos (an independent ESC/POS printer
# simulator, used to cross-check our encoder with a decoder we did not write) declares Python >= 3.13
# only for its syntax; tests/printing/emupos_compat.py loads it on 3.11.
TEST_TOOLS = ["emupos==0.4.0"]


def ensure_test_tools(python: Path) -> None:
    stamp = VENV / ".caja-test-tools"
    wanted = "\n".join(TEST_TOOLS)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    result = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--ignore-requires-python",
            *TEST_TOOLS,
        ]
    )
    if result.returncode == 0:
        stamp.write_text(wanted)
    else:  # the tests that need them skip, saying so
        log("could not install optional test tools: " + ", ".join(TEST_TOOLS))


def ensure_qt_libraries(python: Path) -> None:
    if not sys.platform.startswith("linux"):
        return
    # Importing PySide6 is not enough: the platform plugin (xcb needs libxcb-cursor0 and friends)
    # only loads when an application is created, so the probe creates one on the platform the
    # window will use (offscreen when there is no display, as for the tests).
    probe = "import sys; from PySide6.QtWidgets import QApplication; QApplication(sys.argv[:1])"
    probe_env = dict(os.environ)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        probe_env.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, env=probe_env)
    if result.returncode == 0:
        return
    log("Qt cannot load its system libraries:\n" + result.stderr.strip().splitlines()[-1])
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        log("installing them with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run([apt, "update", "-qq"], env=env)
        run([apt, "install", "-y", "-qq", "--no-install-recommends", *QT_DEBIAN_PACKAGES], env=env)
        run([python, "-c", probe], env=probe_env)
    else:
        raise SystemExit(
            "Install Qt's system libraries first, then run this again:\n"
            f"  sudo apt-get install {' '.join(QT_DEBIAN_PACKAGES)}"
        )


def build_translations(python: Path) -> None:
    run([python, str(ROOT / "packaging" / "translations.py"), "compile"])


def check(python: Path, rest: list[str]) -> int:
    """Run every checker, report each, and fail if any failed."""
    unknown = [a for a in rest if a != "--no-format"]
    if unknown:
        log(f"check: unknown argument(s) {' '.join(unknown)}")
        return 2
    steps = [
        ("ruff check", [venv_bin("ruff"), "check", *LINT_PATHS]),
        ("mypy", [python, "-m", "mypy"]),
        ("import layers", [venv_bin("lint-imports"), "--no-cache", "--no-logo"]),
    ]
    if "--no-format" not in rest:
        steps.append(
            ("ruff format --check", [venv_bin("ruff"), "format", "--check", "--output-format", "concise", *LINT_PATHS])
        )
    failed = []
    for name, cmd in steps:
        log(f"check: {name}")
        if subprocess.call([str(c) for c in cmd], cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        log("check FAILED: " + ", ".join(failed))
        return 1
    log("check passed: " + ", ".join(name for name, _ in steps))
    return 0


def ensure_installed_venv(extras: tuple[str, ...]) -> Path:
    python = ensure_venv()
    ensure_installed(python, extras)
    return python


def setup() -> Path:
    python = ensure_venv()
    ensure_installed(python)
    ensure_qt_libraries(python)
    build_translations(python)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "setup", "check"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "check":
        return check(ensure_installed_venv(CHECK_EXTRAS), rest)
    python = setup()
    if command == "setup":
        return 0
    if command == "run":
        cmd = [str(venv_bin("caja")), *rest]
        env = dict(os.environ)
    else:
        ensure_test_tools(python)
        cmd = [str(python), "-m", "pytest", *rest]
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    os.chdir(ROOT)
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
