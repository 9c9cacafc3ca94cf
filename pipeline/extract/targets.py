"""Numeric targets: every quantified commitment, one target per number (GOLD.md).

Each numeral in the plan body is a candidate. Structural filters drop what cannot be a
commitment: numbers inside dates, legal references, quotations, headings' own labels,
durations and ages ("5 năm", "16 tuổi"), ordinals and labels ("Điều 5", "Dự án 1"), years.
Then the clause decides: a percentage, a comparator ("ít nhất", "trên", "≥") or a
commitment cue close before the number ("phấn đấu", "đạt", "xây dựng mới", "kết nạp")
makes a target; past results, award caps and scoring rubrics do not. The vocabulary is
data in lang/vi/targets.yaml, compiled in target_rules.py; tables are read in
table_targets.py, what headings say in target_sections.py.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from ..models import Target
from ..normalize import clean, last_match
from . import bodies, numbers, table_targets, target_rules, target_sections
from .sections import innermost
from .target_rules import PER

_F = regex.IGNORECASE
N = numbers.NUMERAL


@dataclass
class Candidate:
    start: int  # the numeric expression (comparator words excluded)
    end: int
    value: float
    value_max: float | None
    percent: bool


YEAR = regex.compile(r"(?:19|20)\d{2}(?!\d|[.,]\d)")  # "… phổ thông 2018." ends a sentence
MONEY_UNIT = regex.compile(r"\s*(?:đồng|USD|VNĐ|VND)(?![\p{L}])")
RESTATED = regex.compile(r"chỉ\s+tiêu(?:\s+số\s+\d+)?[^.;:]{0,100}$", regex.IGNORECASE)
# a number said again with where the plan sets it ("… cho không dưới 150 người nêu tại điểm d khoản 2
# mục III Kế hoạch này"): the target is the one at that place, this is its assignment
POINTS_BACK = regex.compile(r"[^.;:()\d]{0,60}?\s(?:nêu|quy\s+định|đề\s+ra|xác\s+định)\s+(?:tại|ở)\s+"
                            r"(?:tiểu\s+mục|mục|điểm|khoản|phần|tiết)\s+(?:[IVXL\d]|[a-zđ](?!\p{L}))", regex.IGNORECASE)
SCOPE_LABEL = regex.compile(r"[\s*_\-+•]*(?:[a-zđ\d]{1,2}[.)]\s*)?(?:phạm\s+vi|đối\s+tượng|địa\s+bàn|thành\s+phần)(?:\s+\p{L}+){0,3}\s*:", regex.IGNORECASE)
# "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111", "đường dây nóng của tỉnh 1567": numbers to call
HOTLINE = regex.compile(r"(?:(?:tổng\s+đài|đường\s+dây\s+nóng|số\s+điện\s+thoại|hotline)[^.;:\d]{0,60}"
                        r"|\(?\s*điện\s+thoại\s*:?\s*)(?:\d[\d.]*\s)?$",
                        regex.IGNORECASE)  # "1900 9068": a number in groups
CODE_AFTER = regex.compile(rf"\s*:\s*\d|\s*/\s*(?!{PER})\d")  # "14423:2025", "12/2025"
PERCENT_LIST = regex.compile(r"(?:\s*(?:,|và|hoặc)\s*\d{1,3}(?:[.,]\d+)?\s*%)*")  # "70%, 60%, 50% mức đóng"
CONSISTS = regex.compile(r"(?:bao\s+)?gồm(?:\s+có)?", regex.IGNORECASE)
FRACTION = regex.compile(r"\s*/\s*(?P<of>\d{1,5})(?=\s+\p{Ll})")  # "61/66 hộ": the "/66" of a share
OF_WHOLE = regex.compile(r"\s+(?:số|tổng\s+số)(?!\p{L})", regex.IGNORECASE)  # "2/3 số hộ": a fraction
CODE_BEFORE = regex.compile(r"[\p{L}]-\s*$")  # "COVID-19"
SENTENCE_END = regex.compile(r"[;!?]|(?<!\d)\.(?!\d)|\.(?=\s)|\n[ \t]*\n")


def clause_bounds(view: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around `pos`: between sentence ends (";", ".", a blank line) inside [lo, hi)."""
    a = lo
    for m in SENTENCE_END.finditer(view, max(lo, pos - 600), pos):
        a = m.end()
    m = SENTENCE_END.search(view, pos, min(hi, pos + 600))
    b = m.start() if m else min(hi, pos + 600)
    return a, b


def _excluded_spans(ctx) -> list[tuple[int, int]]:
    lay = ctx.layout
    spans = [lay.header_span, *lay.closing_spans]  # the appendix: only its table cells are read
    if lay.title_span:
        spans.append(lay.title_span)
    for r in ctx.result.legal_refs:
        spans.append(tuple(r.span))
        spans += [tuple(s) for s in r.cited_spans]
        for a, _ in [tuple(r.span), *r.cited_spans]:
            if (m := CITED_GOALS.match(ctx.view, a)) and SENTENCE_OPEN.search(ctx.view, max(0, a - 12), a):
                # "Kế hoạch số 145/KH-UBND của UBND tỉnh đặt mục tiêu … 90% hộ gia đình …": the
                # goals of the document cited, told as context, not this plan's
                spans.append((a, m.end()))
    for d in ctx.result.dates:
        spans.append(tuple(d.span))
    spans += _heading_labels(ctx)
    # quotations name campaigns and slogans ("5 không, 3 sạch"), not commitments; "[1]", "[^1]"
    # are footnote marks, and a markdown footnote ("[^2]: Năm 2021, toàn tỉnh có 6.940 …", its
    # lines indented after) explains, it commits no one
    for m in regex.finditer(r"“[^”\n]{0,300}”|\"[^\"\n]{0,300}\"|\[\^?\d{1,3}\]", ctx.view):
        spans.append(m.span())
    spans += [m.span() for m in FOOTNOTE.finditer(ctx.view)]
    spans += [m.span() for m in MAKE_UP.finditer(ctx.view)]
    spans += [m.span() for m in LABEL_COUNT.finditer(ctx.view)]
    spans += [m.span() for m in AGENDA_LINE.finditer(ctx.view)]
    for m in target_rules.rules()["programmes"].finditer(ctx.view):  # "mỗi xã một sản phẩm" (OCOP): a name
        spans.append(m.span())
    return spans


# A sentence led by a cited document that states its goals: up to the sentence's end.
CITED_GOALS = regex.compile(r"[^.;:\n]{0,160}?(?<![\p{L}])(?:đặt\s+(?:ra\s+)?mục\s+tiêu|đề\s+ra\s+(?:mục|chỉ)\s+tiêu"
                            r"|xác\s+định\s+(?:mục|chỉ)\s+tiêu)[^.\n]*", regex.IGNORECASE)
SENTENCE_OPEN = regex.compile(r"(?:^|\n|[.:]\s)[\s*_\-–+•]*$")
# What a body or a class is made of, in brackets after it: "Ban Thanh tra nhân dân (07 thành
# viên)", "(01 lớp, 45 học viên)", "(07 thành viên, trong đó 05 thành viên …)"
MAKE_UP = regex.compile(r"\(\s*\d{1,3}(?:\.\d{3})*\s+(?:(?!ít\s+nhất|tối\s+thiểu|phấn\s+đấu|đạt)[^()\n])*?"
                        r"(?:thành\s+viên|ủy\s+viên|học\s+viên|đại\s+biểu)(?:(?!ít\s+nhất|tối\s+thiểu|phấn\s+đấu|đạt)[^()\n])*\)",
                        regex.IGNORECASE)
# How many units an allocation line's label covers: "+ Các Đoàn xã còn lại (08 đơn vị): mỗi đơn
# vị 12 đoàn viên"; and how many "the rest" are: "Hội LHPN mỗi huyện, thị xã còn lại (08 đơn vị) từ 02 …"
LABEL_COUNT = regex.compile(r"(?m)^[ \t]*[-+*•][ \t]*[^\n:()]{3,60}\(\s*\d{1,3}\s+\p{L}[\p{L} ]{0,20}\)(?=[ \t]*:)"
                            r"|(?<=còn\s+lại\s*)\(\s*\d{1,3}\s+\p{L}[\p{L} ]{0,20}\)")
# A line of a programme that opens with a time of day ("08 giờ 15 - 09 giờ 15: Trình bày Báo
# cáo chính trị (không quá 30 phút)", "14h00 – 16h30:"): the running order of an event
TIME_OF_DAY = r"\d{1,2}\s*giờ(?:\s*\d{1,2}(?:\s*phút)?)?|\d{1,2}(?-i:h)\d{2}|\d{1,2}:\d{2}"
AGENDA_LINE = regex.compile(rf"(?m)^[\s*_\-–+•|]*(?:Từ\s+)?(?:{TIME_OF_DAY})(?:\s*(?:[-–]|đến)\s*(?:{TIME_OF_DAY}))?"
                            r"[\s*_]*[:|][^\n]*", regex.IGNORECASE)
FOOTNOTE = regex.compile(r"(?m)^\[\^[^\]\n]{1,20}\]:[^\n]*(?:\n[ \t]+\S[^\n]*)*")


def _heading_labels(ctx) -> list[tuple[int, int]]:
    """The labels of headings and list items ("1.", "a)", "1-"), and of items run into one
    paragraph ("…như sau: (1) kết nạp 50 đoàn viên; (2) 100% chi đoàn …"): their numbers count nothing."""
    cached = getattr(ctx, "_heading_labels", None)
    if cached is None:
        cached = [(h.start, h.start + (len(h.number) + 1 if h.number else 1)) for h in ctx.layout.headings]
        if "(" in ctx.view:
            cached += [m.span() for m in RUN_IN_LABEL.finditer(ctx.view)]
        ctx._heading_labels = cached
    return cached


ITEM_LABEL = regex.compile(r"^[\s*_\-–+•]*(?:[a-zđ]|\d{1,2})[.)/][ \t]*")  # "c) Có từ 3 đến 5 …": the item's label
RUN_IN_LABEL = regex.compile(r"(?:^[ \t]*|(?<=[:;][ \t]*))\(\s*(?:\d{1,2}|[a-zđ])\s*\)(?=[ \t]|$)", regex.MULTILINE)


def _unlabelled(ctx) -> str:
    """The view with heading labels blanked, so that "1- 100% cơ sở Hội" reads 100%, not a range 1-100%."""
    view, parts, prev = ctx.view, [], 0
    for a, b in sorted(_heading_labels(ctx)):
        a = max(a, prev)
        if b > a:
            parts += [view[prev:a], " " * (b - a)]
            prev = b
    parts.append(view[prev:])
    return "".join(parts)


def _mask(spans, n: int) -> bytearray:
    """Positions covered by an excluded span, for constant-time look-ups."""
    mask = bytearray(n + 1)
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def _comparator(view: str, c: Candidate, clause: tuple[int, int], rules) -> str:
    if c.value_max is not None:
        return "range"
    before = view[max(clause[0], c.start - 30):c.start]
    for kind in ("ge", "le"):
        if rules["cmp_before"][kind].search(before):
            return kind
    after = view[c.end:clause[1]]
    for kind in ("ge", "le"):
        if rules["cmp_after"][kind].match(after):
            return kind
    # "phấn đấu ít nhất tỷ lệ … chiếm 70%": the comparator opens the clause.
    lead = view[clause[0]:c.start]
    last_number = last_match(numbers.NUMERAL_RE, lead)
    if rules["at_least_earlier"].search(lead, last_number.end() if last_number else 0):
        return "ge"
    # "tặng ít nhất 1.000 sổ bảo hiểm xã hội và 2.000 thẻ bảo hiểm y tế": one floor over a pair
    # (counts only: a share after it, "ít nhất 5 mô hình và 100% hộ", is a level of its own)
    if last_number and not c.percent and SHARED_FLOOR_GAP.fullmatch(lead, last_number.end()) and \
            (floor := last_match(rules["at_least_earlier"], lead[:last_number.start()])) and \
            not lead[floor.end():last_number.start()].strip():
        return "ge"
    return "eq"


SHARED_FLOOR_GAP = regex.compile(r"[ \t]+[\p{L} \t]{1,40}?(?:,|[ \t]và)[ \t]+")  # "sổ bảo hiểm xã hội và "


def _unit(view: str, c: Candidate, rules) -> str | None:
    if c.percent:
        return "%"
    after = view[c.end:c.end + 40]
    m = rules["unit"].match(after) or rules["word"].match(after)
    return " ".join(m.group("u").split()) if m else None


INDICATOR_HEAD = regex.compile(r"(?:tỷ|tỉ)\s+lệ|tốc\s+độ|tổng\s+(?:giá\s+trị|sản\s+phẩm|số)|giá\s+trị|kim\s+ngạch|số\s+lượng",
                            regex.IGNORECASE)
WEAK_AFTER = regex.compile(r"^\s*(?:/\s*(?:năm|tháng|quý)\b|trở\s+lên|trở\s+xuống)?\s*(?:$|[,;.)]|so\s+với|theo\b|trong\b|vào\b|đến\b)",
                           regex.IGNORECASE)


LIST_TAIL = regex.compile(r"(?:\s*(?:,|và|hoặc)\s*\d{1,3}(?:[.,]\d+)?(?!\d))*")


def _unit_after_list(pattern, view: str, end: int):
    """`pattern` right after the number, or after the numbers listed with it: "các cụ tròn 80
    và 85 tuổi" has "tuổi" after 80 too."""
    m = pattern.match(view[end:end + 25])
    if m:
        return m
    tail = LIST_TAIL.match(view, end, end + 80)
    return pattern.match(view[tail.end():tail.end() + 25]) if tail.end() > end else None


def _strip_suffix(pattern, s: str, reach: int = 160) -> str:
    """s without the suffix an end-anchored `pattern` matches, looking only at its tail: the
    same as pattern.sub("", s) (cue words never run on for `reach` characters) at a tenth of
    the cost."""
    k = max(0, len(s) - reach)
    m = pattern.search(s, k)
    if m is None:
        return s
    if m.start() == k and k > 0:
        return pattern.sub("", s)  # the cue words may go on before the tail
    return s[:m.start()]


def _indicator(text: str, view: str, c: Candidate, unit: str | None, clause: tuple[int, int]) -> str | None:
    """What is counted: the words after the number (and its unit) up to a comma, or, when
    nothing meaningful follows ("1,3%/năm"), the "tỷ lệ …" phrase before it."""
    rules = target_rules.rules()
    pos = c.end
    if unit and unit in rules["measures"]:
        at = view.find(unit, c.end - 2, c.end + 40 + len(unit))
        if at != -1:
            pos = at + len(unit)
    after = view[pos:clause[1]]
    if WEAK_AFTER.match(after):
        lead = view[clause[0]:c.start]
        m = last_match(INDICATOR_HEAD, lead)
        start = clause[0] + m.start() if m else clause[0]
        seg = _strip_suffix(rules["trailing_cue"], text[start:c.start])
        if not m:
            seg = " ".join(seg.split()[-8:])
    else:
        seg = regex.split(r"[,;:(]|\s(?:và|hoặc)\s+(?:\S+\s+){0,2}?\d", text[pos:clause[1]], maxsplit=1)[0]
    words = clean(seg).split()[:14]
    return " ".join(words) or None


def _reports_past(lead: str, rules, doc_year: int | None, late_in_year: bool = True) -> bool:
    """The words before the number report what was, not what is promised: "đã đạt", "tính
    đến ngày …", "cuối năm 2024 là" (a year before the plan's), unless a commitment word
    ("phấn đấu", "đến năm") comes after them."""
    clause_start = max(lead.rfind(";"), 0)
    # a past word after an earlier number speaks for that number's clause ("100% quần chúng …
    # đã qua lớp bồi dưỡng; ít nhất 30% …"); one before any number for the whole sentence
    # ("Kết quả năm 2018: … đã tổ chức 312 …; kết nạp 1.420 …")
    digit = DIGIT.search(lead)
    first_number = digit.start() if digit else len(lead)
    last = None
    for m in rules["past"].finditer(lead):
        if DESCRIBED_UNITS.search(lead, 0, m.start()):
            continue  # "cải tạo 24 trạm y tế xã đã xuống cấp": "đã" describes the units counted
        if m.start() >= clause_start or m.start() < first_number:
            last = m
    if doc_year:  # an earlier year counts inside the number's own clause
        for m in rules["year_ref"].finditer(lead, clause_start):
            if BASELINE_BEFORE.search(lead, clause_start, m.start()):
                continue  # "căn cứ số hộ đăng ký năm 2014 đăng ký tăng từ 3 – 5%": a baseline
            if int(m.group("y")) < doc_year and (last is None or m.start() > last.start()):
                last = m
    # a sentence opening on the plan's own year ("Năm 2025, trên địa bàn tỉnh xảy ra 412
    # vụ …", "Đến cuối năm 2025, toàn tỉnh còn …") or on "Hiện nay," states where things stand
    opening = SITUATION_OPENING.match(lead)
    title = lead.find("\n")
    if opening is None and 0 < title <= 60 and not lead[:title].rstrip().endswith((",", ";", ":")):
        opening = SITUATION_OPENING.match(lead, title + 1)  # after a title line: "Mục tiêu cụ thể"
    # a bare "Năm 2024," in a plan of early 2024 opens the year's work, not a look back
    bare_year = opening is not None and opening.group("y") and BARE_YEAR.match(opening.group())
    if opening and (not opening.group("y") or (doc_year and (int(opening.group("y")) < doc_year or (
            int(opening.group("y")) == doc_year and (late_in_year or not bare_year))))) and \
            (last is None or opening.start() > last.start()):
        last = opening
    return last is not None and not rules["commit"].search(lead, last.end())


PAREN_YEAR = regex.compile(r"\(\s*(?:(?:tính\s+)?đến\s+)?(?:hết\s+|cuối\s+)?năm\s+(?P<y>(?:19|20)\d{2})[^()]*$", regex.IGNORECASE)
BASELINE_BEFORE = regex.compile(r"căn\s+cứ[^.;:]{0,60}$", regex.IGNORECASE)
BARE_YEAR = regex.compile(r"[\s*_\-+•]*năm\s+(?:19|20)\d{2}\s*,", regex.IGNORECASE)
# "giao chỉ tiêu … như sau:", "chỉ tiêu đơn vị máu năm 2026:"; not "Kết quả thực hiện chỉ tiêu năm 2024 …:"
TARGETS_INTRO = regex.compile(r"(?<!(?:kết\s+quả|đã)(?:\s+\p{L}+){0,3}\s+)(?:chỉ\s+tiêu|phân\s+bổ)"
                              r"(?![^.;:]{0,120}(?:kết\s+quả|đã\s+đạt|thực\s+hiện\s+được))[^.;:]{0,120}"
                              r"(?:(?:như\s+sau|cụ\s+thể)\s*)?:", regex.IGNORECASE)
DIGIT = regex.compile(r"\d")
LIST_PREV = regex.compile(r"\d\s*(?:,|và|hoặc)\s*$")  # the number listed just before was no target
DESCRIBED_UNITS = regex.compile(r"\d[ \t]+(?:\p{Ll}+[ \t]+){1,6}$")
SITUATION_OPENING = regex.compile(r"[\s*_\-+•]*(?:(?:(?:tính\s+)?đến\s+)?(?:cuối\s+|đầu\s+|hết\s+)?(?:năm|(?:giai\s+đoạn|nhiệm\s+kỳ)\s+"
                                  r"(?:19|20)\d{2}\s*[-–]\s*|năm\s+học\s+(?:19|20)\d{2}\s*[-–]\s*|tháng\s+\d{1,2}\s+năm)\s*"
                                  r"(?P<y>(?:19|20)\d{2})\s*(?:,|(?=\s+\p{L}))|(?:hiện\s+nay|hiện\s+tại|đến\s+nay)\s*,?(?=\s)"
                                  # "Huyện Kỳ Phong có 07 xã và 01 thị trấn …": a place described
                                  # a name in capitals, not "phấn đấu" ("Thôn Phú Xuân 2 có 386 hộ"); a village
                                  # only with its name ("Trưởng thôn có trình độ …" is no place described)
                                  r"|(?:(?:toàn\s+)?(?:tỉnh|huyện|thành\s+phố|thị\s+xã|xã|phường|thị\s+trấn)"
                                  r"(?:\s+(?-i:\p{Lu}\p{Ll}*)){0,3}|(?:thôn|ấp|bản|khu\s+phố)(?:\s+(?-i:\p{Lu}\p{Ll}*)){1,3})"
                                  r"(?:\s+\d{1,2})?\s+(?:hiện\s+)?(?:có|còn)\s"
                                  # "Tình hình chung: Huyện Hòa Mỹ có 128.540 người": a paragraph labelled a situation
                                  r"|(?:tình\s+hình|thực\s+trạng|đặc\s+điểm\s+tình\s+hình)(?:\s+\p{L}+){0,2}\s*:)",
                                  regex.IGNORECASE)


FORMAT_UNIT = regex.compile(r"\s*(?:trang|chữ|slide)(?![\p{L}])", regex.IGNORECASE)
FORMAT_LEAD = regex.compile(r"thời\s+lượng|dung\s+lượng|độ\s+dài|thời\s+gian\s+(?:thi|trình\s+bày|phát\s+biểu)",
                            regex.IGNORECASE)
# a cap on what each may put forward ("mỗi nhóm không quá 05 thành viên", "giới thiệu không quá
# 03 dự án tham gia vòng sơ khảo") is a quota of a contest or a call, not a result
# (and "Biểu dương không quá 05 hộ gia đình": a cap on who is honoured)
EACH_OPENING = regex.compile(r"[\s*_\-–+•]*(?:[Mm]ỗi|[Tt]ừng)\s+[\p{L} ,]{1,50}$")
GROUP_EACH = regex.compile(r"(?<![\p{L}])mỗi\s+(?:đội\s+hình|đội|nhóm|tổ|lớp|đoàn|câu\s+lạc\s+bộ|CLB)"
                        r"(?:\s+(?:có|gồm|khoảng|từ|tối\s+đa|không\s+quá))*\s*$", regex.IGNORECASE)
# who a group is made of, after its size: "từ 15 đến 20 thành viên", "30 học viên"
MEMBERS_AFTER = regex.compile(r"\s*(?:(?:đến|-|–)\s*\d+\s*)?(?:chiến\s+sĩ|thành\s+viên|hội\s+viên|đoàn\s+viên|đội\s+viên|"
                           r"học\s+viên|sinh\s+viên|học\s+sinh|tình\s+nguyện\s+viên|vận\s+động\s+viên|người|hộ)(?!\p{L})",
                           regex.IGNORECASE)
QUOTA_LEAD = regex.compile(r"(?:biểu\s+dương|tuyên\s+dương|giới\s+thiệu|đề\s+cử|đề\s+xuất|đề\s+nghị(?=\s+(?:không\s+quá|tối\s+đa)\s*$)|lựa\s+chọn|đăng\s+ký|(?<!\p{L})cử|"
                           r"mỗi\s+(?:nhóm|đội|đoàn|bên|tác\s+giả|thí\s+sinh))(?!\p{L})", regex.IGNORECASE)
# rounds, sessions or times whose dates follow at once: "02 đợt …: Đợt 1 (dịp 26/3)", "03 buổi vào
# các ngày 08/3, 09/3", "02 lần thi thử vào tháng 3 và tháng 5"
SCHEDULED_ROUNDS = regex.compile(r"[ \t]+(?:đợt|lần|buổi)(?![\p{L}])[^.;\n]{0,50}?(?:(?::|gồm)\s*(?:[-+*•]\s*)?(?:đợt|lần|buổi)\s+(?:1|một|thứ\s+nhất)"
                                 r"|vào\s+(?:các\s+)?(?:ngày|tháng)\s+\d)", regex.IGNORECASE)
FREQUENCY_LEAD = regex.compile(r"(?:mỗi|hằng|hàng)\s+(?:năm|tháng|quý|tuần|kỳ)\s*$", regex.IGNORECASE)
PER_DENOMINATOR = regex.compile(r"\d\s*(?:trên|/)\s*$", regex.IGNORECASE)
PER_ONE = regex.compile(r"(?<![\p{L}])(?:trên|mỗi)\s*$", regex.IGNORECASE)
# prizes counted: "trao 01 giải nhất, 02 giải nhì"
PRIZE_AFTER = regex.compile(r"\s*giải\s+(?:nhất|nhì|ba|khuyến\s+khích|đặc\s+biệt)", regex.IGNORECASE)
# years and ages that are the indicator itself: "Tuổi thọ bình quân đạt 74 tuổi", "thời gian
# sống khỏe mạnh đạt tối thiểu 67 năm"
LIFESPAN = regex.compile(r"tuổi\s+thọ|sống\s+khỏe\s+mạnh|tuổi\s+nghỉ\s+hưu\s+bình\s+quân", regex.IGNORECASE)
# how many go to one class or one session ("40 học viên/lớp", "50 đối tượng/buổi"): a rule or a size
PER_CLASS = regex.compile(r"\s*\p{L}+(?:\s+\p{L}+)?\s*/\s*(?:lớp|nhóm|đội|tổ|buổi|ca|bàn|phòng|chuyến)(?![\p{L}])",
                       regex.IGNORECASE)
# a duration brought to a level is the indicator's value: "tăng từ 1,4 ngày lên 1,8 ngày",
# "rút ngắn thời gian giải quyết xuống còn 10 ngày"
RAISED_TO = regex.compile(r"(?<![\p{L}])(?:lên|xuống|còn)\s*$", regex.IGNORECASE)
COURSE_LENGTH = regex.compile(r"\s*(?:tiết|giờ)(?!\s*/|\s+kiệm|\p{L})", regex.IGNORECASE)
COURSE_LEAD = regex.compile(r"(?:học\s+phần|khóa\s+học|chuyên\s+đề|chương\s+trình|thời\s+lượng|môn)(?!\p{L})", regex.IGNORECASE)
ONCE = regex.compile(r"\s+lần(?!\s*/|\s+(?:trong|mỗi|một))", regex.IGNORECASE)
# a percentage of a set amount is a rate: "20% mức đóng", "50% học phí", "70% mức lương cơ sở"
RATE_OF_AFTER = regex.compile(r"\s*%?\s*(?:của\s+)?(?:mức\s+(?:đóng|lương|thu\s+nhập|chuẩn|hỗ\s+trợ)|học\s+phí|giá\s+vé|chi\s+phí|tiền\s+lương|quỹ\s+lương|(?:lệ\s+)?phí(?!\p{L}))",
                              regex.IGNORECASE)
FINISH_CUE = regex.compile(r"(?:hoàn\s+thành|đạt|có\s+thêm|thêm)\s*$", regex.IGNORECASE)
CLOSED_PAREN = regex.compile(r"\([^()]*\)")
RATIO_LEAD = regex.compile(r"^[\s*_\-+•]*(?:[a-zđ]\)\s*)?(?:tỷ|tỉ)\s+lệ", regex.IGNORECASE)
SUBSET_AFTER = regex.compile(r",\s*trong\s+đó", regex.IGNORECASE)
SUBSET_BEFORE = regex.compile(r"trong\s+đó\s*,?\s*có\s*$", regex.IGNORECASE)
QUALIFIER = regex.compile(r"(?:có|với|gồm|sử\s+dụng)(?:\s+(?!quân|số|không)\p{Ll}+){0,2}?\s+(?:từ|trên|dưới)\s*$", regex.IGNORECASE)
NORM = regex.compile(r"mật\s+độ|mức\s+(?:hỗ\s+trợ|chi|đối\s+ứng|thu|phí|quà|thưởng|bồi\s+dưỡng|trợ\s+cấp|vay)|định\s+mức"
                     r"|tỷ\s+lệ\s+đối\s+ứng|thời\s+hạn\s+vay|lãi\s+suất|dung\s+tích|kích\s+thước|độ\s+dày"
                     r"|hỗ\s+trợ\s+tiền|mức\s+phạt|phạt\s+tiền|(?:cân\s+nặng|chiều\s+cao)(?!\s+(?:trung\s+bình|bình\s+quân))"
                     r"|mỗi\s+(?:lớp|đợt|buổi|phiên|cuộc|nhóm|đội)(?:\s+\p{Ll}+){0,4}\s+(?:không|tối|có|gồm|khoảng)"
                     # how big a group or a session is: "mỗi lớp từ 30 đến 40 học viên", "mỗi tổ từ 5 đến 7 thành viên"
                     r"|mỗi\s+(?:lớp|nhóm|đội|tổ|đoàn|buổi|cuộc|phiên|ca)\s*(?:có\s+|gồm\s+|khoảng\s+|từ\s+)*$"
                     r"|sĩ\s+số[^.;%]{0,100}?(?:không\s+quá|tối\s+đa)\s*$|đóng(?:\s+hằng\s+tháng)?\s+bằng|mức\s+đóng"
                     r"|diện\s+tích(?:\s+sử\s+dụng)?\s+(?:tối\s+thiểu|tối\s+đa)"
                     r"|tuổi\s+đời"
                     r"|(?<!đủ\s)(?:tiêu\s+chuẩn|điều\s+kiện)[^.;\n]{0,60}:", regex.IGNORECASE)
AT_PLACES = regex.compile(r"(?<![\p{L}])tại\s*$", regex.IGNORECASE)
PRIZES_AFTER = regex.compile(r"\s*giải(?!\s+(?:quyết|pháp|phóng|ngân|trình))(?![\p{L}])", regex.IGNORECASE)
UNIVERSE_PAREN = regex.compile(r"\s*\p{L}+(?:\s+\p{L}+)?\s*\)")
PARTS_OF = regex.compile(r"(?<![\p{L}])(?:bao\s+)?gồm\s+\d+\s+\p{L}+(?:\s+\p{L}+){0,2}\s*\([^()]*$", regex.IGNORECASE)
# an aside still open, or a sentence, that says what a rule requires: "(Theo Thông tư số 13/2020 …",
# "Theo Luật Hợp tác xã, hợp tác xã phải có tối thiểu 07 thành viên"
CITED_NORM = regex.compile(r"\(\s*Theo\s[^()]*$|^[\s*_\-+•]*Theo\s+(?:quy\s+định\s+(?:của|tại)\s+)?(?:Luật|Nghị\s+định|Thông\s+tư|"
                        r"Quyết\s+định|Điều\s+lệ)[^.;]*\sphải\s[^.;]*$")
PER_PERIOD = regex.compile(r"^\s*(?:nghìn|ngàn|triệu|tỷ)?\s*(?:đồng|VNĐ|VND)\s*/")
PER_EACH = regex.compile(r"(?<![\p{L}])mỗi\s+\p{Ll}+", regex.IGNORECASE)
CONDITION = regex.compile(r"(?<![\p{L}])(?:(?:khi|nếu)\s+có\s+(?:(?:từ|trên|dưới|ít\s+nhất)\s+)?"
                       # the rule of a vote: "người trúng cử phải được trên 50% tổng số phiếu bầu hợp lệ"
                       r"|trúng\s+cử\s+phải\s+(?:được|đạt|có)\s+(?:(?:trên|quá|từ)\s+)?)$", regex.IGNORECASE)
# the size of a meeting or a ceremony: an estimate of who comes ("Lễ ra quân … với khoảng 500 đoàn
# viên", "hội nghị trực tuyến kết nối 512 điểm cầu", "khoảng 300 người tham gia diễn tập")
MEETING = regex.compile(r"(?<![\p{L}])(?:hội\s+nghị|lễ|hội\s+thảo|diễn\s+đàn|tọa\s+đàm)(?![\p{L}])", regex.IGNORECASE)
MEETING_SIZE = regex.compile(r"\s*(?:điểm\s+cầu|đại\s+biểu)(?![\p{L}])", regex.IGNORECASE)
ABOUT = regex.compile(r"(?<![\p{L}])khoảng\s*$", regex.IGNORECASE)
ATTENDING = regex.compile(r"[^.;:\d]{0,40}?\s(?:tham\s+(?:gia|dự)|dự\s+lễ)(?![\p{L}])", regex.IGNORECASE)
NAMED_BEFORE = regex.compile(r"(?:^|[:;]\s*)[^:;\d]{0,60}(?<![\p{L}])\p{Lu}[\p{Ll}\p{M}]*[ \t]+$")  # ending on a capitalised name
LABELLED = regex.compile(r":\s*(?:mỗi(?:\s+\p{L}+){1,2}\s*)?$", regex.IGNORECASE)
# "…5.000 người; năm 2027: 5.500 người": a labelled item of the same list
ENUM_LABEL = regex.compile(r"^[^.;]{0,30};\s*[^.;:\d]{0,30}(?:\d{4})?\s*:\s*$")
SENTENCE_BREAK = regex.compile(r"(?<!\d)\.(?!\d)|\.(?=\s)|\n[ \t]*\n")


def _sentence_start(view: str, pos: int, lo: int) -> int:
    """Where the sentence holding `pos` begins (clauses end at ";", sentences only at ".")."""
    m = last_match(SENTENCE_BREAK, view[:pos], max(lo, pos - 600))
    return m.end() if m else max(lo, pos - 600)


def _is_target(view: str, c: Candidate, clause: tuple[int, int], rules, section_kind: str | None,
               comparator: str, prev_target_end: int | None, doc_year: int | None = None,
               sentence_start: int | None = None, late_in_year: bool = True) -> bool:
    lead = view[clause[0]:c.start]
    after = view[c.end:c.end + 30]
    after = after[len(m.group()):] if (m := FRACTION.match(after)) else after  # "61/66 hộ": what follows 66
    # a count given out as awards ("khen thưởng không quá 05 cá nhân", "lựa chọn 10 hộ đề nghị
    # tặng Bằng khen"); an award title after the number ("05 hộ đạt danh hiệu") is what is counted
    # "khen thưởng ít nhất 03 gia đình" is a floor the plan commits to, not a quota
    floor = comparator == "ge" and rules["at_least_earlier"].search(view[max(clause[0], c.start - 15):c.start])
    # awards spoken of after ", trong đó" are another part of the sentence ("lựa chọn từ 8 đến 10
    # dự án xuất sắc …, trong đó giải thưởng cao nhất không quá 50 triệu đồng")
    part_end = (m.start() if (m := SUBSET_AFTER.search(view, c.end, clause[1])) else clause[1])
    if not c.percent and not floor and (rules["award"].search(view[clause[0]:part_end])
                          or rules["award_title"].search(view[max(clause[0], c.start - 60):c.start])
                          or (comparator == "le" and rules["award"].search(view[sentence_start or clause[0]:c.start]))):
        return False
    # what the sentence says before the number ("Năm 2025, toàn tỉnh kết nạp được 312 …; số hộ
    # nghèo giảm 127 hộ") decides whether it reports the past
    sentence_lead = view[min(sentence_start, clause[0]) if sentence_start is not None else clause[0]:c.start]
    # an aside in parentheses ("(năm 2024 là 42 phụ nữ)") says nothing about the rest of the
    # sentence; a parenthesis still open holds the number and speaks with the sentence
    lead_past = CLOSED_PAREN.sub(lambda m: " " * len(m.group()), sentence_lead)
    paren = lead_past.rfind("(")
    # the years of a total the sentence has just given ("7.200 lượt trẻ trong giai đoạn (năm 2019:
    # 2.000 trẻ; …)"), not an aside standing alone ("… thanh niên. (Năm 2017: 86 lớp; …)")
    in_roadmap = paren >= 0 and DIGIT.search(lead_past, 0, paren) is not None and \
        _roadmap(view, c.start - len(lead_past) + paren)
    if not in_roadmap and _reports_past(lead_past, rules, doc_year, late_in_year):
        return False
    if doc_year and not in_roadmap and (m := PAREN_YEAR.search(sentence_lead)) and int(m["y"]) <= doc_year:
        return False  # "đạt 92% (năm 2025 đạt 84,7%)": the year the plan starts from, in an aside
    qual = QUALIFIER.search(lead)
    if qual and (SUBSET_BEFORE.search(lead[:qual.start() + 3]) or
                 (EACH_OPENING.match(lead[:qual.start()]) and not MEMBERS_AFTER.match(after))):
        # "trong đó có từ 3 đến 5 mô hình": a part of a target, not who is counted; "Mỗi làng văn
        # hóa du lịch cộng đồng có từ 02 đến 03 sản phẩm OCOP": what each must have (but "mỗi tổ
        # có từ 15 đến 30 thành viên" is what a group is made of)
        qual = None
    if not c.percent and qual and ITEM_LABEL.sub("", RUN_IN_LABEL.sub("", lead[:qual.start()])).strip(" -–+•*\t\n") and \
            not rules["cue_end"].search(lead[:qual.start()]):
        # "(100%) doanh nghiệp có từ 30 lao động trở lên" qualifies who is counted;
        # "phấn đấu có từ 3 mô hình trở lên" is a commitment
        return False
    if not c.percent and RATIO_LEAD.match(lead) and rules["percent_before"].search(view[c.end:clause[1]]):
        return False  # "Tỷ lệ đơn vị máu có thể tích 350 ml trở lên đạt trên 70%": 350 says what is counted
    if NORM.search(lead):
        return False  # "Mức hỗ trợ … 40%", "định mức": a rate set by policy, not a result to reach
    if not c.percent and PRIZE_AFTER.match(after):
        return False
    if not c.percent and comparator == "eq" and AT_PLACES.search(lead):
        return False  # "tiêm chủng định kỳ tại 12 trạm y tế", "tại 4 khu phố": where the work runs, not a result
    if comparator in ("le", "lt") and not c.percent and PRIZES_AFTER.match(after):
        return False  # "trao không quá 05 giải": a cap on prizes, a rule of the contest
    if not c.percent and UNIVERSE_PAREN.match(view, c.end) and view[max(clause[0], c.start - 3):c.start].rstrip().endswith("(") \
            and "%" in lead:
        return False  # "100% bến khách ngang sông trên địa bàn (02 bến)": what the share is of
    if PARTS_OF.search(sentence_lead):
        return False  # "Đội khám gồm 05 người (01 bác sĩ, 02 điều dưỡng …)": who a team is made of
    if CITED_NORM.search(sentence_lead):
        return False  # "(Theo Thông tư số 13/2020/TT-BGDĐT, trường … phải có tối thiểu 01 phòng …)": a rule quoted
    if not c.percent and (MEETING_SIZE.match(after) or ABOUT.search(lead)) and (
            MEETING.search(sentence_lead) or ATTENDING.match(view, c.end, clause[1])):
        return False  # "hội nghị … kết nối 512 điểm cầu", "khoảng 500 đoàn viên tham dự": who comes, not a result
    if c.percent and RATE_OF_AFTER.match(view, PERCENT_LIST.match(view, c.end).end()):
        return False  # "hỗ trợ thêm 20% mức đóng BHYT": a share of a set amount, a rate
    if section_kind == "organization" and RESTATED.search(lead):
        return False  # "theo dõi chỉ tiêu số 4 (70% hộ …)": an indicator named again where it is assigned
    if POINTS_BACK.match(view, c.end, clause[1]):
        return False  # "tổ chức 02 cuộc giám sát chuyên đề nêu tại mục III.5": said where it is set
    if SCOPE_LABEL.match(lead) or SCOPE_LABEL.match(view, view.rfind("\n", 0, c.start) + 1, c.start):
        # "Phạm vi: … tại mười lăm xã": where the plan runs, not what it must reach; "- Đối tượng:
        # …; lượng máu hiến mỗi lần không quá 500 ml": who may take part, in every clause of the line
        return False
    if not c.percent and GROUP_EACH.search(view, max(clause[0], c.start - 40), c.start) and MEMBERS_AFTER.match(after):
        return False  # "mỗi đội hình từ 15 đến 20 chiến sĩ", "mỗi lớp khoảng 30 học viên": how big each group is
    if not c.percent and c.value_max is None and c.value <= 6 and SCHEDULED_ROUNDS.match(view, c.end):
        return False  # "Tổ chức 02 đợt tiêm phòng chính trong năm: Đợt 1 từ ngày 01/3 …": the rounds a schedule lists
    if FREQUENCY_LEAD.search(view[max(clause[0], c.start - 20):c.start]) and after.lstrip().lower().startswith("lần"):
        return False  # "giao ban mỗi năm 01 lần": how often, not how much
    if c.value in (100, 1000, 10000, 100000) and PER_DENOMINATOR.search(view[max(clause[0], c.start - 12):c.start]) \
            and not ITEM_LABEL.fullmatch(view[view.rfind("\n", 0, c.start) + 1:c.start]):
        return False  # "dưới 32 trên 1.000 trẻ đẻ sống": the base of a rate (not "1/ 100% cơ sở Đoàn", a label)
    if c.value == 1 and c.value_max is None and PER_ONE.search(view[max(clause[0], c.start - 8):c.start]):
        return False  # "giá trị … trên 01 ha": the unit a rate is counted per
    if comparator in ("le", "lt") and not c.percent and QUOTA_LEAD.search(view[sentence_start or clause[0]:c.start]):
        return False
    if COURSE_LENGTH.match(after) and COURSE_LEAD.search(view, max(clause[0], c.start - 60), c.start):
        return False  # "học phần thương mại điện tử 45 tiết": how long a course is
    if PER_CLASS.match(after):
        return False  # "không quá 40 học viên/lớp", "(khoảng 50 học viên/lớp)": the size of a class
    if comparator in ("le", "lt") and (FORMAT_UNIT.match(after) or FORMAT_LEAD.search(lead)):
        return False  # "báo cáo không quá 02 trang", "thời lượng không quá 60 phút": a form, not a result
    if rules["currency"].match(after) and comparator in ("le", "lt"):
        return False  # "vay vốn tối đa 100 triệu đồng", "hỗ trợ không quá 60 triệu đồng": a cap on money
    if rules["currency"].match(after) and comparator == "range" and \
            not rules["money_cue"].search(view[max(clause[0], c.start - rules["cue_window"]):c.start]):
        return False  # "hỗ trợ mỗi cơ sở từ 2 đến 3 triệu đồng": an allowance, not a result
    if c.percent and comparator in ("le", "lt") and (rules["award"].search(view[clause[0]:clause[1]])
                                                     or rules["award_title"].search(lead)):
        return False  # "hoàn thành dưới 80% chỉ tiêu không được xét khen thưởng", "xét danh hiệu … không quá 10%"
    if rules["currency"].match(after) and PER_EACH.search(lead) and PER_PERIOD.match(after):
        return False  # "Vận động mỗi hộ đóng góp quỹ khuyến học 20.000 đồng/năm": what each gives, a norm
    if CONDITION.search(lead):
        return False  # "được đề nghị khi có trên 50% số hộ dự họp đồng ý": a condition, a rule
    if c.percent or comparator != "eq":
        return True
    if after.lstrip().lower().startswith("lần") and regex.search(r"(?:tăng|gấp|giảm)", lead[-30:], _F):
        return True
    window = view[max(clause[0], c.start - rules["cue_window"]):c.start]
    if rules["currency"].match(after):
        # money is a target when it is a result to reach ("đạt 400 triệu USD"), not an allowance
        # ("Hỗ trợ 500.000 đồng cho mỗi đoàn viên") or a budget; a cue before an earlier number that
        # is no sum is that number's ("hỗ trợ 30 triệu đồng đối với sản phẩm đạt 3 sao, 50 triệu
        # đồng"), one before a sum is shared ("đạt 1,5 tỷ đồng, trong đó cấp huyện 400 triệu đồng")
        last_number = max((m.end() for m in DIGIT.finditer(window)), default=0)
        if last_number and rules["currency"].match(window[last_number:]):
            last_number = 0
        return bool(rules["money_cue"].search(window, last_number))
    if rules["cue"].search(window):
        return True
    if (section_kind == "targets" or TARGETS_INTRO.search(view, max(0, clause[0] - 300), c.start)) and \
            (rules["unit"].match(after) or rules["word"].match(after)) and \
            (LABELLED.search(lead) or NAMED_BEFORE.search(lead) or _ends_on_body(lead)):
        # under a targets heading or "giao chỉ tiêu … như sau:", "Hội Nông dân các xã: 49.500 hộ",
        # "Hội LHPN các xã A, B: mỗi xã 01 tổ", "…như sau: Hội Nông dân huyện Đức Phong 30 chuỗi"
        return True
    if rules["unit"].match(after) and (m := BODY_LABEL.match(lead)) and \
            (f := bodies.parse_name(m["name"])) is not None and f.start == 0 and f.end == len(m["name"]):
        return True  # "- Hội Cựu chiến binh tỉnh: 25 nhà": a number given to a body, wherever it stands
    if prev_target_end is not None and 0 <= c.start - prev_target_end < 60:
        gap = view[prev_target_end:c.start]
        # an enumeration continuing a target: "02 công trình cấp tỉnh, 16 công trình cấp huyện",
        # "Hội phụ nữ giúp 3.987 hộ, Hội Nông dân: 5.560 hộ", "5.000 người; năm 2027: 5.500 người"
        same_clause = prev_target_end >= clause[0] and ("," in gap or " và " in gap) and not LIST_PREV.search(gap)
        if same_clause or ENUM_LABEL.match(gap):
            return True  # (a number listed just before that was no target breaks it: "ở tuổi 70, 75")
    if prev_target_end is not None and 60 <= c.start - prev_target_end < 120 and prev_target_end >= clause[0]:
        gap = view[prev_target_end:c.start]
        word = regex.match(r"\s*(\p{L}+(?:\s+\p{L}+)?)", after)
        if gap.endswith(" và ") and not regex.search(r"[\d;]", gap) and word and word.group(1).lower() in gap[:30].lower():
            return True  # "ít nhất 05 sản phẩm, đề tài tham gia Hội thi … và 03 đề tài tham gia Cuộc thi …": the same count again
    if prev_target_end is not None and 0 <= c.start - prev_target_end < 120:
        gap = view[prev_target_end:c.start]
        paren = gap.rfind("(")
        if paren >= 0 and ")" not in gap[paren:] and YEAR_ENTRY.search(gap, paren) and \
                _roadmap(view, prev_target_end + paren):
            return True  # "7.200 lượt trẻ … trong giai đoạn (năm 2019: 2.000 trẻ; …)": the target by year
    return False


def _ends_on_body(lead: str) -> bool:
    """The words before the number, after the last ":" or ";", end on a body's name: "…năm 2026:
    Liên chi đoàn Khoa Điều dưỡng 240 đơn vị; chi đoàn Khoa Dược 160 đơn vị" (names a capital
    does not end)."""
    tail = regex.split(r"[:;]", lead)[-1].rstrip(" \t")
    f = bodies.parse_name(tail) if 3 < len(tail) <= 80 else None
    return f is not None and f.end == len(tail)


YEAR_ENTRY = regex.compile(r"(?<![\p{L}])năm\s+(?:19|20)\d{2}\s*:", regex.IGNORECASE)


def _roadmap(view: str, paren: int) -> bool:
    """The aside opening at `paren` lists years ("(năm 2019: 2.000 trẻ; năm 2020: 2.400 trẻ;
    năm 2021: 2.800 trẻ)"): a roadmap to follow, its first year the plan's own, not a past."""
    end = view.find(")", paren)
    return len(YEAR_ENTRY.findall(view, paren, end if end > 0 else paren + 300)) >= 2


PERCENT_BEFORE = regex.compile(r"\d(?:[\d.,]*\d)?\s*%")
FROM_BEFORE = regex.compile(r"(?<![\p{L}])từ\s*$", regex.IGNORECASE)


def _qualifies_share(view: str, c, clause: tuple[int, int], rules) -> bool:
    """"100% bếp ăn tập thể phục vụ từ 30 suất ăn trở lên được kiểm tra": "từ 30 … trở lên"
    says which kitchens the 100% is of, with no commitment word between the two numbers."""
    if not FROM_BEFORE.search(view, max(clause[0], c.start - 8), c.start):
        return False
    share = last_match(PERCENT_BEFORE, view[clause[0]:c.start])
    if share is None:
        return False
    between = view[clause[0] + share.end():c.start - 4]
    # "95% vốn, trong đó các xã miền núi từ 20 tỷ đồng trở lên": a part of the share, its own target
    return not rules["cue"].search(between) and not BREAKDOWN.search(between)


BREAKDOWN = regex.compile(r",|(?<![\p{L}])(?:trong\s+đó|riêng|mỗi)(?![\p{L}])", regex.IGNORECASE)


# An item that is a body's name and a colon: "- Hội Cựu chiến binh tỉnh: " (GOLD.md's "Hội Nông dân: 5.560 hộ")
BODY_LABEL = regex.compile(r"^[\s*_\-–+•]*(?P<name>\p{Lu}[^:;\d()]{1,80}?)[\s*_]*:[\s*_]*$")
# A label word ("quý", "tháng", "đợt") ending a capitalised name before a colon: "ấp Tân Quý:"
NAME_END = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]*[ \t]+\p{Lu}[\p{Ll}\p{M}]*[ \t]*:[ \t]*$")
ARTICLE_BEFORE = regex.compile(r"(?<![\p{L}])(?:tại|ở|trong|với|của|như|là|vào|qua)\s+$", regex.IGNORECASE)


def candidates(view: str) -> list[Candidate]:
    """Every number written in digits (with its range and "%"), then every number written in
    words right before a unit ("hai mô hình", "mười lăm lượt"), in order."""
    rules = target_rules.rules()
    out = []
    spelled: list[tuple[int, int]] = []  # "(mười hai nghìn)" after "12.000": the same number in words
    for m in rules["number"].finditer(view):
        try:
            v1 = numbers.parse(m.group("n1"))
            v2 = numbers.parse(m.group("n2")) if m.group("n2") else None
        except ValueError:
            continue
        if v2 is not None and (v2 <= v1 or (m.group("join").lower() == "đến" and not m.group("from"))):
            # a falling pair is no range, and "x đến y" is one only after "từ": keep the first number
            end = m.end("p1") if m.group("p1") else m.end("n1")
            out.append(Candidate(m.start("n1"), end, v1, None, bool(m.group("p1"))))
            continue
        end = m.end()
        if v2 is None and (w := rules["spelled_out"].match(view, end)) and numbers.parse_words(w["w"]) == v1:
            # "03 (ba) mô hình", "12.000 (mười hai nghìn) đoàn viên": what follows is what follows the words
            spelled.append((end, w.end()))
            end = w.end()
        out.append(Candidate(m.start("n1"), end, v1, v2, bool(m.group("p1") or m.group("p2"))))
    covered = 0
    for hit in rules["number_word"].finditer(view):  # try the full pattern only where a number word stands
        if hit.start() < covered or any(a <= hit.start() < b for a, b in spelled):
            continue
        m = rules["number_words"].match(view, hit.start())
        if m is None:
            continue
        covered = m.end()
        words = m.group("w")
        w_end = m.end("w")
        toks = words.split()
        if len(toks) > 1 and toks[-1].lower() in ("tỷ", "tỉ", "triệu") and MONEY_UNIT.match(view, w_end):
            # "hai tỷ đồng" is 2 (tỷ đồng), as "2 tỷ đồng" is: the multiplier belongs to the unit
            words = words[:words.rstrip().rfind(" ")].rstrip()
            w_end = m.start("w") + len(words)
        value = numbers.parse_words(words)
        if value is None or words.lower() in ("năm", "tư", "lăm", "mốt") or \
                words.lower().split()[0] in numbers.MULTIPLIER_WORDS:
            continue  # "năm" is also "year"; "triệu USD" after digits is a unit, not a number
        if words.lower() == "một" and (ONCE.match(view, w_end) or ARTICLE_BEFORE.search(view, max(0, m.start("w") - 8), m.start("w"))):
            continue  # "hỗ trợ một lần": once, not a count; "khám tại một xã": an article
        out.append(Candidate(m.start("w"), w_end, value, None, False))
    out.sort(key=lambda c: c.start)
    return out


# ---------------------------------------------------------------- tables of indicators

def extract(ctx) -> list[Target]:
    rules = target_rules.rules()
    view = ctx.view
    excluded = _mask(_excluded_spans(ctx), len(view))
    issued = ctx.result.document.issued_date
    doc_year = int(issued[:4]) if issued else None
    facts = table_targets.read(ctx, rules, doc_year)
    for a, b in facts.value_cells:  # a table's numbers are read by column, not as prose
        excluded[a:b] = b"\x01" * (b - a)
    out = _scan(ctx, rules, [ctx.layout.body_span] + facts.text_cells, excluded, doc_year)
    ctx.table_owners = dict(facts.owners)
    cells = sorted(facts.cell_rows)
    for t in out:  # a number in a table's text cell: its row is its item and names its body
        k = bisect.bisect_right(cells, (t.number_span[0], len(ctx.text))) - 1
        if k >= 0 and cells[k][0] <= t.number_span[0] < cells[k][1]:
            a, b = facts.cell_rows[cells[k]]
            t.span, t.text = (a, b), ctx.text[a:b]
            if cells[k] in facts.cell_owners:
                ctx.table_owners[tuple(t.number_span)] = facts.cell_owners[cells[k]]
    out = sorted(out + facts.targets, key=lambda t: (t.number_span[0], t.span[0]))
    for i, t in enumerate(out):
        t.id = f"t{i + 1}"
    return out


def _scan(ctx, rules, ranges: list[tuple[int, int]], excluded, doc_year: int | None) -> list[Target]:
    """Targets written as prose inside `ranges` (the body; cells of task tables after it)."""
    text, view = ctx.text, ctx.view
    issued = ctx.result.document.issued_date
    late_in_year = not issued or int(issued[5:7]) >= 7
    sections = ctx.result.sections
    by_id = {x.id: x for x in sections}
    out: list[Target] = []
    prev_end = None
    ranges = sorted(r for r in ranges if r[1] > r[0])
    starts = [r[0] for r in ranges]
    for c in candidates(_unlabelled(ctx)):
        k = bisect.bisect_right(starts, c.start) - 1
        if k < 0 or not (ranges[k][0] <= c.start < ranges[k][1]) or \
                (excluded[c.start] and excluded[max(c.start, c.end - 1)]):
            continue
        lo, hi = ranges[k]
        is_year = not c.percent and YEAR.match(view, c.start) is not None
        if is_year:
            continue
        before = view[max(lo, c.start - 40):c.start]
        nb = rules["not_before"].search(before)
        if nb and c.value_max is not None and CONSISTS.fullmatch(nb.group().strip()):
            nb = None  # "mạng lưới cố vấn gồm 40 - 50 chuyên gia": a size to reach, not parts listed
        if nb and NAME_END.search(before, 0, nb.end()):
            nb = None  # "Chi đoàn ấp Tân Quý: 06 đoàn viên": the end of a name, no "quý 06"
        if nb or rules["part_list"].search(before) or HOTLINE.search(view, max(lo, c.start - 80), c.start):
            continue
        share = FRACTION.match(view, c.end)  # "Tổ 2: 61/66 hộ": 61 households of 66, given to a unit
        # (given to a unit, or with a floor: "có ít nhất 6/9 chi đoàn xếp loại vững mạnh"; "ít nhất
        # 2/3 số hộ dự họp" is a fraction of a whole, a quorum)
        share = share and float(share["of"]) > c.value and (before.rstrip().endswith(":") or (
            any(p.search(before) for p in rules["cmp_before"].values()) and not OF_WHOLE.match(view, share.end())))
        if (CODE_AFTER.match(view, c.end) and not share) or CODE_BEFORE.search(before):
            continue  # "14423:2025", "COVID-19"
        sec = innermost(sections, c.start)
        item_lo = sec.span[0] if sec else lo
        item_hi = sec.span[1] if sec else hi
        clause = clause_bounds(view, c.start, item_lo, item_hi)
        if target_sections.in_skipped_section(sec, by_id, rules) and not (
                target_sections.top(sec, by_id).kind == "funding" and FUNDRAISING.search(view, clause[0], c.start)):
            continue  # (in Kinh phí, money the plan commits to raise is a target: "phấn đấu vận động … tối thiểu 150 triệu đồng")
        comparator = _comparator(view, c, clause, rules)
        if comparator == "ge" and not c.percent and _qualifies_share(view, c, clause, rules):
            continue
        if not c.percent and comparator == "eq" and rules["descriptive_after"].match(view[c.end:c.end + 25]) and \
                not FINISH_CUE.search(view[max(lo, c.start - 20):c.start]):
            continue
        # a duration or a rank is no target, unless bounded: "không quá 10 ngày làm việc"
        if not c.percent and _unit_after_list(rules["not_after"], view, c.end) and \
                not rules["duration_bound"].search(view[max(lo, c.start - 25):c.start]) and \
                not LIFESPAN.search(view, max(clause[0], c.start - 60), c.start) and \
                not RAISED_TO.search(view, max(clause[0], c.start - 12), c.start):
            continue
        sentence_start = _sentence_start(view, c.start, item_lo)
        if not _is_target(view, c, clause, rules, target_sections.targets_kind(sec, by_id), comparator, prev_end, doc_year,
                          sentence_start, late_in_year):
            continue
        prev_end = c.end
        a, b = clause
        while a < b and (view[a].isspace() or view[a] in "-+•"):
            a += 1
        while b > a and view[b - 1].isspace():
            b -= 1
        unit = _unit(view, c, rules)
        clause_text = view[a:b]
        freq = rules["frequency"].search(clause_text)
        base = rules["baseline"].search(view[c.end:b])
        out.append(Target(
            id=f"t{len(out) + 1}", text=text[a:b], span=(a, b), section_id=sec.id if sec else None,
            value=c.value, value_max=c.value_max, unit=unit, percent=c.percent, comparator=comparator,
            indicator=_indicator(text, view, c, unit, (a, b)), deadline=target_sections.deadline(ctx, clause_text, sec),
            frequency=clean(freq.group()) if freq else None,
            baseline=clean(base.group()) if base else None, number_span=(c.start, c.end)))
    return out




FUNDRAISING = regex.compile(r"(?:phấn\s+đấu|vận\s+động|huy\s+động)[^.;:]*?(?:tối\s+thiểu|ít\s+nhất|trở\s+lên|đạt)\s*$",
                           regex.IGNORECASE)
