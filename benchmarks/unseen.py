"""OCR agreement on plans that have no fixture: the corpus texts printed to page images here.

The fixtures scan only seed 000; the other seeds and the corpus plans are typeset with Pillow
(DejaVu Serif from Debian's fonts-dejavu-core, 300 dpi A4, ragged right, no bold), optionally degraded like the noisy
fixture (skew, blur, noise), and read back through the image reader as a multi-page TIFF.
Facts are compared with those of the source text as in agreement.py.
Run: `python -m benchmarks.unseen [N_DOCS | FILE...] [--pages K]` (e.g. the synthetic test sets:
`python -m benchmarks.unseen tests/unseen33/corpus/* --pages 2`).
"""
from __future__ import annotations

import io
import re
import sys
import time
from pathlib import Path

from benchmarks.agreement import CORPUS, f1, facts, similarity
from pipeline.run import process_bytes

FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"]


def _font_path() -> Path | None:
    """A font that draws Vietnamese letters (Debian's Liberation 1.x has no "ệ"; DejaVu has)."""
    from PIL import ImageFont

    for path in FONTS:
        if not Path(path).exists():
            continue
        f = ImageFont.truetype(path, 40)
        if bytes(f.getmask("ệ")) != bytes(f.getmask("\U0010fffd")):
            return Path(path)
    return None


FONT = _font_path() or Path(FONTS[0])
DPI, SIZE_PT = 300, 13


def paragraphs(text: str) -> list[str]:
    """The source as printed paragraphs: every line of it (the extractors read a line break as
    one; joining the lines of a block put headings such as "III. NHIỆM VỤ" mid-paragraph, which
    no printed plan does), markdown markup and table rules ("|---|" rows too) dropped."""
    # (a markdown table's "|---|---|" rule is markup, not printed: only the rows are)
    text = re.sub(r"\*+|^\s*\|\s*$|^-{3,}\s*$|^#+\s*|^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*$", "", text, flags=re.M)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def typeset(paras: list[str], max_pages: int):
    """(page images, the text actually printed on them)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), int(SIZE_PT * DPI / 72))
    w, h, margin = int(8.27 * DPI), int(11.69 * DPI), int(0.9 * DPI)
    lead = int(font.size * 1.4)
    pages, y, draw, printed = [], h, None, []
    for para in paras:
        line, drawn = "", []
        for word in para.split(" ") + [None]:
            trial = (f"{line} {word}" if line else word) if word is not None else line
            if word is not None and font.getlength(trial) <= w - 2 * margin:
                line = trial
                continue
            if y + lead > h - margin:
                if len(pages) == max_pages:
                    printed.append(" ".join(drawn))
                    return pages, "\n\n".join(p for p in printed if p)
                pages.append(Image.new("L", (w, h), 255))
                draw, y = ImageDraw.Draw(pages[-1]), margin
            draw.text((margin, y), line, font=font, fill=0)
            drawn.append(line)
            y += lead
            line = word or ""
        printed.append(" ".join(drawn))
        y += lead // 2
    return pages, "\n\n".join(p for p in printed if p)


def degrade(img, seed: int):
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    img = img.rotate(1.0, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(1.2))
    a = np.asarray(img, dtype=np.float32) + rng.normal(0, 18, (img.height, img.width))
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=40)
    return Image.open(io.BytesIO(buf.getvalue()))


def harsh(img, seed: int):
    """Like seed000_scanned_harsh: 200 dpi, 2 degree skew, noise, salt and pepper, uneven light, JPEG q25."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    img = img.rotate(-2.0, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(1.0))
    img = img.resize((img.width * 2 // 3, img.height * 2 // 3), Image.BILINEAR)
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape
    light = np.linspace(0.65, 1.0, w)[None, :] * np.linspace(0.8, 1.0, h)[:, None]
    a = a * light + rng.normal(0, 25, a.shape)
    sp = rng.random(a.shape)
    a[sp < 0.02], a[sp > 0.98] = 0, 255
    buf = io.BytesIO()
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=25)
    return Image.open(io.BytesIO(buf.getvalue()))


def tiff(pages) -> bytes:
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])  # no dpi: estimated
    return buf.getvalue()


def sources(n: int) -> list[Path]:
    seeds = sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))[1:]
    plans = sorted(CORPUS.glob("d[0-9][0-9]_*.md"))
    return (seeds + plans)[:n]


def rows(srcs: list[Path], max_pages: int = 3) -> list[str]:
    """A table row per plan and shape, then the mean and lowest F1 per shape."""
    out = ["| plan (first pages) | pages | shape | facts | F1 facts | text similarity | s |",
           "|---|---|---|---|---|---|---|"]
    scores: dict[str, list[float]] = {}
    for i, src in enumerate(srcs):
        text = src.read_text(encoding="utf-8")
        pages, shown = typeset(paragraphs(text), max_pages)
        want = facts(process_bytes(shown.encode("utf-8"), src.stem + ".txt"))
        shapes = (("clean", pages), ("noisy", [degrade(p, i) for p in pages]),
                  ("harsh", [harsh(p, i) for p in pages]))
        for shape, imgs in shapes:
            t = time.perf_counter()
            res = process_bytes(tiff(imgs), src.stem + ".tif")
            secs = time.perf_counter() - t
            score = f1(facts(res), want)
            scores.setdefault(shape, []).append(1.0 if score is None else score)
            out.append(f"| {src.name[:40]} | {len(imgs)} | {shape} | {sum(want.values())} | "
                       f"{'n/a' if score is None else f'{score:.3f}'} | {similarity(res.text, shown):.3f} | {secs:.1f} |")
    out += ["", "; ".join(f"{shape}: mean {sum(v) / len(v):.3f}, lowest {min(v):.3f} ({len(v)} plans)"
                          for shape, v in scores.items())]
    return out


def run() -> list[str]:
    if _font_path() is None:
        return ["Unseen plans: no font with Vietnamese letters (apt-get install fonts-dejavu-core); skipped."]
    from pipeline.ingest import ocr

    if not ocr.available():
        return ["Unseen plans: tesseract not installed; skipped."]
    return ["OCR of plans without fixtures (typeset here, every source line a paragraph, first 3 pages):", "",
            *rows(sources(6))]


if __name__ == "__main__":
    # `python -m benchmarks.unseen [N | FILE...] [--pages K]`: the first N corpus plans, or these files
    args = sys.argv[1:]
    pages = 3
    if "--pages" in args:
        k = args.index("--pages")
        pages, args = int(args[k + 1]), args[:k] + args[k + 2:]
    files = [Path(a) for a in args if not a.isdigit()]
    print("\n".join(rows(files or sources(int(args[0]) if args else 6), pages)))
