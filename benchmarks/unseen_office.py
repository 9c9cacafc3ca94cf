"""Text-layer agreement on plans that have no fixture: any plan file converted by LibreOffice.

The `lo_pdf/` and `docx/` fixtures are LibreOffice 7.4 conversions of the seed texts (a
PreformattedText paragraph per line, a monospace font whose Vietnamese letters are glyph
clusters in the PDF). This converts other plans the same way (`soffice --convert-to pdf` and
`docx`, the text read as UTF-8) and compares the facts read from each shape with those of
the source text, as agreement.py does for the fixtures (goal: F1 >= 0.97).
Run: `python -m benchmarks.unseen_office [N_DOCS | FILE...] [--fonts system]` (e.g.
`tests/unseen43/corpus/*`).
Needs `soffice` (Debian `libreoffice-writer-nogui`); skipped without it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.agreement import f1, facts, similarity
from benchmarks.unseen import sources
from pipeline.run import process_path

SHAPES = {"pdf": "pdf", "docx": "docx:MS Word 2007 XML"}
TEXT_FILTER = "Text (encoded):UTF8,LF,,,"
# The fixtures were written with DejaVu Sans Mono as the only monospace font (their PDFs embed
# it alone). Where Liberation Mono is installed LibreOffice prefers it and draws the Vietnamese
# letters it lacks in DejaVu, after each line: `--fonts system` keeps that, to see it read.
FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>"""


def convert(src: Path, out: Path, shape: str, system_fonts: bool = False) -> Path:
    """The plan as LibreOffice writes it in this shape (one soffice run; about 1 s)."""
    txt = out / (src.stem + ".txt")
    shutil.copyfile(src, txt)  # .md read as text too, as the fixtures were made
    profile = out / "profile"  # its own profile: no clash with a running LibreOffice
    env = dict(os.environ)
    if not system_fonts:
        conf = out / "fonts.conf"
        conf.write_text(FONTS_CONF.format(cache=out / "fc-cache"))
        env["FONTCONFIG_FILE"] = str(conf)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", f"--infilter={TEXT_FILTER}",
                    "--convert-to", SHAPES[shape], "--outdir", str(out / shape), str(txt)],
                   capture_output=True, check=True, timeout=300, env=env)
    return out / shape / f"{src.stem}.{shape}"


def rows(srcs: list[Path], system_fonts: bool = False) -> list[str]:
    """A table row per plan and shape, then the mean and lowest F1 per shape."""
    out = ["| plan | shape | facts in source | F1 facts | text similarity | s | readers |",
           "|---|---|---|---|---|---|---|"]
    scores: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for src in srcs:
            base = process_path(src)
            want = facts(base)
            for shape in SHAPES:
                path = convert(src, Path(tmp), shape, system_fonts)
                t = time.perf_counter()
                res = process_path(path)
                secs = time.perf_counter() - t
                score = f1(facts(res), want)
                scores.setdefault(shape, []).append(1.0 if score is None else score)
                readers = ",".join(sorted({p.reader for p in res.source.page_info}))
                out.append(f"| {src.name[:44]} | {shape} | {sum(want.values())} | "
                           f"{'n/a' if score is None else f'{score:.3f}'} | {similarity(res.text, base.text):.3f} | "
                           f"{secs:.2f} | {readers or res.source.format} |")
    out += ["", "; ".join(f"{shape}: mean {sum(v) / len(v):.3f}, lowest {min(v):.3f} ({len(v)} plans)"
                          for shape, v in scores.items()) + " (goal: each >= 0.97)"]
    return out


def run() -> list[str]:
    if not shutil.which("soffice"):
        return ["Unseen plans as LibreOffice PDF and DOCX: soffice not installed (apt-get install "
                "libreoffice-writer-nogui); skipped."]
    return ["Plans without fixtures converted by LibreOffice as the lo_pdf/ and docx/ fixtures were:", "",
            *rows(sources(6))]


if __name__ == "__main__":
    # `python -m benchmarks.unseen_office [N | FILE...] [--fonts system]`
    args = sys.argv[1:]
    system = "--fonts" in args and args[args.index("--fonts") + 1] == "system"
    args = [a for a in args if a not in ("--fonts", "system")]
    files = [Path(a) for a in args if not a.isdigit()]
    print("\n".join(rows(files or sources(int(args[0]) if args else 6), system)))
