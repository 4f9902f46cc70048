"""Render the CCF and credit-note examples of docs/printing.md (docs/img/ticket-*.png).

The PNGs are what the printer prints: the composed PDF through the raster -> ESC/POS path, decoded
back to dots. Run from the repository root: ``.venv/bin/python tests/printing/make_dte_examples.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.printing.decoder import decode_job  # noqa: E402
from app.printing.dte_ticket import compose_dte_ticket  # noqa: E402
from app.printing.escpos import encode_job  # noqa: E402
from app.printing.profiles import get_profile  # noqa: E402
from app.printing.raster import render_pdf  # noqa: E402
from tests.helpers.dte import ccf_dte, nc_dte  # noqa: E402


def main() -> None:
    profile = get_profile("generic-80")
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, dte, copy in (("ticket-ccf", ccf_dte(), False), ("ticket-nota-credito-copia", nc_dte(), True)):
        pdf = compose_dte_ticket(dte, copy=copy)
        image = decode_job(encode_job(render_pdf(pdf, profile.dots, dpi=profile.dpi), profile), profile).image
        image.save(out / f"{name}.png", optimize=True)
        print(out / f"{name}.png", image.size)


if __name__ == "__main__":
    main()
