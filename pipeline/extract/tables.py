"""Tables written in the text, read back into rows and cells (spans into the text).

Three shapes reach the pipeline:
- flattened cells, as the web exports of Word files write them: every cell between two lines
  holding only "|", and a row closed by an empty cell ("|" twice);
- markdown rows: "| STT | Chỉ tiêu | Năm 2026 |", one row a line, "|---|" rules skipped;
- tab-separated rows, as typed text keeps a Word table (three columns or more);
- rows typed with runs of spaces between columns (three cells or more a line).
A table's first rows without a number are its header; merged header cells are spread back
over the columns they span (a group heading over its year columns: "Giai đoạn 2026 - 2030"
over "Năm 2026" … "Năm 2030"), so every column gets the words that head it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..normalize import fold

Cell = tuple[int, int]  # span of the cell's text (start == end for an empty cell)

RULE_ROW = regex.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
MD_ROW = regex.compile(r"^\s*\|(?:[^|\n]*\|){2,}\s*$")


@dataclass
class Table:
    span: tuple[int, int]
    columns: list[str]  # folded header words of each column
    rows: list[list[Cell]] = field(default_factory=list)  # data rows, each len(columns) cells or fewer

    def row_span(self, row: list[Cell]) -> tuple[int, int]:
        filled = [c for c in row if c[1] > c[0]]
        return (filled[0][0], filled[-1][1]) if filled else row[0]


def find(text: str, a: int, b: int) -> list[Table]:
    """Every table inside text[a:b], in order."""
    piped = "|" in text[a:b]
    found = (_flattened(text, a, b) + _markdown(text, a, b) + _bare_pipes(text, a, b) if piped else []) + \
        (_tabbed(text, a, b) if "\t" in text[a:b] else [])
    for more in (_stacked, _spaced):
        taken = [t.span for t in found]
        found += [t for t in more(text, a, b) if not any(x < t.span[1] and t.span[0] < y for x, y in taken)]
    return sorted(found, key=lambda t: t.span[0])


# ---------------------------------------------------------------- flattened cells

MAX_CELL_LINES = 12  # a longer run of lines between "|" lines is text, not a cell


PIPE_LINE = regex.compile(r"^[ \t]*\|[ \t]*$", regex.MULTILINE)


def _pipe_runs(text: str, a: int, b: int) -> list[list[tuple[int, int, bool]]]:
    """Groups of lines (start, end, is_pipe) where "|" lines recur: each group one table.
    A run ends where the lines between two "|" lines hold a blank line (cells hold none) or
    more than MAX_CELL_LINES lines; in a run whose lines all stand a blank line apart (a
    PDF's layout), where they stop doing so."""
    def typed(lines):
        return len(lines) <= MAX_CELL_LINES and all(x.strip() for x in lines)

    runs, cur, prev_end, spaced = [], [], None, False
    for m in PIPE_LINE.finditer(text, a, b):
        if cur:
            gap = text[prev_end + 1:m.start()]
            lines = gap.split("\n")[:-1] if gap else []
            if len(cur) == 1:  # the run's first gap decides: "|", "", "12", "", "|" is a PDF's layout
                spaced = _alternate(lines)
            if not (_alternate(lines) if spaced else typed(lines)):
                # the run ends; a cell typed after its last "|" opens the next one there
                last = cur.pop() if spaced and typed(lines) else None
                runs.append(cur)
                cur, spaced = ([last] if last else []), False
            if cur:
                pos = prev_end + 1
                for x in lines:
                    cur.append((pos, pos + len(x), False))
                    pos += len(x) + 1
        cur.append((m.start(), m.end(), True))
        prev_end = m.end()
    if cur:
        runs.append(cur)
    return [run for run in runs if sum(1 for x in run if x[2]) >= 6]


def _alternate(lines: list[str]) -> bool:
    """Lines a blank line apart, a blank line first and last ("", "12", ""; or ""): the gap
    between two "|" lines when a PDF's layout put a blank line after every line."""
    return len(lines) % 2 == 1 and len(lines) <= 2 * SPACED_CELL_LINES + 1 and \
        all(bool(x.strip()) == (i % 2 == 1) for i, x in enumerate(lines))


SPACED_CELL_LINES = 2  # a cell's paragraphs in a PDF's layout: more is text between two tables


def _flattened(text: str, a: int, b: int) -> list[Table]:
    tables = []
    for run in _pipe_runs(text, a, b):
        cells: list[Cell] = []
        cs = ce = None
        for s, e, is_pipe in run:
            if is_pipe:
                if cs is not None:
                    cells.append((cs, ce))
                elif cells or s > run[0][0]:
                    cells.append((s, s))  # an empty cell: "|" right after "|"
                cs = ce = None
            elif text[s:e].strip():
                cs = s if cs is None else cs
                ce = e
        rows = _rows_of(cells)
        table = _build(text, rows, (run[0][0], run[-1][1]))
        if table is not None:
            tables.append(table)
    return tables


def _rows_of(cells: list[Cell]) -> list[list[Cell]]:
    """Cells into rows: an empty cell closes a row. Genuinely empty cells inside a row close
    it too; the row is then shorter than the table and its cells are matched from the left."""
    rows, cur = [], []
    for c in cells:
        if c[1] == c[0]:
            if cur:
                rows.append(cur)
            cur = []
        else:
            cur.append(c)
    if cur:
        rows.append(cur)
    return rows


# ---------------------------------------------------------------- one row a line (markdown, tabs)

TAB_ROW = regex.compile(r"^[^\t\n]*(?:\t[^\t\n]*){2,}$")


def _markdown(text: str, a: int, b: int) -> list[Table]:
    return _line_rows(text, a, b, lambda line: MD_ROW.match(line) is not None, md_cells,
                      skip=lambda line: RULE_ROW.match(line) is not None)


BARE_ROW = regex.compile(r"^[ \t]*[^|\s][^|\n]*(?:\|[^|\n]*){2,}$")


def _bare_pipes(text: str, a: int, b: int) -> list[Table]:
    """Pipe rows without the outer bars ("TT | Chỉ tiêu | Cơ quan chủ trì"), as typed text and
    some exports keep a table."""
    return _line_rows(text, a, b, lambda line: BARE_ROW.match(line) is not None,
                      lambda line, s: md_cells("|" + line + "|", s - 1),
                      skip=lambda line: RULE_ROW.match(line) is not None)


def _tabbed(text: str, a: int, b: int) -> list[Table]:
    return _line_rows(text, a, b, lambda line: bool(TAB_ROW.match(line) and line.strip()), _tab_cells)


# A row typed with spaces for columns: three cells or more, two spaces or more between them.
SPACED_GAP = regex.compile(r"(?<=\S)[ ]{2,}(?=\S)")


def _spaced(text: str, a: int, b: int) -> list[Table]:
    """Tables typed in plain text with runs of spaces between the columns ("1    Huyện Nam Trà
    96    30"), as a plan saved as text or copied from a PDF's layout keeps them."""
    return _line_rows(text, a, b, lambda line: len(SPACED_GAP.findall(line)) >= 2 and "\t" not in line
                      and "|" not in line, _spaced_cells, aligned=True)


def _align_header(text: str, rows: list[list[Cell]]) -> list[list[Cell]]:
    """A header line of a space-aligned table that holds fewer cells than the first ("(%)" under
    "Thôn, TDP văn hóa", "sửa chữa (nhà)" under "Nhà văn hóa xây mới,"): each cell goes under
    the column its characters stand under, the others left empty, as markdown keeps them. Only
    the lines before the first numbered row are header lines."""
    def col(c: Cell) -> tuple[int, int]:
        start = text.rfind("\n", 0, c[0]) + 1
        return c[0] - start, c[1] - start
    top = [col(c) for c in rows[0]]
    out = [rows[0]]
    for i, row in enumerate(rows[1:], 1):
        if ROW_LABEL.match(text[row[0][0]:row[0][1]]):
            return out + rows[i:]  # the body: its rows as they are
        if len(row) >= len(top):
            out.append(row)
            continue
        padded: list[Cell] = [(c[0], c[0]) for c in rows[0]]
        for c in row:
            x0, x1 = col(c)
            j = max(range(len(top)), key=lambda k: min(x1, top[k][1] + 8) - max(x0, top[k][0] - 8))
            if padded[j][1] > padded[j][0]:
                return rows  # two cells under one column: not a header line of this shape
            padded[j] = c
        out.append(padded)
    return out


def _spaced_cells(line: str, s: int) -> list[Cell]:
    lead = len(line) - len(line.lstrip())
    return [(s + m.start(), s + m.end()) for m in regex.finditer(r"\S+(?: \S+)*", line, pos=lead)]


def _line_rows(text: str, a: int, b: int, is_row, cells_of, skip=lambda line: False,
               aligned: bool = False) -> list[Table]:
    """Tables whose rows are consecutive lines: `is_row` says which lines are rows, `cells_of`
    cuts one into cells, `skip` names lines inside a table that are no row ("|---|"). Rows
    each followed by one blank line, as a PDF's layout gives them back, are one table too: a
    blank line continues a table whose first rows were so spaced, and ends one whose were not."""
    tables, rows, start = [], [], None
    spaced = None  # whether this table's rows stand a blank line apart
    lines = text[a:b].split("\n") + [""]
    pos = a
    for i, line in enumerate(lines):
        s = pos
        pos += len(line) + 1
        if is_row(line) or (rows and skip(line)):
            start = s if start is None else start
            if not skip(line):
                if rows and spaced is None:
                    spaced = not lines[i - 1].strip()
                rows.append(cells_of(line, s))
            continue
        if rows and spaced is not False and not line.strip() and i + 1 < len(lines) and is_row(lines[i + 1]):
            continue  # a blank line between rows spaced apart (or after the first row: decided at the second)
        if rows:
            table = _build(text, _align_header(text, rows) if aligned else rows, (start, s - 1))
            if table is not None:
                tables.append(table)
        rows, start, spaced = [], None, None
    return tables


def md_cells(line: str, s: int) -> list[Cell]:
    """The cells of a markdown row "| a | b |" starting at offset s, trimmed (an empty one as an empty span)."""
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    out = []
    for x, y in zip(bars, bars[1:]):
        inner = line[x + 1:y]
        lead = len(inner) - len(inner.lstrip())
        out.append((s + x + 1 + lead, s + x + 1 + len(inner.rstrip())) if inner.strip() else (s + y, s + y))
    return out


def _tab_cells(line: str, s: int) -> list[Cell]:
    cells, x = [], s
    for part in line.split("\t"):
        lead = len(part) - len(part.lstrip())
        cells.append((x + lead, x + len(part.rstrip())) if part.strip() else (x, x))
        x += len(part) + 1
    return cells


# ---------------------------------------------------------------- one cell a line (text copied from a PDF)

STT_LINE = regex.compile(r"^[ \t*_]*(?:STT|TT|Stt|Số\s+TT)[ \t*_]*$", regex.MULTILINE)
LINE = regex.compile(r"[^\n]*")
NUMBER_LINE = regex.compile(r"[\s*_]*(?P<n>\d{1,3})[\s*_.]*")
FURNITURE_LINE = regex.compile(r"[\s*_]*(?:[-–—]+|[-–—]\s*\d{1,3}\s*[-–—]|Trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?)[\s*_]*")
TOTAL_LINE = regex.compile(r"[\s*_]*(?i:tổng\s+cộng|tổng\s+số|tổng|cộng|toàn\s+(?:tỉnh|huyện|xã|thành\s+phố))[\s*_:]*")
STACK_HEADER_LINES = 16  # header cells between "STT" and the first row
STACK_MAX_CELLS = 10


def _stacked(text: str, a: int, b: int) -> list[Table]:
    """Tables written one cell a line, as a PDF's text layer gives them: "STT", the other
    header cells (a heading wrapped over two lines joined again), then rows each opening on
    its running number (1, 2, 3 …) and an optional total row. The number of columns is what
    the rows agree on. Page furniture inside ("-", "3", "-" at a page break) is passed over."""
    tables = []
    for m in STT_LINE.finditer(text, a, b):
        lines = []  # (start, end) of the non-empty lines after "STT", up to a blank line
        pos = m.end() + 1
        while pos < b:
            lm = LINE.match(text, pos)
            if not text[lm.start():lm.end()].strip():
                pos = _past_page_break(text, pos, b)
                if pos is None:
                    break
                continue
            lines.append((lm.start(), lm.end()))
            pos = lm.end() + 1
        table = _stack_table(text, m.start(), lines)
        if table is not None:
            tables.append(table)
    return tables


PAGE_BREAK = regex.compile(r"(?:[ \t]*\n)+[ \t]*(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?[ \t]*\n(?:[ \t]*\n)+")


def _past_page_break(text: str, pos: int, b: int) -> int | None:
    """After a blank line inside a stacked table: where the table goes on when what follows is
    a page number standing between blank lines ("\n\n3\n\n"), else None."""
    m = PAGE_BREAK.match(text, pos - 1 if 0 < pos <= len(text) and text[pos - 1] == "\n" else pos, b)
    return m.end() if m else None


def _stack_table(text: str, start: int, lines: list[Cell]) -> Table | None:
    def number(c):
        n = NUMBER_LINE.fullmatch(text, c[0], c[1])
        return int(n.group("n")) if n else None

    first = next((i for i, c in enumerate(lines[:STACK_HEADER_LINES + 1]) if number(c) == 1), None)
    if not first:
        return None
    header, rows, cur, expect, i = lines[:first], [], None, 1, first
    while i < len(lines):
        c = lines[i]
        n = number(c)
        if FURNITURE_LINE.fullmatch(text, c[0], c[1]) or (
                n is not None and n != expect and 0 < i < len(lines) - 1
                and FURNITURE_LINE.fullmatch(text, *lines[i - 1]) and FURNITURE_LINE.fullmatch(text, *lines[i + 1])):
            i += 1  # "-", "- 3 -", or a page number between dashes
            continue
        if n == expect or TOTAL_LINE.fullmatch(text, c[0], c[1]):
            cur = [c] if n == expect else [(c[0], c[0]), c]
            rows.append(cur)
            expect += 1 if n == expect else 0
        elif cur is not None and len(cur) < STACK_MAX_CELLS:
            cur.append(c)
        else:
            break
        i += 1
    widths = [len(r) for r in rows if r[0][1] > r[0][0]]
    if len(widths) < 2:
        return None
    ncols = max(set(widths), key=widths.count)
    cols = _joined(text, header, ncols - 1)
    if cols is None:
        return None
    rows = [r for r in rows if len(r) == ncols]
    end = max(r[-1][1] for r in rows)
    return Table((start, end), ["stt"] + cols, rows)


def _joined(text: str, header: list[Cell], n: int) -> list[str] | None:
    """`n` column headings from header lines: a line opening in lower case or "(" goes on
    with the line before ("Vắc xin LMLM" / "trâu, bò (liều)")."""
    cols: list[str] = []
    for s, e in header:
        line = text[s:e].strip(" \t*_")
        if cols and line[:1] and (line[0].islower() or line[0] == "("):
            cols[-1] += " " + line
        else:
            cols.append(line)
    return [fold(c) for c in cols] if len(cols) == n else None


# ---------------------------------------------------------------- header and columns

NUMBER_CELL = regex.compile(r"[\s*_]*[\d.,%]+[\s*_]*$")


def _build(text: str, rows: list[list[Cell]], span: tuple[int, int]) -> Table | None:
    """Header rows (those before the first row opening with a row label) name the columns.
    Rows numbered 1, 2 … from the very first are a table whose header was lost (wrapped, or
    drawn apart, in a PDF): its columns have no names and are judged by their cells."""
    if len(rows) >= 2 and [_running_number(text, r) for r in rows[:2]] == [1, 2]:
        return Table(span, [""] * max(len(r) for r in rows), rows)
    # a one-cell row after the first is a group of the body ("I. NÂNG CAO NHẬN THỨC"), not a header
    first_row = next((i for i in range(1, len(rows)) if ROW_LABEL.match(text[rows[i][0][0]:rows[i][0][1]])), None)
    k = next((i for i in range(1, first_row or len(rows)) if len(rows[i]) == 1), first_row)
    if k is None and len(rows) > 2 and not any(NUMBER_CELL.match(text, s, e) for s, e in rows[0]):
        k = 1  # rows with no number column ("Công đoàn ngành Giáo dục | 35 | -"): one header line ("Đơn vị | Năm 2023")
    if k is None or len(rows) < 2:
        return None
    headers = [[fold(text[s:e]) for s, e in r if e > s] for r in rows[:k]]
    if first_row and first_row >= 3 and len(rows[first_row - 1]) >= 2 and \
            not any(NUMBER_CELL.match(text, s, e) for r in rows[:first_row] for s, e in r):
        # a two-level header whose top row an exported merged cell broke in two ("TT | Trường |
        # Nhà trẻ (%) |␣| Mẫu giáo (%)", then "Thực hiện | Chỉ tiêu | Thực hiện | Chỉ tiêu")
        top = [fold(text[s:e]) for r in rows[:first_row - 1] for s, e in r if e > s]
        headers = [top, [fold(text[s:e]) for s, e in rows[first_row - 1] if e > s]]
        k = first_row
    ncols = max(len(r) for r in rows)
    columns = _positional_columns([[fold(text[s:e]) for s, e in r] for r in rows[:k]], ncols) \
        or _columns(headers, ncols)
    body = [r for r in rows[k:] if not _numbers_columns(text, r)]
    # a total row leaves its number cell empty, which a flattened export drops: "| Toàn huyện |
    # 29,4 | 32 …" is one cell short and belongs to the right
    body = [[(r[0][0], r[0][0])] + r if len(r) == ncols - 1 and len(r) > 1 and
            not ROW_LABEL.match(text[r[0][0]:r[0][1]]) else r for r in body]
    return Table(span, columns, body)


def _running_number(text: str, row: list[Cell]) -> int | None:
    """The number a row opens with ("1", "01", "2."), if its first cell is only that."""
    m = regex.fullmatch(r"[\s*_]*(\d{1,3})[\s*_.)]*", text[row[0][0]:row[0][1]]) if row else None
    return int(m.group(1)) if m else None


def _numbers_columns(text: str, row: list[Cell]) -> bool:
    """The row under a header that numbers the columns: "1 | 2 | 3 | …" or "(1) | (2) | …"."""
    labels = [fold(text[s:e]).strip("()") for s, e in row]
    return len(labels) >= 3 and labels == [str(i) for i in range(1, len(labels) + 1)]


# What opens a data row: its number ("1", "01", "I", "a", "1.2") or a dash.
ROW_LABEL = regex.compile(r"^[\s*_]*(?:\d{1,3}(?:\.\d{1,2})*|[IVXL]{1,5}|[a-zđ]|[-–+•])[\s*_.)]*$")


def _positional_columns(rows: list[list[str]], ncols: int) -> list[str] | None:
    """Column names from header rows that keep every cell, empty ones too (markdown, tabs): an
    empty top cell over a named lower one belongs to the group heading on its left ("Kế hoạch
    giai đoạn 2021 - 2025 | | | |" over "2021 | 2022 | 2023 | 2024"). None when the rows do
    not keep their empty cells."""
    if len(rows) < 2 or any(len(r) != ncols for r in rows):
        return None
    cols = []
    for j in range(ncols):
        top = rows[0][j] or (cols[j - 1].split("\x00")[0] if j and any(r[j] for r in rows[1:]) else "")
        cols.append(top + "\x00" + " ".join(r[j] for r in rows[1:] if r[j]))
    return [" ".join(c.replace("\x00", " ").split()) for c in cols]


def _columns(headers: list[list[str]], ncols: int) -> list[str]:
    """Column names from header rows. A later, shorter row fills the rightmost columns; the
    first row's cells to its left head their own columns, and its remaining cells are group
    headings spread evenly over the columns below them ("Kế hoạch 2026" over "Lượng" and
    "Giá trị")."""
    top = headers[0]
    cols = list(top[:ncols]) + [""] * max(0, ncols - len(top))
    for row in headers[1:]:
        m = len(row)
        own = ncols - m  # columns headed by the top row alone
        groups = top[own:] if 0 < m < ncols and own <= len(top) else []
        if not groups:
            cols = [f"{c} {r}".strip() for c, r in zip(cols, row + [""] * ncols)]
            continue
        width = max(1, m // len(groups))
        for i, r in enumerate(row):
            group = groups[min(i // width, len(groups) - 1)]
            cols[own + i] = f"{group} {r}".strip()
    return cols
