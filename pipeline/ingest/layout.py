"""Positioned lines of paged sources (PDF text layers, OCR) -> text shaped like the seed .txt.

Readers give lines with boxes; the segmenter wants one paragraph per line with blank lines
between them ("I. MỤC ĐÍCH" at a line start). A line joins the one before when that one was
full (the next word would not have fitted on it), the gap is a normal line gap, and it does
not open a new list item after a finished sentence. Repeated page headers/footers and page
numbers are dropped, words hyphenated at a line end are rejoined, and a sentence running over
a page break is joined across it. Coordinates are top-down in any unit (points or pixels).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

MARKER = re.compile(r"^\s*(?:[-–—•+*]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[IVXLC]{1,6}[.)]\s|[a-zđ]\)\s)")
PAGE_NUMBER = re.compile(r"^\s*(?:trang\s*)?[-–—]?\s*(\d{1,4})\s*(?:/\s*\d{1,4})?\s*[-–—]?\s*$", re.I)
END_SENTENCE = tuple(".;:!?…")


@dataclass(eq=False)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Page:
    lines: list[Line]
    width: float
    height: float
    reader: str
    texts: list[str] = field(default_factory=list)  # paragraphs, filled by build()


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def drop_running_heads(pages: list[Page]) -> None:
    """Remove page numbers and lines repeated at the top or bottom of most pages. A repeated
    line must hold words (a table's "|" or "30,5" at a page edge is a cell, not a running
    head), and from three pages on a number counts as the page's only where the numbers at
    the pages' edges rise with the pages (most of them at one offset from the page index)."""
    counts: dict[str, int] = {}
    for page in pages:
        for line in _edge_lines(page):
            counts[_key(line.text)] = counts.get(_key(line.text), 0) + 1
    need = max(3, (len(pages) + 1) // 2)
    repeated = {k for k, n in counts.items() if n >= need and len(pages) >= 3 and re.search(r"[^\W\d_]", k)}
    numbers = [(i, x, int(m.group(1))) for i, page in enumerate(pages) for x in _edge_lines(page)
               if (m := PAGE_NUMBER.match(x.text))]
    offsets = Counter(n - i for i, _, n in numbers)
    offset, seen = offsets.most_common(1)[0] if offsets else (None, 0)
    numbered = {id(x) for i, x, n in numbers if len(pages) < 3 or (seen >= 2 and n - i == offset)}
    for page in pages:
        edges = {id(x) for x in _edge_lines(page)}
        page.lines = [x for x in page.lines
                      if id(x) not in edges or not (id(x) in numbered or _key(x.text) in repeated)]


def _edge_lines(page: Page) -> list[Line]:
    if not page.lines:
        return []
    zone = page.height * 0.1
    cand = page.lines[:2] + page.lines[-2:]
    return [x for x in dict.fromkeys(cand) if x.top < zone or x.bottom > page.height - zone]


SPACED_CELLS = re.compile(r"\S {2,}(?=\S)")


def table_row(text: str) -> bool:
    """A table's row: cells a tab apart, or three or more a run of spaces apart. It stands
    alone: never joined to the line before or after as a wrapped line would be."""
    return "\t" in text.strip() or len(SPACED_CELLS.findall(text.strip())) >= 2


def _open_row(text: str) -> bool:
    """A markdown row the line break cut: it opens with "|" and does not close with one."""
    t = text.strip()
    return t.startswith("|") and not t.endswith("|") and t.count("|") >= 2


def _char_width(lines: list[Line]) -> float:
    widths = [(x.x1 - x.x0) / len(x.text) for x in lines if len(x.text) > 10]
    return statistics.median(widths) if widths else 5.0


def _full(prev: Line, nxt: Line, right: float, cw: float) -> bool:
    """Would the next line's first word have fitted at the end of `prev`? If not, prev was full.
    Digits, capitals and "%" are wider than the average letter ("61,8%" after "… mới có")."""
    first = nxt.text.split(" ", 1)[0]
    width = sum(WIDE if c.isdigit() or c.isupper() or c in "%&" else 1.0 for c in first)
    return prev.x1 + (width + 1) * cw > right - cw * 0.5


WIDE = 1.3  # a digit's or capital's width in average characters (serif and sans fonts alike)


def _join(a: str, b: str) -> str:
    """Join two wrapped lines: a hyphen at a line end joins the word halves."""
    if re.search(r"\w-$", a) and not a.endswith(" -"):
        if b[:1].islower():
            return a[:-1] + b
        return a + b
    return a + " " + b


def paragraphs(page: Page, left: float, right: float, cw: float) -> list[str]:
    lines = [x for x in page.lines if x.text.strip()]
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top]
    pitch = statistics.median(gaps) if gaps else 0
    out: list[str] = []
    prev = None
    for line in lines:
        text = line.text.strip()
        if prev is None:
            out.append(text)
        else:
            gap = line.top - prev.top
            joined = ((_full(prev, line, right, cw) or _goes_on(prev.text, text))
                      # a table's row or cell separator ("|") opens its line, unless it goes on
                      # with a row the line before left open ("| 4 | … | 100%" / "| Sở Tư pháp | …")
                      and (not text.startswith("|") or _open_row(prev.text))
                      and not table_row(text) and not table_row(prev.text)
                      and (not pitch or 0 < gap < pitch * 1.5)
                      and line.x0 > prev.x0 - 0.2 * (right - left)  # not a jump back to the left column
                      and not (MARKER.match(text) and prev.text.rstrip().endswith(END_SENTENCE)))
            if joined:
                out[-1] = _join(out[-1], text)
            else:
                out.append(text)
        prev = line
    return out


def build(pages: list[Page]) -> tuple[str, list[int]]:
    """(text, start offset of each page in it). Paragraphs are separated by blank lines."""
    drop_running_heads(pages)
    every = [x for p in pages for x in p.lines if x.text.strip()]
    cw = _char_width(every)
    # Margins from the whole document: a page with a few lines says little about its width.
    xs0, xs1 = sorted(x.x0 for x in every), sorted(x.x1 for x in every)
    doc_left = xs0[len(xs0) // 20] if xs0 else 0.0
    doc_right = xs1[-1 - len(xs1) // 20] if xs1 else 0.0
    paras: list[str] = []
    marks: list[tuple[int, int]] = []  # per page: (paragraph index, offset inside it)
    last_line: Line | None = None
    last_right = 0.0
    for page in pages:
        lines = [x for x in page.lines if x.text.strip()]
        if not lines:
            marks.append((len(paras), 0))
            continue
        left, right = doc_left, doc_right
        if len(lines) >= 15:  # enough lines for the page's own margins (scans shift per page)
            xs0, xs1 = sorted(x.x0 for x in lines), sorted(x.x1 for x in lines)
            left, right = xs0[len(xs0) // 20], xs1[-1 - len(xs1) // 20]
            if right < doc_right - 0.1 * page.width:
                # a page of short lines (a table, one cell a line) does not show the text
                # width: with its own right edge every short line would look full
                left, right = doc_left, doc_right
        pcw = _char_width(lines) if len(lines) > 3 else cw
        mine = paragraphs(page, left, right, pcw)
        if paras and last_line is not None and _runs_on(last_line, lines[0], paras[-1], last_right, pcw):
            head = mine.pop(0)
            joined = _join(paras[-1], head)
            marks.append((len(paras) - 1, len(joined) - len(head)))
            paras[-1] = joined
        else:
            marks.append((len(paras), 0))
        paras.extend(mine)
        last_line, last_right = lines[-1], right
    offsets, pos = [], 0
    for para in paras:
        offsets.append(pos)
        pos += len(para) + 2
    offsets.append(pos)
    starts = [min(offsets[i] + k, max(pos - 2, 0)) for i, k in marks]
    return "\n\n".join(paras) + ("\n" if paras else ""), starts


def _runs_on(last: Line, first: Line, last_para: str, right: float, cw: float) -> bool:
    """A sentence broken by the page end: the page's last line was full and did not end a
    sentence, and the next page does not open a list item."""
    if last_para.rstrip().endswith(END_SENTENCE):
        return False
    if MARKER.match(first.text):
        return False
    return _full(last, first, right, cw) or _goes_on(last_para, first.text)


def _goes_on(prev: str, text: str) -> bool:
    """A line that opens with a lower-case word after one that did not end a sentence goes on
    with it, full or not: a Vietnamese paragraph, item or cell opens with a capital, a digit or
    a mark. Plans typed with hard line breaks (pasted from a PDF, Shift+Enter in Word) end
    lines short in mid-sentence ("… chủ trì tham mưu, theo" / "dõi việc thực hiện …")."""
    prev = prev.rstrip()
    return (text[:1].islower() and not LOWER_LABEL.match(text)
            and bool(prev) and not prev.endswith(END_SENTENCE) and not prev.endswith("|"))


LOWER_LABEL = re.compile(r"^[a-zđ]\s*(?:[.)/]|-)\s")  # "a) …", "b. …", "c/ …", "d- …": a list item of its own
