"""One plan read back from the catalogue (facts, citation links both ways) and the audit.

Why: the plan page, its JSON API and the audit page need the same joined view of the tables;
building it once here keeps the web layer to presentation only.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Optional

from .audit import OWNED

PLAN_FIELDS = ("id", "file", "source_path", "sha256", "status", "doc_type", "number", "doc_year",
               "symbol", "issued_date", "year", "place", "title", "issuer", "period_start",
               "period_end")


def _rows(conn: sqlite3.Connection, sql: str, *args) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, args)]


def brief(conn: sqlite3.Connection, plan_id: int) -> Optional[dict]:
    r = conn.execute("SELECT id, file, doc_type, number, symbol, issued_date, title, issuer "
                     "FROM plans WHERE id = ?", (plan_id,)).fetchone()
    return dict(r) if r else None


def plan(conn: sqlite3.Connection, plan_id: int, with_text: bool = True) -> Optional[dict]:
    """Everything about one plan, or None when there is no such plan."""
    r = conn.execute(f"SELECT {', '.join(PLAN_FIELDS)}, text FROM plans JOIN plan_texts ON plan_id = id "
                     "WHERE id = ?", (plan_id,)).fetchone()
    if not r:
        return None
    out = {k: r[k] for k in PLAN_FIELDS}
    if with_text:
        out["text"] = r["text"]
    out["issuers"] = _rows(conn, 'SELECT name, start, "end" FROM issuers WHERE plan_id = ? ORDER BY ord',
                           plan_id)
    out["sections"] = _rows(conn, 'SELECT id, parent_id, level, number, heading, kind, start, "end" '
                                  "FROM sections WHERE plan_id = ? ORDER BY start, level", plan_id)
    bodies = _rows(conn, "SELECT id, name FROM bodies WHERE plan_id = ?", plan_id)
    names = {b["id"]: b["name"] for b in bodies}
    mentions = _rows(conn, 'SELECT body_id, text, start, "end" FROM body_mentions WHERE plan_id = ? '
                           "ORDER BY start", plan_id)
    for b in bodies:
        b["mentions"] = [m for m in mentions if m["body_id"] == b["id"]]
    out["bodies"] = bodies
    targets = _rows(conn, "SELECT * FROM targets WHERE plan_id = ? ORDER BY start", plan_id)
    for t in targets:
        t.pop("plan_id")
        t["percent"] = bool(t["percent"])
        t["owners"] = [{"id": o, "name": names.get(o, o)} for o in json.loads(t["owners"] or "[]")]
    out["targets"] = targets
    out["dates"] = _rows(conn, 'SELECT id, text, start, "end", kind, date_start, date_end, precision '
                               "FROM dates WHERE plan_id = ? ORDER BY start", plan_id)
    refs = _rows(conn, "SELECT * FROM legal_refs WHERE plan_id = ? ORDER BY start", plan_id)
    cited = {}
    for c in conn.execute("SELECT legal_ref_rowid, cited_plan_id FROM citations WHERE citing_plan_id = ?",
                          (plan_id,)):
        cited.setdefault(c[0], []).append(brief(conn, c[1]))
    for ref in refs:
        ref["cited_spans"] = json.loads(ref["cited_spans"] or "[]")
        ref["in_catalogue"] = cited.get(ref.pop("rowid"), [])
        ref.pop("plan_id")
    out["legal_refs"] = refs
    out["assignments"] = _rows(conn, 'SELECT id, body_id, role, text, start, "end", section_id '
                                     "FROM assignments WHERE plan_id = ? ORDER BY start", plan_id)
    for a in out["assignments"]:
        a["body_name"] = names.get(a["body_id"], a["body_id"])
    out["cited_by"] = [brief(conn, c[0]) for c in conn.execute(
        "SELECT DISTINCT citing_plan_id FROM citations WHERE cited_plan_id = ? ORDER BY 1", (plan_id,))]
    return out


# Owned as in the owner audit (export/audit.py): named by the plan itself, not the issuer fallback.
NO_OWNER = ("(t.owners IS NULL OR t.owners = '[]' OR t.owner_source IS NULL OR t.owner_source NOT IN ("
            + ", ".join(f"'{o}'" for o in OWNED) + "))")


def audit(conn: sqlite3.Connection, limit: int = 500) -> dict:
    """Targets that nobody owns and targets without a deadline, with their plans."""
    sql = ('SELECT t.plan_id, t.id, t.text, t.start, t."end", t.deadline, t.owners, t.owner_source, '
           "p.number, p.symbol, p.title, p.issuer FROM targets t JOIN plans p ON p.id = t.plan_id "
           "WHERE {} ORDER BY t.plan_id, t.start LIMIT ?")
    no_owner = _rows(conn, sql.format(NO_OWNER), limit)
    no_deadline = _rows(conn, sql.format("t.deadline IS NULL OR t.deadline = ''"), limit)
    totals = conn.execute(f"SELECT count(*), sum({NO_OWNER}), "
                          "sum(t.deadline IS NULL OR t.deadline = '') FROM targets t").fetchone()
    per_plan = _rows(conn, "SELECT p.id AS plan_id, p.number, p.symbol, p.title, p.file, count(*) AS targets, "
                           f"sum({NO_OWNER}) AS without_owner, "
                           "sum(t.deadline IS NULL OR t.deadline = '') AS without_deadline "
                           "FROM targets t JOIN plans p ON p.id = t.plan_id GROUP BY p.id "
                           "ORDER BY without_owner + without_deadline DESC, p.id")
    return {"targets": totals[0] or 0, "without_owner_count": totals[1] or 0,
            "without_deadline_count": totals[2] or 0, "per_plan": per_plan,
            "without_owner": no_owner, "without_deadline": no_deadline}
