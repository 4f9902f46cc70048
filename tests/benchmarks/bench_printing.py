"""Benchmark: Caja's PDF -> ESC/POS path side by side with python-escpos 3.1's, on the same pages.

Run from the repository root::

    /tmp/venv/bin/python tests/benchmarks/bench_printing.py [--runs 20] [--png DIR] [--samples DIR]

Inputs: a sandbox ticket (issued through ``app.sandbox.server`` over loopback when the sandbox is
present, else a generated ticket-like PDF), the sample PDFs in ``../shared/samples`` (skipped when
absent) and a two-page A4 PDF.

For each input and printer profile it measures, as medians over ``--runs``:

* Caja: ``render_pdf`` (render + 1-bit conversion + crop) and ``encode_job``; bytes sent; paper
  length (from the decoded job) against the height of the ink; whether the QR code scans from the
  *decoded* job; whether emupos, an independent printer simulator, prints the same dots.
* python-escpos: the page rendered anti-aliased at the same zoom (its users' usual path), then
  ``Dummy(profile).image(img)`` and ``.cut()``; bytes; paper length of its raster.

"Ink outline" counts black/white transitions between neighbouring dots: for the same text, a
longer outline means ragged glyph edges and broken rules (python-escpos dithers anti-aliased
edges).

Targets (issue 3): bytes <= 0.5x python-escpos's; paper <= ink + small margins; host time not
slower than python-escpos's path; the sandbox ticket's QR decodes from the decoded raster.
"""

from __future__ import annotations

import argparse
import importlib.util
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402
import zxingcpp  # noqa: E402
from escpos.printer import Dummy  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402

from app.printing import mupdf  # noqa: E402
from app.printing.decoder import decode_job  # noqa: E402
from app.printing.escpos import encode, encode_job  # noqa: E402
from app.printing.profiles import get_profile  # noqa: E402
from app.printing.raster import render_pdf  # noqa: E402

SAMPLES = ROOT.parent.parent / "shared" / "samples"
# python-escpos capability profiles with the same width (its "default" profile has none).
ESCPOS_PROFILE = {576: "TM-T20II", 512: "TM-T88V", 384: "POS-5890", 640: "CT-S651"}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PDFS = _load("caja_printing_pdfs", ROOT / "tests" / "printing" / "conftest.py")
EMUPOS = _load("caja_emupos_compat", ROOT / "tests" / "printing" / "emupos_compat.py")


def sandbox_ticket() -> tuple[str, bytes]:
    """A real sandbox ticket PDF, or a generated ticket-like one when the sandbox is absent."""
    try:
        import httpx

        from app.sandbox.server import SandboxServer
    except ImportError:
        return "generated ticket 80x210 mm", PDFS.ticket_pdf()
    lines = [
        {"description": d, "quantity": q, "unit_price": p}
        for d, q, p in (
            ("Cuaderno espiral 100 hojas", 2, 5.65),
            ("Lapicero azul punta fina", 12, 0.35),
            ("Folder manila tamaño carta", 25, 0.12),
            ("Borrador blanco", 3, 0.25),
            ("Resma papel bond 75 g", 1, 4.95),
            ("Marcador permanente negro", 2, 1.10),
        )
    ]
    body = {
        "doc_type": "01",
        "external_ref": "BENCH-0001",
        "lines": lines,
        "customer": {"name": "José Ñúñez", "dui": "00016297-5"},
    }
    key = "odt_" + secrets.token_hex(28)
    with (
        SandboxServer() as server,
        httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client,
    ):
        answer = client.post("/invoice", json=body)
        answer.raise_for_status()
        pdf = client.get(answer.json()["ticket_url"])
        pdf.raise_for_status()
        return "sandbox ticket 80x210 mm", pdf.content


def inputs(samples: Path) -> list[tuple[str, bytes, str]]:
    name, ticket = sandbox_ticket()
    cases = [(name, ticket, "generic-80"), (name, ticket, "tm-t88")]
    for path, profile in (
        ("printticketpy_ticket_58mm.pdf", "generic-58"),
        ("pushdown99_receipt_79mm_881560005160.pdf", "generic-80"),
    ):
        if (samples / path).exists():
            cases.append(
                (f"sample {path.split('_')[0]} ({path.split('_')[-1][:-4]})", (samples / path).read_bytes(), profile)
            )
        else:
            print(f"(skipping {path}: not found in {samples})", file=sys.stderr)
    cases.append(("A4, 2 pages", PDFS.text_page_pdf(595.28, 841.89, lines=40, pages=2), "generic-80"))
    return cases


def python_escpos_page(pdf: bytes, width: int) -> Image.Image:
    """Every page rendered the usual way (anti-aliased, zoom to width), stacked, cut to width."""
    pages = mupdf.run(_pages_the_usual_way, pdf, width)
    out = Image.new("L", (width, sum(p.height for p in pages)), 255)
    y = 0
    for p in pages:
        out.paste(p, (0, y))
        y += p.height
    return out


def _pages_the_usual_way(pdf: bytes, width: int) -> list[Image.Image]:
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    pages = []
    for page in doc:
        zoom = width / page.rect.width
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
        pages.append(Image.frombytes("L", (pix.width, pix.height), pix.samples).crop((0, 0, width, pix.height)))
    doc.close()
    return pages


def python_escpos_job(page: Image.Image, width: int) -> bytes:
    printer = Dummy(profile=ESCPOS_PROFILE[width])
    printer.image(page)
    printer.cut()
    return printer.output


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def ink_rows(image: Image.Image) -> int:
    bbox = ImageChops.invert(image.convert("L")).getbbox()
    return 0 if bbox is None else bbox[3] - bbox[1]


def qr(image: Image.Image, source_page: Image.Image) -> str:
    if zxingcpp.read_barcodes(image.convert("L")):
        return "yes"
    return "no" if zxingcpp.read_barcodes(source_page) else "(no QR in PDF)"


def edges(image: Image.Image) -> int:
    """Black/white transitions between 4-neighbours: the outline length of the ink.

    For the same ink, a longer outline means ragged glyph edges, broken rules and dither dots.
    """
    gray = image.convert("L")
    w, h = gray.size
    across = ImageChops.difference(gray.crop((0, 0, w - 1, h)), gray.crop((1, 0, w, h)))
    down = ImageChops.difference(gray.crop((0, 0, w, h - 1)), gray.crop((0, 1, w, h)))
    return across.histogram()[255] + down.histogram()[255]


def python_escpos_mono(page: Image.Image) -> Image.Image:
    """python-escpos's own 1-bit conversion of the page (what its GS v 0 bands carry)."""
    from escpos.image import EscposImage

    im = EscposImage(page)
    data = bytes(255 - b for b in im.to_raster_format())
    return Image.frombytes("1", (im.width_bytes * 8, im.height), data)


def emupos_same(data: bytes, image: Image.Image, profile) -> str:
    if profile.feed_unit_dots != 1:
        return "n/a (feeds in dots)"  # emupos ignores GS P: its ESC J unit is always one dot
    if not EMUPOS.available():
        return "not installed"
    (paper,) = EMUPOS.render(data, profile.dots)
    ours = image.crop((0, 0, profile.dots, paper.height))
    return (
        "identical" if ImageChops.difference(paper.convert("L"), ours.convert("L")).getbbox() is None else "DIFFERENT"
    )


def run(runs: int, png_dir: Path | None, samples: Path) -> list[dict]:
    rows = []
    for name, pdf, profile_name in inputs(samples):
        profile = get_profile(profile_name)
        mm = profile.dots_to_mm
        render_pdf(pdf, profile.dots, dpi=profile.dpi)  # warm-up (fonts, caches)
        t_render, image = median_time(lambda: render_pdf(pdf, profile.dots, dpi=profile.dpi), runs)
        t_encode, data = median_time(lambda: encode_job(image, profile), runs)
        # What the print path no longer does per job: decode its own bytes to measure the paper
        # (EncodedJob.paper_rows knows it) and, for the on-screen preview, render the PDF again.
        t_decode, job = median_time(lambda: decode_job(data, profile), runs)
        assert encode(image, profile).paper_rows == job.paper_rows
        assert job.image.crop((0, 0, profile.dots, image.height)).tobytes() == image.tobytes()
        t_their_render, page = median_time(lambda: python_escpos_page(pdf, profile.dots), runs)
        t_their_encode, their = median_time(lambda: python_escpos_job(page, profile.dots), runs)
        if png_dir:
            png_dir.mkdir(parents=True, exist_ok=True)
            stem = f"{name.split(' ')[0]}-{name.split(' ')[1]}-{profile.name}".replace("/", "_").replace(",", "")
            job.image.save(png_dir / f"{stem}-caja.png")
        rows.append(
            {
                "input": name,
                "profile": f"{profile.name} ({profile.dots})",
                "ours_ms": (t_render + t_encode) * 1000,
                "render_ms": t_render * 1000,
                "encode_ms": t_encode * 1000,
                "decode_ms": t_decode * 1000,
                "theirs_ms": (t_their_render + t_their_encode) * 1000,
                "their_render_ms": t_their_render * 1000,
                "their_encode_ms": t_their_encode * 1000,
                "bytes": len(data),
                "their_bytes": len(their),
                "paper_mm": mm(job.paper_rows),
                "ink_mm": mm(ink_rows(image)),
                "their_paper_mm": mm(page.height),
                "qr": qr(job.image, page),
                "emupos": emupos_same(data, image, profile),
                "edges": edges(image),
                "their_edges": edges(python_escpos_mono(page)),
                "bands": len(job.bands),
                "feeds": len(job.feeds),
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    out = [
        "| input | profile | bytes (Caja / python-escpos) | ratio | paper mm (Caja / ink / python-escpos) "
        "| host ms (Caja / python-escpos) | ink outline, k transitions (Caja / python-escpos) | QR from decoded job | emupos |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['input']} | {r['profile']} | {r['bytes']:,} / {r['their_bytes']:,} | "
            f"{r['bytes'] / r['their_bytes']:.2f} | {r['paper_mm']:.1f} / {r['ink_mm']:.1f} / {r['their_paper_mm']:.1f} | "
            f"{r['ours_ms']:.1f} / {r['theirs_ms']:.1f} | {r['edges'] / 1000:.1f} / {r['their_edges'] / 1000:.1f} | "
            f"{r['qr']} | {r['emupos']} |"
        )
    out.append("")
    out.append("Host time split, ms (Caja render+convert / encode; python-escpos render / image+cut):")
    out.append("")
    for r in rows:
        out.append(
            f"- {r['input']}, {r['profile']}: {r['render_ms']:.1f} / {r['encode_ms']:.2f}; "
            f"{r['their_render_ms']:.1f} / {r['their_encode_ms']:.1f} ({r['bands']} bands, {r['feeds']} feeds)"
        )
    out.append("")
    out.append(
        "Saved per printed job by encoding once, ms (decode to measure the paper; plus render again for "
        "the on-screen preview of a real printer):"
    )
    out.append("")
    for r in rows:
        out.append(f"- {r['input']}, {r['profile']}: {r['decode_ms']:.1f} + {r['render_ms']:.1f}")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--png", type=Path, help="write each decoded Caja job as a PNG here")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help=f"sample PDFs (default {SAMPLES})")
    args = parser.parse_args()
    rows = run(args.runs, args.png, args.samples)
    print(table(rows))
    failures = [
        r["input"] + " " + r["profile"]
        for r in rows
        if r["bytes"] > 0.5 * r["their_bytes"]
        or r["ours_ms"] > r["theirs_ms"]
        or r["paper_mm"] > r["ink_mm"] + 6
        or r["emupos"] == "DIFFERENT"
    ]
    failures += [r["input"] for r in rows if r["input"].endswith("ticket 80x210 mm") and r["qr"] != "yes"]
    if failures:
        print("\nTargets missed: " + "; ".join(failures))
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
