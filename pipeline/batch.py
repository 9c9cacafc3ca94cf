"""Batch: inputs (files and folders) -> one JSON per input in OUTDIR, written atomically.

Folders are walked for the supported suffixes. Two inputs with the same stem get distinct
output names; every write goes to a temporary file in OUTDIR and is renamed into place, so
an interrupted batch never leaves a half-written JSON.
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .ingest import INPUT_SUFFIXES
from .models import DocumentResult
from .run import process_path


def walk(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Input files in a stable order; folders walked (symlink loops cannot recur)."""
    seen_dirs: set[tuple[int, int]] = set()
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
                        yield Path(root) / name
        else:
            yield p


def output_names(paths: list[Path]) -> list[str]:
    """`<stem>.json`, with a short hash of the path added when stems collide."""
    counts: dict[str, int] = {}
    for p in paths:
        counts[p.stem] = counts.get(p.stem, 0) + 1
    names = []
    for p in paths:
        if counts[p.stem] == 1:
            names.append(f"{p.stem}.json")
        else:
            h = hashlib.sha1(str(p).encode("utf-8")).hexdigest()[:8]
            names.append(f"{p.stem}-{h}.json")
    return names


def write_atomic(path: Path, data: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def dump(result: DocumentResult) -> str:
    return result.model_dump_json(indent=1) + "\n"


@dataclass
class Summary:
    done: int = 0
    failed: int = 0
    partial: int = 0


def run_batch(paths: list[Path], outdir: Path,
              on_result: Callable[[Path, DocumentResult], None] | None = None) -> Summary:
    outdir.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    for path, name in zip(paths, output_names(paths)):
        result = process_path(path)
        write_atomic(outdir / name, dump(result))
        summary.done += 1
        summary.failed += result.status == "failed"
        summary.partial += result.status == "partial"
        if on_result:
            on_result(path, result)
    return summary
