"""Header fields of the outermost document: issuers, number and symbol, place and date,
doc type, title, period; and the closing block: signers and the Nơi nhận list.

The two header columns arrive in any order or collapsed onto one line, so fields are found
by their own shape (the "Số:" line, the "<Place>, ngày … tháng … năm …" line), never by
position. A receipt stamp ("CÔNG VĂN ĐẾN Số: 3548 … Ngày 06/12/16") is skipped.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..lang.vi import load
from ..models import Document, Issuer, Period, Signer
from ..normalize import clean, fold, last_match
from ..segment import AUTHORITY, NOI_NHAN, TITLE_LINE, Layout, Line
from . import docnumber, tables

SO_LINE = regex.compile(
    rf"(?<![\p{{L}}])Số\s*:?\s*(?:{docnumber.NUMBER}{docnumber._GAP}[-/]{docnumber._GAP}{docnumber.YEAR}?"
    rf"{docnumber.SYMBOL}|[.…_ ]*(?P<blank>/){docnumber._GAP}{docnumber.YEAR}?(?P<sym2>{docnumber.FIRST_PART}"
    rf"(?:{docnumber._GAP}[-/]{docnumber._GAP}(?:{docnumber.PART}))*)|(?P<bare>\d{{1,6}})(?![\d/]))"
)
PLACE_DATE = regex.compile(
    r"(?m)(?:^|(?<=[\s*]))(?P<place>\p{Lu}[\p{L}.'\- ]{0,40}(?:\n[\p{L}.'\- ]{1,30})?)\s*,\s*"
    # a day left blank for the signer to fill in ("ngày      tháng 5 năm 2019") still gives the place
    r"ngày\s+(?:(?P<d>\d{1,2})?\s+tháng\s+(?P<m>\d{1,2})?\s+năm\s+(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s*/\s*(?P<m2>\d{1,2})\s*/\s*(?P<y2>\d{4}))"
)
PERIOD_RANGE = regex.compile(
    r"(?:giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ|từ\s+năm)?\s*(?P<a>(?:19|20)\d{2})\s*[-–—]\s*(?:năm\s+)?(?P<b>(?:19|20)\d{2})",
    regex.IGNORECASE,
)
PERIOD_UNTIL = regex.compile(r"đến\s+năm\s+(?P<b>(?:19|20)\d{2})", regex.IGNORECASE)
PERIOD_YEAR = regex.compile(r"(?<!tháng\s*\d{1,2}\s*)năm\s+(?P<a>(?:19|20)\d{2})(?!\d)", regex.IGNORECASE)
NAME_LINE = regex.compile(r"^\s*(?:\p{Lu}\p{Ll}*\.?\s+){1,5}\p{Lu}\p{Ll}+\s*$")


def _is_upper_line(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)



@lru_cache(maxsize=1)
def _column_break():
    """Where a second header column starts on a line: a run of blanks or a tab, or the national
    motto run into the issuer's line, as a web page copied as text gives it ("… PHƯỜNG ĐÔNG
    KHÁNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")."""
    def word(w: str) -> str:  # "hòa" and "hoà": the same word with the mark placed either way
        return regex.escape(w).replace("òa", "(?:òa|oà)").replace("ÒA", "(?:ÒA|OÀ)")
    motto = "|".join(r"\s*[-–—]\s*".join(r"\s+".join(word(w) for w in part.split())
                                        for part in regex.split(r"\s*[-–—]\s*", m))
                     for m in load("header")["motto"])
    return regex.compile(rf"[ \t]*(?:\t|[ ]{{3,}})[ \t]*|[ \t]+(?=(?:{motto})(?![\p{{L}}]))", regex.IGNORECASE)


def _cells(lines: list[Line]) -> list[Line]:
    """Two header columns typed on one line ("UBND TỈNH X      CỘNG HÒA …") become two lines."""
    out = []
    for ln in lines:
        pos = 0
        for gap in _column_break().finditer(ln.text.strip() and ln.text or ""):
            if gap.start() > 0 and ln.text[:gap.start()].strip():
                out.append(Line(ln.start + pos, ln.start + gap.start(), ln.text[pos:gap.start()]))
                pos = gap.end()
        out.append(Line(ln.start + pos, ln.end, ln.text[pos:]))
    return out


_RULE_LINE = regex.compile(r"[-–—_=*.\s]+")
BR = regex.compile(r"<br\s*/?>")


def _md_columns(lines: list[Line]) -> list[list[Line]]:
    """The header typed as a markdown table ("| **ỦY BAN NHÂN DÂN** | **CỘNG HÒA …** |", then
    "| **HUYỆN EA LÂM** | …"): the pieces of each column, row after row, a cell's "<br>" parts
    one after the other; lines outside the table after them. Empty when there is no table."""
    rows = [ln for ln in lines if tables.MD_ROW.match(ln.text)]
    if not rows:
        return []
    columns: list[list[Line]] = []
    for ln in rows:
        if tables.RULE_ROW.match(ln.text):
            continue
        for k, (a, b) in enumerate(tables.md_cells(ln.text, ln.start)):
            while len(columns) <= k:
                columns.append([])
            pos = a
            for piece in BR.split(ln.text[a - ln.start:b - ln.start]) if b > a else []:
                lead = len(piece) - len(piece.lstrip())
                if piece.strip():
                    columns[k].append(Line(pos + lead, pos + len(piece.rstrip()), piece.strip()))
                pos += len(piece)
                pos += len(m.group()) if (m := BR.match(ln.text, pos - ln.start)) else 0
    rest = [ln for ln in lines if ln not in rows]
    return [c for c in columns if c] + ([rest] if rest else [])


def _blocks(lay: Layout, span: tuple[int, int]) -> list[list[Line]]:
    """Header lines grouped into cells: by "|" separator lines where the export has them,
    else by blank lines; decoration ("-----", "***") dropped. Two columns typed on one line
    are split at the wide gap between them, the left column first."""
    lines = [ln for ln in lay.lines if span[0] <= ln.start < span[1]]
    columns = _md_columns(lines)
    if columns:  # a markdown table: each column top to bottom, "<br>" a line break
        lines = [x for col in columns for x in [Line(0, 0, "")] + _cells(col)]
    else:
        lines = _cells(lines)
        left = [ln for ln in lines if ln.start == 0 or lay.text[ln.start - 1] == "\n"]
        if len(left) < len(lines):  # columns were split: read the left column, then the right
            right = [ln for ln in lines if ln not in left]
            lines = left + [Line(0, 0, "")] + right
    raw = [lay.text[ln.start:ln.end].strip() for ln in lines]
    by_pipe = not columns and any(r == "|" for r in raw)
    blocks, cur = [], []
    for ln, r in zip(lines, raw):
        sep = (r == "|") if by_pipe else (not ln.stripped)
        if sep:
            if cur:
                blocks.append(cur)
            cur = []
            continue
        if not ln.stripped or _RULE_LINE.fullmatch(ln.stripped):
            continue
        cur.append(ln)
    if cur:
        blocks.append(cur)
    return blocks


def issuers_from_header(lay: Layout) -> list[Issuer]:
    conf = load("header")
    skip = {fold(x) for x in conf["motto"]} | {fold(x) for x in conf["parents"]}
    out: list[Issuer] = []
    for block in _blocks(lay, lay.header_span):
        keep = []
        for ln in block:
            s = clean(lay.text[ln.start:ln.end])
            if not _is_upper_line(s) or fold(s) in skip:
                continue
            if (m := _parent_prefix().match(lay.text, ln.start, ln.end)) and m.end() < ln.end:
                # "ĐOÀN TNCS HỒ CHÍ MINH BCH ĐOÀN HUYỆN …" run together: the parent is no part of it
                ln = Line(m.end(), ln.end, lay.text[m.end():ln.end])
                s = clean(lay.text[ln.start:ln.end])
            if regex.match(r"(?i)số\s*:", s) or PLACE_DATE.search(s) or docnumber.parse(s):
                continue
            if any(w in fold(s) for w in conf["stamp_words"]):
                continue
            keep.append(ln)
        joined = fold(clean(" ".join(lay.text[ln.start:ln.end] for ln in keep)))
        if any(joined.startswith(fold(m)) for m in conf["motto"]):
            continue  # the motto over several lines (a superior body above the issuer stays:
            # "ĐẢNG BỘ TỈNH QUẢNG ĐIỀN" / "ĐẢNG ỦY KHỐI …" is resolved by _issuer_groups)
        for group in _issuer_groups(lay, keep):
            name = clean(" ".join(lay.text[ln.start:ln.end] for ln in group))
            if fold(name) in skip or len(name) < 3:
                continue
            a, b = min(ln.start for ln in group), max(ln.end for ln in group)  # columns may interleave
            while a < b and lay.view[a].isspace():  # the view has markup blanked
                a += 1
            while b > a and lay.view[b - 1].isspace():
                b -= 1
            out.append(Issuer(name=name, span=(a, b)))
    return out


@lru_cache(maxsize=1)
def _parent_prefix():
    """A parent organisation's name opening a header line, before the issuer's own."""
    words = sorted(load("header")["parents"], key=len, reverse=True)
    alts = "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in words)
    return regex.compile(rf"[\s*_]*(?:{alts})[\s*_]+(?=\p{{Lu}})", regex.IGNORECASE)


def _issuer_groups(lay: Layout, lines: list[Line]) -> list[list[Line]]:
    """One header cell may hold one name over several lines ("ỦY BAN NHÂN DÂN" / "TỈNH NGHỆ
    AN"), a superior body above the issuer ("UBND TỈNH BẮC GIANG" / "SỞ Y TẾ": the issuer is
    the last), or several issuers of a joint plan, each with its own place ("HỘI NÔNG DÂN
    TỈNH TÂY NINH" / "BẢO HIỂM XÃ HỘI TỈNH TÂY NINH")."""
    heads, organs = load("header")["issuer_heads"], load("header")["organs"]
    groups: list[list[Line]] = []
    for ln in lines:
        words = fold(clean(lay.text[ln.start:ln.end]))
        if groups and (words in organs or not any(words == h or words.startswith(h + " ") for h in heads)):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    if len(groups) < 2:
        return groups
    places = []
    for g in groups:
        name = fold(clean(" ".join(lay.text[ln.start:ln.end] for ln in g)))
        m = last_match(PLACE_WORD, name)
        places.append(name[m.start():] if m else None)
    if all(places) and len(set(places)) == 1:
        return groups  # a joint plan: bodies of one place side by side
    return groups[-1:]


PLACE_WORD = regex.compile(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|trung ương)\b")


def number_from_header(lay: Layout, limit: int) -> docnumber.DocNumber | None:
    conf = load("header")
    region = lay.view[:limit]
    best = None
    for m in SO_LINE.finditer(region):
        before = fold(region[max(0, m.start() - 60):m.start()])
        after = fold(region[m.end():m.end() + 25])
        stamp = any(w in before for w in conf["stamp_words"]) or "giờ" in after or "ngày" in after[:8]
        if m.group("bare"):
            if stamp:
                continue
            cand = docnumber.DocNumber(m.group("bare"), None, None)
        elif m.group("blank"):
            cand = docnumber.DocNumber(None, int(m.group("year")) if m.group("year") else None,
                                       docnumber.squeeze(m.group("sym2")))
        else:
            cand = docnumber.from_match(m)
        if cand.symbol:
            return cand
        best = best or cand
    return best


def place_date(lay: Layout, limit: int) -> tuple[str | None, str | None]:
    from datetime import date

    for m in PLACE_DATE.finditer(lay.view[:limit]):
        raw = m.group("place")
        raw = regex.split(r"\t|[ ]{2,}", raw)[-1]  # the other column typed on the same line
        lines = raw.split("\n")
        motto = {fold(x) for x in load("header")["motto"]}
        if len(lines) > 1 and (_is_upper_line(clean(lines[0])) or fold(lines[0]) in motto):
            raw = lines[-1]  # a header line in capitals above, not the first half of a place name
        place = clean(raw)
        y, mo, dd = (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else \
            (m.group("y2"), m.group("m2"), m.group("d2"))
        if not (mo and dd):
            return place, None  # the day is blank: the place stands, the date is not known
        try:
            d = date(int(y), int(mo), int(dd))
        except ValueError:
            continue
        return place, d.isoformat()
    return None, None


def period_of(title: str | None) -> Period | None:
    if not title:
        return None
    m = PERIOD_RANGE.search(title)
    if m and int(m.group("a")) < int(m.group("b")):
        return Period(start_year=int(m.group("a")), end_year=int(m.group("b")))
    m = PERIOD_UNTIL.search(title)
    if m:
        return Period(start_year=None, end_year=int(m.group("b")))
    m = PERIOD_YEAR.search(title)
    if m:
        return Period(start_year=int(m.group("a")), end_year=int(m.group("a")))
    return None


def signers_and_recipients(lay: Layout) -> tuple[list[Signer], list[str]]:
    signers: list[Signer] = []
    recipients: list[str] = []
    for span in lay.closing_spans:
        lines = [ln for ln in lay.lines if span[0] <= ln.start < span[1]]
        cur: dict | None = None
        in_list = False
        for ln in lines:
            raw = lay.text[ln.start:ln.end]
            s = clean(raw)
            if NOI_NHAN.match(ln.text):
                in_list = True
                rest = clean(ln.text[NOI_NHAN.match(ln.text).end():])
                if rest.startswith("-"):
                    recipients.append(rest.lstrip("-– ").rstrip(";.,"))
                continue
            if in_list:
                if s.startswith(("-", "–", "+")):
                    recipients.append(s.lstrip("-–+ ").rstrip(";.,").strip())
                    continue
                if s and recipients and not _is_upper_line(s) and not NAME_LINE.match(s):
                    recipients[-1] = (recipients[-1] + " " + s).rstrip(";.,").strip()
                    continue
                if not s and not recipients:
                    continue
                if s:
                    in_list = False
                else:
                    continue
            if not s:
                continue
            if AUTHORITY.match(ln.text) or (_is_upper_line(s) and not TITLE_LINE.match(ln.text)):
                if cur and (cur.get("name") or cur.get("title")):
                    signers.append(Signer(**cur))
                    cur = None
                cur = cur or {}
                if not cur.get("authority"):
                    cur["authority"] = s
                elif AUTHORITY.match(ln.text):  # "TM. ỦY BAN NHÂN DÂN" then "KT. CHỦ TỊCH"
                    cur["authority"] += ", " + s
                else:  # a wrapped authority line: "TM. ỦY BAN NHÂN" / "DÂN"
                    cur["authority"] += " " + s
            elif TITLE_LINE.match(ln.text):
                cur = cur or {}
                if cur.get("title") and cur.get("name"):
                    signers.append(Signer(**cur))
                    cur = {}
                cur["title"] = s
            elif NAME_LINE.match(s) and cur is not None:
                cur["name"] = s
                signers.append(Signer(**cur))
                cur = None
        if cur:
            signers.append(Signer(**cur))
    return signers, [r for r in recipients if r]


def extract(lay: Layout) -> Document:
    limit = lay.body_span[0] if lay.body_span[0] else min(len(lay.text), 3000)
    # The header fields sit above the doc-type line; a collapsed header may put the date line
    # just under it, so look up to the body (or the decision's Căn cứ) for the number and date.
    head_limit = lay.preamble_span[0] if lay.preamble_span else limit
    head_limit = max(head_limit, lay.header_span[1])
    doc = Document(doc_type=lay.doc_type)
    num = number_from_header(lay, head_limit)
    if num:
        doc.number, doc.year, doc.symbol = num.number, num.year, num.symbol
    doc.place, doc.issued_date = place_date(lay, head_limit)
    doc.issuers = issuers_from_header(lay)
    if lay.title_span:
        doc.title = clean(lay.text[lay.title_span[0]:lay.title_span[1]]) or None
    doc.period = period_of(doc.title)
    doc.signers, doc.recipients = signers_and_recipients(lay)
    if not doc.issuers:
        # A joint plan without a header block names its issuers in the signature blocks.
        for signer in doc.signers:
            if signer.authority and not AUTHORITY.match(signer.authority):
                idx = lay.text.find(signer.authority.split(" ")[0], lay.body_span[1])
                doc.issuers.append(Issuer(name=signer.authority, span=(max(idx, 0), max(idx, 0))))
    return doc
