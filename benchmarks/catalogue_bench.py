"""Search latency on a catalogue of 10,000 plans: is `kehoach search` fast enough (goal < 50 ms)?

Builds the catalogue from the corpus (each plan extracted once, then copied with a different
number, issuer province, year and a distinct last line, so filters and ranking see variety)
in a temporary folder, then times `pipeline.export.search.search()` (the function behind the
CLI, the pages and the API: ranking, total count and snippets of the first 20 hits) over a set
of queries: without and with diacritics, phrases, prefixes, OR, exclusions, every filter.
Each query runs once to warm up, then REPEAT times; the median is over all timed runs.
Run: `python -m benchmarks.catalogue_bench` ($KEHOACH_BENCH_PLANS to change the size).
"""
from __future__ import annotations

import hashlib
import os
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.batch import walk
from pipeline.export import catalogue as cat, search as srch
from pipeline.models import Issuer
from pipeline.run import process_path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 5
PROVINCES = ["TÂY NINH", "BẾN TRE", "ĐẮK LẮK", "NGHỆ AN", "BẮC NINH", "CẦN THƠ", "ĐỒNG THÁP", "HÀ NỘI",
             "LAI CHÂU", "SƠN LA", "QUẢNG NGÃI", "KIÊN GIANG", "HUẾ", "ĐÀ NẴNG", "LÂM ĐỒNG", "AN GIANG"]
F = srch.Filters
QUERIES = [
    ("thanh nien khoi nghiep", F()),
    ("thanh niên", F()),
    ('"chuyển đổi số"', F()),
    ('"phong chong ma tuy"', F()),
    ("du lieu ca nhan", F()),
    ("kế hoạch", F()),
    ("nghi*", F()),
    ("ma túy OR ma tuý", F()),
    ("thi đua -khen", F()),
    ("kinh phi", F(section="funding")),
    ("ban chỉ đạo", F(section="organization")),
    ("xuat khau", F(year=2020)),
    ("kiem ke tai san", F(issuer="quang ngai")),
    ("ke hoach", F(doc_type="Quyết định")),
    ("", F(cites="2763/QĐ-UBND")),
    ('"tiêu chuẩn" quy chuẩn', F(year=2025, issuer="lai chau")),
]


def seeds():
    return [r for r in (process_path(p) for p in walk([ROOT / "corpus"]))
            if r.status != "failed" and r.document.doc_type]


def build(db: Path, n: int) -> float:
    base = seeds()
    conn = cat.connect(db)
    conn.execute("PRAGMA synchronous = OFF")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for i in range(n):
        src = base[i % len(base)]
        res = src.model_copy(deep=False)
        province = PROVINCES[(i // len(base)) % len(PROVINCES)]
        year = 2010 + i % 16
        res.source = src.source.model_copy(update={
            "path": f"archive/{i:05d}_{Path(src.source.path).name}",
            "sha256": hashlib.sha256(f"{i}".encode()).hexdigest()})
        res.document = src.document.model_copy(update={
            "number": str(i + 1),
            "issued_date": f"{year}{(src.document.issued_date or '2000-01-01')[4:]}",
            "issuers": [Issuer(name=f"ỦY BAN NHÂN DÂN TỈNH {province}", span=(0, 0))]})
        res.text = src.text + f"\nBản lưu số {i + 1}, tỉnh {province.title()}.\n"
        cat.add_result(conn, res, f"archive/{i:05d}.json")
        if i % 500 == 499:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    secs = time.perf_counter() - t0
    conn.close()
    return secs


def measure(db: Path) -> list[tuple[str, str, float, int]]:
    conn = cat.connect(db, readonly=True)
    out = []
    for q, f in QUERIES:
        srch.search(conn, q, f)
        times = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            res = srch.search(conn, q, f)
            times.append((time.perf_counter() - t) * 1000)
        label = ", ".join(f"{k}={v}" for k, v in vars(f).items() if v)
        out += [(q, label, ms, res.total) for ms in times]
    conn.close()
    return out


def run() -> list[str]:
    n = int(os.environ.get("KEHOACH_BENCH_PLANS", "10000"))
    with tempfile.TemporaryDirectory(prefix="kehoach-cat-") as tmp:
        db = Path(tmp) / "catalogue.sqlite"
        build_s = build(db, n)
        size = db.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("*-wal"))
        runs = measure(db)
    all_ms = [ms for _, _, ms, _ in runs]
    median = statistics.median(all_ms)
    p95 = sorted(all_ms)[int(0.95 * (len(all_ms) - 1))]
    rows = [f"Catalogue of {n} plans built from corpus/ in {build_s:.0f} s ({size / 2**20:.0f} MB); "
            f"{len(QUERIES)} queries × {REPEAT} runs, 20 hits with snippets and the total count each.",
            "",
            f"**Median search latency: {median:.1f} ms** (goal < 50 ms); p95 {p95:.1f} ms; "
            f"max {max(all_ms):.1f} ms.",
            "",
            "| query | filters | plans matched | median ms |",
            "|---|---|---:|---:|"]
    for q, f in QUERIES:
        label = ", ".join(f"{k}={v}" for k, v in vars(f).items() if v)
        mine = [(ms, total) for qq, ll, ms, total in runs if qq == q and ll == label]
        rows.append(f"| `{q}` | {label} | {mine[0][1]} | {statistics.median(m for m, _ in mine):.1f} |")
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
