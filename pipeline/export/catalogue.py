"""The plan catalogue: result JSON files -> one SQLite file, queryable with plain SQL.

Why SQLite: one file, embedded, FTS5 built in. Loading is incremental: a plan whose source
path or sha256 is already there is replaced (its rows and index entries removed first).
The schema (README "Catalogue and search") is one table per kind of fact, keyed by
`plan_id`; `citations` is a view, so links stay right whatever order plans arrive in.

Full text lives in two contentless FTS5 tables (the text itself is stored once, in
`plan_texts`): `plan_fts` (whole plans) and `section_fts` (one row per run of sections of one
kind, the kind being a column, so FTS5 itself filters by it). Each has an exact column set
(`canon` form) and a folded one (`fold` form); see fts.py. Contentless tables delete by
re-supplying the indexed values, which are recomputed from the stored text; when fold() or
canon() change (FOLD_VERSION), connect() re-indexes everything.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import regex
from pydantic import ValidationError

from ..models import DocumentResult, Section
from . import fts

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS plans (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,             -- the result JSON it was loaded from
  result_sha256 TEXT,             -- of that JSON file: an unchanged file is not reloaded
  source_path TEXT NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL,
  doc_type TEXT, doc_type_key TEXT, number TEXT, doc_year INTEGER, symbol TEXT,
  doc_key TEXT,                   -- "number/symbol" folded, for citation links (see doc_key())
  issued_date TEXT, year INTEGER, -- year: of issued_date, else of the number
  place TEXT, title TEXT, issuer TEXT, period_start INTEGER, period_end INTEGER,
  fts_title TEXT NOT NULL         -- what plan_fts.title indexes: title, type, number, issuers
);
CREATE TABLE IF NOT EXISTS plan_texts (  -- apart from plans, so scans of plans stay small
  plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
  text TEXT NOT NULL);            -- the normalised text; every start/end indexes into it
CREATE INDEX IF NOT EXISTS plans_source ON plans(source_path);
CREATE INDEX IF NOT EXISTS plans_sha ON plans(sha256);
CREATE INDEX IF NOT EXISTS plans_result_sha ON plans(result_sha256);
CREATE INDEX IF NOT EXISTS plans_key ON plans(doc_key);
CREATE INDEX IF NOT EXISTS plans_year ON plans(year);
CREATE TABLE IF NOT EXISTS issuers (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL, name TEXT NOT NULL, name_fold TEXT NOT NULL, start INTEGER, "end" INTEGER);
CREATE INDEX IF NOT EXISTS issuers_plan ON issuers(plan_id);
CREATE TABLE IF NOT EXISTS sections (
  rowid INTEGER PRIMARY KEY,      -- plan_id * 100000 + position, also the section_fts rowid
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  id TEXT NOT NULL, parent_id TEXT, level INTEGER, number TEXT, heading TEXT, kind TEXT,
  start INTEGER, "end" INTEGER,
  fts_spans TEXT                  -- JSON [[start, end], ...] indexed in section_fts, or NULL
);
CREATE INDEX IF NOT EXISTS sections_plan ON sections(plan_id);
CREATE TABLE IF NOT EXISTS bodies (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  id TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bodies_plan ON bodies(plan_id);
CREATE TABLE IF NOT EXISTS body_mentions (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  body_id TEXT NOT NULL, text TEXT, start INTEGER, "end" INTEGER);
CREATE INDEX IF NOT EXISTS body_mentions_plan ON body_mentions(plan_id);
CREATE TABLE IF NOT EXISTS targets (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  id TEXT NOT NULL, text TEXT, start INTEGER, "end" INTEGER, section_id TEXT,
  value REAL, value_max REAL, unit TEXT, percent INTEGER, comparator TEXT, indicator TEXT,
  deadline TEXT, frequency TEXT, baseline TEXT, owner_source TEXT,
  owners TEXT                     -- JSON list of body ids (also one row each in target_owners)
);
CREATE INDEX IF NOT EXISTS targets_plan ON targets(plan_id);
CREATE TABLE IF NOT EXISTS target_owners (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  target_id TEXT NOT NULL, body_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS target_owners_plan ON target_owners(plan_id);
CREATE TABLE IF NOT EXISTS dates (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  id TEXT NOT NULL, text TEXT, start INTEGER, "end" INTEGER, kind TEXT,
  date_start TEXT, date_end TEXT, precision TEXT);
CREATE INDEX IF NOT EXISTS dates_plan ON dates(plan_id);
CREATE TABLE IF NOT EXISTS legal_refs (
  rowid INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  id TEXT NOT NULL, text TEXT, start INTEGER, "end" INTEGER,
  doc_type TEXT, number TEXT, year INTEGER, symbol TEXT, issued_date TEXT, issuer TEXT,
  subject TEXT, role TEXT, cited_spans TEXT,
  ref_key TEXT                    -- doc_key() of the cited document
);
CREATE INDEX IF NOT EXISTS legal_refs_plan ON legal_refs(plan_id);
CREATE INDEX IF NOT EXISTS legal_refs_key ON legal_refs(ref_key);
CREATE TABLE IF NOT EXISTS assignments (
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  id TEXT NOT NULL, body_id TEXT, role TEXT, text TEXT, start INTEGER, "end" INTEGER,
  section_id TEXT);
CREATE INDEX IF NOT EXISTS assignments_plan ON assignments(plan_id);
CREATE VIEW IF NOT EXISTS citations AS
  SELECT r.plan_id AS citing_plan_id, r.rowid AS legal_ref_rowid, r.id AS legal_ref_id,
         p.id AS cited_plan_id
  FROM legal_refs r JOIN plans p ON p.doc_key = r.ref_key
  WHERE p.id != r.plan_id
    AND (r.year IS NULL OR p.doc_year IS NULL OR r.year = p.doc_year)
    AND (r.issued_date IS NULL OR p.issued_date IS NULL OR r.issued_date = p.issued_date);
CREATE VIRTUAL TABLE IF NOT EXISTS plan_fts USING fts5(
  title, body, title_f, body_f, content='', tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS section_fts USING fts5(
  body, body_f, kind, content='', tokenize='unicode61 remove_diacritics 0');
"""

PLAN_COLUMNS = ("title", "body")
PLAN_COLUMNS_FOLDED = ("title_f", "body_f")
SECTION_COLUMNS = ("body",)
SECTION_COLUMNS_FOLDED = ("body_f",)
SECTIONS_PER_PLAN = 100000  # section rowids are plan_id * this + position (plan id = rowid / this)


class CatalogueError(Exception):
    """A catalogue that cannot be opened or used; the message says why."""


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open (and, when writable, create or upgrade) a catalogue."""
    p = Path(path)
    if readonly:
        if not p.is_file():
            raise CatalogueError(f"Không tìm thấy danh mục: {p}. Tạo bằng: kehoach catalogue OUTDIR --db {p}")
        conn = sqlite3.connect(f"file:{p.resolve()}?mode=ro", uri=True, check_same_thread=False,
                               isolation_level=None)
    else:
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(p, isolation_level=None)  # transactions are explicit
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA cache_size = -65536")      # 64 MB: FTS doclists of common words
        conn.execute("PRAGMA mmap_size = 268435456")
        conn.execute("PRAGMA foreign_keys = ON")
        if readonly:
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='plans'").fetchone():
                raise CatalogueError(f"{p} không phải là một danh mục kehoach.")
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)
            _check_versions(conn)
    except sqlite3.DatabaseError as err:
        conn.close()
        raise CatalogueError(f"Không mở được danh mục {p}: {err}") from err
    except CatalogueError:
        conn.close()
        raise
    return conn


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _check_versions(conn: sqlite3.Connection) -> None:
    schema = _meta(conn, "schema_version")
    if schema not in (None, SCHEMA_VERSION):
        raise CatalogueError(f"Danh mục có phiên bản lược đồ {schema}, cần {SCHEMA_VERSION}: "
                             "hãy tạo lại danh mục.")
    conn.execute("BEGIN")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    if _meta(conn, "fold_version") != fts.FOLD_VERSION:
        rebuild_fts(conn)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('fold_version', ?)", (fts.FOLD_VERSION,))
    conn.execute("COMMIT")


# --- keys for citation links ---------------------------------------------------------------

_SPACES = regex.compile(r"\s+")


def doc_key(number: str | None, symbol: str | None) -> str | None:
    """'0124', 'KH-UBND' -> '124/kh-ubnd': leading zeros, case, diacritics and spaces ignored."""
    if not number or not symbol:
        return None
    num = number.strip().lstrip("0") or "0"
    sym = _SPACES.sub("", fts.fold(symbol)).strip("/-")
    return f"{fts.fold(num)}/{sym}" if sym else None


_YEAR = regex.compile(r"^(19|20)\d\d$")


def parse_citation(text: str) -> tuple[str, int | None]:
    """'2763/QĐ-UBND' -> ('2763/qd-ubnd', None); '123/2021/NĐ-CP' -> ('123/nd-cp', 2021)."""
    cleaned = _SPACES.sub("", text).removeprefix("số").removeprefix("Số")
    parts = [p for p in cleaned.split("/") if p]
    year = None
    if len(parts) >= 3 and _YEAR.match(parts[1]):
        year = int(parts.pop(1))
    key = doc_key(parts[0], "/".join(parts[1:])) if len(parts) >= 2 else None
    if not key:
        raise CatalogueError(f"Số/ký hiệu không hợp lệ: {text!r}. Ví dụ: 2763/QĐ-UBND")
    return key, year


# --- section runs for section_fts ------------------------------------------------------------


def section_runs(sections: list[Section]) -> dict[str, list[tuple[int, int]]]:
    """{section id: spans} for sections that start a run of one kind (root, or kind differs
    from the parent's); each run's spans exclude nested runs, so every character is indexed
    once, under the kind of the section that holds it."""
    by_id = {s.id: s for s in sections}
    roots = [s for s in sections
             if s.parent_id is None or s.parent_id not in by_id or by_id[s.parent_id].kind != s.kind]
    root_ids = {s.id for s in roots}

    def run_root(s: Section) -> str | None:
        p = by_id.get(s.parent_id) if s.parent_id else None
        while p is not None and p.id not in root_ids:
            p = by_id.get(p.parent_id) if p.parent_id else None
        return p.id if p else None

    holes: dict[str, list[tuple[int, int]]] = {}
    for s in roots:
        r = run_root(s)
        if r:
            holes.setdefault(r, []).append(tuple(s.span))
    out = {}
    for s in roots:
        spans, cur = [], s.span[0]
        for a, b in sorted(holes.get(s.id, [])):
            if a > cur:
                spans.append((cur, a))
            cur = max(cur, b)
        if s.span[1] > cur:
            spans.append((cur, s.span[1]))
        out[s.id] = spans
    return out


def run_text(text: str, spans: list[tuple[int, int]]) -> str:
    return "\n".join(text[a:b] for a, b in spans)


# --- loading -------------------------------------------------------------------------------


@dataclass
class LoadReport:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0  # the same result file as already loaded: nothing to do
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def result_files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Result JSON files: the files given, and *.json inside the folders given (walked)."""
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.json") if not q.name.startswith("."))
        else:
            yield p


def _plan_fts_values(title: str, text: str) -> tuple[str, str, str, str]:
    return fts.lower_canon(title), fts.lower_canon(text), fts.fold(title), fts.fold(text)


def _section_fts_values(text: str, spans_json: str) -> tuple[str, str]:
    body = run_text(text, json.loads(spans_json))
    return fts.lower_canon(body), fts.fold(body)


def _delete_plan(conn: sqlite3.Connection, plan_id: int) -> None:
    row = conn.execute("SELECT fts_title, text FROM plans JOIN plan_texts ON plan_id = id WHERE id = ?",
                       (plan_id,)).fetchone()
    conn.execute("INSERT INTO plan_fts(plan_fts, rowid, title, body, title_f, body_f) "
                 "VALUES ('delete', ?, ?, ?, ?, ?)",
                 (plan_id, *_plan_fts_values(row["fts_title"], row["text"])))
    for s in conn.execute("SELECT rowid, kind, fts_spans FROM sections WHERE plan_id = ? "
                          "AND fts_spans IS NOT NULL", (plan_id,)).fetchall():
        conn.execute("INSERT INTO section_fts(section_fts, rowid, body, body_f, kind) "
                     "VALUES ('delete', ?, ?, ?, ?)",
                     (s["rowid"], *_section_fts_values(row["text"], s["fts_spans"]), s["kind"]))
    conn.execute("DELETE FROM plans WHERE id = ?", (plan_id,))


def _index_title(res: DocumentResult) -> str:
    d = res.document
    bits = [d.title or "", d.doc_type or "", f"{d.number or ''}/{d.symbol or ''}" if d.symbol else "",
            *(i.name for i in d.issuers)]
    return " \n".join(b for b in bits if b)


def add_result(conn: sqlite3.Connection, res: DocumentResult, file: str,
               result_sha256: str | None = None) -> bool:
    """Insert one result (replacing an earlier copy); True when it replaced one."""
    d = res.document
    old = conn.execute("SELECT id FROM plans WHERE source_path = ? OR (sha256 = ? AND sha256 != '')",
                       (res.source.path, res.source.sha256)).fetchall()
    for r in old:
        _delete_plan(conn, r["id"])
    year = int(d.issued_date[:4]) if d.issued_date and d.issued_date[:4].isdigit() else d.year
    issuer = "; ".join(i.name for i in d.issuers) or None
    title = _index_title(res)
    cur = conn.execute(
        "INSERT INTO plans (file, source_path, sha256, status, doc_type, doc_type_key, number, doc_year, symbol,"
        " doc_key, issued_date, year, place, title, issuer, period_start, period_end,"
        " fts_title, result_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (file, res.source.path, res.source.sha256, res.status, d.doc_type,
         fts.fold(d.doc_type) if d.doc_type else None, d.number, d.year,
         d.symbol, doc_key(d.number, d.symbol), d.issued_date, year, d.place, d.title, issuer,
         d.period.start_year if d.period else None, d.period.end_year if d.period else None,
         title, result_sha256))
    pid = cur.lastrowid
    conn.execute("INSERT INTO plan_texts VALUES (?, ?)", (pid, res.text))
    _index_plan_fts(conn, pid, title, res.text)
    conn.executemany("INSERT INTO issuers VALUES (?,?,?,?,?,?)",
                     [(pid, k, i.name, fts.fold(i.name), i.span[0], i.span[1])
                      for k, i in enumerate(d.issuers)])
    runs = section_runs(res.sections)
    for k, s in enumerate(res.sections[:SECTIONS_PER_PLAN]):
        spans = json.dumps(runs[s.id]) if runs.get(s.id) else None
        rowid = pid * SECTIONS_PER_PLAN + k
        conn.execute("INSERT INTO sections (rowid, plan_id, id, parent_id, level, number, heading, kind,"
                     " start, \"end\", fts_spans) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     (rowid, pid, s.id, s.parent_id, s.level, s.number, s.heading, s.kind,
                      s.span[0], s.span[1], spans))
        if spans:
            conn.execute("INSERT INTO section_fts(rowid, body, body_f, kind) VALUES (?,?,?,?)",
                         (rowid, *_section_fts_values(res.text, spans), s.kind))
    conn.executemany("INSERT INTO bodies VALUES (?,?,?)", [(pid, b.id, b.name) for b in res.bodies])
    conn.executemany("INSERT INTO body_mentions VALUES (?,?,?,?,?)",
                     [(pid, b.id, m.text, m.span[0], m.span[1]) for b in res.bodies for m in b.mentions])
    conn.executemany(
        "INSERT INTO targets VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(pid, t.id, t.text, t.span[0], t.span[1], t.section_id, t.value, t.value_max, t.unit,
          int(t.percent), t.comparator, t.indicator, t.deadline, t.frequency, t.baseline,
          t.owner_source, json.dumps(t.owners, ensure_ascii=False)) for t in res.targets])
    conn.executemany("INSERT INTO target_owners VALUES (?,?,?)",
                     [(pid, t.id, o) for t in res.targets for o in t.owners])
    conn.executemany("INSERT INTO dates VALUES (?,?,?,?,?,?,?,?,?)",
                     [(pid, x.id, x.text, x.span[0], x.span[1], x.kind, x.start, x.end, x.precision)
                      for x in res.dates])
    conn.executemany(
        "INSERT INTO legal_refs (plan_id, id, text, start, \"end\", doc_type, number, year, symbol,"
        " issued_date, issuer, subject, role, cited_spans, ref_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(pid, r.id, r.text, r.span[0], r.span[1], r.doc_type, r.number, r.year, r.symbol,
          r.issued_date, r.issuer, r.subject, r.role, json.dumps(r.cited_spans),
          doc_key(r.number, r.symbol)) for r in res.legal_refs])
    conn.executemany("INSERT INTO assignments VALUES (?,?,?,?,?,?,?,?)",
                     [(pid, a.id, a.body_id, a.role, a.text, a.span[0], a.span[1], a.section_id)
                      for a in res.assignments])
    return bool(old)


def _index_plan_fts(conn: sqlite3.Connection, pid: int, title: str, text: str) -> None:
    conn.execute("INSERT INTO plan_fts(rowid, title, body, title_f, body_f) VALUES (?,?,?,?,?)",
                 (pid, *_plan_fts_values(title, text)))


def rebuild_fts(conn: sqlite3.Connection) -> None:
    """Re-index every plan from the stored text (after fold() or canon() changed)."""
    conn.execute("INSERT INTO plan_fts(plan_fts) VALUES ('delete-all')")
    conn.execute("INSERT INTO section_fts(section_fts) VALUES ('delete-all')")
    for p in conn.execute("SELECT id, fts_title, text FROM plans JOIN plan_texts ON plan_id = id").fetchall():
        _index_plan_fts(conn, p["id"], p["fts_title"], p["text"])
        for s in conn.execute("SELECT rowid, kind, fts_spans FROM sections WHERE plan_id = ? "
                              "AND fts_spans IS NOT NULL", (p["id"],)).fetchall():
            conn.execute("INSERT INTO section_fts(rowid, body, body_f, kind) VALUES (?,?,?,?)",
                         (s["rowid"], *_section_fts_values(p["text"], s["fts_spans"]), s["kind"]))




def load(conn: sqlite3.Connection, inputs: Iterable[str | Path]) -> LoadReport:
    """Load result files into the catalogue, one transaction per 200 files; a file already
    loaded byte for byte is skipped, so running it again after an extract is cheap."""
    rep = LoadReport()
    pending = 0
    conn.execute("BEGIN")
    try:
        for path in result_files(inputs):
            why, res, digest = None, None, None
            try:
                data = path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                if conn.execute("SELECT 1 FROM plans WHERE result_sha256 = ? AND file = ?",
                                (digest, str(path))).fetchone():
                    rep.unchanged += 1
                    continue
                res = DocumentResult.model_validate_json(data)
            except OSError as err:
                why = f"không đọc được tệp: {err.strerror or err}"
            except (ValidationError, ValueError):
                why = "không phải là tệp kết quả của kehoach (sai định dạng JSON)"
            else:
                if res.status == "failed":
                    why = "kết quả thất bại: " + (res.errors[0].message if res.errors else "không có văn bản")
            if why:
                rep.skipped.append((str(path), why))
            elif add_result(conn, res, str(path), digest):
                rep.replaced += 1
            else:
                rep.added += 1
            pending += 1
            if pending >= 200:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                pending = 0
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return rep
