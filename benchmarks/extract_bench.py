"""Throughput of the fact extractors (legal references, dates, targets) in MB/s, beside one
`regex` pass over the same text in the same run (the floor no extractor can beat)."""
from __future__ import annotations

import time
from pathlib import Path

import regex

from pipeline.extract import dates, legal_refs, numbers
from pipeline.normalize import normalize, view
from pipeline.run import process_text

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    return [normalize(p.read_text(encoding="utf-8")).text
            for p in sorted((ROOT / "corpus").iterdir()) if p.suffix in (".txt", ".md") and p.stem != "SOURCES"]


def _rate(fn, texts, repeat) -> float:
    size = sum(len(t.encode("utf-8")) for t in texts) * repeat
    start = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            fn(t)
    return size / (time.perf_counter() - start) / 1e6


def run() -> list[str]:
    texts = _texts()
    views = {t: view(t) for t in texts}
    floor = regex.compile(r"\d+(?:[./-]\d+)*")
    for t in texts:  # warm the compiled patterns
        process_text(t)
    repeat = 5
    rows = [
        ("one regex pass (floor)", _rate(lambda t: sum(1 for _ in floor.finditer(t)), texts, repeat)),
        ("legal references", _rate(lambda t: legal_refs.find(t, views[t]), texts, repeat)),
        ("dates", _rate(lambda t: dates.find(t, views[t]), texts, repeat)),
        ("number candidates", _rate(lambda t: list(numbers.NUMERAL_RE.finditer(views[t])), texts, repeat)),
        ("whole pipeline on text", _rate(process_text, texts, 2)),
    ]
    floor_rate = rows[0][1]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    out = [f"Corpus text: {len(texts)} plans, {mb:.2f} MB; one core.", "",
           "| extractor | MB/s | × slower than the regex floor |", "|---|---:|---:|"]
    out += [f"| {name} | {rate:.2f} | {floor_rate / rate:.1f} |" for name, rate in rows]
    return out


if __name__ == "__main__":
    print("\n".join(run()))
