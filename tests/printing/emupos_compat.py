"""Load the third-party ESC/POS printer simulator *emupos* on Python 3.11, to decode our jobs.

emupos (PyPI, Apache-2.0, https://emupos.readthedocs.io) simulates a receipt printer at the
wire level: its tokenizer and print model turn ESC/POS bytes into the receipt image a TM printer
would print (``GS v 0``, ``ESC J``, text, cut, drawer). It is the independent decoder for Caja's
print jobs. It declares Python >= 3.13 only for PEP 695 syntax (``type X = ...`` aliases and
one ``def f[T](...)``); this loader rewrites exactly those two constructs while importing it, and
changes nothing else. Install it with::

    pip install --no-deps --ignore-requires-python emupos==0.4.0

(its runtime needs only Pillow, pydantic, PyYAML, segno and python-barcode, which Caja's
environment already has).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import io
import re
import sys

from PIL import Image

_TYPE_ALIAS = re.compile(r"(?m)^(\s*)type (\w+) = ")
_GENERIC_DEF = re.compile(r"(?m)^(\s*)def (\w+)\[(\w+)\]\(")


class _Loader(importlib.machinery.SourceFileLoader):
    def source_to_code(self, data, path, *, _optimize=-1):  # noqa: D102
        src = importlib.util.decode_source(data)
        src = _TYPE_ALIAS.sub(r"\1\2 = ", src)
        src = _GENERIC_DEF.sub(r"\1\3 = __import__('typing').TypeVar('\3')\n\1def \2(", src)
        return compile(src, path, "exec", dont_inherit=True)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # noqa: D102
        if name != "emupos" and not name.startswith("emupos."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            spec.loader = _Loader(name, spec.origin)
        return spec


def available() -> bool:
    """True when emupos is installed (loaded through the compatibility loader)."""
    try:
        _import()
    except ImportError:
        return False
    return True


def _import():
    """Import the two emupos modules used here, with the rewriting loader in place."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    saved = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # keep the rewritten code out of emupos's __pycache__
    try:
        import emupos.config
        import emupos.printer.printer
    finally:
        sys.dont_write_bytecode = saved
    return emupos.config, emupos.printer.printer


def render(data: bytes, width_dots: int = 576) -> list[Image.Image]:
    """Feed ``data`` to a simulated Epson TM-T20III ``width_dots`` wide; one image per cut.

    Raises:
        ImportError: emupos is not installed.
        AssertionError: emupos reported a command it does not know.
    """
    config, printer_module = _import()
    # The built-in profile loader (the same one emupos's configuration uses).
    profile = config._load_profile("epson-tm-t20iii", "printer", None).model_copy(update={"width_dots": width_dots})
    printer = printer_module.Printer(
        "caja", profile, sensor_open_level=profile.drawer_sensor_open_level, job_idle_timeout_ms=60_000
    )
    printer.open_connection("job", 0.0)
    out = printer.receive("job", data, 0.0)
    unknown = [e for e in out.events if "unknown" in str(getattr(e, "type", "")).lower()]
    assert not unknown, f"emupos did not understand: {unknown}"
    return [Image.open(io.BytesIO(r.png)).convert("1") for r in out.receipts]
