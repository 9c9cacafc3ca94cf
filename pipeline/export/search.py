"""Queries over the catalogue: ranked search with filters, and facet counts.

Why here and not in the web layer: the CLI (`kehoach search`), the web pages and the JSON
API all call these functions, so they return the same answers.
Ranking is FTS5's bm25 (title weighted above body); ids are ranked first and the text of
only the page of hits is read afterwards, so a common word over 10,000 plans stays fast.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Optional

from . import fts
from .catalogue import (PLAN_COLUMNS, PLAN_COLUMNS_FOLDED, SECTION_COLUMNS, SECTION_COLUMNS_FOLDED,
                        SECTIONS_PER_PLAN, CatalogueError, parse_citation, run_text)

SECTION_KINDS = {
    "purpose": "Mục đích", "requirements": "Yêu cầu", "targets": "Mục tiêu, chỉ tiêu",
    "content": "Nhiệm vụ, giải pháp", "schedule": "Tiến độ", "organization": "Tổ chức thực hiện",
    "funding": "Kinh phí", "other": "Khác",
}


@dataclass
class Filters:
    issuer: Optional[str] = None
    year: Optional[int] = None
    doc_type: Optional[str] = None
    section: Optional[str] = None
    cites: Optional[str] = None

    def any(self) -> bool:
        return any(v not in (None, "") for v in asdict(self).values())


@dataclass
class Hit:
    id: int
    file: str
    source: str
    doc_type: Optional[str]
    number: Optional[str]
    symbol: Optional[str]
    issued_date: Optional[str]
    year: Optional[int]
    issuer: Optional[str]
    title: Optional[str]
    score: Optional[float]
    snippet: str
    snippet_parts: list = field(default_factory=list)
    section: Optional[dict] = None


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    exact: bool = False  # the query had diacritics and was matched exactly


def _where(f: Filters) -> tuple[list[str], list]:
    """SQL conditions on `p` (plans) for the filters."""
    conds, args = [], []
    if f.issuer:
        pat = "%" + fts.fold(f.issuer.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds.append("p.id IN (SELECT i.plan_id FROM issuers i WHERE i.name_fold LIKE ? ESCAPE '\\')")
        args.append(pat)
    if f.year:
        conds.append("p.year = ?")
        args.append(int(f.year))
    if f.doc_type:
        conds.append("p.doc_type_key = ?")
        args.append(fts.fold(f.doc_type.strip()))
    if f.cites:
        key, year = parse_citation(f.cites)
        conds.append("p.id IN (SELECT r.plan_id FROM legal_refs r WHERE r.ref_key = ?"
                     " AND (? IS NULL OR r.year IS NULL OR r.year = ?))")
        args += [key, year, year]
    return conds, args


def _check(f: Filters) -> None:
    if f.section and f.section not in SECTION_KINDS:
        raise CatalogueError(f"Loại mục không hợp lệ: {f.section!r}. Chọn một trong: "
                             + ", ".join(SECTION_KINDS))


def search(conn: sqlite3.Connection, query: str = "", filters: Filters | None = None,
           limit: int = 20, offset: int = 0, count: bool = True) -> Results:
    """Ranked plans for `query` under `filters`. Raises fts.QueryError or CatalogueError."""
    f = filters or Filters()
    _check(f)
    q = fts.parse(query) if query.strip() or not f.any() else None
    sql, count_sql, _, args = _statements(q, f)
    try:
        rows = conn.execute(sql + " LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
        if len(rows) < limit and (rows or not offset):
            total = offset + len(rows)  # the last page: nothing beyond it to count
        elif count:
            total = conn.execute(count_sql, args).fetchone()[0]
        else:
            total = offset + len(rows)
    except sqlite3.OperationalError as err:  # our expressions are quoted; this is a last guard
        raise fts.QueryError(f"Không chạy được truy vấn: {err}") from err
    return Results(query=query, total=total, hits=_hits(conn, rows, q), exact=bool(q and q.exact))


def _statements(q: fts.Query | None, f: Filters) -> tuple[str, str, str, list]:
    """(ranked ids SQL, count SQL, matching ids SQL, their arguments) for a query and filters."""
    conds, args = _where(f)
    extra = "".join(" AND " + c for c in conds)
    if q and f.section:
        cols = SECTION_COLUMNS if q.exact else SECTION_COLUMNS_FOLDED
        # The kind is a column of section_fts, so FTS5 itself keeps only sections of that kind.
        inner = (f"SELECT p.id AS id, bm25(section_fts) AS score, section_fts.rowid AS srow "
                 f"FROM section_fts CROSS JOIN plans p ON p.id = section_fts.rowid / {SECTIONS_PER_PLAN} "
                 "WHERE section_fts MATCH ?" + extra)
        args = [f'{{kind}} : "{f.section}" AND ' + q.expression(cols), *args]
        # Materialised: bm25() cannot run inside an aggregate the planner would flatten into.
        m = f"WITH m AS MATERIALIZED ({inner}) "
        return (m + "SELECT id, min(score) AS score, srow FROM m GROUP BY id ORDER BY score",
                m + "SELECT count(DISTINCT id) FROM m", m + "SELECT DISTINCT id FROM m", args)
    if q:
        cols = PLAN_COLUMNS if q.exact else PLAN_COLUMNS_FOLDED
        base = "FROM plan_fts CROSS JOIN plans p ON p.id = plan_fts.rowid WHERE plan_fts MATCH ?" + extra
        return (f"SELECT p.id, bm25(plan_fts, 4.0, 1.0, 4.0, 1.0) AS score, NULL AS srow {base} ORDER BY score",
                f"SELECT count(*) {base}", f"SELECT p.id {base}", [q.expression(cols), *args])
    base = "FROM plans p WHERE 1" + extra
    if f.section:
        base += " AND EXISTS (SELECT 1 FROM sections s WHERE s.plan_id = p.id AND s.kind = ?)"
        args = [*args, f.section]
    return (f"SELECT p.id, NULL AS score, NULL AS srow {base} ORDER BY p.issued_date DESC, p.id",
            f"SELECT count(*) {base}", f"SELECT p.id {base}", args)


def _hits(conn: sqlite3.Connection, rows, q) -> list[Hit]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    plans = {p["id"]: p for p in conn.execute(
        f"SELECT id, file, source_path, doc_type, number, symbol, issued_date, year, issuer, title, text"
        f" FROM plans JOIN plan_texts ON plan_id = id WHERE id IN ({marks})", ids)}
    hits = []
    for r in rows:
        p = plans[r["id"]]
        section = None
        text = p["text"]
        if r["srow"] is not None:
            s = conn.execute("SELECT id, heading, kind, fts_spans FROM sections WHERE rowid = ?",
                             (r["srow"],)).fetchone()
            section = {"id": s["id"], "heading": s["heading"], "kind": s["kind"]}
            text = run_text(text, json.loads(s["fts_spans"]))
        parts = fts.snippet(text, q)
        hits.append(Hit(id=p["id"], file=p["file"], source=p["source_path"], doc_type=p["doc_type"],
                        number=p["number"], symbol=p["symbol"], issued_date=p["issued_date"],
                        year=p["year"], issuer=p["issuer"], title=p["title"],
                        score=round(r["score"], 4) if r["score"] is not None else None,
                        snippet=fts.marked(parts), snippet_parts=[list(x) for x in parts],
                        section=section))
    return hits


def facets(conn: sqlite3.Connection, query: str = "", filters: Filters | None = None) -> dict:
    """Values to filter by, with the number of plans each would give for this query: issuers,
    years, document types (each counted under the other filters), and the section kinds."""
    f = filters or Filters()
    q = fts.parse(query) if query.strip() else None

    def pairs(dimension: str, sql: str):
        others = Filters(**{**asdict(f), dimension: None})
        if q or others.any():
            _, _, ids, args = _statements(q, others)
            sql = sql.format(f"IN ({ids})")
        else:
            sql, args = sql.format("IS NOT NULL"), []
        return [{"value": r[0], "count": r[1]} for r in conn.execute(sql, args) if r[0] is not None]

    return {
        "issuer": pairs("issuer", "SELECT min(name), count(DISTINCT plan_id) FROM issuers "
                                  "WHERE plan_id {} GROUP BY name_fold ORDER BY 2 DESC, 1 LIMIT 50"),
        "year": pairs("year", "SELECT year, count(*) FROM plans WHERE id {} GROUP BY year ORDER BY year DESC"),
        "doc_type": pairs("doc_type", "SELECT min(doc_type), count(*) FROM plans WHERE id {} "
                                      "GROUP BY doc_type_key ORDER BY 2 DESC"),
        "section": [{"value": k, "label": v} for k, v in SECTION_KINDS.items()],
    }
