"""Table writers for `kehoach export`: CSV, JSON Lines, Parquet; one file per table.

Why streaming writers: an archive of 100,000 plans has millions of rows, so rows are written
as each result is read (Parquet in row groups of BATCH rows) and memory stays flat. Each file
is written under a hidden temporary name and renamed when complete, so a reader never loads
half a table.

- CSV: UTF-8 with BOM (a spreadsheet then shows Vietnamese intact), header row, null = empty,
  booleans true/false, whole numbers without ".0".
- JSON Lines: one object per row, the same columns, JSON types (null, numbers, booleans).
- Parquet: typed columns (int64, float64, bool, date32 for full ISO days, string), through
  pyarrow (`pip install 'kehoach[parquet]'`).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path

from .tables import Column

FORMATS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}
BATCH = 50_000


class ExportError(Exception):
    """A problem the user can fix (a missing optional package, an unknown format)."""


def _csv_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class _Writer:
    def __init__(self, outdir: Path, tables: dict[str, list[Column]], suffix: str):
        outdir.mkdir(parents=True, exist_ok=True)
        self.columns = tables
        self.final = {t: outdir / f"{t}{suffix}" for t in tables}
        self.tmp = {t: outdir / f".{t}{suffix}.part" for t in tables}

    def write(self, table: str, rows: list[dict]) -> None:
        raise NotImplementedError

    def _close_files(self) -> None:
        pass

    def close(self, ok: bool = True) -> list[Path]:
        """Finish every file and rename it into place (ok), or remove the temporaries."""
        self._close_files()
        for t, tmp in self.tmp.items():
            if ok:
                os.replace(tmp, self.final[t])
            else:
                tmp.unlink(missing_ok=True)
        return list(self.final.values()) if ok else []


class CsvWriter(_Writer):
    def __init__(self, outdir, tables):
        super().__init__(outdir, tables, ".csv")
        self.fh = {t: open(p, "w", encoding="utf-8-sig", newline="") for t, p in self.tmp.items()}
        self.csv = {t: csv.writer(fh) for t, fh in self.fh.items()}
        for t, cols in tables.items():
            self.csv[t].writerow([c.name for c in cols])

    def write(self, table, rows):
        self.csv[table].writerows([_csv_value(v) for v in r.values()] for r in rows)

    def _close_files(self):
        for fh in self.fh.values():
            fh.close()


class JsonlWriter(_Writer):
    def __init__(self, outdir, tables):
        super().__init__(outdir, tables, ".jsonl")
        self.fh = {t: open(p, "w", encoding="utf-8") for t, p in self.tmp.items()}

    def write(self, table, rows):
        self.fh[table].writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    def _close_files(self):
        for fh in self.fh.values():
            fh.close()


def _date(v):
    try:
        return dt.date.fromisoformat(v) if v else None
    except ValueError:  # not a full day: null rather than a wrong date
        return None


class ParquetWriter(_Writer):
    def __init__(self, outdir, tables):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ExportError("Parquet needs pyarrow, which is not installed: "
                              "pip install 'kehoach[parquet]' (or: pip install pyarrow)") from None
        super().__init__(outdir, tables, ".parquet")
        self.pa = pa
        types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
                 "date": pa.date32()}
        self.schema = {t: pa.schema([(c.name, types[c.type]) for c in cols]) for t, cols in tables.items()}
        self.pq = {t: pq.ParquetWriter(self.tmp[t], self.schema[t]) for t in tables}
        self.buf: dict[str, list[dict]] = {t: [] for t in tables}

    def write(self, table, rows):
        self.buf[table].extend(rows)
        if len(self.buf[table]) >= BATCH:
            self._flush(table)

    def _flush(self, table):
        rows, self.buf[table] = self.buf[table], []
        if not rows:
            return
        data = {}
        for c in self.columns[table]:
            vals = [r[c.name] for r in rows]
            data[c.name] = [_date(v) for v in vals] if c.type == "date" else vals
        self.pq[table].write_table(self.pa.Table.from_pydict(data, schema=self.schema[table]))

    def _close_files(self):
        for t, w in self.pq.items():
            self._flush(t)
            w.close()


def open_writer(fmt: str, outdir: Path, tables: dict[str, list[Column]]) -> _Writer:
    cls = {"csv": CsvWriter, "jsonl": JsonlWriter, "parquet": ParquetWriter}.get(fmt)
    if cls is None:
        raise ExportError(f"Unknown format {fmt!r}: choose {', '.join(FORMATS)}")
    return cls(outdir, tables)
