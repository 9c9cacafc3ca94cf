"""Segment: normalised text -> header, title, preamble, body (section tree), closing, appendix.

Works on the analysis view (markup blanked, offsets kept). Lines are the unit: plan
headings start lines, the header is the run of lines above the doc-type line, the closing
is the signature and Nơi nhận block after the body. A Quyết định that issues an attached
plan has two parts: the decision (its own header, Căn cứ and closing) and the plan, whose
sections are the body.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .extract import numbers
from .lang.vi import load
from .normalize import blank_page_furniture, clean, strip_diacritics, view


@dataclass
class Line:
    start: int
    end: int  # exclusive, before the newline
    text: str  # the view text of the line

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Heading:
    """A numbered heading or list item that opens a section."""
    start: int
    end: int  # end of the heading text
    marker: str  # part | upper | roman | arabic | dotted | letter | dash | plus
    number: str | None
    heading: str


@dataclass
class Layout:
    text: str
    view: str
    lines: list[Line]
    doc_type_span: tuple[int, int] | None = None
    doc_type: str | None = None
    header_span: tuple[int, int] = (0, 0)
    title_span: tuple[int, int] | None = None
    preamble_span: tuple[int, int] | None = None
    body_span: tuple[int, int] = (0, 0)
    closing_spans: list[tuple[int, int]] = field(default_factory=list)
    appendix_span: tuple[int, int] | None = None
    plan_doc_type_span: tuple[int, int] | None = None  # an attached plan's own heading
    headings: list[Heading] = field(default_factory=list)


def split_lines(view_text: str) -> list[Line]:
    out, pos = [], 0
    for raw in view_text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


# ---------------------------------------------------------------- doc-type lines

def _doc_type_names() -> list[str]:
    names = [d["name"] for d in load("doc_types")["types"] if d.get("heading")]
    return sorted(names, key=len, reverse=True)


def _doc_type_line_re():
    alts = "|".join(regex.escape(n.upper()) for n in _doc_type_names())
    # The type in capitals opening a line, alone or run together with the title.
    return regex.compile(rf"^\s*(?P<type>{alts})(?=\s*$|\s*[:\s]*$|\s+[\p{{Lu}}\p{{Ll}}(“\"])")


DOC_TYPE_LINE = _doc_type_line_re()


def sentence_case(name: str) -> str:
    low = name.lower()
    return low[:1].upper() + low[1:]


def find_doc_type_line(lines: list[Line], start_idx: int = 0, limit: int | None = None):
    """First line whose text opens with a doc type in capitals (the plan's type line)."""
    stop = len(lines) if limit is None else min(len(lines), limit)
    for i in range(start_idx, stop):
        line = lines[i]
        m = DOC_TYPE_LINE.match(line.text)
        if not m:
            continue
        rest = line.text[m.end():].strip()
        # "KẾ HOẠCH" alone, "QUYẾT ĐỊNH:" (the enacting word), or run together with a title
        # that is not a sentence continuing with lower case ("Kế hoạch này ...").
        if rest and rest[0].islower():
            continue
        return i, m
    return None


# ---------------------------------------------------------------- headings

ROMAN = r"(?:X{0,3}(?:IX|IV|V?I{0,3}))"
HEAD_PATTERNS = [
    # "Điều 1. Phê duyệt …": the articles of a decision that carries no attached plan
    ("article", regex.compile(r"^(?P<lead>\s*)(?P<num>Điều\s+\d{1,2})\s*[.:]\s*(?=\S|$)")),
    ("part", regex.compile(r"^(?P<lead>\s*)(?P<num>(?:PHẦN|Phần)\s+(?:THỨ\s+\p{Lu}+|thứ\s+\p{Ll}+|[IVX]+|\d+))"
                           r"\s*[.:\-–]?\s*(?=\S|$)")),
    ("roman", regex.compile(rf"^(?P<lead>\s*)(?P<num>{ROMAN})\s*(?:[./)]|\s*[-–](?=\s*\p{{Lu}}))(?!\d)\s*(?=\S|$)")),
    ("upper", regex.compile(r"^(?P<lead>\s*)(?P<num>[A-HJ-UWYĐ])\s*(?:[./)]|[-–](?=\s*\p{Lu}\p{Lu}))\s*(?=\p{Lu}\p{Lu})")),
    # "Nhiệm vụ 3. Hoàn thiện hạ tầng …": tasks numbered with their word, at the level of "1."
    ("task", regex.compile(r"^(?P<lead>\s*)(?P<num>(?:Nhiệm\s+vụ|NHIỆM\s+VỤ|Giải\s+pháp|GIẢI\s+PHÁP)\s+\d{1,2})"
                           r"\s*[.:]\s*(?=\S|$)")),
    ("dotted", regex.compile(r"^(?P<lead>\s*)(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?:\s+(?=\S)|\s*$)")),
    # "1- 100% cơ sở Hội …" too (dash against the number, a space, a figure), not the range "10 - 12%"
    ("arabic", regex.compile(r"^(?P<lead>\s*)(?P<num>\d{1,2})(?:\s*(?:[.)/](?!\d)|[-–](?=\s*\p{Lu}))|[-–](?=[ \t]+\d))"
                             r"\s*(?=\S|$)")),
    # "a)", "a/", and the Party's "a- Chi bộ Khoa Khám bệnh"
    ("letter", regex.compile(r"^(?P<lead>\s*)(?P<num>[a-zđ])\s*(?:\)|/(?=\s)|-(?=[ \t]+\p{Lu}))\s*(?=\S|$)")),
    # "(1) Tuyên truyền, phát động", "(2) Tiêu chuẩn bình xét", "(1) 100% cơ sở Đoàn …"
    ("paren", regex.compile(r"^(?P<lead>\s*)\((?P<num>\d{1,2})\)[ \t]+(?=\p{Lu}|\d)")),
    ("star", regex.compile(r"^(?P<lead>\s*)(?P<num>\*)(?=[ \t]+\S)\s*")),  # "* Ban chấp hành Đoàn xã:"
    ("dash", regex.compile(r"^(?P<lead>\s*)(?P<num>[-–—•])(?![-–—])\s*(?=\S)")),
    ("plus", regex.compile(r"^(?P<lead>\s*)(?P<num>\+)\s*(?=\S)")),
]
RANK = {"article": -3, "part": -2, "upper": -1, "caps": -1, "roman": 0, "arabic": 1, "task": 1, "paren": 1.5, "dotted": 2, "letter": 3,
        "star": 3.5, "dash": 4, "plus": 5}
TOP_MARKERS = ("article", "part", "upper", "caps", "roman")
TERMINAL = tuple(".;:!?…")
# A bold marker run together with a heading inside one line: "MỤC ĐÍCH, YÊU CẦU**1. Mục đích**".
RUN_TOGETHER = regex.compile(r"(?<=\S\s*)\*\*(?=\s*(?:\d{1,2}|[IVX]{1,4})\s*\.(?!\d)\s*\S)")


# What a marked line can start with; one test rules out most lines before the eight patterns.
MARKER_START = regex.compile(r"\s*(?:[IVX]|[A-HJ-UWYĐ]\s*[./)\-–]|\d|\(\d|[a-zđ]\s*[)/\-]|[-–—•+]|\*[ \t]|PHẦN|Phần|Điều\s|Nhiệm\s|NHIỆM\s|Giải\s|GIẢI\s)")


def _match_marker(text: str):
    if not MARKER_START.match(text):
        return None
    for kind, pattern in HEAD_PATTERNS:
        m = pattern.match(text)
        if not m or not m.group("num"):
            continue
        if kind == "roman" and not m.group("num").strip():
            continue
        return kind, m
    return None


def _prev_closes(lines: list[Line], i: int) -> bool:
    """Whether the line before `i` ends a unit, so line `i` may open a new item."""
    if i == 0 or not lines[i - 1].stripped:
        return True  # the start, or a blank line, separates
    prev = lines[i - 1].stripped
    return prev.endswith(TERMINAL) or prev.endswith(")")


def _heading_text(text: str, view_text: str, start: int, line_end: int, lines: list[Line],
                  idx: int, paragraph: bool = False) -> tuple[int, str]:
    """End offset and clean text of a heading that starts at `start` on line `idx`.

    A heading in bold that wraps continues until the bold closes; a heading in capitals
    continues over following capital lines that open no item; an article's title ("Điều 1.
    Phê duyệt Chương trình …", `paragraph`) runs to the end of its paragraph.
    """
    end = line_end
    if paragraph:
        k = idx + 1
        while k < len(lines) and lines[k].stripped and not _match_marker(lines[k].text) and \
                lines[k].end - start <= 300:
            end = lines[k].end
            k += 1
        return end, clean(text[start:end])
    raw_line = text[lines[idx].start:lines[idx].end]
    if raw_line.count("**") % 2 == 1 and not raw_line.rstrip().endswith("**"):
        close = text.find("**", line_end)
        if close != -1 and close - line_end < 300:
            end = close
    else:
        first = clean(text[start:line_end])
        if first and first.upper() == first and any(c.isalpha() for c in first):
            k = idx + 1
            while k < len(lines) and lines[k].stripped and not _match_marker(lines[k].text):
                nxt = lines[k].stripped
                if nxt.upper() != nxt or len(nxt) > 120:
                    break
                end = lines[k].end
                k += 1
    return end, clean(text[start:end])


def _is_caps_heading(rest: str) -> bool:
    letters = [c for c in rest[:60] if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def find_headings(text: str, view_text: str, lines: list[Line], span: tuple[int, int]) -> list[Heading]:
    """Every numbered heading and list item inside `span`, in order."""
    out: list[Heading] = []
    for i, line in enumerate(lines):
        if line.start < span[0] or line.start >= span[1]:
            continue
        found = _match_marker(line.text)
        if not found:
            continue
        kind, m = found
        head_idx = i  # the line holding the heading text
        if not line.text[m.end():].strip():
            # The label ends its line ("**1.\nCông an thành phố**"): the text is on the next line.
            head_idx = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].stripped), None)
            if head_idx is None or _match_marker(lines[head_idx].text):
                continue
        if kind in ("arabic", "dash", "star", "plus", "letter", "dotted") and not _prev_closes(lines, i):
            nxt = (line.text[m.end():] or lines[head_idx].text).strip()[:1]
            if kind in ("dash", "star", "plus") and not (nxt.isupper() or nxt in "“\"("):
                continue
            # "1- 100% cơ sở Hội …", "a) 95% hộ …": an item may open on its figure
            if kind in ("arabic", "letter", "dotted") and not (nxt.isupper() or (nxt.isdigit() and kind != "dotted")):
                continue
        if kind == "upper" and not _is_caps_heading(line.text[m.end():]):
            continue
        start = line.start + len(m.group("lead"))
        body_start = line.start + m.end() if head_idx == i else lines[head_idx].start
        # Split a run-together heading: "I. MỤC ĐÍCH, YÊU CẦU**1. Mục đích**".
        raw_line = text[line.start:line.end]
        split = RUN_TOGETHER.search(raw_line, m.end())
        line_end = line.start + split.start() if split else line.end
        if head_idx != i:
            line_end = lines[head_idx].end
        end, head = _heading_text(text, view_text, body_start, line_end, lines, head_idx, kind == "article")
        number = m.group("num") if kind not in ("dash", "star", "plus") else None
        if kind == "part":
            number = _part_number(regex.sub(r"^(?:PHẦN|Phần)\s+", "", number))
        elif kind in ("article", "task"):
            number = number.split()[-1]
        out.append(Heading(start, end, kind, number, head))
        if split:
            sub_start = line.start + split.end()
            sub_view = view_text[sub_start:line.end]
            sub = _match_marker(sub_view)
            if sub:
                skind, sm = sub
                s_body = sub_start + sm.end()
                s_end, s_head = _heading_text(text, view_text, s_body, line.end, lines, i)
                out.append(Heading(sub_start + len(sm.group("lead")), s_end, skind,
                                   sm.group("num"), s_head))
    if not any(h.marker in TOP_MARKERS for h in out):
        caps = _caps_headings(text, lines, span)
        if len(caps) >= 3:
            out = sorted(out + caps, key=lambda h: h.start)
    else:
        # a numbered plan whose clerk left one top heading unnumbered ("I/ MỤC ĐÍCH", then
        # "ĐẶC ĐIỂM TÌNH HÌNH", then "III. CHỈ TIÊU"): a short capital line that is a section name
        top = min((h.marker for h in out if h.marker in TOP_MARKERS), key=RANK.get)
        caps = [Heading(h.start, h.end, top, None, h.heading) for h in _caps_headings(text, lines, span)
                if len(h.heading.split()) <= 6 and _names_a_section(h.heading)
                and not any(o.start <= h.start <= o.end for o in out)]  # "Phần thứ hai\n\nMỤC TIÊU": its title
        out = sorted(out + caps, key=lambda h: h.start)
    return out


def _names_a_section(heading: str) -> bool:
    """Whether the section-kind words make up most of a heading ("TỔ CHỨC THỰC HIỆN", "KINH
    PHÍ", "ĐẶC ĐIỂM TÌNH HÌNH"), not a caption that holds one ("PHÂN BỔ CHỈ TIÊU CHO CÁC XÃ")."""
    folded = strip_diacritics(heading).lower()
    covered = sum(len(m.group().split()) for m in _section_word().finditer(folded))
    return covered * 2 >= len(folded.split())


@lru_cache(maxsize=1)
def _section_word() -> "regex.Pattern":
    """Any word that names a section kind (lang/vi/sections.yaml), on folded text."""
    words = sorted((strip_diacritics(w) for ws in load("sections")["kinds"].values() for w in ws), key=len, reverse=True)
    return regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(w) for w in words) + r")(?![\p{L}])")


def _caps_headings(text: str, lines: list[Line], span: tuple[int, int]) -> list[Heading]:
    """Unnumbered headings in capitals on a line of their own ("MỤC ĐÍCH, YÊU CẦU", "KINH PHÍ"),
    as some offices type a plan with no I., II.: taken only in a plan without numbered top
    headings, only when they name a section kind, and only when there are three or more."""
    out = []
    for i, line in enumerate(lines):
        if line.start < span[0] or line.start >= span[1] or not _prev_closes(lines, i) or \
                (i > 0 and lines[i - 1].stripped):
            continue
        words = line.stripped.strip("*_ :")
        if not _is_caps_heading(words) or len(words) > 90 or _match_marker(line.text):
            continue
        if _section_word().search(strip_diacritics(words)):
            start = line.start + (len(line.text) - len(line.text.lstrip()))
            out.append(Heading(start, line.end, "caps", None, clean(text[start:line.end]).strip("*_ :")))
    return out


ORDINALS = {"nhất": 1, "tư": 4}  # "thứ nhất", "thứ tư"; the others are the cardinal words


def _part_number(number: str) -> str:
    """"thứ nhất" -> "1", "THỨ HAI" -> "2"; "I" and "1" stay as written."""
    m = regex.match(r"(?i)thứ\s+(\p{L}+)$", number)
    if not m:
        return number
    word = m.group(1).lower()
    value = ORDINALS.get(word) or numbers.parse_words(word)
    return str(value) if value else number


# ---------------------------------------------------------------- closing

def _closing_re():
    h = load("header")
    titles = "|".join(regex.escape(t.upper()) for t in sorted(h["titles"], key=len, reverse=True))
    return (
        regex.compile(r"^\s*N[ơo]i\s+nh[ậa]n\s*:?", regex.IGNORECASE),
        regex.compile(r"^\s*(?:TM|T/M|KT|K/T|TL|T/L|TUQ|Q)\s*[.:]?\s+\p{Lu}"),
        regex.compile(rf"^\s*(?:{titles})\s*$"),
    )


NOI_NHAN, AUTHORITY, TITLE_LINE = _closing_re()
TREN_DAY = regex.compile(r"^\s*Trên\s+đây\s+là", regex.IGNORECASE)


def find_closing(lines: list[Line], start_idx: int, stop_idx: int) -> int | None:
    """Index of the first line of the signature / Nơi nhận block after `start_idx`."""
    for i in range(start_idx, stop_idx):
        t = lines[i].text
        if NOI_NHAN.match(t) or AUTHORITY.match(t):
            return i
        if TITLE_LINE.match(t):
            # A title line in capitals begins a signature block; include an org line above it.
            j = i - 1
            while j > start_idx and lines[j].stripped and lines[j].stripped.upper() == lines[j].stripped \
                    and not _match_marker(lines[j].text):
                j -= 1
            return j + 1
    return None


APPENDIX = regex.compile(r"^\s*(?:PHỤ\s+LỤC|Phụ\s+lục)\b(?!\s+(?:kèm|số\s+\d+\s+kèm))")
ATTACHED = regex.compile(r"\(\s*(?:Ban\s+hành\s+)?[Kk]èm\s+theo\s+(?:Quyết\s+định|QĐ)")
ARTICLE = regex.compile(r"^\s*Điều\s+\d+\s*[.:]")


# ---------------------------------------------------------------- layout

def segment(text: str) -> Layout:
    v = blank_page_furniture(text, view(text))
    lines = split_lines(v)
    lay = Layout(text=text, view=v, lines=lines)
    n = len(text)
    found = find_doc_type_line(lines, 0, limit=min(len(lines), 120))
    if found is None:
        lay.body_span = (0, n)
        lay.headings = find_headings(text, v, lines, (0, n))
        return lay
    dt_idx, m = found
    line = lines[dt_idx]
    lay.doc_type_span = (line.start + m.start("type"), line.start + m.end("type"))
    lay.doc_type = sentence_case(m.group("type"))
    lay.header_span = (0, line.start)

    # Where the plan body lives: after an attached plan's own doc-type line when the outer
    # document is a decision that issues it, else after this one.
    plan_idx = dt_idx
    decision_close = None
    if lay.doc_type in ("Quyết định", "Chỉ thị", "Nghị quyết"):
        articles = [i for i in range(dt_idx + 1, len(lines)) if ARTICLE.match(lines[i].text)]
        if articles:
            inner = find_doc_type_line(lines, articles[-1] + 1)
            if inner is not None and lines[inner[0]].text.strip().upper() != "QUYẾT ĐỊNH:":
                plan_idx = inner[0]
                pl = lines[plan_idx]
                lay.plan_doc_type_span = (pl.start + inner[1].start("type"), pl.start + inner[1].end("type"))
                decision_close = find_closing(lines, articles[0], plan_idx)
                if decision_close is not None:
                    lay.closing_spans.append((lines[decision_close].start, lines[plan_idx].start))

    # Title: the lines after the type line up to the preamble or the first heading.
    title_end_idx = _title_end(text, lines, dt_idx, m)
    t_start = line.start + m.end("type")
    t_end = lines[title_end_idx - 1].end if title_end_idx - 1 >= dt_idx else t_start
    if clean(text[t_start:t_end]):
        lay.title_span = (t_start, t_end)

    # Body: from the first roman (else any) heading after the plan's type line.
    search_from = lines[plan_idx].end if plan_idx != dt_idx else (lay.title_span or (t_start, t_start))[1]
    appendix_idx = None
    for i in range(plan_idx + 1, len(lines)):
        if lines[i].start >= search_from and APPENDIX.match(lines[i].text) and _prev_closes(lines, i):
            appendix_idx = i
            break
    body_limit = lines[appendix_idx].start if appendix_idx is not None else n
    candidates = find_headings(text, v, lines, (search_from, body_limit))
    first = next((h for h in candidates if h.marker in TOP_MARKERS), None) or \
        next((h for h in candidates if h.marker in ("arabic", "dotted")), None)
    body_start = first.start if first else search_from
    if plan_idx == dt_idx:
        lay.preamble_span = (search_from, body_start)
    else:
        art0 = next(i for i in range(dt_idx + 1, len(lines)) if ARTICLE.match(lines[i].text))
        pre_end = lines[art0].start
        lay.preamble_span = ((lay.title_span or (t_start, t_start))[1], pre_end)
    start_idx = next(i for i, ln in enumerate(lines) if ln.end >= body_start)
    stop_idx = appendix_idx if appendix_idx is not None else len(lines)
    close_idx = find_closing(lines, start_idx + 1, stop_idx)
    body_end = lines[close_idx].start if close_idx is not None else body_limit
    if close_idx is not None:
        lay.closing_spans.append((lines[close_idx].start, body_limit))
    # Trailing blank lines are not part of the body.
    while body_end > body_start and text[body_end - 1].isspace():
        body_end -= 1
    lay.body_span = (body_start, body_end)
    lay.headings = [h for h in candidates if body_start <= h.start < body_end]
    if appendix_idx is not None:
        lay.appendix_span = (lines[appendix_idx].start, n)
    return lay


PREAMBLE_CUE = regex.compile(r"^\s*(?:Căn\s+cứ|Căn$|Thực\s+hiện|Theo\s+đề\s+nghị|Xét\s+đề\s+nghị|Để\s|Nhằm\s|Ban\s+Thường\s+vụ|-{3,}|\p{Lu}[\p{Lu}\s,]+$)")


def _title_end(text: str, lines: list[Line], dt_idx: int, m) -> int:
    """Index of the first line after the title (exclusive end)."""
    line = lines[dt_idx]
    raw_rest = text[line.start + m.end("type"):line.end]
    i = dt_idx + 1
    if clean(raw_rest):
        # Title run together with the type line ("KẾ HOẠCH**Triển khai ...**"): that line only,
        # unless its bold continues.
        if raw_rest.count("**") % 2 == 1:
            while i < len(lines) and "**" not in text[lines[i].start:lines[i].end]:
                i += 1
            return min(i + 1, len(lines))
        return i
    # Skip blank lines after the type line.
    while i < len(lines) and not lines[i].stripped:
        i += 1
    if i >= len(lines):
        return i
    first_raw = text[lines[i].start:lines[i].end].lstrip()
    bold = first_raw.startswith("**")
    last = i
    j = i
    while j < len(lines):
        ln = lines[j]
        raw = text[ln.start:ln.end]
        if j > i and ln.stripped and (PREAMBLE_CUE.match(ln.text) and not _continues_title(lines, j)):
            break
        if j > i and _match_marker(ln.text) and _match_marker(ln.text)[0] in TOP_MARKERS:
            break
        if ln.stripped:
            last = j
            if bold and j >= i and raw.rstrip().endswith("**") and (j > i or raw.count("**") % 2 == 0):
                break
            if ln.stripped.startswith("(") and j > i:
                break
        else:
            # A blank line ends the title unless the next line plainly continues it.
            k = j + 1
            while k < len(lines) and not lines[k].stripped:
                k += 1
            if k >= len(lines):
                break
            prev = lines[last].stripped
            nxt = lines[k].stripped
            if bold or not (prev.endswith(",") or nxt[:1].islower()):
                break
        j += 1
    return last + 1


def _continues_title(lines: list[Line], j: int) -> bool:
    """A capitals line right after a capitals title line is the title going on."""
    prev = lines[j - 1].stripped
    cur = lines[j].stripped
    return bool(prev) and prev.upper() == prev and cur.upper() == cur and not cur.startswith("-")
