"""OCR with Tesseract (`-l vie`): scanned PDF pages and images, one process per page.

Each page runs in its own `tesseract` process with OMP_THREAD_LIMIT=1 (Tesseract's own
threads are ~5x slower on a shared 2-core machine), pages in parallel. The image goes in
as an uncompressed TIFF file (no PNG encoding cost). Degraded scans (noise, uneven light,
low resolution, skew) are cleaned first (scanclean.py); a clean-looking page whose result
is still poor is cleaned and read again. TSV output gives line boxes, so layout.py joins
lines into paragraphs as it does for text layers. OCR misreads of bold roman heading
numerals ("H." for "II.") are repaired from lang/vi/ocr.yaml.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import PurePath

import regex

from ..errors import IngestError
from ..limits import check_pages, check_pixels
from ..lang.vi import load
from . import RawDoc, layout, scanclean
from .quality import score

MISSING_MESSAGE = ("Tệp là bản quét nhưng máy chưa cài Tesseract có tiếng Việt: hãy cài "
                   "`apt-get install tesseract-ocr tesseract-ocr-vie` (hoặc chạy `make install`) rồi chạy lại.")
TIMEOUT = 300


@lru_cache(maxsize=1)
def available() -> bool:
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in out.stdout.split()


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("KEHOACH_OCR_WORKERS", "0")) or 99))


def tesseract_tsv(img, dpi: int) -> str:
    """Run one Tesseract process on a greyscale PIL image; returns its TSV output. The image
    goes through an uncompressed TIFF in memory-backed /dev/shm when there is one: 5 ms to
    write and as fast for Tesseract to read as PNG (stdin costs 0.13 s a page, PGM 0.1 s)."""
    tmpdir = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.NamedTemporaryFile(suffix=".tif", dir=tmpdir) as fh:
        img.save(fh, "TIFF")
        fh.flush()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        # No --dpi: Tesseract's own estimate reads as well here and --dpi costs 0.06 s a page.
        proc = subprocess.run(["tesseract", fh.name, "stdout", "-l", "vie", "tsv"],
                              capture_output=True, env=env, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise IngestError("ocr_failed", "Tesseract không đọc được trang ảnh: "
                          + proc.stderr.decode("utf-8", "replace").strip()[:200])
    return proc.stdout.decode("utf-8", "replace")


NOISE_CONF = 30  # on cleaned scans, words read with less confidence are mostly speckle


def parse_tsv(tsv: str, min_conf: float = -1) -> list[layout.Line]:
    """Word rows -> lines with boxes, in Tesseract's reading order."""
    lines: dict[tuple, list] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        if float(cols[10]) < min_conf:
            continue
        key = tuple(int(c) for c in cols[1:5])
        left, top, width, height = (int(c) for c in cols[6:10])
        lines.setdefault(key, []).append((left, top, left + width, top + height, cols[11].strip()))
    out = []
    for words in lines.values():
        text = fix_headings(" ".join(w[4] for w in words).translate(_char_fixes()))
        out.append(layout.Line(text, min(w[0] for w in words), max(w[2] for w in words),
                               min(w[1] for w in words), max(w[3] for w in words)))
    return out


@lru_cache(maxsize=1)
def _heading_fixes():
    conf = load("ocr")
    table = {f["read"]: f["means"] for f in conf["heading_markers"]}
    alts = "|".join(regex.escape(k) for k in sorted(table, key=len, reverse=True))
    # A misread marker opening a line, then a heading in capitals: "H. CÁC CHỈ TIÊU".
    return table, regex.compile(rf"^(?P<m>{alts})(?P<dot>\s*[.,]\s*)(?=\p{{Lu}}{{2}}|\p{{Lu}}\s\p{{Lu}})")


@lru_cache(maxsize=1)
def _char_fixes():
    return str.maketrans(load("ocr").get("characters", {}))


def fix_headings(line: str) -> str:
    table, pattern = _heading_fixes()
    return pattern.sub(lambda m: table[m.group("m")] + ". ", line, count=1)


ROMAN_HEAD = regex.compile(r"^(?P<num>I{1,3})(?P<rest>\.\s+\p{Lu}{2})")


def fix_heading_sequence(pages: list[layout.Page]) -> None:
    """OCR drops strokes of bold "III." ("II."), so top-level headings seem to repeat or go
    back. A heading "II." at or after a "II."/"III." becomes the next number, at most III
    (beyond that the misread is not a dropped stroke). OCR pages only; "I." (a new part) stays."""
    last = 0
    for page in pages:
        ocr_page_ = page.reader.startswith("tesseract")
        for line in page.lines:
            m = ROMAN_HEAD.match(line.text)
            if not m:
                continue
            value = len(m.group("num"))
            if ocr_page_ and 2 <= value <= last:
                value = min(last + 1, 3)
                line.text = "I" * value + line.text[m.end("num"):]
            last = value


def ocr_page(img, dpi: int | None) -> tuple[layout.Page, str]:
    """One page: clean when degraded, read, and retry cleaned when a plain read looks poor."""
    dpi = dpi or scanclean.estimate_dpi(img)
    strategy = "tesseract"
    work = img
    if scanclean.degraded(img, dpi):
        work, dpi_used = scanclean.clean(img, dpi), scanclean.target_dpi(dpi)
        strategy = "tesseract+clean"
    else:
        dpi_used = dpi
    lines = parse_tsv(tesseract_tsv(work, dpi_used), NOISE_CONF if work is not img else -1)
    q = score("\n".join(x.text for x in lines))
    poor = (q.words >= 8 and q.share < 0.8) or (q.letters < 50 and scanclean.ink(img) > 0.01)
    if strategy == "tesseract" and poor:
        cleaned = scanclean.clean(img, dpi)
        lines2 = parse_tsv(tesseract_tsv(cleaned, scanclean.target_dpi(dpi)), NOISE_CONF)
        q2 = score("\n".join(x.text for x in lines2))
        if q2.valid > q.valid:
            lines, work, strategy = lines2, cleaned, "tesseract+clean"
    return layout.Page(lines, float(work.width), float(work.height), strategy), strategy


class Pool:
    """Pages OCRed in parallel as they are submitted, so rendering the next page overlaps OCR."""

    def __init__(self):
        if not available():
            raise IngestError("ocr_unavailable", MISSING_MESSAGE)
        self.pool = ThreadPoolExecutor(max_workers=workers())
        self.futures: dict = {}

    def submit(self, index: int, img, dpi: int | None) -> None:
        self.futures[index] = self.pool.submit(ocr_page, img, dpi)

    def results(self) -> dict:
        """{index: (Page or None, IngestError or None)}; waits for every page."""
        out = {}
        for i, f in self.futures.items():
            try:
                out[i] = (f.result()[0], None)
            except IngestError as err:
                out[i] = (None, err)
            except subprocess.TimeoutExpired:
                out[i] = (None, IngestError("ocr_timeout", f"Tesseract chạy quá {TIMEOUT} giây cho một trang."))
        return out

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def ocr_images(images: dict) -> dict:
    """{index: (PIL image, dpi or None)} -> {index: Page}, pages in parallel; a page error fails."""
    pool = Pool()
    try:
        for i, (img, dpi) in images.items():
            pool.submit(i, img, dpi)
        out = {}
        for i, (page, err) in pool.results().items():
            if err is not None:
                raise err
            out[i] = page
        return out
    finally:
        pool.close()


def _frames(data: bytes):
    from PIL import Image, ImageSequence, UnidentifiedImageError

    pillow_limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # ours, per frame, below
    try:
        im = Image.open(io.BytesIO(data))  # reads the header only
        dpi = im.info.get("dpi")
        dpi = int(round(dpi[0])) if dpi and dpi[0] and dpi[0] > 50 else None
        frames = []
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            check_pages(i + 1)
            check_pixels(*frame.size)  # before decoding: decompression bombs
            frames.append((frame.convert("L"), dpi))
        return frames
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as err:
        why = "không nhận ra định dạng ảnh" if isinstance(err, UnidentifiedImageError) else "tệp ảnh bị hỏng hoặc thiếu"
        raise IngestError("bad_image", f"Không mở được tệp ảnh ({why}; {type(err).__name__}): "
                                       "hãy kiểm tra tệp hoặc quét lại.")
    finally:
        Image.MAX_IMAGE_PIXELS = pillow_limit


def read(data: bytes, name: str) -> RawDoc:
    """Images (.png .jpg .jpeg .tif .tiff, multi-page TIFF): every frame is a page."""
    if not data:
        raise IngestError("empty_file", "Tệp rỗng: không có nội dung để trích xuất; hãy kiểm tra lại tệp gốc.")
    frames = _frames(data)  # a broken or oversized image says so even where OCR is missing
    if not available():
        raise IngestError("ocr_unavailable", MISSING_MESSAGE)
    results = ocr_images(dict(enumerate(frames)))
    pages = [results[i] for i in range(len(frames))]
    fix_heading_sequence(pages)
    text, starts = layout.build(pages)
    if not text.strip():
        raise IngestError("no_text", "Không đọc được chữ nào trong ảnh: hãy quét lại rõ hơn (300 dpi).")
    fmt = PurePath(name).suffix.lower().lstrip(".").replace("jpeg", "jpg").replace("tiff", "tif")
    return RawDoc(text=text, format=fmt, pages=len(pages), ocr=True,
                  page_starts=[(s, p.reader) for s, p in zip(starts, pages)])
