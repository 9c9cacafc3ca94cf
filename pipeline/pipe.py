"""`kehoach extract` in a Unix pipe: `-` reads one document from stdin, `--stdout` writes JSON Lines.

Why a module of its own: the batch (pipeline.batch) writes files into OUTDIR; here the files
still go through the same batch, time and memory limits, into a private temporary folder, and
each result is streamed to stdout as soon as it is done (completion order; `source.path` says
which input a line is) and then deleted, so the temporary folder stays small. The document
read from stdin is run in this process through the public API (`pipeline.extract_bytes`),
its format sniffed from the bytes; its `source.path` is "-". Only results go to stdout.
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import batch, extract_bytes
from .models import DocumentResult

STDIN = "-"
STDIN_OUTPUT = "stdin.json"


class _StdoutClosed(Exception):
    """The reader of our stdout went away (`| head -1`): stop the batch quietly."""


@dataclass
class PipeSummary:
    total: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0


def _emit(line: str) -> None:
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise _StdoutClosed from None


def _count(summary: PipeSummary, status: str | None) -> None:
    summary.total += 1
    if status in ("ok", "partial", "failed"):
        setattr(summary, status, getattr(summary, status) + 1)


def run(inputs: list[Path], out: Path | None, executor, force: bool,
        on_outcome: Callable[[dict, batch.Summary], None] | None = None) -> int:
    """Extract `inputs` (which may hold "-") to `out`, or to stdout as JSON Lines when `out` is None.

    Returns the exit status: 1 when any input failed (or stdout was closed early), else 0.
    """
    summary = PipeSummary()
    files = [p for p in inputs if str(p) != STDIN]
    try:
        if len(files) < len(inputs):
            res = extract_bytes(sys.stdin.buffer.read(), STDIN)
            _count(summary, res.status)
            print(f"[stdin] {res.status}" + (f": {res.errors[0].message}" if res.status == "failed"
                                              and res.errors else ""), file=sys.stderr, flush=True)
            if out is None:
                _emit(res.model_dump_json())
            else:
                out.mkdir(parents=True, exist_ok=True)
                batch.write_atomic(out / STDIN_OUTPUT, batch.dump(res))
        paths = list(batch.walk(files))
        if paths and out is not None:
            s = batch.run_batch(paths, out, executor, force, on_outcome)
            summary.total += s.done
            summary.ok, summary.partial, summary.failed = (summary.ok + s.ok, summary.partial + s.partial,
                                                           summary.failed + s.failed)
        elif paths:
            _stream(paths, executor, summary, on_outcome)
    except _StdoutClosed:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        print("kehoach: stdout closed; stopped", file=sys.stderr)
        return 1
    dest = "stdout" if out is None else str(out)
    print(f"{summary.total} files: {summary.ok} ok, {summary.partial} partial, {summary.failed} failed"
          f" -> {dest}", file=sys.stderr)
    return 1 if summary.failed else 0


def _stream(paths: list[Path], executor, summary: PipeSummary, on_outcome) -> None:
    with tempfile.TemporaryDirectory(prefix="kehoach-pipe-") as tmp:
        def emit(entry: dict, s: batch.Summary) -> None:
            if on_outcome:
                on_outcome(entry, s)
            _count(summary, entry.get("status"))
            result_file = Path(tmp) / entry["output"]
            try:
                data = result_file.read_bytes()
            except OSError:  # the output could not even be written: say so in a failed result
                data = None
            if data is not None:
                _emit(DocumentResult.model_validate_json(data).model_dump_json())
                result_file.unlink()
            else:
                from .models import Error, Source
                res = DocumentResult(source=Source(path=entry["input"], sha256=entry.get("sha256") or "",
                                                   format=Path(entry["input"]).suffix.lstrip(".") or "unknown"),
                                     status="failed", pipeline_version=entry["pipeline_version"],
                                     errors=[Error(stage="batch", code=entry.get("error_code") or "batch_error",
                                                   message=entry.get("error") or "")])
                _emit(res.model_dump_json())

        batch.run_batch(paths, Path(tmp), executor, True, emit)
