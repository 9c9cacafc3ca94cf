"""Date expressions: full dates, day-month (recurring) dates, months, quarters, years,
periods, deadlines and ranges. Day first, always.

Two layers. Atomic expressions ("17/11/2017", "ngày 15 tháng 01 năm 2018", "tháng 12/2016",
"Quý II/2026", "năm 2020", "đến năm 2020", "giai đoạn 2016 – 2020") never overlap: where two
patterns cover the same characters the more precise one wins. Composite expressions
("Từ ngày 01/7/2020 đến hết năm 2020", "từ ngày 17/10 đến 18/11 hằng năm") join two atomic
ones and are reported as well, so a reader gets both the range and each calendar date in it.
The cue words live in lang/vi/dates.yaml.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import regex

from ..lang.vi import load
from ..models import DateRef

D = r"(?P<d>0?[1-9]|[12]\d|3[01])"
M = r"(?P<m>0?[1-9]|1[0-2])"
Y4 = r"(?P<y>(?:18|19|20)\d{2})(?!\d)"  # 1890: "kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890)"
SEP = r"\s*"
_F = regex.IGNORECASE


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


@dataclass
class Found:
    start: int
    end: int
    kind: str
    first: str | None  # ISO start
    last: str | None  # ISO end
    precision: str
    level: int  # atomic patterns: lower wins overlaps


def _first_word(cue: str) -> str:
    return regex.match(r"\p{L}+", cue).group().lower()


def _positions(lowered: str, words: list[str]) -> list[int]:
    """Every offset where one of `words` occurs in `lowered`, in order."""
    out = []
    for word in words:
        i = lowered.find(word)
        while i != -1:
            out.append(i)
            i = lowered.find(word, i + 1)
    out.sort()
    return out


def _matches_at(pattern, view: str, positions: list[int]):
    """What pattern.finditer(view) yields, trying the pattern only at `positions` (which hold
    every place a match can start)."""
    end = 0
    for pos in positions:
        if pos < end:
            continue
        m = pattern.match(view, pos)
        if m:
            yield m
            end = max(m.end(), pos + 1)


@lru_cache(maxsize=1)
def _patterns():
    w = load("dates")
    deadline = _alt(w["deadline_cues"])
    until = _alt(w["until_cues"])
    period = _alt(w["period_words"])
    recurring = _alt(w["recurring_cues"])
    q = r"(?P<q>IV|III|II|I|[1-4])"
    atomic = [
        # (name, pattern, precision)
        ("full_words", regex.compile(rf"(?<![\d/.,]){D}\s+tháng\s+{M}\s+năm\s+{Y4}", _F), "day"),
        ("full_num", regex.compile(
            rf"(?<![\d/.,-]){D}\s*(?P<s>[/.-])\s*{M}\s*(?P=s)\s*(?P<y>(?:18|19|20)\d{{2}}|\d{{2}})(?![\d/]|[.,]\d)", _F), "day"),
        ("month_range", regex.compile(rf"tháng\s+(?P<m1>0?[1-9]|1[0-2])\s*[-–]\s*{M}\s*(?:/|năm)\s*{Y4}", _F), "month"),
        ("quarter", regex.compile(rf"quý\s+{q}\s*(?:/|năm)\s*{Y4}", _F), "quarter"),
        ("month", regex.compile(rf"tháng\s+{M}\s*(?:/|-|năm)\s*{Y4}", _F), "month"),
        ("period", regex.compile(
            rf"(?:{period}\s*(?:năm\s+)?(?P<y1>(?:19|20)\d{{2}})\s*(?:[-–—]|đến)\s*(?:hết\s+)?(?:năm\s+)?(?P<y2>(?:19|20)\d{{2}})"
            rf"|\(\s*(?P<y1>(?:19|20)\d{{2}})\s*[-–—]\s*(?P<y2>(?:19|20)\d{{2}})\s*\))(?!\d)", _F), "year"),
        ("until_year", regex.compile(rf"{until}\s+{Y4}", _F), "year"),
        ("daymonth_words", regex.compile(rf"ngày{SEP}{D}\s+tháng\s+{M}(?!\s*(?:/|năm)\s*\d|\d)", _F), "day"),
        ("daymonth_num", regex.compile(rf"(?<![\d/.,]){D}\s*/\s*{M}(?![/\d]|[.,]\d)", _F), "day"),
        ("year", regex.compile(rf"năm\s+{Y4}", _F), "year"),
    ]
    # Patterns opening with a cue alternation scan slowly case-insensitively; they are tried only
    # where one of their opening words stands (found with str.find in the lower-cased text).
    openers = {"period": [_first_word(x) for x in w["period_words"]] + ["("],
               "until_year": [_first_word(x) for x in w["until_cues"]]}
    return {
        "atomic": atomic,
        "openers": {k: sorted(set(v)) for k, v in openers.items()},
        "deadline_before": regex.compile(rf"(?:{deadline})\s*(?:ngày\s*)?$", _F),
        "recurring_after": regex.compile(rf"^\s*\)?\s*,?\s*(?:{recurring})", _F),
        "daymonth_context": regex.compile(r"(?:ngày|trước|từ|đến|và|hoặc|sau|hạn|,|-|–)\s*$", _F),
        "range_from": regex.compile(rf"(?:{_alt(w['range_from'])})\s*(?:ngày\s*)?$", _F),
        "range_join": regex.compile(rf"^\s*(?:{_alt(w['range_to'])})\s*(?:ngày\s*)?$", _F),
        "from_year_start": regex.compile(r"từ\s+đầu\s+năm\s*(?:đến|-)\s*(?:ngày\s*)?$", _F),
        "bad_year": regex.compile(r"(?:năm|/)\s*(?P<y>20\d{3,})(?!\d)", _F),
        "quarters": w["quarters"],
    }


def _two_digit_year(y: str) -> int:
    n = int(y)
    if len(y) == 4:
        return n
    return 2000 + n if n <= 50 else 1900 + n


def _iso(y: int, m: int, d: int) -> str:
    return date(y, m, d).isoformat()  # raises ValueError for impossible dates


# Where a day can open a date: one or two digits, then "/", ".", "-" or "tháng" (every
# digit-first pattern needs one of these); the patterns are tried only there.
DAY_START = regex.compile(r"(?<!\d)\d{1,2}\s*(?:[/.\-]|tháng)", _F)
DIGIT_FIRST = {"full_words", "full_num", "daymonth_num"}
NGAY_BEFORE = regex.compile(r"ngày\s*$", regex.IGNORECASE)


def _atomic(text: str, view: str, warn) -> list[Found]:
    pats = _patterns()
    taken = bytearray(len(view))
    found: list[Found] = []
    digit_starts = [m.start() for m in DAY_START.finditer(view)]
    lowered = view.lower()
    for level, (name, pat, precision) in enumerate(pats["atomic"]):
        if name in DIGIT_FIRST:  # try only where a number begins: far faster than a scan
            matches = (m for m in (pat.match(view, pos) for pos in digit_starts) if m)
        elif name in pats["openers"] and len(lowered) == len(view):
            matches = _matches_at(pat, view, _positions(lowered, pats["openers"][name]))
        else:
            matches = pat.finditer(view)
        for m in matches:
            a, b = m.span()
            if any(taken[a:b]):
                continue
            try:
                item = _interpret(name, m, precision, level, view, warn)
            except ValueError:
                warn("warn_impossible_date", f"Ngày không hợp lệ: “{text[a:b]}”.")
                continue
            if item is None:
                continue
            if name == "full_words":  # "ngày 15 tháng 01 năm 2018": the day word belongs to it
                word = NGAY_BEFORE.search(view, max(0, a - 8), a)
                if word:
                    item.start = word.start()
            found.append(item)
            taken[a:b] = b"\x01" * (b - a)
    found.sort(key=lambda f: f.start)
    return found


def _interpret(name: str, m, precision: str, level: int, view: str, warn) -> Found | None:
    a, b = m.span()
    g = m.groupdict()
    pats = _patterns()
    if name in ("full_words", "full_num"):
        if name == "full_num" and g["s"] in ".-" and len(g["y"]) != 4:
            return None
        iso = _iso(_two_digit_year(g["y"]), int(g["m"]), int(g["d"]))
        return Found(a, b, "date", iso, iso, "day", level)
    if name == "month_range":
        y, m1, m2 = int(g["y"]), int(g["m1"]), int(g["m"])
        if m1 >= m2:
            return None
        return Found(a, b, "range", f"{y:04d}-{m1:02d}", f"{y:04d}-{m2:02d}", "month", level)
    if name == "quarter":
        qn = pats["quarters"][g["q"].upper()]
        y = int(g["y"])
        return Found(a, b, "date", f"{y:04d}-{3 * qn - 2:02d}", f"{y:04d}-{3 * qn:02d}", "quarter", level)
    if name == "month":
        iso = f"{int(g['y']):04d}-{int(g['m']):02d}"
        return Found(a, b, "date", iso, iso, "month", level)
    if name == "period":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if y1 >= y2:
            return None
        return Found(a, b, "period", str(y1), str(y2), "year", level)
    if name == "until_year":
        return Found(a, b, "deadline", g["y"], g["y"], "year", level)
    if name in ("daymonth_words", "daymonth_num"):
        d, mo = int(g["d"]), int(g["m"])
        if d > calendar.monthrange(2000, mo)[1]:
            raise ValueError
        before = view[max(0, a - 14):a]
        after = view[b:b + 20]
        if name == "daymonth_num" and not (pats["daymonth_context"].search(before)
                                           or pats["recurring_after"].match(after)):
            return None
        iso = f"--{mo:02d}-{d:02d}"
        return Found(a, b, "date", iso, iso, "day", level)
    if name == "year":
        return Found(a, b, "date", g["y"], g["y"], "year", level)
    return None


def _year_of(iso: str | None) -> int | None:
    if iso and iso[:4].isdigit():
        return int(iso[:4])
    return None


def _composites(view: str, atoms: list[Found]) -> list[Found]:
    pats = _patterns()
    out: list[Found] = []
    for x, y in zip(atoms, atoms[1:]):
        between = view[x.end:y.start]
        # "đến hết năm 2020" is itself an atomic deadline; it joins with nothing in between.
        joins_itself = not between.strip() and view[y.start:y.end].lower().startswith("đến")
        if "\n\n" in between or not (joins_itself or pats["range_join"].match(between)):
            continue
        lead = pats["range_from"].search(view[max(0, x.start - 12):x.start])
        if not lead:  # "17/10 - 18/11" without "từ" is too weak to call a range
            continue
        start = x.start - len(lead.group())
        first, last = x.first, y.last  # "từ 15/6 đến 15/8/2026": the start keeps no year it was not given
        kind = "range"
        if pats["recurring_after"].match(view[y.end:y.end + 20]):
            kind = "recurring"
        precision = "day" if x.precision == y.precision == "day" else (
            y.precision if y.precision != "day" else x.precision)
        out.append(Found(start, y.end, kind, first, last, precision, -1))
    # "Từ đầu năm đến 30/6/2020": the range starts on the first day of that year.
    for y in atoms:
        lead = pats["from_year_start"].search(view[max(0, y.start - 30):y.start])
        if lead and _year_of(y.first):
            # The start is implied, not written: leave it open rather than invent a date.
            out.append(Found(y.start - len(lead.group()), y.end, "range", None, y.last, y.precision, -1))
    return out


def find(text: str, view: str, warn=lambda code, msg: None) -> list[Found]:
    """Every date expression in `view` (atomic ones and the composites joining them)."""
    pats = _patterns()
    for m in pats["bad_year"].finditer(view):
        warn("warn_bad_year", f"Năm không hợp lệ: “{text[m.start('y'):m.end('y')]}” (có thể gõ nhầm).")
    atoms = _atomic(text, view, warn)
    for f in atoms:
        before = view[max(0, f.start - 30):f.start]
        if f.kind == "date" and pats["deadline_before"].search(before):
            f.kind = "deadline"
        elif f.kind == "date" and f.first and f.first.startswith("--") and \
                pats["recurring_after"].match(view[f.end:f.end + 20]):
            f.kind = "recurring"
    return sorted(atoms + _composites(view, atoms), key=lambda f: (f.start, -f.end))


FULL_DATE_AFTER = regex.compile(
    rf"^[\s,(]*(?:ban\s+hành\s+)?ngày\s*(?:{D}\s*(?P<s>[/.-])\s*{M}\s*(?P=s)\s*(?P<y>(?:18|19|20)\d{{2}}|\d{{2}})(?![\d/])"
    rf"|(?P<d2>0?[1-9]|[12]\d|3[01])\s+tháng\s+(?P<m2>0?[1-9]|1[0-2])\s+năm\s+(?P<y2>(?:19|20)\d{{2}}))", _F)


def full_date_after(view: str, pos: int, window: int = 60) -> tuple[int, str] | None:
    """A full date written right after `pos` (", ngày 17/11/2017"): (end offset, ISO) or None."""
    m = FULL_DATE_AFTER.match(view[pos:pos + window])
    if not m:
        return None
    try:
        if m.group("d"):
            iso = _iso(_two_digit_year(m.group("y")), int(m.group("m")), int(m.group("d")))
        else:
            iso = _iso(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
    except ValueError:
        return None
    return pos + m.end(), iso


def extract(ctx) -> list[DateRef]:
    found = find(ctx.text, ctx.view, lambda code, msg: ctx.warn("dates", code, msg))
    out = []
    for i, f in enumerate(found):
        out.append(DateRef(id=f"d{i + 1}", text=ctx.text[f.start:f.end], span=(f.start, f.end),
                           kind=f.kind, start=f.first, end=f.last, precision=f.precision))
    return out
