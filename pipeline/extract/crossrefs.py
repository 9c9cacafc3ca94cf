"""References to the plan's own sections: "các chỉ tiêu tại mục a, mục b khoản 2 phần II Kế
hoạch này", "(chỉ tiêu tại điểm b mục 2.2)". Offices assign whole groups of targets this way in
Tổ chức thực hiện and in task tables, so the link stage can give those targets their lead.

A reference is a list of chains; each chain names a section from the innermost level out
("mục a khoản 2 phần II" is II > 2 > a). A shorter chain before the last one shares the last
one's outer levels ("mục a, mục b khoản 2 phần II" is II > 2 > a and II > 2 > b). A chain is
resolved in the section tree from its outermost label down, through descendants; it counts
only when exactly one section answers.
"""
from __future__ import annotations

import itertools

import regex

LEVEL = r"(?:phần|tiểu\s+mục|mục|khoản|điểm|tiết|điều)"  # "điểm b khoản 2 Điều 1 Quyết định này"
LABEL = r"(?:[IVXL]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])(?![\p{L}\d])"
LABELS = rf"{LABEL}(?:\s*(?:,|và)\s*{LABEL})*"  # "điểm a, b, c, d khoản 1 Mục II": four points of one khoản
CHAIN = rf"{LEVEL}\s+{LABELS}(?:\s*,?\s*{LEVEL}\s+{LABELS})*"
# "các chỉ tiêu tại mục a", "chỉ tiêu tỷ lệ số hóa hồ sơ … nêu tại điểm a khoản 2 Mục II"; not
# "(chỉ tiêu số 4 tại khoản 1 Mục II)": one numbered indicator of a section, not all of it
REFERENCE = regex.compile(
    rf"(?:chỉ\s+tiêu|mục\s+tiêu|nhiệm\s+vụ|nội\s+dung)(?:\s+(?:nêu\s+|quy\s+định\s+)?(?:tại|ở|theo)"
    rf"|(?P<named>(?:\s+(?!số\s+\d)[^\s;.:()]+){{1,24}}?)\s+(?:nêu\s+tại|quy\s+định\s+tại|tại))\s+"
    rf"(?P<chains>{CHAIN}(?:\s*(?:,|và|;)\s*{CHAIN})*)", regex.IGNORECASE)
# a bare pointer closing a task: "Tập huấn kỹ năng số (điểm 1.2 mục II)" (all of that section)
PAREN_REFERENCE = regex.compile(rf"\(\s*(?:tại\s+|theo\s+|xem\s+)?(?P<chains>{CHAIN}(?:\s*(?:,|và|;)\s*{CHAIN})*)\s*\)",
                                regex.IGNORECASE)
LINK = regex.compile(rf"(?P<level>{LEVEL})\s+(?P<labels>{LABELS})", regex.IGNORECASE)
ONE_LABEL = regex.compile(LABEL, regex.IGNORECASE)
SPLIT = regex.compile(rf"\s*(?:,|và|;)\s*(?={LEVEL}\s)", regex.IGNORECASE)


def chains(text: str) -> list[list[tuple[str, str]]]:
    """Every referenced section in `text` as (level word, label) pairs, innermost first."""
    return [chain for chain, _ in references(text)]


def references(text: str) -> list[tuple[list[tuple[str, str]], str]]:
    """(chain, named): each referenced section and the words naming which of its indicators
    are meant ("chỉ tiêu trồng cây xanh … tại mục III": "trồng cây xanh"; "" for all of them)."""
    out = []
    for m in [*REFERENCE.finditer(text), *PAREN_REFERENCE.finditer(text)]:
        # each part: [(level word, [labels])], "điểm a, b khoản 1" -> [("điểm", ["a", "b"]), ("khoản", ["1"])]
        parts = [[(" ".join(x.group("level").lower().split()), ONE_LABEL.findall(x.group("labels")))
                  for x in LINK.finditer(p)] for p in SPLIT.split(m.group("chains"))]
        parts = [p for p in parts if p]
        if not parts:
            continue
        named = " ".join((m.groupdict().get("named") or "").split())
        last = parts[-1]
        for p in parts[:-1]:
            # "mục a, mục b khoản 2 phần II": "mục a" takes the levels of the last chain above its own
            levels = [lv for lv, _ in p]
            outer = [x for x in last if x[0] not in levels]
            out += [(chain, named) for chain in _expand(p + outer if len(p) < len(last) else p)]
        out += [(chain, named) for chain in _expand(last)]
    return out


def _expand(part: list[tuple[str, list[str]]]) -> list[list[tuple[str, str]]]:
    """One chain per combination of labels: [("điểm", ["a", "b"]), ("khoản", ["1"])] ->
    [[("điểm", "a"), ("khoản", "1")], [("điểm", "b"), ("khoản", "1")]]."""
    return [list(zip((lv for lv, _ in part), combo)) for combo in itertools.product(*(lbs for _, lbs in part))]


def _label(s: str | None) -> str:
    return (s or "").strip().rstrip(".").lower()


def resolve(sections, chain: list[tuple[str, str]]) -> str | None:
    """The id of the one section a chain names, or None."""
    children: dict = {}
    for s in sections:
        children.setdefault(s.parent_id, []).append(s)

    def descendants(parent_id):
        stack = list(children.get(parent_id, []))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(children.get(s.id, []))

    labels = [_label(lb) for _, lb in reversed(chain)]
    tops = [s for s in sections if s.parent_id is None and _label(s.number) == labels[0]]
    current = tops or [s for s in sections if _label(s.number) == labels[0]]
    for lb in labels[1:]:
        current = [d for c in current for d in descendants(c.id) if _label(d.number) == lb]
    return current[0].id if len(current) == 1 else None


# "Chủ trì thực hiện Chỉ tiêu 1, Chỉ tiêu 3", "Chỉ tiêu 6 và 7": indicators the plan numbered
# ("**Chỉ tiêu 1:** 50% dân số …") and gives, by number, to a body.
NAMED_INDICATOR = regex.compile(r"(?<![\p{L}])chỉ\s+tiêu\s+(?:số\s+)?(?P<n>\d{1,2})(?!\d|[.,/]\d)"
                                r"(?P<more>(?:\s*(?:,|và)\s*(?:chỉ\s+tiêu\s+(?:số\s+)?)?\d{1,2}(?!\d|[.,/]\d))*)",
                                regex.IGNORECASE)
INDICATOR_LABEL = regex.compile(r"(?m)^[\s*_\-+•]*chỉ\s+tiêu\s+(?:số\s+)?(?P<n>\d{1,2})[\s*_]*[:.)]", regex.IGNORECASE)


def indicator_numbers(text: str) -> list[str]:
    """The indicator numbers a sentence names: "Chỉ tiêu 1, Chỉ tiêu 3" -> ["1", "3"]."""
    out = []
    for m in NAMED_INDICATOR.finditer(text):
        out.append(m.group("n"))
        out += regex.findall(r"\d{1,2}", m.group("more"))
    return out


def indicator_label(view: str, pos: int, floor: int) -> str | None:
    """The number of the labelled indicator ("Chỉ tiêu 1:") whose paragraph holds `pos`."""
    found = None
    for m in INDICATOR_LABEL.finditer(view, max(floor, pos - 400), pos):
        found = m
    if found is None or "\n\n" in view[found.end():pos].replace(" ", ""):
        return None
    return found.group("n")
