"""Pandoc's grid tables (`+----+----+` borders, a cell's text wrapped over several `|` lines)
turned into markdown pipe rows, one row a line.

Plans converted from Word with pandoc carry their header block and their tables this way; a
cell's text is cut by the column edges on every line ("ngày 18 tháng 02 năm" / "2022"), so no
reader can find a date, a row or a body in it as it stands. Each row becomes one line, a cell's
lines joined by spaces and its paragraphs (a blank line inside the cell) by "<br>", as the
header and table readers take pipe tables. A block that does not keep to its columns (a cell
spanning two) is left as it is.
"""
from __future__ import annotations

import re
import unicodedata

BORDER = re.compile(r"^\+(?:[-=:]+\+){2,}[ \t]*$")
ROW_LINE = re.compile(r"^\|.*\|[ \t]*$")


def to_pipes(text: str) -> str:
    if "+-" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if BORDER.match(lines[i]):
            j = i + 1
            while j < len(lines) and (ROW_LINE.match(lines[j]) or BORDER.match(lines[j])):
                j += 1
            rows = _rows(lines[i:j])
            if rows is not None:
                out += rows
                i = j
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _rows(block: list[str]) -> list[str] | None:
    """The pipe rows of one grid table (a rule after the first), or None if it is not one."""
    if len(block) < 3 or not BORDER.match(block[-1]):
        return None
    edges = [k for k, ch in enumerate(block[0].rstrip()) if ch == "+"]
    rows: list[list[list[str]]] = []
    cur: list[list[str]] | None = None
    for line in block[1:]:
        if BORDER.match(line):
            if cur is not None:
                rows.append(cur)
            cur = None
            continue
        line = unicodedata.normalize("NFC", line.rstrip())  # columns counted in letters as shown
        if len(line) != edges[-1] + 1 or any(line[k] != "|" for k in edges):
            return None  # a cell spanning columns, or a ragged line: not ours to rebuild
        cur = cur or [[] for _ in edges[1:]]
        for c, (a, b) in enumerate(zip(edges, edges[1:])):
            cur[c].append(line[a + 1:b].strip())
    if not rows:
        return None
    out = []
    for r, cells in enumerate(rows):
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        if r == 0:
            out.append("|" + "---|" * len(cells))
    return out


def _cell(lines: list[str]) -> str:
    """A cell's lines: wrapped lines joined by a space, paragraphs by "<br>"."""
    paras, cur = [], []
    for s in lines + [""]:
        if s:
            cur.append(s)
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    return "<br>".join(p.replace("|", "/") for p in paras)
