"""Where tracebacks go: a log file, never the terminal.

Why: an expected failure is a result with a code and a plain message; an unexpected one (a
bug) needs its traceback, but a clerk running a batch should not see it on screen. Worker
processes and the `kehoach` command send every error record (with its traceback) to one file
(KEHOACH_ERROR_LOG, set by `kehoach extract`: OUTDIR/kehoach-errors.log unless --log-file
says otherwise). Records are appended; the file is only created when something is logged.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

ENV = "KEHOACH_ERROR_LOG"
NAME = "kehoach-errors.log"  # not *.json: never read as a result


def default_path() -> Path:
    return Path(os.environ.get(ENV) or Path(tempfile.gettempdir()) / NAME)


def setup(path: str | Path | None = None) -> Path:
    """Send this process's log records (ERROR and up) to `path`, and nowhere else."""
    target = Path(path) if path else default_path()
    handler = logging.FileHandler(target, delay=True, encoding="utf-8")
    handler.setLevel(logging.ERROR)  # libraries' warnings on odd files (pdfminer's) are not news
    handler.setFormatter(logging.Formatter("%(asctime)s pid %(process)d %(name)s %(levelname)s: %(message)s"))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)  # Python warnings become log records: filtered, never printed
    return target


def size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
