"""Batch throughput at archive scale: is `kehoach extract` fast enough for a province's archive?

Builds an archive of $KEHOACH_BENCH_FILES (default 2000) text plans from corpus/ in a temporary
folder (each seed copied with a distinct last line, one of each seed per folder, so stems collide as in a
real archive), then measures, in the same run:
- the regex floor: reading every file and one `regex` pass finding every word (`\\w+`), the
  least any extractor does, on one core;
- `kehoach extract` end to end (a subprocess, as a user runs it) with 1 and 2 workers:
  plans/s, MB/s, speed-up, and the ratio to the regex floor;
- peak memory (summed over the batch's processes, and of the largest one) on a quarter of the
  archive and on all of it: it must not grow with the number of files;
- where one plan's time goes, per stage, in one process (for whoever optimises the stages).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
KEHOACH = str(Path(sys.executable).parent / "kehoach")
WORD = regex.compile(r"\w+")


def seeds() -> list[Path]:
    return sorted(p for p in (ROOT / "corpus").glob("*") if p.suffix in (".txt", ".md")
                  and p.name != "SOURCES.md")


def build_archive(root: Path, n: int) -> tuple[list[Path], int]:
    texts = [(p.stem, p.suffix, p.read_text(encoding="utf-8")) for p in seeds()]
    paths, size = [], 0
    for i in range(n):
        stem, suffix, text = texts[i % len(texts)]
        p = root / f"box{i // len(texts):04d}" / f"{stem}{suffix}"  # one of each seed per box
        p.parent.mkdir(parents=True, exist_ok=True)
        data = (text + f"\nBản sao lưu trữ số {i}.\n").encode("utf-8")
        p.write_bytes(data)
        paths.append(p)
        size += len(data)
    return paths, size


def regex_floor(paths: list[Path]) -> float:
    t0 = time.perf_counter()
    words = 0
    for p in paths:
        words += len(WORD.findall(p.read_bytes().decode("utf-8")))
    assert words
    return time.perf_counter() - t0


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum, max) resident bytes of pid and its descendants, from /proc."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as fh:
                    stat = fh.read()
                parent[int(d)] = int(stat[stat.rindex(b")") + 2:].split()[1])
            except (OSError, ValueError):
                pass
    tree, frontier = {pid}, [pid]
    while frontier:
        kids = [c for c, pp in parent.items() if pp in frontier and c not in tree]
        tree.update(kids)
        frontier = kids
    page = os.sysconf("SC_PAGE_SIZE")
    sizes = []
    for p in tree:
        try:
            with open(f"/proc/{p}/statm") as fh:
                sizes.append(int(fh.read().split()[1]) * page)
        except (OSError, ValueError):
            pass
    return sum(sizes), max(sizes, default=0)


def extract(inputs: list[Path], out: Path, jobs: int) -> dict:
    """Run `kehoach extract` as a user would; wall time and peak memory of its process tree."""
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([KEHOACH, "extract", *map(str, inputs), "-o", str(out), "--jobs", str(jobs)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = {"sum": 0, "max": 0}

    def sample():
        while proc.poll() is None:
            total, largest = _tree_rss(proc.pid)
            peak["sum"], peak["max"] = max(peak["sum"], total), max(peak["max"], largest)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"kehoach extract exited {proc.returncode}")
    cpu = usage.ru_utime + usage.ru_stime  # the batch and its workers (waited for)
    return {"seconds": seconds, "cpu": cpu, "rss_sum": peak["sum"] / 2**20,
            "rss_max": max(peak["max"] / 2**20, usage.ru_maxrss / 1024)}


def stage_profile(paths: list[Path]) -> list[tuple[str, float]]:
    """Milliseconds per plan in each stage, in this process (monkeypatched timers)."""
    from pipeline import ingest, run
    from pipeline.batch import dump

    spent: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    saved = (ingest.read_bytes, run.normalize, run.segment, list(run.STAGES))
    ingest.read_bytes = timed("ingest", ingest.read_bytes)
    run.normalize = timed("normalize", run.normalize)
    run.segment = timed("segment", run.segment)
    run.STAGES[:] = [(n, timed(n, f)) for n, f in run.STAGES]
    try:
        t0 = time.perf_counter()
        for p in paths:
            res = run.process_path(p)
            t = time.perf_counter()
            dump(res)
            spent["json dump"] = spent.get("json dump", 0.0) + time.perf_counter() - t
        total = time.perf_counter() - t0
    finally:
        ingest.read_bytes, run.normalize, run.segment, run.STAGES[:] = saved
    spent["(total in process)"] = total
    return [(k, v / len(paths) * 1000) for k, v in spent.items()]


def run() -> list[str]:
    load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    n = int(os.environ.get("KEHOACH_BENCH_FILES", "2000"))
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as tmp:
        tmp = Path(tmp)
        paths, size = build_archive(tmp / "archive", n)
        mb = size / 1e6
        floor = min(regex_floor(paths) for _ in range(2))  # second pass: files in page cache
        one = extract([tmp / "archive"], tmp / "out1", 1)
        two = extract([tmp / "archive"], tmp / "out2", 2)
        boxes = sorted((tmp / "archive").iterdir())
        quarter_boxes = boxes[: max(1, len(boxes) // 4)]
        nq = sum(len(list(b.iterdir())) for b in quarter_boxes)
        quarter = extract(quarter_boxes, tmp / "outq", 2)
        profile = stage_profile(paths[:150])

    rows = [
        f"Archive: {n} text plans, {mb:.1f} MB, built from corpus/ (`KEHOACH_BENCH_FILES` to change); "
        f"{os.cpu_count()} cores, load average {load} at the start (the machine is shared). "
        "Regex floor: read + one `regex` `\\w+` pass over every file, one core. "
        "× regex floor: wall time over the floor's.",
        "",
        "| run | files | seconds | plans/s | MB/s | speed-up | × regex floor | CPU ms/plan | peak RSS, all processes | largest process |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| regex floor | {n} | {floor:.2f} | {n / floor:.0f} | {mb / floor:.1f} | | 1 | {floor / n * 1000:.2f} | | |",
    ]
    for label, r, files, base in (("extract --jobs 1", one, n, one), ("extract --jobs 2", two, n, one),
                                  ("extract --jobs 2, quarter", quarter, nq, None)):
        speed = f"{base['seconds'] / r['seconds']:.2f}" if base else ""
        ratio = f"{r['seconds'] / floor * n / files:.0f}"
        rows.append(f"| {label} | {files} | {r['seconds']:.1f} | {files / r['seconds']:.1f} | "
                    f"{mb * files / n / r['seconds']:.2f} | {speed} | {ratio} | {r['cpu'] / files * 1000:.1f} | "
                    f"{r['rss_sum']:.0f} MB | "
                    f"{r['rss_max']:.0f} MB |")
    rows += ["", "Where one plan's time goes (one process, first 150 plans, ms per plan):", "",
             "| " + " | ".join(k for k, _ in profile) + " |",
             "|" + "---:|" * len(profile),
             "| " + " | ".join(f"{v:.2f}" for _, v in profile) + " |"]
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
