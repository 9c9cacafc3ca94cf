"""Text forms for full-text search, the query language, and snippets.

Why this module: SQLite's `unicode61` tokenizer cannot fold "đ" to "d" and keeps tone-mark
placement ("hoà" / "hòa") apart, so we index two forms of every text ourselves:
- `canon()`: tone marks moved to one placement (old style: "hoà" -> "hòa", "thuỷ" -> "thủy");
- `fold()`: lower case, diacritics stripped, "đ" -> "d".
Both keep the length of the text (one character in, one out), so a match found in either
form is at the same offsets in the original text: snippets and highlights come from there.

Query language (parsed here, never handed raw to FTS5, so users cannot trigger its syntax
errors): words are ANDed; "quoted phrases"; `word*` is a prefix; `a OR b`; `-word` excludes.
A query with no diacritics matches any diacritics; one with diacritics matches them exactly.
Case never matters.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import regex

# --- length-preserving text forms ---------------------------------------------------------

_TONED_SECOND = regex.compile(
    r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![^\W_])")
_PAIRS = {"o": "aeAE", "O": "aeAE", "u": "yY", "U": "yY"}


def _move_tone(m: regex.Match) -> str:
    first, second = m.group(1), m.group(2)
    base, *marks = unicodedata.normalize("NFD", second)
    if base not in _PAIRS[first]:
        return m.group(0)
    return unicodedata.normalize("NFC", first + "".join(marks)) + base


def canon(text: str) -> str:
    """One tone-mark placement: 'hoà' -> 'hòa', 'Uỷ' -> 'Ủy' (same length)."""
    return _TONED_SECOND.sub(_move_tone, text)


class _FoldTable(dict):
    """str.translate table built lazily: each character to one lower-case base letter."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if low == "đ":
            out = "d"
        else:
            base = [c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c)]
            out = base[0] if len(base) == 1 else low
        self[cp] = out
        return out


class _LowerTable(dict):
    def __missing__(self, cp: int) -> str:
        low = chr(cp).lower()
        out = low if len(low) == 1 else chr(cp)
        self[cp] = out
        return out


_FOLD = _FoldTable()
_LOWER = _LowerTable()
FOLD_VERSION = "1"  # bump when fold() or canon() change: the catalogue then re-indexes


def fold(text: str) -> str:
    """'Đoàn Thanh niên' -> 'doan thanh nien' (same length)."""
    return text.translate(_FOLD)


def lower_canon(text: str) -> str:
    """Lower case with one tone placement (same length): the exact-diacritics match form."""
    return canon(text).translate(_LOWER)


def has_diacritics(text: str) -> bool:
    return fold(text) != text.translate(_LOWER)


# --- queries -----------------------------------------------------------------------------


class QueryError(ValueError):
    """A query we cannot run; the message says what to fix, in Vietnamese."""


_WORD = regex.compile(r"[^\W_]+")
_LEX = regex.compile(r'\s*(?:(?P<neg>-)?"(?P<phrase>[^"]*)"(?P<pstar>\*)?|(?P<word>[^\s"]+))')


@dataclass
class Term:
    tokens: list[str]
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        return '"' + " ".join(self.tokens) + '"' + (" *" if self.prefix else "")


@dataclass
class Query:
    """A parsed query: AND of groups (each an OR of terms), minus excluded terms."""
    text: str
    exact: bool  # the query has diacritics: match them exactly
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    pattern: object = field(default=None, repr=False, compare=False)  # see _pattern()

    def expression(self, columns: tuple[str, ...]) -> str:
        """The FTS5 MATCH expression, restricted to `columns`."""
        parts = []
        for g in self.groups:
            alts = " OR ".join(t.fts() for t in g)
            parts.append(f"({alts})" if len(g) > 1 else alts)
        expr = " AND ".join(parts)
        for t in self.excluded:
            expr = f"({expr}) NOT {t.fts()}"
        return "{" + " ".join(columns) + "} : (" + expr + ")"

    def terms(self) -> list[Term]:
        return [t for g in self.groups for t in g]


def _tokens(raw: str, exact: bool) -> list[str]:
    form = lower_canon(raw) if exact else fold(raw)
    return _WORD.findall(form)


def parse(text: str) -> Query:
    """Parse the user's query; raises QueryError with a clear message when malformed."""
    if text.count('"') % 2:
        raise QueryError('Truy vấn thiếu dấu ngoặc kép đóng ("). Ví dụ: "thanh niên khởi nghiệp"')
    q = Query(text=text, exact=has_diacritics(text))
    pending_or = False
    pos = 0
    while pos < len(text):
        m = _LEX.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("phrase") is not None:
            raw, prefix, neg = m.group("phrase"), bool(m.group("pstar")), bool(m.group("neg"))
        else:
            raw = m.group("word")
            if raw == "OR":
                if not q.groups or pending_or:
                    raise QueryError("OR phải đứng giữa hai từ cần tìm, ví dụ: ma túy OR ma tuý")
                pending_or = True
                continue
            if raw in ("AND", "NOT"):
                raise QueryError(f"Không dùng {raw}; các từ đã được kết hợp với nhau, "
                                 "dùng dấu trừ để loại một từ, ví dụ: -nghèo")
            neg = raw.startswith("-") and len(raw) > 1
            raw = raw[1:] if neg else raw
            prefix = raw.endswith("*")
            raw = raw.rstrip("*")
        tokens = _tokens(raw, q.exact)
        if not tokens:
            continue
        term = Term(tokens, prefix, neg)
        if neg:
            q.excluded.append(term)
        elif pending_or:
            q.groups[-1].append(term)
        else:
            q.groups.append([term])
        pending_or = False
    if pending_or:
        raise QueryError("OR phải đứng giữa hai từ cần tìm, ví dụ: ma túy OR ma tuý")
    if not q.groups:
        if q.excluded:
            raise QueryError("Truy vấn chỉ có từ bị loại trừ; hãy thêm ít nhất một từ cần tìm.")
        raise QueryError("Truy vấn không có từ nào để tìm.")
    return q


# --- snippets ----------------------------------------------------------------------------

Parts = list[tuple[str, bool]]  # (text, is a match)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_LETTER_RANGES = (range(0x20, 0x250), range(0x1E00, 0x1F00))


def _groups(key) -> dict[str, str]:
    out: dict[str, set[str]] = {}
    for r in _LETTER_RANGES:
        for cp in r:
            ch = chr(cp)
            k = key(ch)
            if len(k) == 1:
                out.setdefault(k, set()).add(ch)
    return {k: "[" + "".join(regex.escape(c) for c in sorted(v)) + "]" for k, v in out.items()}


_FOLD_CLASSES = _groups(fold)
_EXACT_CLASSES = _groups(lambda ch: ch.lower())


def _placements(tok: str) -> set[str]:
    """'hòa' -> {'hòa', 'hoà'}: both tone placements that canon() merges."""
    out = {tok}
    if len(tok) >= 2 and tok[-1] in "aey":
        first = unicodedata.normalize("NFD", tok[-2])
        if len(first) == 2 and first[1] in _TONE_MARKS and (first[0] + tok[-1]) in ("oa", "oe", "uy") \
                and not (first[0] == "u" and tok[-3:-2] == "q"):
            out.add(tok[:-2] + first[0] + unicodedata.normalize("NFC", tok[-1] + first[1]))
    return out


def _token_re(tok: str, exact: bool) -> str:
    """A regex matching `tok` in the original text: any case, and any diacritics unless exact."""
    classes = _EXACT_CLASSES if exact else _FOLD_CLASSES
    alts = [("".join(classes.get(c, regex.escape(c)) for c in t)) for t in sorted(_placements(tok) if exact else {tok})]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _pattern(query: Query) -> regex.Pattern | None:
    """One regex for all the query's terms, group `t<i>` for term i; compiled once per query."""
    if query.pattern is None:
        alts = []
        for i, t in enumerate(query.terms()):
            body = r"[\W_]+".join(_token_re(tok, query.exact) for tok in t.tokens)
            alts.append(f"(?P<t{i}>" + r"(?<![^\W_])" + body + (r"[^\W_]*" if t.prefix else r"(?![^\W_])") + ")")
        query.pattern = regex.compile("|".join(alts)) if alts else False
    return query.pattern or None


def matches(text: str, query: Query, limit: int = 60) -> list[tuple[int, int, str]]:
    """(start, end, term group) of the query's terms in `text`: searched in the original text
    with character classes (no folded copy of a long text is made at query time)."""
    pat = _pattern(query)
    if pat is None:
        return []
    out = []
    for m in pat.finditer(text):
        out.append((m.start(), m.end(), m.lastgroup))
        if len(out) >= limit:
            break
    return out


_WS = regex.compile(r"[\s*#|_]+")


def _clean(s: str) -> str:
    return _WS.sub(" ", s)


def snippet(text: str, query: Query | None, width: int = 220) -> Parts:
    """A window of `text` around the densest cluster of matches, matches marked."""
    spans = matches(text, query) if query else []
    if not spans:
        head = _clean(text[:width]).strip()
        return [(head + ("…" if len(text) > width else ""), False)] if head else []
    best, best_n = spans[0][0], (0, 0)
    counts: dict[str, int] = {}
    j = 0
    for i, (a, _, key) in enumerate(spans):  # sliding window over the matches
        while j < len(spans) and spans[j][0] < a + width:
            counts[spans[j][2]] = counts.get(spans[j][2], 0) + 1
            j += 1
        n = (len(counts), j - i)  # most distinct terms, then most matches
        if n > best_n:
            best, best_n = a, n
        counts[key] -= 1
        if not counts[key]:
            del counts[key]
    start = max(0, best - width // 4)
    while start > 0 and not text[start - 1].isspace() and best - start < width // 2:
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    parts: Parts = [("…" if start > 0 else "", False)]
    cur = start
    for a, b, _ in spans:
        if a < cur or a >= end:
            continue
        b = min(b, end)
        gap = text[cur:a]
        if parts[-1][1] and not gap.strip():  # "«thanh niên»", not "«thanh» «niên»"
            parts[-1] = (parts[-1][0] + _clean(gap + text[a:b]), True)
        else:
            parts.append((_clean(gap), False))
            parts.append((_clean(text[a:b]), True))
        cur = b
    parts.append((_clean(text[cur:end]) + ("…" if end < len(text) else ""), False))
    parts = [(s, hit) for s, hit in parts if s]
    if parts:
        parts[0] = (parts[0][0].lstrip(), parts[0][1])
        parts[-1] = (parts[-1][0].rstrip(), parts[-1][1])
    return parts


def marked(parts: Parts) -> str:
    """Snippet parts as one string, matches between « and »."""
    return "".join(f"«{s}»" if hit else s for s, hit in parts)
