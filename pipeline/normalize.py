"""Normalise: RawDoc text -> NFC text with an offset map back to the raw text.

What changes: Unicode NFC (inputs mix NFC and NFD), CR/CRLF line ends to LF, byte-order
marks and zero-width characters dropped, exotic spaces (NBSP, thin space…) to a plain
space. Nothing else: tone-mark placement ("hoà"/"hòa") and markdown are kept as written,
so quotes in the output are the document's own words; matching code compares through
`fold()` instead.

`view()` gives the analysis view: the same text, same length, with markdown markup
(`*`, `|` cell lines, `#` heading marks, `_`) blanked to spaces, so extractors can match
words across "**" debris while every offset stays valid in `text`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

DROP = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"}
SPACES = {"\u00a0", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
          "\u2007", "\u2008", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000"}


@dataclass
class NormDoc:
    text: str
    offsets: list[int]  # offsets[i] = raw index of text[i]; offsets[len(text)] = len(raw)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end]


def _chars(raw: str):
    """(raw index, char) after dropping invisible characters and unifying line ends/spaces."""
    n = len(raw)
    i = 0
    while i < n:
        ch = raw[i]
        if ch in DROP:
            i += 1
            continue
        if ch == "\r":
            yield i, "\n"
            i += 2 if i + 1 < n and raw[i + 1] == "\n" else 1
            continue
        yield i, " " if ch in SPACES else ch
        i += 1


_SPECIAL = regex.compile("[" + "".join(sorted(DROP | SPACES)) + "\r]")


def normalize(raw: str) -> NormDoc:
    if unicodedata.is_normalized("NFC", raw) and not _SPECIAL.search(raw):
        return NormDoc(raw, list(range(len(raw) + 1)))  # the common case: nothing to change
    if not _TRICKY.search(raw):
        doc = _normalize_spots(raw)
        if doc is not None:
            return doc
    return _normalize_all(raw)


_SPOTS = regex.compile("[" + "".join(sorted(DROP | SPACES)) + "\r]|\\p{M}+")
# a dropped or rewritten character right before a combining mark: leave it to the careful path
_TRICKY = regex.compile("[" + "".join(sorted(DROP | SPACES)) + "\r]\\p{M}")


def _normalize_spots(raw: str) -> NormDoc | None:
    """Mostly-clean text: copy it through and rewrite only the spots that need it (a base letter
    with its combining marks, a line end, an invisible or exotic space). None when the result
    would not be NFC (a rare character outside those spots), so the careful path takes over."""
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0

    def copy(upto: int) -> None:
        parts.append(raw[pos:upto])
        offsets.extend(range(pos, upto))

    for m in _SPOTS.finditer(raw):
        a = m.start()
        if a < pos:
            return None
        ch = raw[a]
        if ch == "\r":
            copy(a)
            parts.append("\n")
            offsets.append(a)
            pos = a + 2 if raw[a + 1:a + 2] == "\n" else a + 1
        elif ch in DROP:
            copy(a)
            pos = a + 1
        elif ch in SPACES:
            copy(a)
            parts.append(" ")
            offsets.append(a)
            pos = a + 1
        else:  # combining marks: recompose them with the letter before
            base = a - 1 if a > pos else a
            copy(base)
            composed = unicodedata.normalize("NFC", raw[base:m.end()])
            parts.append(composed)
            offsets.extend([base] * len(composed))
            pos = m.end()
    copy(len(raw))
    text = "".join(parts)
    if not unicodedata.is_normalized("NFC", text):
        return None
    offsets.append(len(raw))
    return NormDoc(text, offsets)


def _normalize_all(raw: str) -> NormDoc:
    """Character by character: every cluster recomposed."""
    out: list[str] = []
    offsets: list[int] = []
    chars = list(_chars(raw))
    k, n = 0, len(chars)
    while k < n:
        # A cluster: a base character with the combining marks that follow it.
        end = k + 1
        while end < n and unicodedata.combining(chars[end][1]):
            end += 1
        pos = chars[k][0]
        composed = unicodedata.normalize("NFC", "".join(c for _, c in chars[k:end]))
        for ch in composed:
            out.append(ch)
            offsets.append(pos)
        k = end
    offsets.append(len(raw))
    return NormDoc("".join(out), offsets)


def normalize_text(raw: str) -> str:
    return normalize(raw).text


_MARKUP = regex.compile(r"\*+|(?m)^[ \t]*\|[ \t]*$|(?m)^[ \t]*#{1,6}(?=[ \t])|(?<!\w)_+|_+(?!\w)|\\(?=[-*_.#|()\[\]])")


def view(text: str) -> str:
    """Analysis view: markup blanked to spaces, same length as `text`. A lone "*" opening a
    line before a space is a bullet ("* Ban chấp hành Đoàn xã:"), not emphasis: it stays."""
    def blank(m):
        a = m.start()
        if m.group() == "*" and text[a + 1:a + 2] in (" ", "\t") and text[text.rfind("\n", 0, a) + 1:a].strip(" \t") == "":
            return "*"
        return " " * len(m.group())
    return _MARKUP.sub(blank, text)


_LONE_NUMBER_LINE = regex.compile(r"(?m)^[ \t]*[-–]?[ \t]*\d{1,3}[ \t]*[-–]?[ \t]*$")
_LONE_NUMBER = regex.compile(r"[ \t]*[-–]?[ \t]*(?P<n>\d{1,3})[ \t]*[-–]?[ \t]*")


def blank_page_furniture(text: str, v: str) -> str:
    """Text copied out of a PDF keeps its page breaks: a page number alone on a line, and the
    running header repeated after (or before) it. They are blanked in the view together with
    their line breaks, so a sentence broken by a page reads on. Page numbers must rise
    through the text and there must be two of them; a number alone between table rules
    ("|" lines) is a cell, not a page number."""
    if len(_LONE_NUMBER_LINE.findall(text, concurrent=False)) < 2:
        return v  # no page numbers: the common case, decided without splitting the text
    lines = text.split("\n")  # the source's lines: table rules ("|") are blank in the view
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1

    def near(i, step):
        j = i + step
        while 0 <= j < len(lines) and not lines[j].strip():
            j += step
        return j if 0 <= j < len(lines) else None

    pages, last = [], 0
    for i, ln in enumerate(lines):
        m = _LONE_NUMBER.fullmatch(ln)
        if not m or int(m.group("n")) <= last:
            continue
        a, b = near(i, -1), near(i, 1)
        if any(j is not None and lines[j].strip() == "|" for j in (a, b)):
            continue
        pages.append(i)
        last = int(m.group("n"))
    if len(pages) < 2:
        return v
    counts: dict[str, int] = {}
    for ln in lines:
        key = ln.strip()
        if 0 < len(key) <= 120:
            counts[key] = counts.get(key, 0) + 1
    out = list(v)

    def blank(i):
        end = min(len(v), starts[i] + len(lines[i]) + 1)
        out[starts[i]:end] = " " * (end - starts[i])

    for i in pages:
        blank(i)
        for j in (i - 1, i + 1):  # the running header next to the page number
            if 0 <= j < len(lines) and counts.get(lines[j].strip(), 0) >= 2:
                blank(j)
    return "".join(out)


_WS = regex.compile(r"\s+")
_FOLD_STRIP = regex.compile(r"[*|#_]")


_BOLD_SEAM = regex.compile(r"(?<=\S)\*{4,}(?=\S)")


def clean(text: str) -> str:
    """A quoted fragment as one readable line: markup removed, whitespace collapsed.
    A bold run closing and the next opening ("đua****“Vì") was a line break: keep a space."""
    if "*" in text or "|" in text or "#" in text or "_" in text:
        text = _FOLD_STRIP.sub("", _BOLD_SEAM.sub(" ", text))
    return _WS.sub(" ", text).strip() if "  " in text or not text.isprintable() else text.strip()


def fold(text: str) -> str:
    """Comparison form (GOLD.md's matching rule): NFC, lower case, markup out, spaces collapsed."""
    return clean(unicodedata.normalize("NFC", text).lower())


# every combining mark dropped, "đ" read as "d"
_PLAIN = {cp: None for cp in range(0x0300, 0x0370)} | {ord("đ"): "d"}


def strip_diacritics(text: str) -> str:
    """ASCII-ish form for diacritic-insensitive search: 'Thanh niên' -> 'thanh nien'."""
    return unicodedata.normalize("NFD", text.lower()).translate(_PLAIN)


def last_match(pattern, text: str, pos: int = 0):
    """The last match of a compiled pattern in text[pos:], or None."""
    found = None
    for found in pattern.finditer(text, pos):  # noqa: B007 (keeps the last)
        pass
    return found
