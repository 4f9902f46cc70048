"""Host time and size of the 80 mm CCF / credit-note printout composed from the signed DTE.

``.venv/bin/python tests/benchmarks/bench_dte_ticket.py [--runs N]``: medians of composing the PDF
(layout + PyMuPDF on its thread) and of raster + ESC/POS encoding, with the job's bytes and the
paper it uses, for the fixtures of ``tests/helpers/dte.py``. Figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.printing.dte_ticket import compose_dte_ticket  # noqa: E402
from app.printing.escpos import encode  # noqa: E402
from app.printing.profiles import get_profile  # noqa: E402
from app.printing.raster import render_pdf  # noqa: E402
from tests.helpers.dte import ccf_dte, nc_dte  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print("| document | profile | compose ms | raster + encode ms | bytes | paper mm |")
    print("|---|---|---:|---:|---:|---:|")
    for name, dte in (("CCF, 3 lines", ccf_dte()), ("credit note, 1 line", nc_dte())):
        for profile_name in ("generic-80", "tm-t88"):
            profile = get_profile(profile_name)
            composing, encoding = [], []
            for _ in range(runs + 1):
                a = time.perf_counter()
                pdf = compose_dte_ticket(dte, dots=profile.dots)
                b = time.perf_counter()
                job = encode(render_pdf(pdf, profile.dots, dpi=profile.dpi), profile)
                c = time.perf_counter()
                composing.append(b - a)
                encoding.append(c - b)
            mm = job.image.height / profile.dpi * 25.4
            print(
                f"| {name} | {profile_name} ({profile.dots}) | {statistics.median(composing[1:]) * 1000:.1f} "
                f"| {statistics.median(encoding[1:]) * 1000:.1f} | {len(job.data):,} | {mm:.1f} |"
            )


if __name__ == "__main__":
    main()
