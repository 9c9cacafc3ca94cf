"""The owner audit: which promises nobody owns, which have no deadline, which cannot be measured.

Reads result JSON files (the contract), writes CSV files that open in a spreadsheet
(UTF-8 with BOM) and one self-contained HTML page with a chart of owned vs unowned
targets per plan. A target is owned when its owner comes from the plan itself (named in
its item, in the heading above it, or given in Tổ chức thực hiện); falling back to the
issuer does not count as owned.
"""
from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..extract.docnumber import display

OWNED = ("explicit", "heading", "assignment")


@dataclass
class PlanAudit:
    file: str
    number: str
    title: str
    targets: int
    owned: int
    no_deadline: int
    not_measurable: int


def load_results(dirs: Iterable[Path]) -> list[tuple[str, dict]]:
    """(file name, result) for every document result JSON in the folders (or files) given."""
    out = []
    for d in dirs:
        files = sorted(d.glob("*.json")) if d.is_dir() else [d]
        for f in files:
            try:
                res = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(res, dict) and "schema_version" in res and res.get("status") != "failed":
                out.append((f.name, res))
    return out


def measurable(t: dict) -> bool:
    """A value with a unit (or a percentage) and something it counts."""
    return t.get("value") is not None and bool(t.get("percent") or t.get("unit")) and bool(t.get("indicator"))


TARGET_COLUMNS = ["file", "plan_number", "target_id", "text", "value", "value_max", "unit", "percent",
                  "comparator", "indicator", "deadline", "owner_source", "owners", "section", "start", "end"]


def _target_row(name: str, res: dict, t: dict) -> dict:
    doc = res.get("document") or {}
    bodies = {b["id"]: b["name"] for b in res.get("bodies") or []}
    sections = {s["id"]: s["heading"] for s in res.get("sections") or []}
    number = display(doc.get("number"), doc.get("year"), doc.get("symbol"))
    return {
        "file": name, "plan_number": number, "target_id": t["id"], "text": " ".join(t["text"].split()),
        "value": t.get("value"), "value_max": t.get("value_max"), "unit": t.get("unit"),
        "percent": t.get("percent"), "comparator": t.get("comparator"), "indicator": t.get("indicator"),
        "deadline": t.get("deadline"), "owner_source": t.get("owner_source"),
        "owners": "; ".join(bodies.get(o, o) for o in t.get("owners") or []),
        "section": sections.get(t.get("section_id"), ""), "start": t["span"][0], "end": t["span"][1],
    }


def audit(results: list[tuple[str, dict]]) -> tuple[dict[str, list[dict]], list[PlanAudit]]:
    tables: dict[str, list[dict]] = {"unowned": [], "no_deadline": [], "not_measurable": []}
    plans = []
    for name, res in results:
        targets = res.get("targets") or []
        for t in targets:
            row = _target_row(name, res, t)
            if t.get("owner_source") not in OWNED:
                tables["unowned"].append(row)
            if not t.get("deadline"):
                tables["no_deadline"].append(row)
            if not measurable(t):
                tables["not_measurable"].append(row)
        doc = res.get("document") or {}
        plans.append(PlanAudit(
            file=name, number=display(doc.get("number"), doc.get("year"), doc.get("symbol")),
            title=doc.get("title") or "", targets=len(targets),
            owned=sum(t.get("owner_source") in OWNED for t in targets),
            no_deadline=sum(not t.get("deadline") for t in targets),
            not_measurable=sum(not measurable(t) for t in targets)))
    return tables, plans


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")  # the BOM lets Excel read Vietnamese


SUMMARY_COLUMNS = ["file", "number", "title", "targets", "owned", "unowned", "no_deadline", "not_measurable"]


def summary_rows(plans: list[PlanAudit]) -> list[dict]:
    return [{"file": p.file, "number": p.number, "title": p.title, "targets": p.targets, "owned": p.owned,
             "unowned": p.targets - p.owned, "no_deadline": p.no_deadline, "not_measurable": p.not_measurable}
            for p in plans]


def html_page(tables: dict[str, list[dict]], plans: list[PlanAudit]) -> str:
    e = html.escape
    shown = [p for p in plans if p.targets]
    width = max((p.targets for p in shown), default=1)
    bars = []
    for i, p in enumerate(shown):
        y = 10 + i * 26
        w_owned = 400 * p.owned / width
        w_un = 400 * (p.targets - p.owned) / width
        bars.append(
            f'<text x="0" y="{y + 14}" font-size="12">{e(p.file[:38])}</text>'
            f'<rect x="260" y="{y}" width="{w_owned:.1f}" height="18" fill="#2e7d32"><title>có chủ trì: {p.owned}</title></rect>'
            f'<rect x="{260 + w_owned:.1f}" y="{y}" width="{w_un:.1f}" height="18" fill="#c62828">'
            f'<title>chưa có chủ trì: {p.targets - p.owned}</title></rect>'
            f'<text x="{265 + w_owned + w_un:.1f}" y="{y + 14}" font-size="12">{p.owned}/{p.targets}</text>')
    chart = (f'<svg width="760" height="{20 + 26 * len(shown)}" role="img" '
             f'aria-label="Chỉ tiêu có và chưa có đơn vị chủ trì theo kế hoạch">{"".join(bars)}</svg>')

    def table(rows: list[dict], cols: list[str]) -> str:
        head = "".join(f"<th>{e(c)}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{e(str(r.get(c) if r.get(c) is not None else ''))}</td>" for c in cols)
                       + "</tr>" for r in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    cols = ["file", "plan_number", "text", "value", "unit", "indicator", "deadline", "owner_source", "owners"]
    total = sum(p.targets for p in plans)
    owned = sum(p.owned for p in plans)
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Kiểm tra chỉ tiêu – kehoach</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:3px 6px;font-size:13px;vertical-align:top}}th{{background:#f3f3f3}}</style></head>
<body><h1>Kiểm tra chỉ tiêu</h1>
<p>{len(plans)} kế hoạch, {total} chỉ tiêu; {owned} có đơn vị chủ trì, {total - owned} chưa có;
{len(tables['no_deadline'])} chưa có thời hạn; {len(tables['not_measurable'])} chưa đo được.</p>
<h2>Chỉ tiêu có / chưa có đơn vị chủ trì theo kế hoạch</h2>
<p><span style="color:#2e7d32">■</span> có chủ trì <span style="color:#c62828">■</span> chưa có chủ trì</p>
{chart}
<h2>Tổng hợp theo kế hoạch</h2>{table(summary_rows(plans), SUMMARY_COLUMNS)}
<h2>Chỉ tiêu chưa có đơn vị chủ trì ({len(tables['unowned'])})</h2>{table(tables['unowned'], cols)}
<h2>Chỉ tiêu chưa có thời hạn ({len(tables['no_deadline'])})</h2>{table(tables['no_deadline'], cols)}
<h2>Chỉ tiêu chưa đo được ({len(tables['not_measurable'])})</h2>{table(tables['not_measurable'], cols)}
</body></html>
"""


def write_audit(dirs: Iterable[Path], out: Path) -> dict[str, int]:
    """Write the audit files into `out`; return how many rows each has."""
    out.mkdir(parents=True, exist_ok=True)
    tables, plans = audit(load_results(dirs))
    for key, rows in tables.items():
        write_csv(out / f"audit_{key}.csv", TARGET_COLUMNS, rows)
    write_csv(out / "audit_summary.csv", SUMMARY_COLUMNS, summary_rows(plans))
    (out / "audit.html").write_text(html_page(tables, plans), encoding="utf-8")
    return {"plans": len(plans), **{k: len(v) for k, v in tables.items()}}
