"""Legal references: every cited document that carries a number, one entry per document.

A citation is found from its number (the document-number grammar of docnumber.py, or
"số 326" after a type word), then read outwards: the type word before it (written out,
abbreviated "NQ số", or inferred from the symbol), the date written with it, the issuing body
("của …") and the subject ("về …"). Later citations of the same document ("Nghị quyết 25",
the same number again) go into `cited_spans` of the first. The plan's own number is not a
reference. The vocabulary lives in lang/vi/doc_types.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..lang.vi import load
from ..models import LegalRef
from ..normalize import clean
from . import docnumber
from .dates import full_date_after

_F = regex.IGNORECASE
SO = r"(?:số|so|Số|SỐ)\s*:?\s*"


@lru_cache(maxsize=1)
def _vocab():
    conf = load("doc_types")
    names = sorted((t["name"] for t in conf["types"]), key=len, reverse=True)
    abbr_name = {}
    for t in conf["types"]:
        for a in t.get("abbr", []):
            abbr_name.setdefault(a, t["name"])
    # Hard line breaks fall inside type words too ("Nghị\nđịnh số 80/2025/NĐ-CP").
    name_alt = "|".join(r"\s+".join(regex.escape(w) for w in n.split()) for n in names)
    abbr_alt = "|".join(regex.escape(a) for a in sorted(abbr_name, key=len, reverse=True))
    return {
        "names": {" ".join(n.lower().split()): n for n in names},
        "name_last_words": frozenset(n.split()[-1].lower() for n in names),
        "abbr_name": abbr_name,
        "symbol_types": conf["symbol_types"],
        # A type word (any case) or an abbreviation (as written) ending right before "số N".
        "type_before_so": regex.compile(
            rf"(?:(?P<name>{name_alt})|(?<![\p{{L}}])(?-i:(?P<abbr>{abbr_alt})))(?P<gap>\s+)(?:[^\s;.()“”\"]+\s+){{0,12}}?{SO}$",
            _F),
        "type_word": regex.compile(rf"(?:(?<![\p{{L}}])(?:{name_alt})|(?<![\p{{L}}])(?-i:{abbr_alt})(?![\p{{L}}]))", _F),
        "type_adjacent": regex.compile(rf"(?:(?P<name>{name_alt})|(?<![\p{{L}}])(?-i:(?P<abbr>{abbr_alt})))\s*(?:{SO})?$", _F),
        "bare_number": regex.compile(
            rf"(?<![\p{{L}}])(?P<name>{name_alt})\s+(?:{SO})?(?P<num>\d{{1,5}}[a-z]?)(?![\d.,/]|\s*[-/]\s*\p{{Lu}})", _F),
        "bare_number_lead": regex.compile(rf"(?<![\p{{L}}])(?:{name_alt})\s+(?:{SO})?$", _F),
        "named_program": regex.compile(
            # also the number alone: "Đề án 06" (the Prime Minister's Decision 06/QĐ-TTg)
            r"(?<![\p{L}])(?P<type>Đề\s+án|Chương\s+trình|Dự\s+án)(?:(?:\s+[\p{L}]+){0,11}\s+(?P<last>[\p{L}]+))?\s+"
            r"(?P<num>\d{2,4})(?=\s*(?:[;)]|[,.](?!\d))|\s*$|\s+(?:của|và|về)\b"
            # "theo Đề án 06 trong rà soát": known by its number alone, before any function word
            r"|(?(last)(?!)|\s+(?:trong|tại|để|nhằm|theo|với|là|đã|được|ở)\b))", regex.IGNORECASE),
        "so_number": regex.compile(rf"(?<![\p{{L}}]){SO}(?P<num>\d{{1,6}}[a-zđ]?)(?![\d.,/]|\s*[-/]\s*\p{{Lu}}|\s*%)", _F),
        "issuer": regex.compile(
            r"^[\s,]*(?:của\s+)(?P<iss>[^,;.()\n“”\"]{2,90}?)(?=\s*(?:[,;.()\n“”\"]|$|về\b|ban\s+hành|phê\s+duyệt|quy\s+định|"
            r"hướng\s+dẫn|triển\s+khai|thực\s+hiện|sửa\s+đổi|truyền\s+đạt|giao\b|đã\b|tại\b|theo\b|cho\b|"
            r"đối\s+với|gắn\b|nhằm\b|để\b|trong\b|và\s+(?:Quyết|Nghị|Chỉ|Kế|Thông|Công)|ngày\b))", _F),
        "subject": regex.compile(r"^[\s,]*về\s+(?:việc\s+)?(?P<subj>[^;\n]{3,250}?)(?=;|\.\s|\.$|\n\s*\n|$)", _F),
    }


# The word before a programme's number when the number is no decision number ("năm 2030").
NOT_A_PROGRAM_NUMBER = {"năm", "đoạn", "kỳ", "tháng", "quý", "khóa", "khoá", "thứ", "số", "đến", "lần", "từ",
                        "khoảng", "gần", "trên", "dưới", "hơn", "đạt", "tới", "là", "có", "với", "cho", "được", "gồm"}
TERM = regex.compile(r"kh(?:óa|oá|oa)\s+([IVXL]+)\b", regex.IGNORECASE)


@dataclass
class Citation:
    start: int  # type word (or number) start
    end: int  # end of the number/symbol
    doc_type: str | None
    number: str | None
    year: int | None
    symbol: str | None
    ext_end: int = 0  # end including date and issuer
    issued_date: str | None = None
    issuer: str | None = None
    subject: str | None = None
    term: str | None = None  # "khóa XI": Party resolutions restart their numbers each term
    spans: list[tuple[int, int]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


AMENDING_LAW = regex.compile(r"Luật\s+sửa\s+đổi,?\s+bổ\s+sung(?:\s+một\s+số\s+điều)?(?:\s+của)?\s+$")


def _type_before(view: str, pos: int) -> tuple[int, str] | None:
    """The type word that introduces the number at `pos`: (start offset, name) or None."""
    v = _vocab()
    window = view[max(0, pos - 120):pos]
    base = pos - len(window)
    m = v["type_adjacent"].search(window)
    if not m:
        # The nearest type word wins: "Kế hoạch thực hiện Quyết định số 12" is a Quyết định.
        starts = [t.start() for t in v["type_word"].finditer(window)]
        for s in reversed(starts):
            m = v["type_before_so"].match(window, s)
            if m:
                break
    if not m:
        # "(Số 37/2019/NĐ-CP …, số 58/2023/NĐ-CP": the citation starts at "số".
        return None
    if m.group("name"):
        if m.group("name").isupper() and "\n" in window[m.end("name"):]:
            return None  # a heading or receipt stamp ("CÔNG VĂN ĐẾN\nSố: 3548"), not a citation
        name = v["names"][" ".join(m.group("name").lower().split())]
    else:
        name = v["abbr_name"][m.group("abbr")]
    # "Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế số 46/2014/QH13": a law is cited by
    # its title, so the number is the amending law's and the citation starts at its title
    amending = AMENDING_LAW.search(view, max(0, base + m.start() - 60), base + m.start()) if name == "Luật" else None
    if amending:
        return amending.start(), name
    return base + m.start(), name


def _type_from_symbol(symbol: str | None) -> str | None:
    abbr = docnumber.symbol_type_abbr(symbol)
    if abbr is None:
        return None
    st = _vocab()["symbol_types"]
    if abbr in st:
        return st[abbr]
    if regex.match(r"QH\d*$", abbr):
        return "Luật"
    return None


def _read_after(text: str, view: str, cit: Citation) -> None:
    """Date, issuer and subject written after the number."""
    v = _vocab()
    pos = cit.end
    got = full_date_after(view, pos)
    if got:
        pos, cit.issued_date = got
    m = v["issuer"].match(view[pos:pos + 120])
    if m:
        cit.issuer = clean(text[pos + m.start("iss"):pos + m.end("iss")]) or None
        pos += m.end()
        if not cit.issued_date:
            got = full_date_after(view, pos)
            if got:
                pos, cit.issued_date = got
    cit.ext_end = pos
    if cit.issued_date:
        cit.dates.append(cit.issued_date)
    near = (cit.issuer or "") + " " + view[max(0, cit.start - 40):cit.start]
    term = TERM.findall(near)
    cit.term = term[-1].upper() if term else None
    m = v["subject"].match(view[pos:pos + 300])
    if m:
        cit.subject = clean(m.group("subj")) or None


OTHER_TYPE = regex.compile(r"(?<![\p{L}])(?:nghị\s+quyết|quyết\s+định|chỉ\s+thị|kết\s+luận|thông\s+tư|nghị\s+định"
                           r"|kế\s+hoạch|luật|công\s+văn)(?![\p{L}])", regex.IGNORECASE)


FILE_EXTENSION = regex.compile(r"[-_.\w]*\.(?:pdf|docx?|xlsx?|rtf|odt|zip|rar|jpe?g|png|tiff?)(?![\w])", regex.IGNORECASE)


def find(text: str, view: str) -> list[Citation]:
    """Every citation in order, before merging."""
    v = _vocab()
    out: list[Citation] = []
    taken = bytearray(len(view))
    for m in docnumber.NUMBER_SYMBOL.finditer(view):
        if FILE_EXTENSION.match(view, m.end()):
            continue  # "Tệp đính kèm: 45-KH-UBND-ATGT-2018.pdf": a file's name, no citation
        dn = docnumber.from_match(m)
        typed = _type_before(view, m.start())
        doc_type = typed[1] if typed else _type_from_symbol(dn.symbol)
        if doc_type is None:
            continue
        if typed:
            start = typed[0]
        else:
            so = regex.search(rf"{SO}$", view[max(0, m.start() - 8):m.start()])
            start = m.start() - (len(so.group()) if so else 0)
        out.append(Citation(start, m.end(), doc_type, dn.number, dn.year, dn.symbol))
        taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in v["so_number"].finditer(view):
        if any(taken[m.start():m.end()]):
            continue
        typed = _type_before(view, m.start())
        if typed is None:
            continue
        out.append(Citation(typed[0], m.end(), typed[1], m.group("num"), None, None))
        taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in v["named_program"].finditer(view):
        # "Đề án đào tạo nghề cho lao động nông thôn 1956": a programme known by the number
        # of the decision that approved it
        if any(taken[m.start():m.end()]) or (m.group("last") or "").lower() in NOT_A_PROGRAM_NUMBER \
                or (not m.group("last") and not m.group("type").lower().startswith("đề")) \
                or 1990 <= int(m.group("num")) <= 2100 \
                or OTHER_TYPE.search(view, m.end("type"), m.start("num")):
            # "Chương trình giáo dục phổ thông 2018" is a year; in "chương trình hành động thực
            # hiện Nghị quyết 21" the number is the resolution's; "Dự án 10 của Chương trình …" is
            # a part of a programme (only an Đề án is known by its number alone)
            continue
        name = v["names"][" ".join(m.group("type").lower().split())]
        out.append(Citation(m.start(), m.end(), name, m.group("num"), None, None))
    out.sort(key=lambda c: c.start)
    for c in out:
        _read_after(text, view, c)
    _share_list_dates(view, out)
    return out


LIST_GAP = regex.compile(r"\s*(?:,|;|và)\s*(?:,\s*)?")
LIST_NEXT = regex.compile(r"(?:số\s+)?\d")


def _share_list_dates(view: str, cits: list[Citation]) -> None:
    """"các Thông tư số 17/2018/TT-BGDĐT, 18/2018/TT-BGDĐT và 19/2018/TT-BGDĐT ngày 22/8/2018":
    numbers listed under one type word share the date written after the last of them."""
    for i in range(len(cits) - 2, -1, -1):
        c, nxt = cits[i], cits[i + 1]
        if c.issued_date or not nxt.issued_date or c.doc_type != nxt.doc_type:
            continue
        if LIST_GAP.fullmatch(view, c.end, nxt.start) and LIST_NEXT.match(view, nxt.start):
            c.issued_date = nxt.issued_date
            c.dates.append(nxt.issued_date)


def short_mentions(view: str) -> list[tuple[int, int, str, str]]:
    """"Nghị quyết 25": a type word and a bare number, (start, end, doc_type, number)."""
    v = _vocab()
    out = []
    for d in DIGITS.finditer(view):  # anchor on numbers: far fewer places than a full scan
        if not _after_type_word(view, d.start(), v["name_last_words"]):
            continue  # the cheap test first: most numbers follow no type word
        lead = v["bare_number_lead"].search(view, max(0, d.start() - 40), d.start())
        if lead is None:
            continue
        m = v["bare_number"].match(view, lead.start())
        if m and m.start("num") == d.start():
            out.append((m.start(), m.end(), v["names"][" ".join(m.group("name").lower().split())], m.group("num")))
    return out


DIGITS = regex.compile(r"(?<!\d)\d")


def _after_type_word(view: str, pos: int, last_words: frozenset) -> bool:
    """Whether the word before `pos` (past an optional "số") could end a type name."""
    words = view[max(0, pos - 24):pos].split()
    if words and words[-1].rstrip(":").lower() in ("số", "so") :
        words = words[:-1]
    return bool(words) and words[-1].rstrip(":").lower() in last_words


def merge(cits: list[Citation], own: tuple[str | None, str | None]) -> list[Citation]:
    """One entry per cited document; the first citation speaks for it."""
    docs: list[Citation] = []
    by_key: dict[tuple, Citation] = {}
    for c in cits:
        if (c.number, c.symbol) == own and c.symbol:
            continue
        # a full number names one document whatever type word is written with it
        # ("Thông báo kết luận số 215-TB/TU", later "Thông báo số 215-TB/TU")
        key = (c.number, c.year, c.symbol) if c.symbol else (c.doc_type, c.number, c.year, c.symbol)
        loose = (c.doc_type, c.number)
        first = by_key.get(key)
        if first is not None and first.term and c.term and first.term != c.term:
            first = None  # same number, another term: another document
            key = key + (c.term,)
        if first is None and c.symbol is None:
            first = by_key.get(loose)
        if first is None and c.symbol is not None:
            bare = by_key.get((c.doc_type, c.number, None, None))
            if bare is not None:  # "Quyết định số 326" first, its full number later
                bare.symbol, bare.year = c.symbol, c.year
                by_key[key] = bare
                first = bare
        if first is None:
            docs.append(c)
            by_key[key] = c
            by_key.setdefault(loose, c)
            continue
        first.spans.append((c.start, c.end))
        first.dates += c.dates
        first.issuer = first.issuer or c.issuer
        first.subject = first.subject or c.subject
    for d in docs:
        d.issued_date = _best_date(d)
    return docs


def _best_date(d: Citation) -> str | None:
    """The date of the first citation that gives one; when the number carries its year
    ("163/2024/QH15"), a date of that year beats an inconsistent one."""
    if d.year:
        for iso in d.dates:
            if iso.startswith(str(d.year)):
                return iso
    return d.dates[0] if d.dates else None


def extract(ctx) -> list[LegalRef]:
    text, view = ctx.text, ctx.view
    doc = ctx.result.document
    own = (doc.number, doc.symbol)
    docs = merge(find(text, view), own)
    index = {(d.doc_type, d.number): d for d in docs}
    for a, b, doc_type, num in short_mentions(view):
        d = index.get((doc_type, num))
        if d is not None and (a, b) != (d.start, d.end) and all(s[0] != a for s in d.spans) and \
                not (d.start <= a < d.end):
            d.spans.append((a, b))
    pre = ctx.layout.preamble_span or (0, 0)
    out = []
    for i, d in enumerate(docs):
        end = max(d.end, d.ext_end)
        while end > d.end and text[end - 1] in " \t\n,":
            end -= 1
        role = "basis" if pre[0] <= d.start < pre[1] else "mention"
        if d.symbol is None:
            ctx.warn("legal_refs", "warn_ref_no_symbol",
                     f"Số hiệu văn bản thiếu ký hiệu: “{clean(text[d.start:d.end])}”.")
        out.append(LegalRef(id=f"r{i + 1}", text=text[d.start:end], span=(d.start, end), doc_type=d.doc_type,
                            number=d.number, year=d.year, symbol=d.symbol, issued_date=d.issued_date,
                            issuer=d.issuer, subject=d.subject, role=role, cited_spans=sorted(d.spans)))
    return out
