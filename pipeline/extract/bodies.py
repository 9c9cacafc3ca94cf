"""Responsible bodies: every mention of an organisation, merged into one Body per organisation.

underthesea's NER does not tag organisation names in these plans, so bodies come from a
grammar (lang/vi/bodies.yaml): a head word ("Sở", "Ban", "Ủy ban nhân dân", "Tỉnh đoàn",
an abbreviation such as "UBND") followed by the name, capitalised words each possibly followed
by one lower-case syllable of the same word ("Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch"),
joined by "và" or a comma unless the next word opens another body ("Sở Tư pháp, Sở Nội vụ"),
then a locality ("tỉnh", "các xã, phường") and a place name. Groups named together ("Các
Huyện, Thành đoàn", "các sở, ban, ngành") are collective bodies. The header issuers are bodies
too, with their own mentions.

Matching runs on the analysis view with tone marks moved to one convention (same length, so
offsets hold); a mention's `text` is always `ctx.text[span[0]:span[1]]`. `name` is the
canonical form: abbreviations expanded ("Hội LHPN tỉnh" -> "Hội Liên hiệp Phụ nữ tỉnh"), one
tone-mark convention, whitespace collapsed. Mentions are merged by a key (no diacritics, lower
case); a bare name merges into its only localised form ("Hội Nông dân" -> "Hội Nông dân tỉnh").

Helpers for link.py and assignments.py (spans are offsets into ctx.text; they work on any
ctx whose result went through this stage, and rebuild their index from ctx.result.bodies
when ctx.body_index is missing):
    at(ctx, start, end)            -> list[(body_id, (m_start, m_end))]  mentions inside [start, end)
    heading_body(ctx, section)     -> body_id | None    the body a section heading opens with
    heading_bodies(ctx, section)   -> list[body_id]     all bodies the heading opens with, in order
    heading_mentions(ctx, section) -> list[Found]       the same as mentions (start, end, name)
    heading_start(ctx, section)    -> int               where the heading words begin
    issuer_bodies(ctx)             -> list[body_id]     the bodies of document.issuers
    author_bodies(ctx)             -> list[body_id]     issuers, else the preamble's enacting body
    ensure(ctx, span, found=None)  -> body_id | None    the body of a mention, created if new
    find(view, start, end, generic=False) -> list[Found]  every mention in a view, unmerged
    parse_name(text)               -> Found | None      the first body named in a short text
heading_body* may add a generic group ("Các cơ quan, đơn vị") as a body: they are named in a
heading, so a task is given to them.
"""
from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..lang.vi import load
from ..models import Body, Mention
from ..normalize import clean, strip_diacritics

_I = regex.IGNORECASE | regex.VERSION1

# ---------------------------------------------------------------- tone marks

_TONES = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _tone_table() -> dict[str, str]:
    """Old-style pairs ("oá", "uỷ") -> new-style ("óa", "ủy"), same length."""
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in _TONES:
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                old = f + unicodedata.normalize("NFC", s + mark)
                new = unicodedata.normalize("NFC", f + mark) + s
                table[old] = new
    return table


_TONE_TABLE = _tone_table()
_TONE_RE = regex.compile(r"(?<![qQ])(?:" + "|".join(sorted(_TONE_TABLE, key=len, reverse=True)) + r")(?!\p{L})")


def tone_fix(text: str) -> str:
    """One tone-mark convention ("Uỷ" -> "Ủy", "hoá" -> "hóa"); the length never changes.
    Names come back many times a document: short texts are remembered."""
    return _tone_fix_short(text) if len(text) < 160 else _tone_fix(text)


def _tone_fix(text: str) -> str:
    return _TONE_RE.sub(lambda m: _TONE_TABLE[m.group()], text)


_tone_fix_short = lru_cache(maxsize=8192)(_tone_fix)


# ---------------------------------------------------------------- vocabulary


def _ws_pattern(phrase: str) -> str:
    """A phrase as a pattern: any whitespace (one line break included) between its words."""
    out = []
    for part in regex.split(r"(\s+|,\s*|\s*-\s*)", phrase):
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        elif part.strip() == ",":
            out.append(r",\s*")
        elif part.strip() == "-":
            out.append(r"\s*-\s*")
        else:
            out.append(regex.escape(part))
    return "".join(out)


@dataclass(frozen=True)
class HeadInfo:
    canonical: str
    kind: str  # head | institution | complete | alias | abbr-part | locality | collective


@lru_cache(maxsize=1)
def _vocab():
    conf = load("bodies")
    heads: dict[str, HeadInfo] = {}
    for kind in ("heads", "institutions", "complete"):
        for h in conf[kind]:
            heads[_fold(h)] = HeadInfo(h, {"heads": "head", "institutions": "institution",
                                           "complete": "complete"}[kind])
    for alias, canon in conf["aliases"].items():
        heads[_fold(alias)] = HeadInfo(canon, "alias")
    head_words = sorted({h for k in ("heads", "institutions", "complete") for h in conf[k]}
                        | set(conf["aliases"]), key=len, reverse=True)
    abbrs = conf["abbreviations"]
    colls = conf["collectives"]
    tails = "|".join(conf["collective_tails"])
    locs = sorted(conf["localities"], key=len, reverse=True)
    # entries written as patterns ("khu vực [IVXL]+", lists of place words) are used as such
    loc_alt = "|".join(x.replace(" ", r"\s+") if any(ch in x for ch in "[(\\") else _ws_pattern(x)
                       for x in locs)
    return {
        "heads": heads,
        "abbr": abbrs,
        "collectives": colls,
        "start": StartPattern(head_words, sorted(abbrs, key=len, reverse=True), colls),
        "tail": regex.compile(rf"\s+(?:{tails})(?![\p{{L}}])", _I),
        "locality": regex.compile(rf"(?:{loc_alt})(?![\p{{L}}\p{{N}}&])", _I),
        "lower": regex.compile(r"(?:" + "|".join(_ws_pattern(w) for w in
                                                  sorted(conf["lower_words"], key=len, reverse=True))
                               + r")(?![\p{L}])", _I),
        "stop": set(conf["stop_words"]),
        "surnames": set(conf["surnames"]),
        "exclude": regex.compile(r"(?:" + "|".join(conf["exclude"]) + r")$", _I),
        "schemes": set(conf["schemes"]),
        "scheme_before": regex.compile(r"(?<![\p{L}])(?:" + "|".join(conf["scheme_before"]) + r")\s+$", _I),
        "scheme_after": regex.compile(r"\s+(?:" + "|".join(conf["scheme_after"]) + r")(?![\p{L}])", _I),
        "titles_at": regex.compile(r"(?:" + "|".join(_ws_pattern(t) for t in conf["person_titles"])
                                   + r")(?![\p{L}])"),
        "doc_word": regex.compile(r"(?:" + "|".join(
            _ws_pattern(d["name"]) for d in sorted(load("doc_types")["types"], key=lambda d: -len(d["name"])))
            + r")(?![\p{L}])", _I),
        "rewrites": [(a, regex.compile(rf"\b{regex.escape(a)}\b"), b) for a, b in conf["key_rewrites"].items()],
        "loc_canon": {_fold(x): x for x in locs if "[" not in x},
    }


_LEAD_WORD = regex.compile(r"\p{L}+")
# In a collective's pattern, the words that may open a match: at the start, opening a group
# or an alternative, or after an optional group. A superset is enough.
_PATTERN_OPENERS = regex.compile(r"(?:^|\(\?:|\||\)\?)(\p{L}+)")


class StartPattern:
    """Where a mention opens: a collective, an abbreviation or a head word, tried in that order.

    One pattern over every alternative costs ~3 µs a try, and it is tried at every capitalised
    word. So the alternatives are grouped by their first word (lower-cased) and each group is
    compiled apart, in the same order: a dict lookup of the word at `pos`, then a small pattern.
    The match has the groups `coll` (with `c<i>` for collective i), `abbr` and `head`."""

    def __init__(self, head_words: list[str], abbrs: list[str], collectives: list[dict]):
        groups: dict[str, tuple[list, list, list]] = {}

        def group(word: str):
            return groups.setdefault(word.lower(), ([], [], []))

        for i, c in enumerate(collectives):
            for w in set(_PATTERN_OPENERS.findall(c["pattern"])):
                group(w)[0].append(f"(?P<c{i}>{c['pattern']})")
        for a in abbrs:
            group(_LEAD_WORD.match(a).group())[1].append(regex.escape(a))
        for h in head_words:
            group(_LEAD_WORD.match(h).group())[2].append(_ws_pattern(h))
        self.alternatives = groups
        self.by_word: dict = {}  # compiled on first use: a document meets few of the words

    @staticmethod
    def _compile(colls: list[str], abbrs: list[str], heads: list[str]):
        never = "(?!)"
        return regex.compile(
            rf"(?=[\p{{Lu}}cChHđĐtT])(?<![\p{{L}}\p{{N}}&\-])"
            rf"(?:(?P<coll>(?i:{'|'.join(colls) or never}))|(?<!/)(?P<abbr>{'|'.join(abbrs) or never})"
            rf"|(?P<head>(?i:{'|'.join(heads) or never})))"
            r"(?![\p{L}\p{N}&])", regex.VERSION1)

    def _pattern(self, word: str):
        pattern = self.by_word.get(word)
        if pattern is None and word in self.alternatives:
            pattern = self.by_word[word] = self._compile(*self.alternatives[word])
        return pattern

    def starts(self, text: str, words) -> list[int]:
        """Positions where a mention opens, among the words the `words` pattern finds."""
        out = []
        alternatives, by_word = self.alternatives, self.by_word
        for w in words.finditer(text):
            key = w.group().lower()
            if key not in alternatives:
                continue  # most words open no mention: one set test, no call
            pattern = by_word.get(key) or self._pattern(key)
            if pattern.match(text, w.start()):
                out.append(w.start())
        return out

    def match(self, text: str, pos: int = 0):
        w = _LEAD_WORD.match(text, pos)
        pattern = self._pattern(w.group().lower()) if w else None
        return pattern.match(text, pos) if pattern is not None else None


def _fold(s: str) -> str:
    return " ".join(tone_fix(clean(s)).lower().split())


_PUNCT = regex.compile(r"\s*([,/-])\s*")
_VA = regex.compile(r",? va ")
_SPACE_COMMA = regex.compile(r"\s+,")


@lru_cache(maxsize=8192)
def key_of(name: str) -> str:
    """Merging key: no diacritics, lower case, no leading "các", punctuation spaced one way."""
    k = strip_diacritics(tone_fix(name))
    k = _PUNCT.sub(r"\1 ", k)
    k = _VA.sub(", ", " ".join(k.split()))
    for plain, old, new in _vocab()["rewrites"]:
        if plain in k:
            k = old.sub(new, k)
    return k[4:] if k.startswith("cac ") else k


# ---------------------------------------------------------------- the grammar

# Words of a name are separated by spaces and at most one line break; a tab inside a line
# separates table columns ("Sở Y tế\tHội Nông dân tỉnh"), so it ends the name.
TOKEN = regex.compile(
    r"(?P<pre> *(?:\n[ \t]*)?)(?P<sep>,|/|và(?=[ \t\n])|[-–](?= +\p{Lu}))?(?P<post> *(?:\n[ \t]*)?)"
    r"(?P<w>[\p{L}][\p{L}\p{M}&]*)")
CAP = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]*$")
ROMAN_WORD = regex.compile(r"[IVXL]{1,5}")
DOC_NUMBER_AFTER = regex.compile(r"\s*(?:số|[:]|\d)", regex.IGNORECASE)
NUMBERED_NAME = regex.compile(r"[ \t]+(?P<n>\d{1,3})(?![\d.,/])")
ABBR = regex.compile(r"\p{Lu}[\p{Lu}&]+$")
PLACE = regex.compile(r" *(?:\n[ \t]*)?\p{Lu}[\p{Ll}\p{M}]*"
                      r"(?: *(?:\n[ \t]*)?(?:- *)?\p{Lu}[\p{Ll}\p{M}]*)*")


@dataclass
class Found:
    """One mention before merging."""
    start: int
    end: int
    name: str  # canonical
    base: str  # key of the name without locality and place
    loc: str  # folded locality ("" when none)
    place: str  # folded place name ("" when none)
    generic: bool = False


# Heads of units whose names come in two parts joined by a dash.
DASH_HEADS = {"Ban", "Bộ phận", "Phòng", "Trung tâm", "Vụ", "Cục", "Chi cục", "Văn phòng", "Khoa"}


def _head_info(kind: str, text: str) -> HeadInfo | None:
    v = _vocab()
    if kind == "abbr":
        a = v["abbr"].get(text)
        if a is None:
            return None
        return HeadInfo(a["expand"], {"institution": "institution", "complete": "complete",
                                      "part": "abbr-part", "locality": "locality"}[a["kind"]])
    return v["heads"].get(_fold(text))


def _parse_at(tv: str, pos: int, depth: int = 0) -> Found | None:
    """The mention that starts at `pos` (a head word, abbreviation or collective), or None."""
    v = _vocab()
    m = v["start"].match(tv, pos)
    if not m:
        return None
    if m.group("coll") is not None:
        return _collective(tv, m)
    kind = "abbr" if m.group("abbr") is not None else "head"
    head_text = m.group(kind)
    if kind == "head":
        if not head_text[0].isupper():
            return None
        letters = [c for c in head_text if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            return None  # a heading in capitals ("BAN HÀNH"), not a name
    info = _head_info(kind, head_text)
    if info is None or info.kind in ("abbr-part", "locality"):
        return None
    parts = [info.canonical]
    end = m.end()
    words = 0  # name words after the head
    last_caps = 0  # capitalised syllables in a row at the end, with no separator between
    last_low = False
    nested = False
    loc = place = ""
    p = end
    while True:
        t = TOKEN.match(tv, p)
        if not t:
            break
        sep = t.group("sep")
        w = t.group("w")
        ws = t.group("pre") + t.group("post")
        if "\n" in t.group("pre") and "\n" in t.group("post"):
            break
        if sep is None and not ws:
            break
        if sep == "/":
            break
        wpos = t.start("w")
        if info.kind == "head" and not words and sep is None and w.lower() == "số" and \
                (dm := NUMBERED_NAME.match(tv, t.end("w"))):
            parts.append(" số " + dm.group("n"))  # "Chi nhánh số 1", "Đội số 3": a unit known by its number
            end = dm.end()
            words += 1
            break
        if info.kind == "alias":
            # a lower-case alias takes a locality only
            lm = v["locality"].match(tv, wpos) if sep is None else None
            if lm:
                loc, place, end = _locality(tv, lm)
                parts.append(_loc_canon(loc, tv[wpos:lm.end()]))
                if place:
                    parts.append(clean(tv[lm.end():end]))
            break
        # another body right here: a new body after a separator, part of this name without one
        sm = v["start"].match(tv, wpos)
        if sm and sm.group("coll") is None:
            sk = "abbr" if sm.group("abbr") is not None else "head"
            sinfo = _head_info(sk, sm.group(sk))
            if sinfo is not None and sinfo.kind not in ("abbr-part", "locality"):
                if sep is not None:
                    break
                if depth < 3 and sm.group(sk)[0].isupper():
                    inner = _parse_at(tv, wpos, depth + 1)
                    if inner is not None:
                        parts.append(inner.name)
                        end = inner.end
                        loc, place = inner.loc, inner.place
                        nested = True
                        break
                    parts.append(sinfo.canonical)
                    end = sm.end()
                    words += 1
                    # one syllable ("Bộ" in "Bộ đội") may take a lower-case one; a longer word not
                    last_caps, last_low = (1 if len(sm.group(sk).split()) == 1 else 2), False
                    p = end
                    continue
        if sep in (None, ","):
            lm = v["locality"].match(tv, wpos)
            if lm:
                if sep == ",":
                    break
                loc, place, end = _locality(tv, lm)
                parts.append(_loc_canon(loc, tv[wpos:lm.end()]))
                if place:
                    parts.append(clean(tv[lm.end():end]))
                break
        if sep in (",", "và") and (info.kind != "head" or not words):
            break  # "Hội, Đội các cấp", "Bộ Chính trị và Kế hoạch …": a list, not one name
        if sep in ("-", "–"):
            if not words or not CAP.match(w) or not ws or info.canonical not in DASH_HEADS:
                break  # "Sở Tài chính - Cơ quan thường trực …": an apposition
            # "Ban Chính sách - Pháp luật", "Phòng Lao động - Việc làm": one name in two parts
            lw = v["lower"].match(tv, wpos)
            parts.append(" - " + (clean(lw.group()) if lw else w))
            end = lw.end() if lw else t.end("w")
            words += 1
            last_caps, last_low = 1, False
            p = end
            continue
        if w[0].isupper() and v["titles_at"].match(tv, wpos):
            break  # "… và Thủ trưởng các cơ quan": a person, not part of the name
        if info.kind != "head" and not words and w in v["surnames"]:
            break  # "Thủ tướng Chính phủ Mai Văn Chính": a person's name follows
        doc = v["doc_word"].match(tv, wpos) if w[0].isupper() else None
        if doc and (words or sep is not None or DOC_NUMBER_AFTER.match(tv, doc.end())):
            break  # "… và Kế hoạch số 24/KH-UBND": a document, not part of the name ("Ban Kế hoạch – Hỗ trợ" is)
        if ABBR.match(w) and sep in (None, ",", "và"):
            a = v["abbr"].get(w)
            if a is None and (sep is not None or words):
                break  # an unknown abbreviation ("ĐVTN") only right after the head
            if a is not None and a["kind"] == "locality":
                if sep is None:
                    loc = _fold(a["expand"])
                    end = t.end("w")
                    parts.append(a["expand"])
                break
            parts.append((", " if sep == "," else " và " if sep == "và" else " ")
                         + (a["expand"] if a else w))
            end = t.end("w")
            words += 1
            last_caps, last_low = 1, False
            p = end
            continue
        if CAP.match(w) and "\n" in ws and w.lower() in v["stop"]:
            break  # "3. Sở Tài chính\nTham mưu …": a sentence starts on the next line
        if CAP.match(w) and sep in (None, ",", "và"):
            parts.append((", " if sep == "," else " và " if sep == "và" else " ") + w)
            end = t.end("w")
            words += 1
            last_caps = last_caps + 1 if sep is None and not last_low else 1
            last_low = False
            p = end
            continue
        if sep is None and w[0].islower():
            lw = v["lower"].match(tv, wpos)
            if lw and (words or info.kind != "head"):
                parts.append(" " + clean(lw.group()))
                end = lw.end()
                last_low, last_caps = True, 0
                p = end
                continue
            if (last_caps == 1 and not last_low and w.lower() not in v["stop"]):
                parts.append(" " + w)
                end = t.end("w")
                last_low, last_caps = True, 0
                p = end
                continue
        break
    if info.kind == "head" and not words and not nested and not (loc and (place or loc.startswith("các "))):
        # a bare head ("Ban", "Đoàn xã"); "Đoàn xã Đại Hồng" names its place, "Đoàn các xã,
        # thị trấn" and "Chi hội các thôn" the units of every place
        return None
    if info.kind == "institution" and not words and not nested and not loc:
        return None
    name = _join(parts)
    if v["exclude"].match(name):
        return None
    base = key_of(name if not loc else name[: len(name) - len(_loc_text(name, loc, place))])
    return Found(m.start(), end, name, base, loc, place)


def _loc_text(name: str, loc: str, place: str) -> str:
    """The locality and place at the end of a canonical name (for the base key)."""
    n = len(loc.split()) + len(place.split())
    words = name.split()
    return " ".join(words[-n:]) if n else ""


def _locality(tv: str, lm) -> tuple[str, str, int]:
    end = lm.end()
    place = ""
    pm = PLACE.match(tv, end) if not _fold(lm.group()).startswith("các ") else None  # "các xã, phường" names no place
    if pm and pm.group().strip():
        # a place name in capitals: "tỉnh Bến Tre", "thành phố Hồ Chí Minh"; not a sentence that
        # opens the next line ("Công an xã\nCung cấp số liệu …")
        lead = len(pm.group()) - len(pm.group().lstrip())
        first = pm.group().split()[0]
        next_line = "\n" in pm.group()[:lead]  # a sentence or a heading ("VI. TỔ CHỨC …") may open it
        if not _vocab()["start"].match(tv, pm.start() + lead) and \
                not (next_line and (first.lower() in _vocab()["stop"] or ROMAN_WORD.fullmatch(first))):
            place = " ".join(pm.group().split()).lower()
            end = pm.end()
    return _fold(lm.group()), place, end


def _loc_canon(loc: str, raw: str) -> str:
    """A locality as written in the canonical name: the YAML form when it has one."""
    canon = _vocab()["loc_canon"].get(loc)
    if canon is None or canon in ("Trung ương", "TP"):
        return clean(raw) if canon != "TP" else "thành phố"
    return canon


def _join(parts: list[str]) -> str:
    s = "".join(p if p[:1] in (" ", ",") else (" " + p if i else p) for i, p in enumerate(parts))
    s = _SPACE_COMMA.sub(",", s)
    return " ".join(s.split())


_GAP1 = regex.compile(r"[ \t]*(?:\n[ \t]*)?")


def _collective(tv: str, m) -> Found:
    v = _vocab()
    end = m.end()
    generic = False
    groups = m.groupdict()
    for i, c in enumerate(v["collectives"]):
        if groups.get(f"c{i}") is not None:
            generic = bool(c.get("generic"))
            break
    loc = ""
    tm = v["tail"].match(tv, end)
    t = _GAP1.match(tv, end)
    inner = _parse_at(tv, t.end()) if t.end() > end and v["start"].match(tv, t.end()) else None
    if inner is not None and inner.generic is False and not v["start"].match(tv, t.end()).group("coll"):
        # "Các cơ quan trực thuộc Bộ Văn hóa, …", "Các ban, đơn vị Trung ương Đoàn"
        end = inner.end
        loc = inner.loc
    elif tm:
        end = tm.end()
    else:
        t = _GAP1.match(tv, end)
        lm = v["locality"].match(tv, t.end()) if t else None
        if lm and t.end() > end:
            end = lm.end()
            loc = _fold(lm.group())
    name = clean(tv[m.start():end])
    name = name[:1].upper() + name[1:]
    return Found(m.start(), end, name, key_of(name), loc, "", generic)


# ---------------------------------------------------------------- scanning


def find(view: str, start: int = 0, end: int | None = None, generic: bool = False) -> list[Found]:
    """Every body mention in view[start:end], left to right, never overlapping.

    `view` is the analysis view (markup blanked); tone marks are unified here. The candidate
    starts and their parses are computed once per view and reused by later calls.
    Generic collectives ("các cơ quan, đơn vị") are left out unless `generic`.
    """
    import bisect
    st = _state(view)
    tv = st["tv"]
    end = len(tv) if end is None else end
    starts = st["starts"]
    parsed = st["parsed"]
    out: list[Found] = []
    i = bisect.bisect_left(starts, start)
    pos = start
    while i < len(starts) and starts[i] < end:
        p = starts[i]
        i += 1
        if p < pos:
            continue
        if p not in parsed:
            f = _parse_at(tv, p)
            parsed[p] = None if f is None or _quoted(tv, f.start) or _scheme(tv, f) else f
        f = parsed[p]
        if f is None or f.end > end or (f.generic and not generic):
            continue
        out.append(Found(f.start, f.end, f.name, f.base, f.loc, f.place, f.generic))
        pos = f.end
    return out


_LOCAL = threading.local()


# Where a name can open: a capital, or one of the few lower-case words that open a group or a
# head in running text ("các sở, ban, ngành", "hội đoàn thể", "đoàn trực thuộc", "trường …").
WORD_OPEN = regex.compile(r"(?<![\p{L}\p{N}&\-])(?:\p{Lu}\p{L}*|(?:các|cấp|chi|chính|câu|cơ|công|cục|hội|hiệp|học|huyện|hạt|"
                          r"đoàn|đội|đài|trường|trạm|trung|tòa|tổ|tổng|thành|thanh|tỉnh|thông)(?![\p{L}]))")


def _state(view: str) -> dict:
    """The tone-fixed view, its candidate starts and parses, kept (per thread) for the last
    few views seen: the stages call find() many times on one document's view."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = []
    for st in cache:
        if st["view"] is view:
            return st
    tv = tone_fix(view)
    # try the name grammar only where a word can open a name: far faster than an overlapped scan
    st = {"view": view, "tv": tv, "starts": _vocab()["start"].starts(tv, WORD_OPEN), "parsed": {}}
    if len(view) > 2000:  # short texts (one heading, one name) must not evict a document's view
        cache.insert(0, st)
        del cache[3:]
    return st


def _scheme(tv: str, f: Found) -> bool:
    """"tham gia BHXH tự nguyện": the insurance, not the agency that runs it."""
    v = _vocab()
    if f.name not in v["schemes"]:
        return False
    return bool(v["scheme_before"].search(tv, max(0, f.start - 20), f.start) or v["scheme_after"].match(tv, f.end))


def _quoted(tv: str, pos: int) -> bool:
    """A mention that opens a quoted title ("“Đoàn thanh niên chung tay …”") is not a body."""
    before = tv[max(0, pos - 3):pos].rstrip()
    return before.endswith(("“", '"'))


def parse_name(text: str) -> Found | None:
    """The first body named in a short text (tests, issuers, table cells)."""
    got = find(text)
    return got[0] if got else None


# ---------------------------------------------------------------- merging


class Index:
    """The bodies of one document and their mentions, for the helpers below."""

    def __init__(self):
        self.bodies: list[Body] = []
        self.by_key: dict[str, Body] = {}
        self.info: dict[str, tuple[str, str, str]] = {}  # body id -> (base, loc, place)
        self.mentions: list[tuple[int, int, str]] = []  # (start, end, body id), sorted
        self.from_issuer: set[str] = set()  # bodies named so far only by a header issuer
        self.issuer_ids: list[str] = []  # the bodies of document.issuers, in order

    def add(self, text: str, f: Found, issuer: bool = False) -> str:
        key = key_of(f.name)
        body = self.by_key.get(key)
        if body is None:
            body = Body(id=f"b{len(self.bodies) + 1}", name=f.name, mentions=[])
            self.bodies.append(body)
            self.by_key[key] = body
            self.info[body.id] = (f.base, f.loc, f.place)
            if issuer:
                self.from_issuer.add(body.id)
        elif body.id in self.from_issuer and not issuer:
            body.name = f.name  # the text's own spelling beats a name read from capitals
            self.from_issuer.discard(body.id)
        if f.end > f.start and all(tuple(mm.span) != (f.start, f.end) for mm in body.mentions):
            body.mentions.append(Mention(text=text[f.start:f.end], span=(f.start, f.end)))
            self.mentions.append((f.start, f.end, body.id))
        return body.id

    def merge(self) -> None:
        """A name without a place joins its only placed form ("Ủy ban nhân dân tỉnh" ->
        "… tỉnh Nghệ An"); then a bare name joins its only localised form ("Hội Nông dân" ->
        "Hội Nông dân tỉnh")."""
        self._apply(self._aliases(bare=False))
        self._apply(self._aliases(bare=True))

    def _aliases(self, bare: bool) -> dict[str, str]:
        groups: dict[str, list[Body]] = {}
        for b in self.bodies:
            groups.setdefault(self.info[b.id][0], []).append(b)
        alias: dict[str, str] = {}
        for members in groups.values():
            if len(members) < 2:
                continue
            for b in members:
                _, loc, place = self.info[b.id]
                if place or bool(loc) == bare:
                    continue
                others = [o for o in members if o is not b and (bare or self.info[o.id][1] == loc)
                          and o.id not in alias]
                if len({self.info[o.id][1:] for o in others}) == 1:
                    alias[b.id] = others[0].id
        return alias

    def _apply(self, alias: dict[str, str]) -> None:
        if not alias:
            return
        by_id = {b.id: b for b in self.bodies}

        def final(i: str) -> str:
            while i in alias:
                i = alias[i]
            return i

        for src in alias:
            dst = by_id[final(src)]
            dst.mentions.extend(by_id[src].mentions)
            if dst.id in self.from_issuer and src not in self.from_issuer:
                pass  # keep the issuer's fuller name (it carries the place)
        kept = [b for b in self.bodies if b.id not in alias]
        renum = {b.id: f"b{i + 1}" for i, b in enumerate(kept)}
        for src in alias:
            renum[src] = renum[final(src)]
        self.info = {renum[b.id]: self.info[b.id] for b in kept}
        self.from_issuer = {renum[i] for i in self.from_issuer if i in renum}
        for b in kept:
            b.mentions.sort(key=lambda mm: mm.span[0])
            b.id = renum[b.id]
        self.mentions = [(a, e, renum[i]) for a, e, i in self.mentions]
        self.bodies = kept
        self.by_key = {key_of(b.name): b for b in kept}

    def sort(self) -> None:
        self.mentions.sort()


def _issuer_found(ctx, name: str, span) -> Found | None:
    """An issuer as a mention: its header span, or its first occurrence in the text."""
    title = _titlecase(name)
    f = parse_name(title)
    if f is None:
        cleaned = clean(title)
        f = Found(0, 0, cleaned, key_of(cleaned), "", "")
    else:
        f = Found(0, 0, f.name, f.base, f.loc, f.place)
    a, b = span
    if b <= a:
        words = [regex.escape(w) for w in name.split()]
        pat = regex.compile(r"[\s*_]+".join(words), regex.IGNORECASE)
        m = pat.search(ctx.text)
        if m is None:
            return f
        a, b = m.span()
    f.start, f.end = a, b
    return f


def _titlecase(name: str) -> str:
    """"ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" -> "Ủy Ban Nhân Dân Tỉnh Nghệ An"; abbreviations kept."""
    abbr = _vocab()["abbr"]
    out = []
    for w in clean(name).split():
        out.append(w if w in abbr or w in ("TNCS",) else w[:1].upper() + w[1:].lower())
    return " ".join(out)


def extract(ctx) -> list[Body]:
    idx = Index()
    text = ctx.text
    issuer_spans = []
    for iss in ctx.result.document.issuers:
        f = _issuer_found(ctx, iss.name, iss.span)
        if f is not None:
            idx.add(text, f, issuer=True)
            issuer_spans.append((f.start, f.end, key_of(f.name)))
    for a, b in _scan_spans(ctx):
        for f in find(ctx.view, a, b):
            idx.add(text, f)
    idx.merge()
    idx.sort()
    for a, b, key in issuer_spans:
        bid = next((i for s, e, i in idx.mentions if (s, e) == (a, b)), None)
        if bid is None:  # an issuer found nowhere in the text: its body has no mention
            body = idx.by_key.get(key)
            bid = body.id if body else None
        if bid is not None and bid not in idx.issuer_ids:
            idx.issuer_ids.append(bid)
    ctx.body_index = idx
    return idx.bodies


def _scan_spans(ctx) -> list[tuple[int, int]]:
    """The text outside the header block and the signature / Nơi nhận blocks."""
    lay = ctx.layout
    cuts = sorted([lay.header_span] + list(lay.closing_spans))
    out, pos = [], 0
    for a, b in cuts:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < len(ctx.text):
        out.append((pos, len(ctx.text)))
    return out


# ---------------------------------------------------------------- helpers for other stages


def index(ctx) -> Index:
    idx = getattr(ctx, "body_index", None)
    if idx is None:
        idx = Index()
        for b in ctx.result.bodies:
            idx.bodies.append(b)
            idx.by_key[key_of(b.name)] = b
            f = parse_name(b.name)
            idx.info[b.id] = (f.base, f.loc, f.place) if f else (key_of(b.name), "", "")
            for mm in b.mentions:
                idx.mentions.append((mm.span[0], mm.span[1], b.id))
        idx.sort()
        ctx.body_index = idx
    return idx


def issuer_bodies(ctx) -> list[str]:
    """Body ids of the document's issuers (ctx.result.document.issuers), in their order."""
    idx = index(ctx)
    if not idx.issuer_ids:
        for iss in ctx.result.document.issuers:
            f = parse_name(_titlecase(iss.name))
            body = idx.by_key.get(key_of(f.name if f else clean(iss.name)))
            if body is not None and body.id not in idx.issuer_ids:
                idx.issuer_ids.append(body.id)
    return list(idx.issuer_ids)


_ENACTS = regex.compile(r"[\s*_]*(?:\([^)]{0,20}\)\s*)?(?:xây\s+dựng|ban\s+hành|phát\s+động|triển\s+khai"
                        r"|phối\s+hợp|thống\s+nhất)", _I)


def author_bodies(ctx) -> list[str]:
    """Who the plan is from: the issuers, else the body that opens the preamble's enacting
    sentence ("Ban Thường vụ Tỉnh Đoàn phát động thi đua …", "Ban Bí thư Trung ương Đoàn
    TNCS Hồ Chí Minh ban hành kế hoạch …")."""
    got = issuer_bodies(ctx)
    if got:
        return got
    pre = ctx.layout.preamble_span
    if not pre:
        return []
    for bid, (a, b) in at(ctx, *pre):
        line_start = ctx.view.rfind("\n", 0, a) + 1
        before = ctx.view[line_start:a]
        if (not before.strip(" \t*_") or before.rstrip().endswith((",", ")"))) and _ENACTS.match(ctx.view, b):
            return [bid]
    return []


def at(ctx, start: int, end: int) -> list[tuple[str, tuple[int, int]]]:
    """Body mentions inside [start, end) of ctx.text, in order: [(body_id, (m_start, m_end))]."""
    import bisect
    idx = index(ctx)
    i = bisect.bisect_left(idx.mentions, (start, -1, ""))
    out = []
    while i < len(idx.mentions) and idx.mentions[i][0] < end:
        a, b, bid = idx.mentions[i]
        if b <= end:
            out.append((bid, (a, b)))
        i += 1
    return out


# The units of territory a plan gives numbers to or makes answer for them ("xã Hiếu: 320 ha",
# "a) Thôn Đông Hải:", "Xã Long Sơn hoàn thành 03 tiêu chí"): their authority is the body.
PLACE_WORD = (r"(?:thành\s+phố|thị\s+xã|thị\s+trấn|huyện|quận|xã|phường|đặc\s+khu|thôn|ấp|bản|buôn|xóm|"
              r"(?:tổ\s+)?(?:dân\s+phố|khu\s+phố|khối\s+phố))")


def place(ctx, a: int, b: int) -> str | None:
    """The body of the place named at text[a:b] ("xã Mỹ Lộc", "Thôn Đông Hải"), created if new."""
    name = " ".join(ctx.text[a:b].split()).strip("*_ ")
    return ensure(ctx, (a, b), Found(a, b, name, key_of(name), "", "", generic=False))


def ensure(ctx, span: tuple[int, int], found: Found | None = None) -> str | None:
    """The body id of the mention at `span` (a generic collective included), creating the body
    and the mention when they are new. The body list in ctx.result is kept in step."""
    idx = index(ctx)
    for a, b, bid in idx.mentions:
        if (a, b) == tuple(span):
            return bid
    if found is None:
        got = find(ctx.view, span[0], span[1], generic=True)
        found = got[0] if got else None
    if found is None:
        return None
    bid = idx.add(ctx.text, found)
    idx.sort()
    ctx.result.bodies = idx.bodies
    return bid


_MARKER = regex.compile(
    r"[\s*_]*(?:(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[\s*_]*(?:[.)/:]|[-–](?=\s))[\s*_]*|[-–—•+][\s*_]*)?"
    r"(?:(?:Đề\s+nghị|Giao|Đối\s+với|(?:Trách\s+nhiệm|Nhiệm\s+vụ)\s+của)\s*:?[\s*_]*)?", regex.VERSION1)
_CHAIN_GAP = regex.compile(r"[\s*_]*(?:,|;|/|\bvà\b|,\s*và\b)?[\s*_]*$")


def heading_start(ctx, section) -> int:
    """Where the words of a section heading begin: after the marker and "Đề nghị"/"Giao"."""
    m = _MARKER.match(ctx.view, section.span[0], section.span[1])
    return m.end() if m else section.span[0]


def heading_mentions(ctx, section) -> list[Found]:
    """The bodies a section heading opens with ("8. Đề nghị Liên minh Hợp tác xã tỉnh, Đoàn
    TNCS Hồ Chí Minh tỉnh, …"): a run of mentions joined by commas or "và", generic
    collectives included ("- Các cơ quan, đơn vị căn cứ …")."""
    pos = heading_start(ctx, section)
    limit = min(section.span[1], pos + 400)
    got = find(ctx.view, pos, limit, generic=True)
    out: list[Found] = []
    cur = pos
    for f in got:
        if not _CHAIN_GAP.match(ctx.view[cur:f.start]) or (not out and f.start != pos):
            break
        out.append(f)
        cur = f.end
    return out


def heading_bodies(ctx, section) -> list[str]:
    """Body ids of the bodies a section heading opens with, creating generic collectives."""
    return [bid for f in heading_mentions(ctx, section)
            if (bid := ensure(ctx, (f.start, f.end), f)) is not None]


def heading_body(ctx, section) -> str | None:
    """The body a section heading names first ("1. Tỉnh đoàn", "a) Sở Tài chính - Cơ quan
    thường trực Ban Chỉ đạo", "- Hội LHPN tỉnh chủ động phối hợp …"), or None."""
    got = heading_bodies(ctx, section)
    return got[0] if got else None
