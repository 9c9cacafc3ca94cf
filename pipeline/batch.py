"""Batch: inputs (files and folders) -> one JSON per input in OUTDIR, plus OUTDIR/index.jsonl.

This module holds the decisions; pipeline/executors.py only decides where the work runs.
- walk: which files (folders walked in a stable order, each file once);
- output_names: which output name (the stem, disambiguated when stems collide);
- process_one: the unit of work, run inside a worker: skip when the output is current
  (same content hash and pipeline version), else `run.process_path` and an atomic write;
- run_batch: feeds tasks to an executor and streams the index.

Every write goes to a hidden temporary file in OUTDIR that is renamed into place, so a batch
killed at any moment leaves only complete JSON files; the next run sweeps leftover temporaries.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .ingest import INPUT_SUFFIXES
from .models import DocumentResult, Error, Source
from .run import PIPELINE_VERSION, display_path, process_path

INDEX = "index.jsonl"
TMP_PREFIX = ".kehoach-tmp-"


def walk(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Input files in a stable order, each once; folders walked (symlink loops cannot recur)."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()

    def once(path: Path) -> bool:
        try:
            st = path.stat()
        except OSError:
            return True  # unreadable: let the worker report it
        key = (st.st_dev, st.st_ino)
        if key in seen_files:
            return False
        seen_files.add(key)
        return True

    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=True):
                st = os.stat(root)
                key = (st.st_dev, st.st_ino)
                if key in seen_dirs:
                    dirs[:] = []
                    continue
                seen_dirs.add(key)
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in INPUT_SUFFIXES and not name.startswith("."):
                        if once(Path(root) / name):
                            yield Path(root) / name
        elif once(p):
            yield p


def output_names(paths: list[Path]) -> list[str]:
    """`<stem>.json`; when stems collide (case-insensitively), `<stem>-<hash of the path>.json`.

    The hash is of the path as given, so the same command line gives the same names (resume).
    """
    counts: dict[str, int] = {}
    stems = [display_path(p.stem) for p in paths]  # names that are not UTF-8: U+FFFD in the output's
    for stem in stems:
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    names = []
    for p, stem in zip(paths, stems):
        if counts[stem.casefold()] == 1:
            names.append(f"{stem}.json")
        else:
            h = hashlib.sha1(os.fsencode(p.as_posix())).hexdigest()[:8]
            names.append(f"{stem}-{h}.json")
    return names


def write_atomic(path: Path, data: str) -> None:
    """Write to a hidden temporary beside `path`, then rename: readers never see half a file.

    No fsync: a killed process loses nothing the kernel already has, and after a power loss
    the resume check re-does any output that does not parse.
    """
    tmp = path.parent / f"{TMP_PREFIX}{os.getpid()}-{path.name}.part"  # not *.json: never read as a result
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def sweep_temporaries(outdir: Path) -> int:
    """Remove temporaries left by a killed batch (one batch per OUTDIR at a time)."""
    n = 0
    for p in outdir.glob(TMP_PREFIX + "*"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n


def dump(result: DocumentResult) -> str:
    return result.model_dump_json(indent=1) + "\n"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block (here, or the parent) forever
        raise OSError(f"not a regular file: {display_path(path)}")
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def current_output(out: Path, sha256: str) -> dict | None:
    """The existing output when it is for these bytes and this pipeline version, else None.

    A failure the batch itself recorded (time limit, memory, crash, lost worker: stage
    "batch") or a resource limit (stage "limits", pipeline/limits.py) is not current: a rerun,
    perhaps with a longer --timeout or a higher --max-*, tries the file again.
    """
    try:
        res = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(res, dict) or any(e.get("stage") in ("batch", "limits") for e in res.get("errors") or []):
        return None
    src = res.get("source")
    if (isinstance(src, dict) and src.get("sha256") == sha256
            and res.get("pipeline_version") == PIPELINE_VERSION):
        return res
    return None


def outcome(task: dict, res: dict | DocumentResult, skipped: bool, seconds: float) -> dict:
    """One line of index.jsonl: what happened to one input (`res` as a model or as read back)."""
    if isinstance(res, DocumentResult):
        res = res.model_dump(include={"status", "source", "errors"})
    status, errors = res.get("status"), res.get("errors") or []
    why = errors[0] if errors and status == "failed" else {}
    return {"input": display_path(task["path"]), "output": Path(task["out"]).name, "status": status,
            "sha256": (res.get("source") or {}).get("sha256"), "pipeline_version": PIPELINE_VERSION,
            "skipped": skipped, "error_code": why.get("code"), "error": why.get("message"),
            "seconds": round(seconds, 3)}


def process_one(task: dict) -> dict:
    """The unit of work: {"path", "out", "force"} -> an index entry; the output is on disk."""
    t0 = time.perf_counter()
    path, out = Path(task["path"]), Path(task["out"])
    if not task.get("force") and out.exists():
        try:
            existing = current_output(out, file_sha256(path))
        except OSError:
            existing = None
        if existing is not None:
            return outcome(task, existing, True, time.perf_counter() - t0)
    result = process_path(path)
    if any(e.code == "internal_error" and "MemoryError" in e.message for e in result.errors):
        raise MemoryError  # the worker records it as `memory_limit` and is replaced
    write_atomic(out, dump(result))
    return outcome(task, result, False, time.perf_counter() - t0)


def write_failure(task: dict, code: str, message: str, seconds: float) -> dict:
    """Record an input the worker could not finish (time limit, memory, crash) as `failed`."""
    path = Path(task["path"])
    try:
        sha = file_sha256(path)
    except OSError:
        sha = ""
    source = Source(path=display_path(task["path"]), sha256=sha, format=path.suffix.lower().lstrip(".") or "unknown")
    result = DocumentResult(source=source, status="failed", pipeline_version=PIPELINE_VERSION,
                            errors=[Error(stage="batch", code=code, message=message)])
    write_atomic(Path(task["out"]), dump(result))
    return outcome(task, result, False, seconds)


def failure_entry(task: dict, code: str, message: str) -> dict:
    """An index entry for an input whose output could not even be written."""
    return {"input": display_path(task["path"]), "output": Path(task["out"]).name, "status": "failed",
            "sha256": None, "pipeline_version": PIPELINE_VERSION, "skipped": False,
            "error_code": code, "error": message, "seconds": 0.0}


@dataclass
class Summary:
    total: int = 0
    done: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0


def tasks_for(paths: list[Path], outdir: Path, force: bool) -> Iterator[dict]:
    out = outdir.resolve()
    for path, name in zip(paths, output_names(paths)):
        yield {"path": str(path), "out": str(out / name), "force": force}


def run_batch(paths: list[Path], outdir: Path, executor=None, force: bool = False,
              on_outcome: Callable[[dict, Summary], None] | None = None) -> Summary:
    """Run every input through `executor` (default: local processes, one per core).

    index.jsonl is streamed to a temporary and renamed at the end, so memory stays flat
    however many files there are; after a kill the previous index stays until a rerun.
    """
    from .executors import LocalExecutor

    outdir.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(outdir)
    executor = executor or LocalExecutor()
    summary = Summary(total=len(paths))
    index_tmp = outdir / f"{TMP_PREFIX}{os.getpid()}-{INDEX}.part"
    try:
        entries = executor.run(tasks_for(paths, outdir, force), len(paths))
        with open(index_tmp, "w", encoding="utf-8") as index, closing(entries):
            for entry in entries:
                index.write(json.dumps(entry, ensure_ascii=False) + "\n")
                summary.done += 1
                summary.skipped += entry["skipped"]
                status = entry["status"]
                if status in ("ok", "partial", "failed"):
                    setattr(summary, status, getattr(summary, status) + 1)
                if on_outcome:
                    on_outcome(entry, summary)
        os.replace(index_tmp, outdir / INDEX)
    except BaseException:
        index_tmp.unlink(missing_ok=True)
        raise
    return summary
