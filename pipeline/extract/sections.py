"""The section tree: headings from the segmenter -> Section items with levels, parents,
spans that tile the body, and a kind from the heading words (lang/vi/sections.yaml).

Levels come from the marker types in their usual order (I. > 1. > 1.1. > a) > - > +),
counted along the actual ancestry, so a plan whose top level is "1." still has level 1.
"""
from __future__ import annotations

from functools import lru_cache

from ..lang.vi import load
from ..models import Section
from ..normalize import strip_diacritics
from ..segment import RANK, Layout


@lru_cache(maxsize=1)
def _kind_words() -> list[tuple[str, str]]:
    conf = load("sections")["kinds"]
    return [(strip_diacritics(w), kind) for kind, words in conf.items() for w in words]


def kind_of(heading: str) -> str | None:
    """The kind whose heading word comes first in `heading`; None when no word is known."""
    h = " " + strip_diacritics(heading) + " "
    best = None
    for word, kind in _kind_words():
        pos = h.find(" " + word)
        if pos == -1:
            continue
        key = (pos, -len(word))
        if best is None or key < best[0]:
            best = (key, kind)
    return best[1] if best else None


def build(lay: Layout) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []  # (rank, section)
    body_end = lay.body_span[1]
    for i, h in enumerate(lay.headings):
        rank = RANK[h.marker]
        if h.marker == "paren" and _title_letter(stack):
            rank = PAREN_UNDER_LETTER  # "c- Chi bộ Khoa Sản" over "(9) 100% phụ nữ …": the title's items
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        level = len(stack) + 1
        if h.marker in ("article", "part", "upper", "caps", "roman"):  # a top heading names its kind in its first words
            own = kind_of(h.heading[:120])
        elif h.marker in ("arabic", "task", "dotted", "letter") and len(h.heading) <= 120:
            own = kind_of(h.heading)
        else:
            own = None
        kind = own or (parent.kind if parent else "other")
        sec = Section(id=f"s{i + 1}", parent_id=parent.id if parent else None, level=level,
                      number=h.number, heading=h.heading, kind=kind, span=(h.start, body_end),
                      text=lay.text[h.start:h.end])
        sections.append(sec)
        stack.append((rank, sec))
    # A section ends where the next section at its level or above begins.
    for i, sec in enumerate(sections):
        for nxt in sections[i + 1:]:
            if nxt.level <= sec.level:
                sec.span = (sec.span[0], nxt.span[0])
                break
    return sections


PAREN_UNDER_LETTER = RANK["letter"] + 0.25


def _title_letter(stack) -> bool:
    """Whether the innermost open item is a letter item that is a title over items ("a- Về
    chuyên môn", "c- Chi bộ Khoa Sản và Chi bộ Khoa Nhi"), not a sentence of its own, or an
    item "(n)" already put under one."""
    while stack and stack[-1][0] == PAREN_UNDER_LETTER:
        stack = stack[:-1]
    if not stack or stack[-1][0] != RANK["letter"]:
        return False
    head = stack[-1][1].heading.strip(" *_")
    return len(head) <= 90 and not head.endswith((".", ";"))


def innermost(sections: list[Section], pos: int) -> Section | None:
    """The deepest section whose span holds `pos`."""
    best = None
    for sec in sections:
        if sec.span[0] <= pos < sec.span[1] and (best is None or sec.level >= best.level):
            best = sec
    return best
