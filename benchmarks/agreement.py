"""Does a plan read from its PDF, scan or Word shape give the same facts as its .txt?

For each fixture: legal references (number+symbol), complete dates (day precision) and
target values are extracted from the fixture and from the corpus .txt it was made from, and
compared as multisets (F1). Text similarity (word-level) against the fixture's .ref.txt,
or the corpus text, is shown beside it since it does not depend on the extractors.
Run: `python -m benchmarks.agreement [--no-ocr]`.
"""
from __future__ import annotations

import difflib
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from pipeline.run import process_path, process_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = next((p for p in (ROOT.parent / "shared" / "fixtures", ROOT / "tests" / "fixtures")
                 if (p / "seed000.pdf").exists()), ROOT / "tests" / "fixtures")
CORPUS = ROOT / "corpus"
# Goals from the issue: text-layer shapes 0.97, clean scan 0.90, noisy 0.85, harsh 0.60.
GOALS = {"seed000_scanned.pdf": 0.90, "seed000_scanned_noisy.pdf": 0.85, "seed000_scanned_harsh.pdf": 0.60}


def seeds() -> list[Path]:
    return sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))


def cases(ocr: bool = True) -> list[tuple[Path, list[Path], Path | None]]:
    """(fixture, corpus texts it was made from, reference text or None)."""
    by_stem = {p.stem: p for p in seeds()}
    first = seeds()[0]
    out = [(FIXTURES / "seed000.pdf", [first], FIXTURES / "seed000.ref.txt"),
           (FIXTURES / "all_seeds.pdf", seeds(), FIXTURES / "all_seeds.ref.txt"),
           (FIXTURES / "seed000_table_header.docx", [first], FIXTURES / "seed000.ref.txt")]
    for sub in ("lo_pdf", "docx"):
        for f in sorted((FIXTURES / sub).glob("*")):
            if f.stem in by_stem:
                out.append((f, [by_stem[f.stem]], None))
    if ocr:
        for name in GOALS:
            out.append((FIXTURES / name, [first], FIXTURES / "seed000.ref.txt"))
    return [c for c in out if c[0].exists()]


def facts(result) -> Counter:
    out: Counter = Counter()
    for r in result.legal_refs:
        out[("ref", r.number, (r.symbol or "").replace(" ", ""))] += 1
    for d in result.dates:
        if d.precision == "day" and d.start:
            out[("date", d.start)] += 1
    for t in result.targets:
        out[("target", t.value, t.value_max)] += 1
    return out


def f1(got: Counter, want: Counter) -> float | None:
    if not got and not want:
        return None
    tp = sum((got & want).values())
    if not tp:
        return 0.0
    p, r = tp / sum(got.values()), tp / sum(want.values())
    return 2 * p * r / (p + r)


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("*", "")
    return re.findall(r"\w+|[^\w\s]", text.lower())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


def goal(name: str) -> float:
    return GOALS.get(name, 0.97)


def rows(ocr: bool = True) -> list[dict]:
    out = []
    for fixture, sources, ref in cases(ocr):
        t = time.perf_counter()
        res = process_path(fixture)
        secs = time.perf_counter() - t
        if len(sources) == 1:
            want = facts(process_path(sources[0]))
        else:  # one PDF of several plans: compare with their texts run as one document
            want = facts(process_text("\n\n".join(s.read_text(encoding="utf-8") for s in sources), "all.txt"))
        got = facts(res)
        ref_text = ref.read_text(encoding="utf-8") if ref else "\n".join(s.read_text(encoding="utf-8") for s in sources)
        score = f1(got, want)
        out.append({
            "fixture": str(fixture.relative_to(FIXTURES)), "status": res.status,
            "facts": sum(want.values()), "f1": score, "goal": goal(fixture.name),
            "text_sim": similarity(res.text, ref_text), "seconds": secs,
            "readers": ",".join(sorted({p.reader for p in res.source.page_info})) or res.source.format,
        })
    return out


def table(rs: list[dict]) -> str:
    lines = ["| fixture | status | facts in .txt | F1 facts | goal | text similarity | s | readers |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rs:
        f = "n/a" if r["f1"] is None else f"{r['f1']:.3f}"
        lines.append(f"| {r['fixture']} | {r['status']} | {r['facts']} | {f} | {r['goal']:.2f} | "
                     f"{r['text_sim']:.3f} | {r['seconds']:.1f} | {r['readers']} |")
    return "\n".join(lines)


def run() -> list[str]:
    """For benchmarks/run.py: the agreement table, OCR shapes included."""
    return [table(rows())]


def main(argv: list[str]) -> str:
    md = "## Format agreement (facts vs the seed .txt)\n\n" + table(rows(ocr="--no-ocr" not in argv))
    print(md)
    return md


if __name__ == "__main__":
    main(sys.argv[1:])
