"""Targets of tables: a lone number in a value column of a table of indicators.

Columns are judged from their headings, then from what their cells hold (bodies, places,
units, lone numbers, text). The row's body is the target's owner (its lead when the column is
an appendix's "Cơ quan chủ trì"); task and indicator cells go back to targets.py to be read
as prose, each a clause with its row as its item.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..models import Target
from ..normalize import clean
from . import bodies, numbers, tables, target_sections
from .sections import innermost
from .target_sections import PLACE_NAME

TABLE_YEAR = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)")
CELL_CMP = {"≥": "ge", ">": "ge", ">=": "ge", "trên": "ge", "tối thiểu": "ge", "ít nhất": "ge",
            "≤": "le", "<": "le", "<=": "le", "dưới": "le", "tối đa": "le", "không quá": "le"}


def _table_caption(ctx, table) -> str:
    """The words that introduce a table: the heading it sits under and the lines between that
    heading (or the appendix's start) and the table."""
    sec = innermost(ctx.result.sections, table.span[0])
    app = ctx.layout.appendix_span
    floor = sec.span[0] if sec else app[0] if app and app[0] <= table.span[0] else 0
    return ctx.view[max(floor, table.span[0] - 400):table.span[0]]


@dataclass
class TableFacts:
    """What the tables of a plan give the target stage."""
    targets: list  # one per number standing alone in a value column
    value_cells: list  # spans of those cells, and of row numbers, units and bodies: not read as prose
    text_cells: list  # task and indicator cells after the body: read as prose, each a clause
    owners: dict  # number span -> (body id, "explicit"): the row's body
    cell_owners: dict  # text cell span -> (body id, "explicit")
    cell_rows: dict = None  # text cell span -> its row's span: the row is a cell target's item


def read(ctx, rules, doc_year: int | None) -> TableFacts:
    """Targets of tables: a lone number in a value column of a table of indicators is a target
    of its row; the row's body (its chủ trì, or the unit it is about) is the target's owner,
    the row being the target's own item. Task cells are handed back to be read as prose."""
    t_rules = rules["table"]
    text, view = ctx.text, ctx.view
    lo, hi = ctx.layout.body_span
    end = ctx.layout.appendix_span[1] if ctx.layout.appendix_span else len(text)
    sections = ctx.result.sections
    by_id = {x.id: x for x in sections}
    facts = TableFacts([], [], [], {}, {}, {})
    for table in tables.find(text, lo, end):
        sec = innermost(sections, table.span[0]) if table.span[0] < hi else None
        if sec is not None and target_sections.in_skipped_section(sec, by_id, rules):
            continue
        caption = _table_caption(ctx, table)
        about = f"{caption} {' '.join(table.columns)}"
        # a table about money or past results says so in its caption; a column "Kết quả năm 2023"
        # beside the targets is a baseline, skipped as a column
        # (a table under a targets heading is one of targets)
        under_targets = sec is not None and target_sections.targets_kind(sec, by_id) == "targets"
        indicators = bool(t_rules["cues"].search(about) or under_targets) and not t_rules["skip_tables"].search(caption)
        kinds = [_column_kind(ctx, c, [r[i] for r in table.rows if i < len(r)], rules, doc_year)
                 for i, c in enumerate(table.columns)]
        if any(k == "value" and TARGET_COLUMN.search(c) for k, c in zip(kinds, table.columns)):
            # "Số người có uy tín (người) | Chỉ tiêu tập huấn năm 2023": the target column says so,
            # the other numbers describe, but for a column of where things must stand by a year
            # to come ("Tỷ lệ hộ nghèo đến cuối năm 2025 (%)") or of something to do ("Tổ hợp
            # tác, HTX thành lập mới": a commitment phrase, not a lone "có" as in "Số người có uy tín")
            kinds = [k if k != "value" or TARGET_COLUMN.search(c) or _horizon(c, doc_year)
                     or any(" " in m.group() for m in rules["cue"].finditer(c))
                     or (_year_to_come(c, doc_year) and any(m.group().lower() != "có" for m in rules["cue"].finditer(c)))
                     else "skip"
                     for k, c in zip(kinds, table.columns)]
        # a "Cơ quan chủ trì" column of an appendix of indicators gives each value to its lead, as
        # Tổ chức thực hiện would (GOLD.md: `lead`); in the body, naming the unit a row is about,
        # or beside a task the row states, the row is the target's own item
        source = "assignment" if table.span[0] >= hi and any(
            k == "body" and t_rules["lead_columns"].search(c) for k, c in zip(kinds, table.columns)) else "explicit"
        for row in table.rows:
            cells = list(zip(kinds, row, table.columns))
            owner = next((hits[0][0] for k, (cs, ce), _ in cells if k == "body" and ce > cs
                          for hits in [bodies.at(ctx, cs, ce)] if hits), None) or \
                next((bodies.place(ctx, cs, ce) for k, (cs, ce), _ in cells if k == "place" and ce > cs), None) or \
                _noted_lead(ctx, cells)
            unit = next((clean(view[cs:ce]) for k, (cs, ce), _ in cells if k == "unit" and ce > cs), None)
            label = next(((cs, ce) for k, (cs, ce), _ in cells if k == "text" and ce > cs), None)
            row_span = table.row_span(row)
            for kind, (cs, ce), _ in cells:
                if kind == "text" and ce > cs:
                    facts.cell_rows[(cs, ce)] = row_span
                if kind in ("skip", "unit", "body", "place") and ce > cs:
                    facts.value_cells.append((cs, ce))  # "1", "%", "Sở Y tế" are no prose targets
                if kind == "text" and ce > cs:
                    if not (lo <= cs < hi):
                        facts.text_cells.append((cs, ce))
                    if owner is not None:
                        facts.cell_owners[(cs, ce)] = (owner, "explicit")
            if not indicators:
                continue
            a, b = table.row_span(row)
            for kind, (cs, ce), col in cells:
                if kind != "value" or ce <= cs:
                    continue
                # the unit: a unit column's, the column heading's, else the row label's
                # ("Tỷ lệ trẻ em … được tiêm chủng đầy đủ (%) | 94,6 | ≥ 95")
                t = _cell_target(view, rules, cs, ce, col, unit or _column_unit(col)
                                 or (_column_unit(clean(view[label[0]:label[1]])) if label else None))
                if t is None:  # "Tăng 15% so với năm 2021", "Từ 4 đến 6 điểm": read as prose, in its row
                    facts.cell_rows[(cs, ce)] = (a, b)
                    if not (lo <= cs < hi):
                        facts.text_cells.append((cs, ce))
                    if owner is not None:
                        facts.cell_owners[(cs, ce)] = (owner, source)
                    continue
                facts.value_cells.append((cs, ce))
                t.text, t.span, t.section_id = text[a:b], (a, b), sec.id if sec else None
                t.indicator = clean(text[label[0]:label[1]])[:120] if label else (col or None)
                facts.targets.append(t)
                if owner is not None:
                    facts.owners[tuple(t.number_span)] = (owner, source)
                if label is not None and label not in facts.value_cells:
                    # the row's values are its targets, its label their name: "Số xã có tỷ lệ
                    # tiêm chủng đầy đủ từ 90% trở lên | 84/96 | 90/96" commits to 90/96, not 90%
                    facts.value_cells.append(label)
    return facts


# A note naming who answers for the row: "| … | 52 | Ban QLDA đầu tư xây dựng huyện chủ trì |"
NOTED_LEAD = regex.compile(r"[\s*_]*(?:do\s+|giao\s+)?(?P<body>[^\n]{3,90}?)\s+(?:chủ\s+trì|chịu\s+trách\s+nhiệm)[\s*_.]*",
                           regex.IGNORECASE)


def _noted_lead(ctx, cells) -> str | None:
    """The body a "Ghi chú" cell says answers for the row, if it says so."""
    for kind, (cs, ce), col in cells:
        if kind == "skip" and ce > cs and "ghi chú" in col and (m := NOTED_LEAD.fullmatch(ctx.view, cs, ce)):
            hits = bodies.at(ctx, m.start("body"), m.end("body"))
            if hits:
                return hits[0][0]
    return None


HORIZON = regex.compile(r"(?:đến|vào)\s+(?:hết\s+|cuối\s+)?năm\s+(?P<y>(?:19|20)\d{2})(?!\d)", regex.IGNORECASE)


def _horizon(col: str, doc_year: int | None) -> bool:
    """A column heading naming the year a value must be reached by, not before the plan's."""
    m = HORIZON.search(col)
    return bool(m and doc_year and int(m["y"]) >= doc_year)


def _year_to_come(col: str, doc_year: int | None) -> bool:
    """A column heading of something reached in the plan's year or later ("Vườn mẫu đạt chuẩn
    năm 2024 (vườn)" in a plan of 2024), beside "Hộ phân loại rác năm 2023", what was done."""
    years = [int(y) for y in TABLE_YEAR.findall(col)]
    return bool(years and doc_year and min(years) >= doc_year)


def _cell_target(view: str, rules, cs: int, ce: int, col: str, unit: str | None) -> Target | None:
    """The target a value cell holds ("8.000", "≥ 95", "< 17,5", "75 - 80"), or None."""
    m = rules["cell_number"].match(view, cs, ce)
    if not m:
        return None
    try:
        v1 = numbers.parse(m.group("n1"))
        v2 = numbers.parse(m.group("n2")) if m.group("n2") else None
    except ValueError:
        return None
    if v2 is not None and v2 <= v1:
        v2 = None
    if m.group("whole") and (int(m.group("whole")) < v1 or 1900 <= int(m.group("whole")) <= 2100):
        return None  # "30/6" is a day, "12/2025" a month, not 30 of 6 or 12 of 2025
    cmp_word = " ".join((m.group("cmp") or "").lower().split())
    comparator = "range" if v2 is not None else CELL_CMP.get(cmp_word, "eq")
    if m.group("after"):
        comparator = "ge" if "lên" in m.group("after").lower() else "le"
    year = TABLE_YEAR.search(col)
    n_end = max(m.end(g) for g in ("n1", "p1", "whole", "n2", "p2") if m.group(g))
    percent = bool(m.group("p1") or m.group("p2")) or unit == "%"
    unit = unit or (clean(m.group("word")).rstrip(",") if m.group("word") else None)
    return Target(id="", text="", span=(cs, ce), value=v1, value_max=v2, comparator=comparator, percent=percent,
                  unit=None if unit in (None, "%") else unit, deadline=year.group("y") if year else None,
                  number_span=(m.start("n1"), n_end))


TARGET_COLUMN = regex.compile(r"chỉ\s+tiêu|kế\s+hoạch|mục\s+tiêu|phấn\s+đấu|giao|dự\s+kiến|đăng\s+ký", regex.IGNORECASE)
UNIT_COLUMN = regex.compile(r"^(?:đvt|đơn\s+vị(?:\s+tính)?)$")
# The unit a column's heading ends with: "Hộ đạt chuẩn (%)", "Kết nạp hội viên mới (người)".
COLUMN_UNIT = regex.compile(r"\(\s*(?:đvt\s*:\s*)?(?P<unit>%|[\p{L} /²]{1,20}?)\s*\)\s*$")


def _column_unit(col: str) -> str | None:
    if PERCENT_COLUMN.search(col or ""):
        return "%"  # also inside a two-level name: "tỷ lệ huy động (%) chỉ tiêu năm học 2023 - 2024"
    m = COLUMN_UNIT.search(col or "")
    return m.group("unit") if m else None


PERCENT_COLUMN = regex.compile(r"\(\s*%\s*\)")


def _column_kind(ctx, col: str, cells: list, rules, doc_year: int | None) -> str:
    """body | unit | value | text | skip: from the words heading a column, then from what its
    cells hold (bodies; mostly lone numbers)."""
    t_rules = rules["table"]
    view = ctx.view
    filled = [(cs, ce) for cs, ce in cells if view[cs:ce].strip(" *_\n")]
    named = [(cs, ce) for cs, ce in filled if not TOTAL_CELL.fullmatch(view, cs, ce)]
    if "phối hợp" in col:
        return "skip"  # partners are not who answers for the row
    if t_rules["lead_columns"].search(col) or t_rules["subject_columns"].search(col):
        # "Đơn vị" heads the units of measure as often as the bodies
        if any(bodies.at(ctx, cs, ce) for cs, ce in filled):
            return "body"
        places = sum(1 for cs, ce in named if PLACE_NAME.match(view, cs, ce))
        mostly_places = places >= max(2, 0.6 * len(named)) if len(named) > 2 else 0 < places == len(named)
        if mostly_places:
            return "place"  # "Xã Tân Phước", "Thị trấn Phú Thạnh" (and "Khối cơ quan" among them): the row's own
        return "unit" if UNIT_COLUMN.match(col) else "skip"
    if UNIT_COLUMN.match(col) or "đơn vị tính" in col or col.startswith("đvt"):
        return "unit"
    years = [int(y) for y in TABLE_YEAR.findall(col)]
    if t_rules["skip_columns"].search(col) or "phối hợp" in col or (doc_year and years and max(years) < doc_year) \
            or _status_before_issue(ctx, col):
        return "skip"  # row numbers, partners, what was done or where things stand
    if len(filled) >= 2 and [view[cs:ce].strip(" *_.\n") for cs, ce in filled] == \
            [str(i) for i in range(1, len(filled) + 1)]:
        return "skip"  # 1, 2, 3 …: the rows' running numbers, under whatever heading
    numeric = sum(1 for cs, ce in filled if rules["cell_number"].match(view, cs, ce))
    if filled and numeric >= 0.6 * len(filled):
        return "value"
    if len(named) >= 2 and all(_whole_body(ctx, cs, ce) for cs, ce in named):
        return "body"  # "Chi hội thôn Nà Phặc" under any heading: the row is that body's
    if len(named) >= 2 and sum(1 for cs, ce in named if PLACE_NAME.match(view, cs, ce)) >= 0.6 * len(named):
        return "place"  # "Xã Thạnh An" under "Cơ sở Hội": the row is that place's
    return "text"


STATUS_DATE = regex.compile(r"(?:(?:đến|tại\s+thời\s+điểm)\s+|\(\s*)(?:ngày\s+)?(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})",
                            regex.IGNORECASE)


def _status_before_issue(ctx, col: str) -> bool:
    """A column of where things stood on a day the plan had already seen ("Số trường đạt chuẩn
    đến 30/6/2023" in a plan of 25/8/2023, "Số đoàn viên (01/01/2025)"): a status, not a target."""
    issued = ctx.result.document.issued_date
    m = STATUS_DATE.search(col)
    return bool(m and issued) and f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}" <= issued


TOTAL_CELL = tables.TOTAL_LINE  # the row that adds the others up: "Cộng", "Tổng cộng", "Toàn tỉnh"


def _whole_body(ctx, cs: int, ce: int) -> bool:
    """Whether a cell holds one body's name and nothing else."""
    cell = ctx.view[cs:ce]
    a = cs + len(cell) - len(cell.lstrip(" *_\n\t"))
    b = ce - (len(cell) - len(cell.rstrip(" *_\n\t.")))
    return any(ma <= a and mb >= b for _, (ma, mb) in bodies.at(ctx, cs, ce))
