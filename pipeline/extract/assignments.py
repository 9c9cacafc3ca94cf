"""Assignments: tasks given to bodies, with the role each body plays.

Four sources, all inside the plan body (the appendix for tables):

(a) a section whose heading opens with a body ("1. Tỉnh đoàn", "2. Các Huyện, Thành đoàn",
    "- Hội LHPN tỉnh chủ động phối hợp …", "8. Đề nghị Liên minh Hợp tác xã tỉnh, …"): one
    assignment per task item under it (its child items; the heading's own text when it has
    none). Role: lead, coordinate when the task opens with "phối hợp" (or sits under a
    sub-heading "b) Phối hợp với …"), report when the task is a reporting duty.
(b) sentences: "Giao X …" / "X chủ trì" / "X là cơ quan đầu mối" -> X lead; "phối hợp (với) Y, Z"
    -> Y, Z coordinate; "báo cáo (…) về X", "gửi X", "báo cáo X (qua Y)" -> X (and Y) report, the
    body that receives the report.
(c) labelled lines: "Đơn vị chủ trì (thực hiện): X", "Cơ quan thực hiện: X" -> lead,
    "Đơn vị / Cơ quan phối hợp: Y" -> coordinate, for the task the labels follow.
(d) appendix tables with the columns "Cơ quan chủ trì | Cơ quan phối hợp": lead / coordinate
    for the task in the row's "Tên nhiệm vụ" cell.

`text` is the task (item, sentence or table cell) with `span` into ctx.text; `section_id` the
innermost section. Every body_id is a body of ctx.result.bodies (generic groups such as "Các
cơ quan, đơn vị" are added as bodies when a task is given to them).
"""
from __future__ import annotations

import regex

from ..lang.vi import load
from ..models import Assignment
from ..normalize import clean, fold
from . import bodies, tables
from .sections import innermost

_I = regex.IGNORECASE | regex.VERSION1

def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


def _cues():
    """The cue patterns, built from lang/vi/assignments.yaml."""
    c = load("assignments")
    subj = _alt(c["label_subjects"])
    lead, coord = _alt(c["label_roles"]["lead"]), _alt(c["label_roles"]["coordinate"])
    kinds = rf"(?P<coord>{coord})|(?P<lead>{lead})"
    return {
        # "*- Đơn vị chủ trì thực hiện: *X" at the start of a line
        "label": regex.compile(
            rf"(?m)^[ \t*_\-–+]*(?P<label>{subj}\s+(?:{kinds})"
            r"(?:[^:\n]|\n(?![ \t]*\n)){0,30}?)[\s*_]*:[ \t*_]*", _I),
        "labelish": regex.compile(rf"[\s*_]*(?:{subj}\s+(?:{lead}|{coord})|{_alt(c['label_other'])})", _I),
        "lead_after": regex.compile(rf"[ \t*_]*(?:\n[ \t*_]*)?(?:\([^)]{{0,40}}\)\s*)?{_alt(c['lead_after'])}", _I),
        "lead_before": regex.compile(rf"(?:^|[^\p{{L}}]){_alt(c['lead_before'])}$", _I),
        "coord_before": regex.compile(rf"{_alt(c['coordinate_before'])}\s*$", _I),
        "coord_task": regex.compile(
            rf"^(?:{_alt([regex.escape(w) for w in c['coordinate_lead_in']])}\s+)*"
            rf"{_alt([regex.escape(w) for w in c['coordinate_task']])}\b"),
        "report_cue": regex.compile(rf"(?<![\p{{L}}]){_alt(c['report_cues'])}(?![\p{{L}}])", _I),
        "report_before": regex.compile(
            rf"(?:(?<![\p{{L}}]){_alt(c['report_before'])})\s*(?:{_alt(c['report_titles'])}\s+)?$", _I),
        "not_report": regex.compile(_alt(c["not_report"]), _I),
        "report_task": regex.compile(rf"[\s*_]*{_alt(c['report_task'])}", _I),
    }


_C = _cues()
LABEL = _C["label"]
LABELISH = _C["labelish"]
LEAD_AFTER = _C["lead_after"]
GIAO_BEFORE = _C["lead_before"]
COORD_BEFORE = _C["coord_before"]
REPORT_CUE = _C["report_cue"]
REPORT_BEFORE = _C["report_before"]
REPORT_TASK = _C["report_task"]
NO_REPORT = _C["not_report"]
PHOI_HOP = _C["coord_task"]
ROLE_MARKER = regex.compile(r"[\s*_]*(?:(?P<lead>chủ\s+trì)|(?P<coord>phối\s+hợp))(?:\s*,\s*phối\s+hợp)?\b", _I)
FIRST_CLAUSE = regex.compile(r"[^.;:\n]*(?:\n(?!\s*\n)[^.;:\n]*)*")
SEP_GAP = regex.compile(r"[\s*_]*(?:[,;/]|và|,\s*và)?[\s*_]*", _I)
TERMINATOR = regex.compile(r"[.;!?](?=\s)|\n[ \t]*\n|:[ \t*_]*\n")
TRIM = " \t\n*_|:;,"


class Collector:
    def __init__(self, ctx):
        self.ctx = ctx
        self.items: list[Assignment] = []
        self.seen: set[tuple] = set()

    def add(self, body_id: str | None, role: str, start: int, end: int) -> None:
        if body_id is None:
            return
        text = self.ctx.text
        while start < end and text[start] in TRIM:
            start += 1
        while end > start and text[end - 1] in " \t\n*_|,":
            end -= 1
        if end - start < 3:
            return
        key = (body_id, role, start, end)
        if key in self.seen:
            return
        self.seen.add(key)
        sec = innermost(self.ctx.result.sections, start)
        self.items.append(Assignment(id=f"a{len(self.items) + 1}", body_id=body_id, role=role,
                                     text=text[start:end], span=(start, end),
                                     section_id=sec.id if sec else None))


def _children(sections, sec):
    return [s for s in sections if s.parent_id == sec.id]


def role_of(task: str) -> str:
    """lead, coordinate ("Phối hợp với …", "chủ động phối hợp …") or report ("Báo cáo kết quả …")."""
    if REPORT_TASK.match(task):
        return "report"
    first = FIRST_CLAUSE.match(task.lstrip(" \t\n*_-–+:")).group()
    return "coordinate" if PHOI_HOP.match(fold(first)) else "lead"


# ---------------------------------------------------------------- (a) headings naming a body


def _from_headings(ctx, out: Collector, lo: int, hi: int) -> None:
    secs = ctx.result.sections
    named = {}
    for sec in secs:
        if not (lo <= sec.span[0] < hi):
            continue
        found = bodies.heading_mentions(ctx, sec)
        if found:
            named[sec.id] = found
    _orphan_headings(ctx, out, secs, named)
    for sec in secs:
        found = named.get(sec.id)
        if not found:
            continue
        ids = [bodies.ensure(ctx, (f.start, f.end), f) for f in found]
        after = found[-1].end
        kids = _children(secs, sec)
        intro_end = kids[0].span[0] if kids else sec.span[1]
        intro = ctx.view[after:intro_end]
        hint = None
        m = ROLE_MARKER.match(intro.lstrip(" \t\n*_:"))
        if m and kids:
            hint = "lead" if m.group("lead") else "coordinate"
        tasks: list[tuple[int, int, str | None]] = []
        for kid in kids:
            if kid.id in named or LABELISH.match(ctx.view, bodies.heading_start(ctx, kid)):
                continue
            ks = bodies.heading_start(ctx, kid)
            grand = _children(secs, kid)
            km = ROLE_MARKER.match(ctx.view, ks)
            if grand and km and len(kid.heading) < 160:
                khint = "lead" if km.group("lead") else "coordinate"
                for g in grand:
                    if g.id not in named:
                        tasks.append((bodies.heading_start(ctx, g), g.span[1], khint))
                continue
            tasks.append((ks, kid.span[1], hint))
        own = None
        rest = intro.lstrip(" \t*_")
        head_only = HEAD_ONLY.match(rest)  # "1.2. Ban … – Thường trực …"
        if rest[:1] in (":", "\n"):
            own = after + (len(intro) - len(intro.lstrip(" \t\n*_:")))
        elif head_only:
            own = after + (len(intro) - len(rest)) + head_only.end()
            own = DASH.match(ctx.view, own).end()
        elif rest.strip(" \t\n*_:.;"):
            own = found[0].start
        if own is not None and (not kids or (len(clean(ctx.view[own:intro_end])) > 40
                                             and not clean(ctx.view[own:intro_end]).endswith(":"))):
            if clean(ctx.view[own:intro_end]).strip(" :.;"):
                tasks.insert(0, (own, intro_end, None))
        for start, end, h in tasks:
            if h and not REPORT_TASK.match(ctx.view, start):
                role = h
            elif start == found[0].start:
                role = role_of(ctx.view[after:end])  # the task after the body's name
            else:
                role = role_of(ctx.view[start:end])
            for bid in ids:
                out.add(bid, role, start, end)


ORPHAN = regex.compile(r"(?m)^[ \t*_]*\d{1,2}(?:\.\d{1,2})*\.[ \t*_]*\n[ \t*_]*(?=\S)")
PARA_END = regex.compile(r"[ \t*_:]*(?:\n[ \t]*\n|$)")


def _orphan_headings(ctx, out: Collector, secs, named) -> None:
    """A numbered heading whose number stands alone on its line ("**1.\nCông an thành phố**")
    is not a section; when it names a body, the items that follow it (up to the next section
    that names a body) are that body's tasks."""
    view = ctx.view
    for sec in secs:
        kids = _children(secs, sec)
        if not kids:
            continue
        last = None
        for m in ORPHAN.finditer(view, sec.span[0], kids[0].span[0]):
            last = m
        if last is None:
            continue
        got = bodies.find(view, last.end(), min(kids[0].span[0], last.end() + 300), generic=True)
        chain, cur = [], last.end()
        for f in got:
            if f.start != cur and not SEP_GAP.fullmatch(view[cur:f.start]):
                break
            chain.append(f)
            cur = f.end
        if not chain or not PARA_END.match(view, cur):
            continue
        ids = [bodies.ensure(ctx, (f.start, f.end), f) for f in chain]
        for kid in kids:
            if kid.id in named:
                break
            ks = bodies.heading_start(ctx, kid)
            if LABELISH.match(view, ks):
                continue
            role = role_of(view[ks:kid.span[1]])
            for bid in ids:
                out.add(bid, role, ks, kid.span[1])


# ---------------------------------------------------------------- (b) sentences


def _sentence(ctx, pos: int) -> tuple[int, int]:
    """The sentence (or clause list up to ". " / ";" / a blank line) around `pos`, kept inside
    the innermost section."""
    sec = innermost(ctx.result.sections, pos)
    lo, hi = (sec.span if sec else ctx.layout.body_span)
    if sec:
        lo = max(lo, bodies.heading_start(ctx, sec)) if bodies.heading_start(ctx, sec) <= pos else lo
    view = ctx.view
    a = max(lo, pos - 800)
    start = a
    for m in TERMINATOR.finditer(view, a, pos):
        start = m.end()
    m = TERMINATOR.search(view, pos, min(hi, pos + 1200))
    end = m.start() + (1 if m and view[m.start()] in ".;!?" else 0) if m else min(hi, pos + 1200)
    return start, end


def _chain_after(ctx, mentions, i) -> list[int]:
    """Indices of the mentions that follow mentions[i] in one list ("Y, Z và W")."""
    out = [i]
    view = ctx.view
    j = i + 1
    while j < len(mentions):
        gap = view[mentions[j - 1][1][1]:mentions[j][1][0]]
        if len(gap) > 12 or not SEP_GAP.fullmatch(gap):
            break
        out.append(j)
        j += 1
    return out


def _from_sentences(ctx, out: Collector, lo: int, hi: int) -> None:
    view = ctx.view
    ms = bodies.at(ctx, lo, hi)
    # generic groups ("các cơ quan, đơn vị liên quan") count where a role is given to them
    for f in bodies.find(view, lo, hi, generic=True):
        if f.generic:
            before = view[max(lo, f.start - 30):f.start]
            if COORD_BEFORE.search(before) or GIAO_BEFORE.search(before) or LEAD_AFTER.match(view, f.end):
                bid = bodies.ensure(ctx, (f.start, f.end), f)
                if bid:
                    ms.append((bid, (f.start, f.end)))
    ms.sort(key=lambda x: x[1])
    for i, (bid, (a, b)) in enumerate(ms):
        before = view[max(lo, a - 40):a]
        if GIAO_BEFORE.search(before) or LEAD_AFTER.match(view, b):
            s, e = _sentence(ctx, a)
            out.add(bid, "lead", s, e)
        if COORD_BEFORE.search(before):
            s, e = _sentence(ctx, a)
            for j in _chain_after(ctx, ms, i):
                out.add(ms[j][0], "coordinate", s, e)
        if REPORT_BEFORE.search(before):
            s, e = _sentence(ctx, a)
            cue = None
            for c in REPORT_CUE.finditer(view, max(s, a - 160), a):
                cue = c
            if cue is not None and not TERMINATOR.search(view, cue.end(), a) \
                    and not NO_REPORT.search(view, cue.start(), a):
                for j in _chain_after(ctx, ms, i):  # "báo cáo Tỉnh ủy, HĐND, UBND tỉnh"
                    out.add(ms[j][0], "report", s, e)


# ---------------------------------------------------------------- (c) labelled lines


def _task_for_label(ctx, pos: int) -> tuple[int, int] | None:
    """The task a label line belongs to: the item that holds it, climbing over items that are
    themselves labels ("b) Cơ quan thực hiện:", "- Đơn vị chủ trì: …"), up to the first label."""
    secs = {s.id: s for s in ctx.result.sections}
    sec = innermost(ctx.result.sections, pos)
    while sec is not None and LABELISH.match(ctx.view, bodies.heading_start(ctx, sec)):
        sec = secs.get(sec.parent_id)
    if sec is None:
        return None
    start = bodies.heading_start(ctx, sec)
    first = None
    for m in LABEL.finditer(ctx.view, start, sec.span[1]):
        first = m.start()
        break
    # a label item's own parent line ("b) Cơ quan thực hiện:") ends the task too
    for s in ctx.result.sections:
        if s.parent_id == sec.id and LABELISH.match(ctx.view, bodies.heading_start(ctx, s)):
            first = min(first, s.span[0]) if first is not None else s.span[0]
            break
    end = first if first is not None and first > start else sec.span[1]
    if sec.level == 1 and first is not None:
        # a top-level section whose items the segmenter did not see ("**1.****" alone on its
        # line): the task is the paragraph right above this label's block of labels
        labels = [(m.start(), _value_end(ctx.view, m.end(), sec.span[1]))
                  for m in LABEL.finditer(ctx.view, start, sec.span[1]) if m.start() <= pos]
        k = len(labels) - 1
        while k > 0 and not ctx.view[labels[k - 1][1]:labels[k][0]].strip(" \t\n*_"):
            k -= 1
        end = labels[k][0] if labels else end
        para = PARA_BREAK.search(ctx.view[start:end].rstrip())
        if para:
            start += para.end()
    return start, end


DASH = regex.compile(r"[\s*_]*(?:[-–—•+][\s*_]*)?")
PARA_BREAK = regex.compile(r"(?r)\n[ \t]*\n")
VALUE_END = regex.compile(
    r"\n[ \t]*\n|\n[ \t*_]*(?:[-–+•]|[a-zđ]\)|\d+\.)|\n[ \t*_]*(?:Thời\s+(?:gian|hạn)|Đơn\s+vị|Cơ\s+quan)", _I)
HEAD_ONLY = regex.compile(r"[^.;:\n]{0,150}\n[ \t]*\n")
ROW_NO = regex.compile(r"\d{1,3}")
TABLE_CUE = regex.compile(r"(?:cơ\s+quan|đơn\s+vị|bộ\s+phận)\s+chủ\s+trì", _I)


def _value_end(view: str, start: int, hi: int) -> int:
    m = VALUE_END.search(view, start, min(hi, start + 700))
    return m.start() if m else min(hi, start + 700)


def _leading_chains(ctx, start: int, end: int):
    """Mentions at the start of a value and after each ";" ("Sở Tư pháp; các cơ quan, đơn vị
    liên quan"), generic groups included."""
    view = ctx.view
    found = bodies.find(view, start, end, generic=True)
    out = []
    cur = start
    for f in found:
        gap = view[cur:f.start]
        if SEP_GAP.fullmatch(gap) or (";" in gap and not view[cur:f.start].rsplit(";", 1)[1].strip(" \t\n*_")):
            out.append(f)
            cur = f.end
            continue
        # the next chain may start after a ";" further on
        semi = view.rfind(";", cur, f.start)
        if semi != -1 and not view[semi + 1:f.start].strip(" \t\n*_"):
            out.append(f)
            cur = f.end
    return out


def _from_labels(ctx, out: Collector, lo: int, hi: int) -> None:
    view = ctx.view
    for m in LABEL.finditer(view, lo, hi):
        vstart = m.end()
        vend = _value_end(view, vstart, hi)
        if not view[vstart:vend].strip(" \t\n*_"):
            continue
        task = _task_for_label(ctx, m.start())
        if task is None:
            continue
        role = "coordinate" if m.group("coord") else "lead"
        for f in _leading_chains(ctx, vstart, vend):
            out.add(bodies.ensure(ctx, (f.start, f.end), f), role, *task)


# ---------------------------------------------------------------- (d) appendix tables


def _from_tables(ctx, out: Collector) -> None:
    """Task tables after the body or in Tổ chức thực hiện ("STT | Nhiệm vụ | Cơ quan chủ trì |
    Cơ quan phối hợp | …", "TT | Chỉ tiêu | Cơ quan chủ trì | …"): each numbered row gives its
    task to the bodies of its lead and partner columns."""
    lay = ctx.layout
    spans = [lay.appendix_span or (lay.body_span[1], len(ctx.text))]
    spans += [tuple(s.span) for s in ctx.result.sections if s.parent_id is None and s.kind == "organization"]
    for a, b in spans:
        if TABLE_CUE.search(ctx.view, a, b):
            _table_rows(ctx, out, a, b)


def _table_rows(ctx, out: Collector, a: int, b: int) -> None:
    for table in tables.find(ctx.text, a, b):
        col: dict[str, int] = {}
        for k, name in enumerate(table.columns):
            if "chủ trì" in name:
                col.setdefault("lead", k)
            elif "phối hợp" in name:
                col.setdefault("coordinate", k)
            elif any(w in name for w in ("nhiệm vụ", "nội dung", "chỉ tiêu", "hoạt động")):
                col.setdefault("task", k)  # an indicator is given out as a task is
        if "lead" not in col or "task" not in col:
            continue
        for row in table.rows:
            if len(row) != len(table.columns) or not ROW_NO.fullmatch(fold(ctx.view[row[0][0]:row[0][1]])):
                continue
            ts, te = row[col["task"]]
            for role in ("lead", "coordinate"):
                if role in col:
                    cs, ce = row[col[role]]
                    for f in _leading_chains(ctx, cs, ce):
                        out.add(bodies.ensure(ctx, (f.start, f.end), f), role, ts, te)


def extract(ctx) -> list[Assignment]:
    out = Collector(ctx)
    lo, hi = ctx.layout.body_span
    if hi > lo:
        _from_headings(ctx, out, lo, hi)
        _from_labels(ctx, out, lo, hi)
        _from_sentences(ctx, out, lo, hi)
    _from_tables(ctx, out)
    out.items.sort(key=lambda x: (x.span[0], x.span[1]))
    for k, item in enumerate(out.items):
        item.id = f"a{k + 1}"
    return out.items
