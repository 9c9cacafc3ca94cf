"""`kehoach export`: result JSON files -> one table per kind of fact (tables.py) in one format (writers.py).

Why results are validated on the way in: a warehouse loads these tables blindly, so a file
that is not a result of this contract is skipped with a reason rather than half-exported.
The same content twice (same plan key) is exported once; failed results give a `plans` row
(status, error codes) and no facts; a result without a content hash (unreadable input) has
no key and is skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from ..models import DocumentResult
from . import tables, writers
from .catalogue import result_files


@dataclass
class ExportReport:
    plans: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    files: list[Path] = field(default_factory=list)


def export(inputs: Iterable[str | Path], fmt: str, outdir: Path, with_text: bool = False) -> ExportReport:
    """Write `<table>.<fmt>` for every table into `outdir`; raises writers.ExportError."""
    columns = tables.table_columns(with_text)
    writer = writers.open_writer(fmt, Path(outdir), columns)
    rep = ExportReport(rows={t: 0 for t in columns})
    seen: dict[str, str] = {}
    ok = False
    try:
        for path in result_files(inputs):
            try:
                res = DocumentResult.model_validate_json(path.read_bytes())
            except OSError as err:
                rep.skipped.append((str(path), f"cannot read: {err.strerror or err}"))
                continue
            except (ValidationError, ValueError):
                rep.skipped.append((str(path), "not a kehoach result (does not match the contract)"))
                continue
            key = tables.plan_key(res)
            if key is None:
                rep.skipped.append((str(path), "no content hash (the input could not be read)"))
                continue
            if key in seen:
                rep.skipped.append((str(path), f"same content as {seen[key]}"))
                continue
            seen[key] = str(path)
            for table, table_rows in tables.rows(res, columns).items():
                writer.write(table, table_rows)
                rep.rows[table] += len(table_rows)
            rep.plans += 1
        ok = True
    finally:
        rep.files = writer.close(ok)
    return rep
