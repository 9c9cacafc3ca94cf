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

# "điểm b khoản 2 Điều 1 Quyết định này", "gạch đầu dòng thứ nhất, thứ hai khoản 1 Mục II"
LEVEL = r"(?:phần|tiểu\s+mục|mục|khoản|điểm|tiết|điều|gạch\s+đầu\s+dòng)"
ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
LABEL = (r"(?:\(\d{1,2}\)|[IVXL]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ]|thứ\s+(?:" + "|".join(ORDINALS) + r"))(?![\p{L}\d])")
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


def chains(text: str) -> list[list[tuple[str, str]]]:
    """Every referenced section in `text` as (level word, label) pairs, innermost first."""
    return [chain for chain, _ in references(text)]


def references(text: str) -> list[tuple[list[tuple[str, str]], str]]:
    """(chain, named): each referenced section and the words naming which of its indicators
    are meant ("chỉ tiêu trồng cây xanh … tại mục III": "trồng cây xanh"; "" for all of them)."""
    out = []
    for m in [*REFERENCE.finditer(text), *PAREN_REFERENCE.finditer(text)]:
        # each part: [(level word, [labels])], "điểm a, b khoản 1" -> [("điểm", ["a", "b"]), ("khoản", ["1"])];
        # a level named again starts another part ("mục a, mục b khoản 2"), an outer one goes on
        # with the same ("gạch đầu dòng thứ nhất, khoản 2, Mục II")
        parts: list = []
        for x in LINK.finditer(m.group("chains")):
            link = (" ".join(x.group("level").lower().split()), ONE_LABEL.findall(x.group("labels")))
            if not parts or any(link[0] == lv for lv, _ in parts[-1]):
                parts.append([link])
            else:
                parts[-1].append(link)
        if not parts:
            continue
        named = " ".join((m.groupdict().get("named") or "").split())
        for i, p in enumerate(parts):
            # "điểm a, điểm b khoản 1 và khoản 2 mục II": a part takes the outer levels it lacks
            # from the parts after it (điểm a -> khoản 1 -> mục II)
            full = list(p)
            for later in parts[i + 1:]:
                full += [x for x in later if x[0] not in {lv for lv, _ in full}]
            out += [(chain, named) for chain in _expand(full)]
    return out


def _expand(part: list[tuple[str, list[str]]]) -> list[list[tuple[str, str]]]:
    """One chain per combination of labels: [("điểm", ["a", "b"]), ("khoản", ["1"])] ->
    [[("điểm", "a"), ("khoản", "1")], [("điểm", "b"), ("khoản", "1")]]."""
    return [list(zip((lv for lv, _ in part), combo)) for combo in itertools.product(*(lbs for _, lbs in part))]


def _label(s: str | None) -> str:
    """"II." -> "ii", "(2)" -> "2"; an ordinal as the number it is: "thứ hai" ("Phần thứ hai") -> "2"."""
    s = " ".join((s or "").split()).rstrip(".").strip("()").lower()
    return str(ORDINALS[s[4:]]) if s.startswith("thứ ") and s[4:] in ORDINALS else s


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

    def bullet(parent_id, label):
        """The n-th unnumbered item ("-", "+") under a section: "gạch đầu dòng thứ hai"."""
        items = [s for s in children.get(parent_id, []) if not s.number]
        n = int(label) if label.isdigit() else 0
        return [items[n - 1]] if 0 < n <= len(items) else []

    links = [(" ".join(lv.split()), _label(lb)) for lv, lb in reversed(chain)]
    if links[0][0] == "gạch đầu dòng":
        return None
    tops = [s for s in sections if s.parent_id is None and _label(s.number) == links[0][1]]
    current = tops or [s for s in sections if _label(s.number) == links[0][1]]
    for level, lb in links[1:]:
        if level == "gạch đầu dòng":
            current = [d for c in current for d in bullet(c.id, lb)]
        else:
            current = [d for c in current for d in descendants(c.id) if _label(d.number) == lb]
    if len(current) > 1:
        # "khoản 1 mục II" is the "1." right under II, not its item "(1)" numbered alike
        by_id = {s.id: s for s in sections}

        def has_ancestor_in(s, ids):
            while s.parent_id:
                if s.parent_id in ids:
                    return True
                s = by_id[s.parent_id]
            return False
        ids = {c.id for c in current}
        current = [c for c in current if not has_ancestor_in(c, ids)]
    return current[0].id if len(current) == 1 else None


# "Chủ trì thực hiện Chỉ tiêu 1, Chỉ tiêu 3", "Chỉ tiêu 6 và 7": indicators the plan numbered
# ("**Chỉ tiêu 1:** 50% dân số …") and gives, by number, to a body.
# also "chỉ tiêu (5), (6) và (7)", "các chỉ tiêu từ (1) đến (5)" (a range)
NAMED_INDICATOR = regex.compile(r"(?<![\p{L}])chỉ\s+tiêu\s+(?:số\s+)?(?:từ\s+)?\(?(?P<n>\d{1,2})\)?(?!\d|[.,/]\d)"
                                r"(?P<more>(?:\s*(?:,|và|đến|[-–])\s*(?:chỉ\s+tiêu\s+(?:số\s+)?)?\(?\d{1,2}\)?(?!\d|[.,/]\d))*)",
                                regex.IGNORECASE)
RANGE_TO = regex.compile(r"\s*(?:đến|[-–])\s*(?:chỉ\s+tiêu\s+(?:số\s+)?)?\(?(?P<n>\d{1,2})", regex.IGNORECASE)
INDICATOR_LABEL = regex.compile(r"(?m)^[\s*_\-+•]*chỉ\s+tiêu\s+(?:số\s+)?(?P<n>\d{1,2})[\s*_]*[:.)]", regex.IGNORECASE)


def indicator_numbers(text: str) -> list[str]:
    """The indicator numbers a sentence names: "Chỉ tiêu 1, Chỉ tiêu 3" -> ["1", "3"]."""
    out = []
    for m in NAMED_INDICATOR.finditer(text):
        out.append(m.group("n"))
        more, pos = m.group("more"), 0
        for d in regex.finditer(r"\d{1,2}", more):
            if RANGE_TO.match(more, pos) and RANGE_TO.match(more, pos).end() == d.end() and out[-1].isdigit():
                out += [str(k) for k in range(int(out[-1]) + 1, int(d.group()) + 1)]  # "(1) đến (5)"
            else:
                out.append(d.group())
            pos = d.end() + (1 if more[d.end():d.end() + 1] == ")" else 0)
    return out


AFTER_INDICATORS = regex.compile(rf"\s*(?:(?:nêu\s+|quy\s+định\s+)?(?:tại|ở|của|thuộc)\s+)?(?P<chains>{CHAIN})", regex.IGNORECASE)


def indicators_with_chains(text: str) -> list[tuple[list[str], list[list[tuple[str, str]]]]]:
    """Each mention of numbered indicators with the sections it says they are items of:
    "chỉ tiêu (1) và chỉ tiêu (4) khoản 1 mục II" -> [(["1", "4"], [[("khoản", "1"), ("mục", "II")]])];
    "chỉ tiêu (1) mục I và chỉ tiêu (2) khoản 1 mục II" -> one pair per mention."""
    out = []
    for m in NAMED_INDICATOR.finditer(text):
        after = AFTER_INDICATORS.match(text, m.end())
        if after:
            out.append((indicator_numbers(m.group()), chains(f"chỉ tiêu tại {after.group('chains')}")))
    return out


def indicator_label(view: str, pos: int, floor: int) -> str | None:
    """The number of the labelled indicator ("Chỉ tiêu 1:") whose paragraph holds `pos`."""
    found = None
    for m in INDICATOR_LABEL.finditer(view, max(floor, pos - 400), pos):
        found = m
    if found is None or "\n\n" in view[found.end():pos].replace(" ", ""):
        return None
    return found.group("n")
