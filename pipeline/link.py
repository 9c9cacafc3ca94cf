"""Link: owners onto targets.

In order of strength (CONTRACT.md `owner_source`):
- explicit: a body named in the target's own item: the subject right before the number
  ("Hội Nông dân: 5.560 hộ", "Hội phụ nữ giúp 3.987 hộ"), or the body the item opens with;
- heading: a body named by a heading above the target ("2. Các huyện, thị, thành Đoàn, Đoàn
  trực thuộc" over "- Xây dựng từ 01 đến 02 mô hình", "8. Ủy ban nhân dân các xã, phường");
- assignment: a body given, in Tổ chức thực hiện or a task table, the lead of the section the
  target sits in ("các chỉ tiêu tại mục a khoản 2 phần II"), else of the task whose words match
  the target's (weighted by how rare each word is among the tasks; one clear winner only);
- issuer: nothing better, the target falls to the issuing body;
- null: not even an issuer is known.
The rules are the list OWNER_RULES at the end, strongest first: a new way offices name who
answers for a target is one more function there.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import regex

from .extract import bodies, crossrefs, numbers, target_sections
from .extract.numbers import NUMERAL_RE
from .normalize import last_match, strip_diacritics

# Words too common to tell two tasks apart (compared without diacritics).
STOP = {strip_diacritics(w) for w in """các của và cho trong với được có là những để về tại theo từ đến
trên dưới người số năm tỷ tỉ lệ đạt phấn đấu bảo đảm thực hiện tổ chức triển khai công tác hoạt động
tăng giảm ít nhất hơn toàn một hai ba thành phố tỉnh xã phường cấp chủ trì phối hợp kế hoạch
nhiệm vụ đơn vị cơ quan liên quan sở ngành ban trên địa bàn""".split()}
# Between a subject and its number: a colon, or a few lower-case words ("vận động xây dựng ít nhất").
# (or the rest of a name the grammar did not read, before a colon: "Cục Đổi mới sáng tạo: 200",
# "Bảo hiểm xã hội cơ sở Lê Chân: 2.300")
SUBJECT_GAP = regex.compile(r"^[\s:,*]*(?:(?:\p{Ll}+\s+){0,7}[\s:]*|(?:\p{L}+\s+){0,4}\p{L}+\s*:\s*)$")
# A body after these is a partner or an owner of a thing, not the subject: "Phối hợp với Đoàn
# Thanh niên tổ chức 12 buổi", "tỷ lệ văn bản đi của Ủy ban nhân dân phường được ký số đạt 100%".
PARTNER_BEFORE = regex.compile(r"(?<![\p{L}])(?:với|cùng|và|giúp|cho|hỗ\s+trợ|đề\s+nghị|phối\s+hợp|toàn|của|qua)\s*[*_]*\s*$",
                               regex.IGNORECASE)
WORD = regex.compile(r"\p{L}+")


def _tokens(text: str) -> set[str]:
    return {w for w in WORD.findall(strip_diacritics(text)) if len(w) > 1 and w not in STOP}


def _explicit(ctx, target) -> str | None:
    """A body that is the subject of the target's clause, right before its number; or the
    unit each of which must reach it ("Mỗi cơ sở Hội xây dựng ít nhất 01 mô hình")."""
    num_start = target.number_span[0] if target.number_span else target.span[0]
    best = None
    found = bodies.at(ctx, target.span[0], num_start)
    # "Hội Nông dân các xã: mỗi cơ sở Hội vận động …": the unit after "mỗi" is a part of the
    # subject named before it, not a subject of its own
    each = [(a, b) for _, (a, b) in found if EACH_BEFORE.search(ctx.view, max(0, a - 8), a)]
    # "Phòng GDNN phối hợp với Thanh tra Sở kiểm tra 100% …": a partner named between the
    # subject and its number is read over, as a word
    partners = [(a, b) for _, (a, b) in found if PARTNER_BEFORE.search(ctx.view[max(0, a - 20):a])]
    for _, (a, b) in sorted(found, key=lambda f: f[1]):  # "phối hợp Hội Nông dân, Hội LHPN cùng cấp": both
        if (a, b) not in partners and any(LIST_GAP.fullmatch(ctx.view, pb, a) for _, pb in partners):
            partners.append((a, b))
    for body_id, (a, b) in found:
        if (a, b) in each:
            continue
        gap = ctx.view[b:num_start]
        for ea, eb in each + partners:
            if ea >= b and eb - ea >= 2:
                gap = gap[:ea - b] + "đv" + " " * (eb - ea - 2) + gap[eb - b:]
        if SUBJECT_GAP.match(gap) and not NUMERAL_RE.search(gap) and (a, b) not in partners:
            best = body_id
    return best


EACH_BEFORE = regex.compile(r"(?:[Mm]ỗi|[Tt]ừng)\s+$")
LIST_GAP = regex.compile(r"\s*(?:,|và)\s*")  # between two bodies of one list


# "Mỗi <unit> <verb> … N": the unit, up to the verb or a comparator, is who must reach N.
EACH = regex.compile(r"(?<![\p{L}])(?:[Mm]ỗi|[Tt]ừng)\s+(?P<np>(?:(?!(?:có|xây|tổ|thực|đăng|duy|hỗ|vận|phấn|đạt|ít|tối|"
                     r"từ|là|được|phải|cần|chọn|lựa|giới|kết|tham|triển|thành|bảo|đảm|cử|gửi|trồng|mở|nâng|cải|sửa|"
                     r"làm|tiếp|phát|tập|bồi|đào|tuyển|huy|hoàn|thu|chăm|nhận|trao|tặng|giám|rà|tuyên|hướng|giúp|vận)(?![\p{L}]))[\p{L}/]+[ \t]*"
                     r"(?:/[ \t]*)?){1,7})")


GENERIC_UNITS = {"năm", "tháng", "quý", "tuần", "ngày", "lần", "đợt", "người", "hộ", "gia đình", "cá nhân",
                 "tập thể", "đơn vị", "cơ quan", "địa phương", "đơn vị, địa phương", "cơ quan, đơn vị",
                 # people and classes are who is counted, not who is responsible
                 "lớp", "khóa", "giảng viên", "học viên", "học sinh", "sinh viên", "cán bộ", "hội viên", "đoàn viên",
                 "đảng viên", "giáo viên", "công chức", "viên chức", "lao động", "thành viên"}


def _distributive(ctx, target, num_start: int) -> str | None:
    lead = ctx.view[target.span[0]:num_start]
    # a known body after "mỗi" ("mỗi tổ chức thành viên nhận giúp đỡ ít nhất 05 hộ nghèo")
    known = [(body_id, a) for body_id, (a, _) in bodies.at(ctx, target.span[0], num_start)
             if EACH_BEFORE.search(ctx.view, max(0, a - 8), a) and not NUMERAL_RE.search(ctx.view, a, num_start)]
    if known:
        return known[-1][0]
    m = last_match(EACH, lead)
    if m is None or NUMERAL_RE.search(lead, m.end()):
        return None
    a = target.span[0] + m.start("np")
    b = target.span[0] + m.end("np")
    while b > a and ctx.text[b - 1].isspace():
        b -= 1
    name = " ".join(ctx.text[a:b].split())
    if not name or name.lower() in GENERIC_UNITS or name.lower().split()[0] in GENERIC_UNITS:
        return None  # "mỗi năm" is a frequency; "mỗi đơn vị" leaves the owner to the heading
    key = bodies.key_of(name)
    found = bodies.Found(a, b, name, key, "", "", generic=True)
    return bodies.ensure(ctx, (a, b), found)


# An allocation list: "huyện Mèo Vạc: 06 trạm", "xã Hiếu: 320 ha", "thị xã Ngã Năm: 500 người".
PLACE_WORD = bodies.PLACE_WORD
PLACE_LABEL = regex.compile(rf"(?<![\p{{L}}])(?P<place>(?i:{PLACE_WORD}|tổ)"
                            # a name, or a number alone ("Tổ khu phố 1: 350 hồ sơ")
                            r"\s+(?:\p{Lu}[\p{L}]*(?:[ \t]*\n?[ \t]*\p{Lu}[\p{L}]*){0,3}(?:[ \t]+\d{1,2})?|\d{1,2})"
                            # or the rest of them: "các xã, thị trấn còn lại 40 ha", "09 thôn còn lại: …"
                            rf"|(?i:(?:các|\d{{1,3}})\s+{PLACE_WORD}(?:\s*,\s*{PLACE_WORD})*\s+còn\s+lại))"
                            # "xã Hiếu: 320 ha", "xã Mỹ Lộc 20 ha"
                            r"[ \t]*:?[ \t]*(?:(?:giảm|tăng|đạt|thêm)[ \t]+)?(?:(?:ít\s+nhất|tối\s+thiểu|không\s+quá|tối\s+đa|dưới|trên)\s+)?$")


# A place opening the clause as its subject: "- Xã Long Sơn hoàn thành 03 tiêu chí còn lại",
# "…; xã Đức Minh đăng ký xây dựng 01 thôn nông thôn mới kiểu mẫu".
PLACE_SUBJECT = regex.compile(rf"(?:^|[;:]|\n)[\s*_\-+•]*(?P<place>(?i:{PLACE_WORD})"
                              r"\s+\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){0,3})(?P<gap>(?:\s+\p{Ll}+){1,7}\s+)$")


def _place_label(ctx, target, num_start: int) -> str | None:
    """The place an allocation list gives the number to, or the place that is the clause's
    subject: its authority answers for it."""
    m = PLACE_LABEL.search(ctx.view, max(target.span[0], num_start - 80), num_start)
    if m is None:  # from the line's start: the subject opens the item or a clause after ";"
        line_start = ctx.view.rfind("\n", 0, target.span[0])
        m = PLACE_SUBJECT.search(ctx.view, max(line_start, 0, num_start - 120), num_start)
    return bodies.place(ctx, *m.span("place")) if m else None


# "(Ban Phong trào chủ trì)", "*(Sở Y tế chủ trì, phối hợp …)*": the lead named in an item or heading
PAREN_LEAD = regex.compile(r"\(\s*[*_]*\s*(?P<body>[^()\n]{3,90}?)\s+(?:chủ\s+trì|chịu\s+trách\s+nhiệm)(?:\s*[,;][^()]*)?\s*[*_]*\)",
                           regex.IGNORECASE)


def _paren_lead(ctx, a: int, b: int) -> str | None:
    """The body a parenthesis in view[a:b] names as the one in charge ("(Ban Phong trào chủ trì)")."""
    for m in PAREN_LEAD.finditer(ctx.view, a, b):
        hits = bodies.at(ctx, m.start("body"), m.end("body"))
        if hits:
            return hits[0][0]
        if PLACES.fullmatch(m.group("body")):  # "(các thôn chịu trách nhiệm)": the places each answer
            return bodies.place(ctx, m.start("body"), m.end("body"))
    return None


PLACES = regex.compile(rf"(?i:các)\s+(?i:{bodies.PLACE_WORD})(?:\s*,\s*(?i:{bodies.PLACE_WORD}))*")


def _item_paren_lead(ctx, target, sec, by_id) -> tuple[str | None, str | None]:
    """(body, source): "(X chủ trì)" in the target's own item (explicit) or in a heading above."""
    end = sec.span[1] if sec else target.span[1]
    body = _paren_lead(ctx, target.span[0], min(end, target.span[1] + 160))
    if body:
        return body, "explicit"
    top = sec
    while sec is not None:
        body = _paren_lead(ctx, sec.span[0], _heading_line_end(ctx, sec))
        if body:
            return body, "heading"
        top = sec
        sec = by_id.get(sec.parent_id) if sec.parent_id else None
    # "c) Về xây dựng tổ chức Đoàn (Ban Tổ chức - Kiểm tra chủ trì)" over items numbered on from
    # the list before it ("14.", "15."): the last lettered group heading before the target
    if "chủ trì" not in ctx.view:
        return None, None
    group = None
    for s in ctx.result.sections:
        if top is not None and top.span[0] <= s.span[0] < target.span[0] and s.number and LETTER.fullmatch(s.number):
            group = s
    if group is not None:
        body = _paren_lead(ctx, group.span[0], _heading_line_end(ctx, group))
        if body:
            return body, "heading"
    return None, None


LETTER = regex.compile(r"[a-zđ]")


def _heading_line_end(ctx, sec) -> int:
    """The end of the line a heading ends on: "**2. Hỗ trợ …** *(Trung tâm Khuyến công chủ
    trì)*" puts the lead after the bold heading, on its line."""
    end = sec.span[0] + len(sec.text)
    nl = ctx.view.find("\n", end, end + 200)
    return max(end + 2, nl if nl != -1 else end + 2)


LINE_END_UNIT = (".", ";", ":", "!", "?")


def _label_line(ctx, target, sec, by_id: dict) -> str | None:
    """A line that is nothing but a body's name heads the lines under it, numbered or not
    ("Liên chi đoàn Khoa Kinh tế" over "o Số chiến sĩ tham gia: ít nhất 120 chiến sĩ.")."""
    view = ctx.view
    while sec is not None and sec.number is None and sec.parent_id:
        sec = by_id.get(sec.parent_id)  # a "-" item under the label: look from the numbered item holding it
    floor = sec.span[0] if sec else ctx.layout.body_span[0]
    heading_end = sec.span[0] + len(sec.text) if sec else floor
    pos = target.number_span[0] if target.number_span else target.span[0]
    end = view.rfind("\n", floor, pos)
    for _ in range(30):
        if end <= floor:
            return None
        start = view.rfind("\n", floor, end) + 1
        line = view[start:end]
        words = line.strip(" \t*_:")
        if words and words[0].isupper() and not words.endswith(","):
            a = start + line.index(words)
            hits = bodies.at(ctx, a, a + len(words))
            if hits and hits[0][1] == (a, a + len(words)):
                before = view[max(floor, start - 200):max(floor, start - 1)].rstrip()
                if not before or before.endswith(LINE_END_UNIT) or before.endswith(("**", "-")) or \
                        not view[heading_end:start].strip():  # right under its item's heading
                    return hits[0][0]
            if hits and hits[0][1][0] == a and len(words) <= 80 and not words.endswith(LINE_END_UNIT):
                return None  # a label line whose name is only partly read: not an earlier label's lines
        end = start - 1
    return None


def _own_words(text: str, a, leads) -> str:
    """An assignment's text without the tasks given inside it to other bodies: an item opening
    with one body ("2. Ban Tuyên giáo chủ trì …; Ban Kinh tế chủ trì …") holds both."""
    inner = sorted(b.span for b in leads if b.body_id != a.body_id and tuple(b.span) != tuple(a.span)
                   and a.span[0] <= b.span[0] and b.span[1] <= a.span[1])
    if not inner:
        return a.text
    out, pos = [], a.span[0]
    for s, e in inner:
        if s > pos:
            out.append(text[pos:s])
        pos = max(pos, e)
    out.append(text[pos:a.span[1]])
    return " ".join(out)


class TaskMatcher:
    """The lead assignments of a plan, ready to be matched against a target's words."""

    def __init__(self, ctx):
        leads = [a for a in ctx.result.assignments if a.role == "lead"]
        self.tasks = [(a.body_id, _tokens(_own_words(ctx.text, a, leads))) for a in leads]
        df = Counter(w for _, toks in self.tasks for w in toks)
        n = max(1, len(self.tasks))
        self.idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self.holders: dict[str, list[int]] = {}  # word -> the tasks that have it
        for i, (_, toks) in enumerate(self.tasks):
            for w in toks:
                self.holders.setdefault(w, []).append(i)

    def best(self, target) -> str | None:
        want = _tokens(target.text) - _tokens(str(target.value))
        if len(want) < 2 or not self.tasks:
            return None
        # summed in a fixed order: a set's order follows PYTHONHASHSEED, and the last bits of a float
        # sum decided a tie in r18_04 differently from one run to the next
        total = sum(self.idf.get(w, 0.0) for w in sorted(want)) or 1.0
        shared = [0.0] * len(self.tasks)
        for w in sorted(want):
            for i in self.holders.get(w, ()):
                shared[i] += self.idf[w]
        scores: dict[str, float] = {}
        for (body_id, _), s in zip(self.tasks, shared):
            scores[body_id] = max(scores.get(body_id, 0.0), s / total)
        ranked = sorted(scores.values(), reverse=True)
        top = ranked[0]
        runner = ranked[1] if len(ranked) > 1 else 0.0
        if top < 0.35 or top < 1.5 * runner:
            return None
        return next(b for b, s in scores.items() if s == top)


def _task_leads(ctx, by_id) -> dict[str, str]:
    """Section id -> the lead body of the task that section is ("Cơ quan chủ trì: …" under it)."""
    out: dict[str, str] = {}
    for a in ctx.result.assignments:
        sec = by_id.get(a.section_id) if a.section_id else None
        if a.role == "lead" and sec is not None and sec.level > 1 and sec.span[0] <= a.span[0] <= sec.span[0] + 12:
            out.setdefault(sec.id, a.body_id)
    return out


def _task_lead(sec, by_id, task_leads) -> str | None:
    while sec is not None and sec.level > 1:
        if sec.id in task_leads:
            return task_leads[sec.id]
        sec = by_id.get(sec.parent_id) if sec.parent_id else None
    return None


def _numbered_leads(ctx) -> dict:
    """Indicator number -> the body a lead assignment gives it ("Chủ trì thực hiện Chỉ tiêu 1");
    also (section id, number) when the sentence says whose items they are ("chỉ tiêu (1) và chỉ
    tiêu (4) khoản 1 mục II"). The narrowest assignment speaks: "giao Ban Thanh niên … chịu
    trách nhiệm theo dõi chỉ tiêu (1)" inside the item of the Ban Thường vụ that gives it."""
    out: dict = {}
    for a in sorted(ctx.result.assignments, key=lambda a: a.span[1] - a.span[0]):
        if a.role != "lead":
            continue
        for n in crossrefs.indicator_numbers(a.text):
            out.setdefault(n, a.body_id)
        for named, chains in crossrefs.indicators_with_chains(a.text):
            for chain in chains:
                sid = crossrefs.resolve(ctx.result.sections, chain)
                if sid is not None:
                    for n in named:
                        out.setdefault((sid, n), a.body_id)
    return out


def _referenced_leads(ctx) -> dict[str, list[tuple[str, set]]]:
    """Section id -> [(body, words)]: a lead assignment gives "the targets at mục a khoản 2
    phần II" (words empty: all of them) or "the indicator of tree planting at mục III" (the
    targets of that section sharing most of those words)."""
    found: dict[str, list] = {}
    for a in sorted(ctx.result.assignments, key=lambda a: a.span[1] - a.span[0]):
        if a.role != "lead":
            continue
        for chain, named in crossrefs.references(a.text):
            sid = crossrefs.resolve(ctx.result.sections, chain)
            if sid is not None:
                found.setdefault(sid, []).append((a, named))
    out: dict[str, list] = {}
    for sid, got in found.items():
        # a row of a table "… (điểm 1.2 mục II) | Ban Tuyên truyền" speaks over the paragraph
        # that holds the table ("Ban Thư ký phân công theo dõi các chỉ tiêu theo bảng sau: …")
        narrow = [(a, named) for a, named in got
                  if not any(b is not a and a.span[0] <= b.span[0] and b.span[1] <= a.span[1] for b, _ in got)]
        out[sid] = [(a.body_id, _tokens(named)) for a, named in narrow]
    return out


def _referenced_lead(sec, by_id, referenced, target) -> str | None:
    words = None
    while sec is not None:
        for body_id, named in referenced.get(sec.id, ()):
            if not named:
                return body_id
            words = _tokens(target.text) if words is None else words
            if len(named & words) >= max(1, (len(named) + 1) // 2):
                return body_id
        sec = by_id.get(sec.parent_id) if sec.parent_id else None
    return None


RESTATED_NUMBER = regex.compile(r"(?<![\d.,])(?P<n>\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?P<pct>\s*%)?\s+(?P<w>\p{L}+)")


def _restated_leads(ctx) -> dict[tuple, set]:
    """(value, percent, word after) -> lead bodies: "Ban Tổ chức - Kiểm tra chủ trì theo dõi chỉ
    tiêu kết nạp 120 hội viên mới" gives the target "Kết nạp 120 hội viên mới" to that Ban."""
    out: dict[tuple, set] = {}
    for a in ctx.result.assignments:
        k = a.text.lower().find("chỉ tiêu") if a.role == "lead" else -1
        if k < 0:
            continue
        for m in RESTATED_NUMBER.finditer(a.text, k):
            try:
                value = numbers.parse(a.text[m.start("n"):m.end() - len(m.group("w"))].strip(" %\t\n"))
            except ValueError:
                continue
            out.setdefault((value, bool(m.group("pct")), m.group("w").lower()), set()).add(a.body_id)
    return out


@dataclass
class Plan:
    """What the owner rules consult, computed once per plan."""
    by_id: dict
    matcher: "TaskMatcher"
    task_leads: dict
    referenced: dict
    numbered: dict
    table_owners: dict
    restated: dict


def _from_table(ctx, t, sec, plan):
    return plan.table_owners.get(tuple(t.number_span) if t.number_span else None, (None, None))


def _from_own_words(ctx, t, sec, plan):
    owner = _explicit(ctx, t) or _place_label(ctx, t, t.number_span[0] if t.number_span else t.span[0]) \
        or _subject_of_sentence(ctx, t)
    return owner, "explicit"


def _subject_of_sentence(ctx, t) -> str | None:
    """The body a sentence opens with, for a later clause after ";" that goes on without a
    subject of its own ("Trung tâm Hỗ trợ thanh niên khởi nghiệp tỉnh ươm tạo tối thiểu 15 dự
    án/năm; …; kết nối ít nhất 05 nhà đầu tư thiên thần")."""
    num = t.number_span[0] if t.number_span else t.span[0]
    view = ctx.view
    start = max(view.rfind("\n", 0, num), view.rfind(". ", 0, num)) + 1
    clauses = view[start:num].split(";")
    if len(clauses) < 2 or not all(c.lstrip()[:1].islower() for c in clauses[1:]):
        return None
    first = clauses[0]
    a = start + len(first) - len(LINE_MARK.sub("", first, count=1))
    return next((bid for bid, (x, _) in bodies.at(ctx, a, start + len(first)) if x == a), None)


LINE_MARK = regex.compile(r"^[\s*_]*(?:[-–+•]|\d{1,2}[.)]|[a-zđ]\))?[\s*_]*")


def _from_headings(ctx, t, sec, plan):
    """The item the target sits in opens with a body (explicit), else a heading above it does."""
    if sec is None or sec.level <= 1:
        return None, None
    owner = bodies.heading_body(ctx, sec)
    if owner:
        return owner, "explicit"
    parent = plan.by_id.get(sec.parent_id) if sec.parent_id else None
    while parent is not None and parent.level > 1:
        owner = bodies.heading_body(ctx, parent) or _heading_place(ctx, parent)
        if owner:
            return owner, "heading"
        parent = plan.by_id.get(parent.parent_id) if parent.parent_id else None
    return None, None


# A heading that is a place alone: "a) Thôn Đông Hải:" over "- Áo phao cứu sinh: 40 chiếc".
PLACE_HEADING = regex.compile(rf"[*_]*(?P<place>(?i:{PLACE_WORD})"
                              r"[ \t]+\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){0,3})[*_ \t]*:?[*_ \t]*(?:\n|$)")


def _heading_place(ctx, sec) -> str | None:
    """The place a heading names and nothing else: its authority answers for what is under it."""
    m = PLACE_HEADING.match(ctx.view, bodies.heading_start(ctx, sec))
    return bodies.place(ctx, *m.span("place")) if m else None


def _from_paren(ctx, t, sec, plan):
    return _item_paren_lead(ctx, t, sec, plan.by_id)


def _from_label_line(ctx, t, sec, plan):
    return _label_line(ctx, t, sec, plan.by_id), "heading"


def _from_task_label(ctx, t, sec, plan):
    return (_task_lead(sec, plan.by_id, plan.task_leads) if sec is not None else None), "heading"


def _from_each(ctx, t, sec, plan):
    return _distributive(ctx, t, t.number_span[0] if t.number_span else t.span[0]), "explicit"


def _from_section_reference(ctx, t, sec, plan):
    return (_referenced_lead(sec, plan.by_id, plan.referenced, t) if sec is not None else None), "assignment"


def _from_indicator_number(ctx, t, sec, plan):
    if not plan.numbered:
        return None, None
    if sec is not None and sec.number and sec.parent_id and (sec.parent_id, sec.number) in plan.numbered \
            and not any(x.parent_id == sec.id for x in ctx.result.sections):
        return plan.numbered[(sec.parent_id, sec.number)], "assignment"  # item (1) of the named khoản
    label = crossrefs.indicator_label(ctx.view, t.number_span[0] if t.number_span else t.span[0],
                                      sec.span[0] if sec else 0) or _numbered_item(ctx, sec, plan.by_id) \
        or _indicator_row_number(ctx, t, sec, plan.by_id)
    return (plan.numbered.get(label) if label else None), "assignment"


ROW_NUMBER = regex.compile(r"[|\s*_]*(?P<n>\d{1,2})[\s*_]*(?:\||\t|\n)")


def _indicator_row_number(ctx, t, sec, by_id) -> str | None:
    """The running number of the row of a table of indicators a target was read from ("| 2 | Số
    người tham gia BHYT hộ gia đình | …"), which "chủ trì thực hiện các chỉ tiêu số 1, 2 và 4 tại
    Phụ lục / tại khoản 2 Mục III" names: a table of the appendix, or under a targets heading."""
    app = ctx.layout.appendix_span
    in_appendix = bool(app) and app[0] <= t.span[0] < app[1]
    if not in_appendix and not (sec is not None and target_sections.targets_kind(sec, by_id) == "targets"):
        return None
    m = ROW_NUMBER.match(ctx.view, t.span[0])
    return m.group("n") if m else None


def _numbered_item(ctx, sec, by_id) -> str | None:
    """"3." when the target is item 3 of a targets section with nothing under it: "chủ trì các
    chỉ tiêu số 3, 4 và 6" names those items."""
    if sec is None or not sec.number or not sec.number.isdigit() or not sec.parent_id:
        return None
    parent = by_id.get(sec.parent_id)
    if sec.text.lstrip(" *_").startswith("("):
        # "(9)" under "c- Chi bộ Khoa Sản" under "2- Chỉ tiêu": items "(n)" run on across the
        # groups of a targets section, so "các chỉ tiêu từ (1) đến (6)" names them wherever they sit
        while parent is not None and parent.level > 1:
            parent = by_id.get(parent.parent_id)
    if parent is None or parent.level != 1 or parent.kind != "targets":
        return None
    if any(x.parent_id == sec.id for x in ctx.result.sections):
        return None  # a group heading ("2. Chỉ tiêu cụ thể"), not one indicator
    body = ctx.view[sec.span[0]:sec.span[1]]
    if len(body) > 500 or "|" in body or "\t" in body:
        return None  # a table or a long passage under the item: its rows are indicators of their own
    return sec.number


def _from_restated_value(ctx, t, sec, plan):
    """A lead that names this target's number and counted word again ("chỉ tiêu … 120 hội viên")."""
    if not plan.restated or not t.number_span:
        return None, None
    m = RESTATED_NUMBER.match(ctx.view, t.number_span[0])
    bodies_ = plan.restated.get((t.value, t.percent, m.group("w").lower())) if m else None
    if not bodies_ or len(bodies_) != 1:
        return None, None
    return next(iter(bodies_)), "assignment"


def _from_task_words(ctx, t, sec, plan):
    return plan.matcher.best(t), "assignment"


# The owner rules, strongest first; the first that names a body decides.
OWNER_RULES = [
    _from_table,              # a row of a table of indicators names its body
    _from_own_words,          # "Hội Nông dân: 5.560 hộ", "huyện Mèo Vạc: 06 trạm"
    _from_headings,           # "2. Các huyện, thị, thành Đoàn" over "- Xây dựng 02 mô hình"
    _from_paren,              # "… 150 thanh niên (Ban Phong trào chủ trì)"
    _from_label_line,         # "Liên chi đoàn Khoa Kinh tế" alone on a line over its targets
    _from_task_label,         # a task block whose label names its lead
    _from_each,               # "Mỗi cơ sở Hội …": the unit each of which must reach it
    _from_section_reference,  # "… các chỉ tiêu tại mục a khoản 2 phần II"
    _from_indicator_number,   # "Chủ trì thực hiện Chỉ tiêu 1" for "Chỉ tiêu 1: 50% …"
    _from_restated_value,     # "chủ trì theo dõi chỉ tiêu kết nạp 120 hội viên mới"
    _from_task_words,         # the lead task whose words match the target's
]


def link(ctx) -> None:
    by_id = {s.id: s for s in ctx.result.sections}
    authors = bodies.author_bodies(ctx)
    issuer = authors[0] if authors else None
    table_owners = getattr(ctx, "table_owners", None) or {}
    plan = Plan(by_id, TaskMatcher(ctx), _task_leads(ctx, by_id), _referenced_leads(ctx), _numbered_leads(ctx),
                table_owners, _restated_leads(ctx))
    # an appendix row "| 3 | Tái sử dụng dữ liệu … | Văn phòng UBND tỉnh |" gives its lead to the
    # body's "Chỉ tiêu 3:" too
    for t in ctx.result.targets:
        owner, source = table_owners.get(tuple(t.number_span) if t.number_span else None, (None, None))
        if source == "assignment" and (n := _indicator_row_number(ctx, t, by_id.get(t.section_id), by_id)):
            plan.numbered.setdefault(n, owner)
    guessed = set()  # targets whose lead only the words of a task suggested, or left to the issuer
    for t in ctx.result.targets:
        sec = by_id.get(t.section_id) if t.section_id else None
        owner = source = None
        for rule in OWNER_RULES:
            owner, source = rule(ctx, t, sec, plan)
            if owner is not None:
                break
        if owner is None or rule is _from_task_words:
            guessed.add(t.id)
        if owner is None and issuer is not None:
            owner, source = issuer, "issuer"
        elif owner is not None and rule is not _from_table and len(authors) == 1 and owner in authors \
                and source in ("explicit", "heading"):
            source = "issuer"  # the item names the (only) issuing body: nothing more than the default
        t.owners = [owner] if owner else []
        t.owner_source = source if owner else None
    _share_item_leads(ctx.result.targets, by_id)
    _leads_of_restated_rows(ctx, ctx.result.targets, guessed)


def _share_item_leads(targets, by_id) -> None:
    """A target left to the issuer takes the lead given to another target of its own list item
    ("Hằng năm đưa từ 140.000 đến 160.000 lao động …; lộ trình: năm 2026 đạt 140.000 người, năm
    2027 …": the roadmap is the same indicator's), when that item has one lead and no sub-items."""
    parents = {s.parent_id for s in by_id.values()}
    leads: dict[str, set] = {}
    for t in targets:
        if t.owner_source == "assignment" and t.section_id:
            leads.setdefault(t.section_id, set()).update(t.owners)
    for t in targets:
        got = leads.get(t.section_id) if t.owner_source == "issuer" else None
        if got and len(got) == 1 and t.section_id not in parents:
            t.owners, t.owner_source = list(got), "assignment"


ROW_WORDS = regex.compile(r"(?P<n>\d[\d.,]*)\s*(?P<pct>%)?\s+(?P<w>\p{L}+(?:[\s,\"“”-]+\p{L}+){2})")


def _leads_of_restated_rows(ctx, targets, guessed: set) -> None:
    """A target left to the issuer, or given a lead only by the words of a task, that a row of
    the appendix's task table states again with the same number and the three words after it
    ("ít nhất 90% trưởng thôn, bản …" / "| Tập huấn cho ít nhất 90% trưởng thôn, bản … | Phòng
    Dân tộc |"), takes that row's lead."""
    app = ctx.layout.appendix_span
    if not app:
        return

    def key(t):
        m = ROW_WORDS.match(ctx.view, t.number_span[0]) if t.number_span else None
        return (t.value, t.percent, tuple(regex.findall(r"\p{L}+", m["w"].lower()))) if m else None

    rows: dict[tuple, set] = {}
    for t in targets:
        if app[0] <= t.span[0] < app[1] and t.owner_source in ("assignment", "explicit") and t.owners \
                and (k := key(t)):
            rows.setdefault(k, set()).update(t.owners)
    for t in targets:
        if app[0] <= t.span[0] < app[1] or t.id not in guessed:
            continue
        got = rows.get(key(t))
        if got and len(got) == 1:
            t.owners, t.owner_source = list(got), "assignment"
