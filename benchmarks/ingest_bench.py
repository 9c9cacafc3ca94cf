"""Ingest speed: text-layer PDF pages per second, and OCR seconds per page beside bare Tesseract.

Text PDFs are read in this one process (so the rate is per core). OCR is timed with both
cores busy: the kehoach OCR reader on an N-page scanned PDF (pages in parallel), bare
`tesseract page.png stdout -l vie` on the same raw pages, and bare Tesseract on the very
images kehoach handed to Tesseract (kept during a first run), as many at once as there are
workers, in the same run. The first comparison is what the issue asks; the second shows what
kehoach costs around Tesseract, since on a harsh scan bare Tesseract on the raw page is fast
because it reads nothing. Goals (issue 5): >= 200 text pages/s per core; OCR overhead <= 15%.
Run: `python -m benchmarks.ingest_bench`.
"""
from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from benchmarks.agreement import FIXTURES
from pipeline.ingest import ocr, pdf, scanclean
from pipeline.ingest.quality import score


def text_pdf_rate(rounds: int = 5) -> tuple[int, float, float]:
    """(pages, pages per wall second, pages per CPU second of this process). The CPU rate is
    the per-core figure; the wall rate drops when other users share the cores."""
    files = [FIXTURES / "all_seeds.pdf", FIXTURES / "seed000.pdf", *sorted((FIXTURES / "lo_pdf").glob("*.pdf"))]
    blobs = [(f.read_bytes(), f.name) for f in files if f.exists()]
    pdf.read(*blobs[0])  # imports and caches out of the timing
    pages, t, c = 0, time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for data, name in blobs:
            pages += pdf.read(data, name).pages or 0
    return pages, pages / (time.perf_counter() - t), pages / (time.process_time() - c)


def _page_pngs(path: Path, tmp: Path, limit: int) -> list[Path]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    out = []
    for i in range(min(limit, len(doc))):
        img, _ = pdf._page_image(doc[i])
        p = tmp / f"{path.stem}_{i + 1}.png"
        img.save(p)
        out.append(p)
    doc.close()
    return out


def bare_tesseract(images: list[Path]) -> tuple[float, list[str]]:
    """(wall seconds, texts) for bare Tesseract on these images, `workers()` processes at a time."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(p: Path) -> str:
        return subprocess.run(["tesseract", str(p), "stdout", "-l", "vie"], capture_output=True,
                              env=env, check=True).stdout.decode("utf-8", "replace")

    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=ocr.workers()) as pool:
        texts = list(pool.map(one, images))
    return time.perf_counter() - t, texts


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def _watch(tmp: Path, name: str):
    """During one kehoach run: keep each image kehoach hands to Tesseract (as the TIFF it
    writes) and add up the CPU seconds of the clean-up (the degraded test and clean())."""
    seen = {"images": [], "cleanup": 0.0}
    lock = threading.Lock()
    tsv, degraded, clean = ocr.tesseract_tsv, scanclean.degraded, scanclean.clean

    def keep(img, dpi, **kw):
        with lock:
            path = tmp / f"{Path(name).stem}_handed{len(seen['images'])}.tif"
            seen["images"].append(path)
        img.save(path, "TIFF")
        return tsv(img, dpi, **kw)

    def timed(fn):
        def run(*args):
            c = time.thread_time()
            try:
                return fn(*args)
            finally:
                with lock:
                    seen["cleanup"] += time.thread_time() - c
        return run

    ocr.tesseract_tsv, scanclean.degraded, scanclean.clean = keep, timed(degraded), timed(clean)
    try:
        yield seen
    finally:
        ocr.tesseract_tsv, scanclean.degraded, scanclean.clean = tsv, degraded, clean


def _valid_words(texts: list[str]) -> int:
    return sum(score(t).valid for t in texts)


def measure(pages: int = 4, repeats: int = 3) -> list[dict]:
    """Per scan: seconds per page (best of `repeats`) of bare Tesseract on the raw page image,
    of bare Tesseract on the very images kehoach hands to Tesseract (cleaned for degraded
    scans), and of kehoach; wall and CPU (this process and its children). The runs alternate
    (load from other users hits all three); CPU seconds depend little on the neighbours."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("seed000_scanned.pdf", "seed000_scanned_noisy.pdf", "seed000_scanned_harsh.pdf"):
            path = FIXTURES / name
            if not path.exists():
                continue
            pngs = _page_pngs(path, Path(tmp), pages)
            n = len(pngs)
            sub = _first_pages(path, n, Path(tmp)).read_bytes()
            with _watch(Path(tmp), name) as seen:  # also the warm-up run
                first = pdf.read(sub, name)
            t: dict[str, list[float]] = {}
            bare_texts: list[str] = []
            for _ in range(repeats):
                c, w = _cpu(), time.perf_counter()
                bare_texts = bare_tesseract(pngs)[1]
                _add(t, "bare", w, c, n)
                c, w = _cpu(), time.perf_counter()
                bare_tesseract(seen["images"])
                _add(t, "handed", w, c, n)
                c, w = _cpu(), time.perf_counter()
                pdf.read(sub, name)
                _add(t, "ours", w, c, n)
            out.append({"scan": name, "pages": n, "images": len(seen["images"]),
                        "cleanup": seen["cleanup"] / n, **{k: min(v) for k, v in t.items()},
                        "bare_words": _valid_words(bare_texts), "our_words": _valid_words([first.text]),
                        "strategy": ",".join(sorted({r for _, r in first.page_starts}))})
    return out


def _first_pages(path: Path, n: int, tmp: Path) -> Path:
    """A copy of the PDF holding its first n pages, so both sides OCR the same pages."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(path.read_bytes())
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, list(range(n)))
    out = tmp / f"{path.stem}_first{n}.pdf"
    dst.save(out)
    return out


def _add(t: dict, key: str, wall0: float, cpu0: float, n: int) -> None:
    t.setdefault(key, []).append((time.perf_counter() - wall0) / n)
    t.setdefault(key + "_cpu", []).append((_cpu() - cpu0) / n)


def _pct(ours: float, bare: float) -> str:
    return f"{100 * (ours / bare - 1):+.0f}%"


def raw_table(ms: list[dict]) -> list[str]:
    rows = ["| scan | pages | bare s/page | kehoach s/page | overhead (wall) | bare CPU s/page "
            "| kehoach CPU s/page | overhead (CPU) | valid words read: bare / kehoach | strategy |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for m in ms:
        rows.append(f"| {m['scan']} | {m['pages']} | {m['bare']:.2f} | {m['ours']:.2f} | "
                    f"{_pct(m['ours'], m['bare'])} | {m['bare_cpu']:.2f} | {m['ours_cpu']:.2f} | "
                    f"{_pct(m['ours_cpu'], m['bare_cpu'])} | {m['bare_words']} / {m['our_words']} | "
                    f"{m['strategy']} |")
    return rows


def handed_table(ms: list[dict]) -> list[str]:
    rows = ["| scan | images | bare on handed s/page | kehoach s/page | overhead (wall) "
            "| bare on handed CPU s/page | kehoach CPU s/page | overhead (CPU) | clean-up CPU s/page "
            "| rest CPU s/page |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for m in ms:
        rest = m["ours_cpu"] - m["handed_cpu"] - m["cleanup"]
        rows.append(f"| {m['scan']} | {m['images']} | {m['handed']:.2f} | {m['ours']:.2f} | "
                    f"{_pct(m['ours'], m['handed'])} | {m['handed_cpu']:.2f} | {m['ours_cpu']:.2f} | "
                    f"{_pct(m['ours_cpu'], m['handed_cpu'])} | {m['cleanup']:.2f} | {rest:+.2f} |")
    return rows


def verdict(ms: list[dict], goal: float = 0.15) -> str:
    """The goal line, per scan and comparison, on CPU seconds (the steadier figure here)."""
    parts = []
    for m in ms:
        raw, handed = m["ours_cpu"] / m["bare_cpu"] - 1, m["ours_cpu"] / m["handed_cpu"] - 1
        why = (" (bare Tesseract reads nothing from the raw page: "
               f"{m['bare_words']} valid words against {m['our_words']})"
               if raw > goal and m["bare_words"] < m["our_words"] / 4 else "")
        parts.append(f"{m['scan']}: {'met' if raw <= goal else 'NOT met'} against bare on the raw page "
                     f"({raw:+.0%}){why}, {'met' if handed <= goal else 'NOT met'} against bare on the "
                     f"handed image ({handed:+.0%})")
    return f"Goal OCR overhead <= {goal:.0%} (CPU): " + "; ".join(parts) + "."


def run() -> list[str]:
    lines = []
    pages, wall, cpu = text_pdf_rate()
    lines += [f"Text-layer PDFs: {pages} pages read at **{cpu:.0f} pages per CPU-second** on one core "
              f"({wall:.0f} pages/s wall clock, load {os.getloadavg()[0]:.1f}); goal >= 200 per core.", ""]
    if not ocr.available():
        return lines + ["OCR: tesseract with Vietnamese data not installed; skipped."]
    ms = measure()
    return lines + [
        f"OCR, {ocr.workers()} pages at a time (both cores busy), seconds per page, best of 3 (load "
        f"{os.getloadavg()[0]:.1f}; the machine may be shared, so CPU seconds are the steadier figure).", "",
        "Against bare `tesseract page.png stdout -l vie` on the raw page image (the issue's goal):", "",
        *raw_table(ms), "",
        "Against bare Tesseract on the very images kehoach hands to Tesseract (the cleaned image for "
        "degraded scans): what kehoach costs around Tesseract. Clean-up is the degraded-scan test and "
        "clean() (median, flat-field, deskew, upscale); the rest is PDF page extraction, TSV parsing, "
        "repairs and layout.", "",
        *handed_table(ms), "",
        verdict(ms),
        "On the harsh scan bare Tesseract on the raw page is cheap because it reads nothing; kehoach "
        f"cleans the page and Tesseract reads real text from it upscaled to {scanclean.TARGET_DPI} dpi, "
        "so the overhead against the raw page there is the price of reading the page at all."]


if __name__ == "__main__":
    print("\n".join(run()))
