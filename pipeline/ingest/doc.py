"""Old Word .doc reader: through a converter when one is installed, else a clear failure.

The binary .doc format is not worth parsing ourselves. LibreOffice (`soffice --convert-to
docx`, then the .docx reader: automatic list numbers kept) is used when installed, else
`antiword` (small; `make system-deps` installs it). `source.encoding` says which one read
the file (`libreoffice`, `antiword`, with `+tcvn3`/`+vni` when legacy-font text was converted).

antiword's plain-text output (`-m UTF-8.txt -w 0`) keeps diacritics, paragraphs, line breaks
and footnotes (after a line of dashes, as "[1]text"), but draws tables as `|cell|cell|` lines
wrapped inside each column, so rows and the paragraphs of a cell cannot be told apart there.
Its DocBook output (`-x db`) has the tables as rows of cells, so each table block is rendered
from it the way the .docx reader renders tables (`docx.grid`): a layout table (the header
block's two columns) as each paragraph of a cell on its own ("Số: …" and "Tây Ninh, ngày …"
lines of their own), a table of three columns or more flattened cell by cell, so the table
reader finds its rows and the targets in them. Footnote marks are taken out of the body and
the notes put after it as "[n] text", as the .docx reader does. Word's automatic list numbers
are not in antiword's output; where they matter, LibreOffice reads them.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..errors import IngestError
from . import RawDoc, docx, legacy

MISSING = ("Tệp Word cũ (.doc) cần công cụ chuyển đổi: hãy cài `apt-get install antiword` "
           "(hoặc LibreOffice), hoặc mở bằng Word và lưu lại dưới dạng .docx rồi chạy lại.")
BAD = ("Không đọc được tệp .doc (tệp hỏng, có mật khẩu hoặc không phải tệp Word): "
       "hãy mở bằng Word và lưu lại dưới dạng .docx.")

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 6/95/97-2003 (and Excel, PowerPoint…)
RTF = b"{\\rtf"
ZIP = b"PK\x03\x04"
OFFICE_SECONDS = 300
ANTIWORD_SECONDS = 120

_TABLE_LINE = re.compile(r"^\|.*\|$")
_NOTE_SEPARATOR = "-" * 23  # antiword's line between the body and the footnotes
_NOTE_START = re.compile(r"^\[(\d+)\]\s*")


def read(data: bytes, name: str) -> RawDoc:
    if not data:
        raise IngestError("empty_file", "Tệp rỗng: không có nội dung để trích xuất; hãy kiểm tra lại tệp gốc.")
    if data.startswith(ZIP):  # a .docx saved under a .doc name
        return docx.read(data, name)
    is_rtf = data[:64].lstrip().startswith(RTF)
    if not (data.startswith(OLE2) or is_rtf):
        raise IngestError("bad_doc", "Tệp .doc này không phải tệp Word (không có phần đầu của tệp Word 97–2003): "
                                     "hãy kiểm tra định dạng thật của tệp, hoặc mở bằng Word và lưu lại dưới dạng .docx.")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    if not office and not antiword:
        raise IngestError("converter_missing", MISSING)
    sound = is_rtf or _is_word_file(data)
    if sound is False:
        raise IngestError("bad_doc", "Tệp .doc này không chứa văn bản Word (có thể là bảng tính hay tệp "
                                     "Office khác đổi tên): hãy mở bằng chương trình đã tạo ra nó và lưu lại.")
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as tmp:
        src = Path(tmp) / ("in.rtf" if is_rtf else "in.doc")
        src.write_bytes(data)
        if office and sound:  # LibreOffice would take a damaged file for plain text
            raw = _libreoffice(office, src, Path(tmp))
            if raw is not None:
                return raw
        if is_rtf:
            raise IngestError("bad_doc" if office else "converter_missing",
                              "Tệp .doc này thực ra là tệp RTF: cần LibreOffice để đọc, "
                              "hoặc mở bằng Word và lưu lại dưới dạng .docx.")
        if antiword:
            return _antiword(antiword, src, data)
    raise IngestError("bad_doc", BAD)


def _run(cmd: list[str], timeout: float) -> tuple[int, bytes, bytes]:
    """Run a converter in its own process group, so a timeout kills all it started."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.communicate()
        return -1, b"", b"timeout"
    return proc.returncode, out, err


def _libreoffice(office: str, src: Path, tmp: Path) -> RawDoc | None:
    """LibreOffice -> .docx -> the .docx reader; None when it gives nothing (antiword is tried)."""
    profile = (tmp / "profile").as_uri()  # its own profile: parallel workers do not collide
    try:
        _run([office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
              "--convert-to", "docx", "--outdir", str(tmp / "out"), str(src)], OFFICE_SECONDS)
    except OSError:
        return None
    out = tmp / "out" / f"{src.stem}.docx"
    if not out.exists() or not out.stat().st_size:
        return None
    try:
        raw = docx.read(_soft_hyphens_as_text(out.read_bytes()), "in.docx")
    except IngestError as err:
        if err.code == "empty_file":  # read, and no text in it
            raise
        return None
    raw.text = raw.text.replace("\xad", "")  # left after the TCVN3 runs became Unicode: hyphens
    raw.format = "doc"
    raw.encoding = "+".join(["libreoffice"] + ([raw.encoding] if raw.encoding else []))
    return raw


def _soft_hyphens_as_text(data: bytes) -> bytes:
    """LibreOffice writes the 0xAD of TCVN3 text ("ư", see below) as <w:softHyphen/>, which the
    .docx reader skips: put it back as a character, for the TCVN3 conversion to see."""
    tag = b"<w:softHyphen/>"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [(i, z.read(i)) for i in z.infolist()]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        return data  # the .docx reader says what is wrong with it
    if not any(tag in body for _, body in parts):
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in parts:
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                body = body.replace(tag, "<w:t>\u00ad</w:t>".encode("utf-8"))
            z.writestr(info.filename, body)
    return out.getvalue()


def _antiword(antiword: str, src: Path, data: bytes) -> RawDoc:
    patched = _optional_hyphens_as_soft(data)
    if patched is not None:
        src = src.with_name("patched.doc")
        src.write_bytes(patched)
    try:
        code, out, err = _run([antiword, "-w", "0", "-m", "UTF-8.txt", str(src)], ANTIWORD_SECONDS)
    except OSError:
        raise IngestError("converter_missing", MISSING)
    if code != 0 or not out.strip():
        message = err.decode("utf-8", "replace")
        if "too small" in message:  # antiword does not read a text stream under 4 KB
            raise IngestError("bad_doc", "Tệp .doc quá ngắn để antiword đọc được: hãy cài LibreOffice, "
                                         "hoặc mở bằng Word và lưu lại dưới dạng .docx.")
        raise IngestError("bad_doc", BAD)
    text = out.decode("utf-8", "replace")
    tables = None
    if "|" in text:
        try:
            code, xml, _ = _run([antiword, "-x", "db", str(src)], ANTIWORD_SECONDS)
        except OSError:
            code, xml = -1, b""
        tables = _docbook_tables(xml) if code == 0 else None
    text = render(text, tables)
    encoding, warnings = "antiword", []
    fixed, found = legacy.fix(text)
    if found:
        text, encoding, warnings = fixed, f"antiword+{found}", [legacy.warning(found)]
    text = text.replace("\xad", "")  # not TCVN3: a soft or optional hyphen, not a letter
    if not text.strip():
        raise IngestError("empty_file", "Tệp Word không có chữ (có thể chỉ chứa ảnh quét): "
                                        "hãy xuất sang PDF hoặc ảnh để chạy nhận dạng chữ (OCR).")
    return RawDoc(text=text, format="doc", encoding=encoding, warnings=warnings)


def _docbook_tables(xml: bytes) -> list[list[list[list[str]]]] | None:
    """Every table of antiword's DocBook output: rows of cells, a cell a list of its paragraphs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             recover=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    tables = []
    for tbl in root.iter("informaltable", "table"):
        rows = []
        for row in tbl.iter("row"):
            cells = []
            for entry in row.iterfind("entry"):
                lines = [" ".join(s.split()) for s in "".join(entry.itertext()).split("\n")]
                cells.append([s for s in lines if s])
            rows.append(cells)
        tables.append(rows)
    return tables


def _table_from_lines(lines: list[str]) -> list[str]:
    """A table block without its DocBook rows: each line's cells in order, one line each."""
    out = []
    for line in lines:
        out.extend(c.strip() for c in line.strip()[1:-1].split("|") if c.strip())
    return out


def _split_notes(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Body lines, and the footnotes antiword puts after its last line of dashes."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() != _NOTE_SEPARATOR:
            continue
        rest = [s for s in lines[i + 1:] if s.strip()]
        if not rest or not _NOTE_START.match(rest[0]):
            return lines, []
        notes: list[list[str]] = []
        for s in rest:
            m = _NOTE_START.match(s)
            if m:
                notes.append([m.group(1), s[m.end():].strip()])
            else:  # the next paragraph of the same note
                notes[-1][1] = f"{notes[-1][1]} {s.strip()}".strip()
        return lines[:i], [(n, t) for n, t in notes]
    return lines, []


def _drop_marks(body: str, notes: list[tuple[str, str]]) -> str:
    """Take the "[n]" footnote marks out of the body, each once, in order (the .docx reader
    does not show them either: "26/2017/NQ-HĐND[1]" would spoil the symbol)."""
    pos = 0
    for n, _ in notes:
        mark = f"[{n}]"
        at = body.find(mark, pos)
        if at < 0:
            continue
        body, pos = body[:at] + body[at + len(mark):], at
    return body


def render(text: str, tables: list | None = None) -> str:
    """antiword's plain text -> the text the pipeline reads (see the module's docstring)."""
    lines = [s.rstrip() for s in text.replace("\r\n", "\n").replace("\f", "\n").split("\n")]
    lines, notes = _split_notes(lines)
    blocks: list[tuple[int, int]] = []  # [start, end) of each table block
    i = 0
    while i < len(lines):
        if _TABLE_LINE.match(lines[i]):
            j = i
            while j < len(lines) and _TABLE_LINE.match(lines[j]):
                j += 1
            blocks.append((i, j))
            i = j
        else:
            i += 1
    if tables is not None and len(tables) != len(blocks):
        tables = None  # the two outputs disagree: cells line by line rather than a wrong table
    out: list[str] = []
    prev = 0
    for k, (a, b) in enumerate(blocks):
        out.extend(lines[prev:a])
        flat = docx.grid(tables[k]) if tables is not None else None
        if flat is not None:
            out.extend(["", flat, ""])
            prev = b
            continue
        if tables is not None:
            cells = [p for row in tables[k] for cell in row for p in cell]
        else:
            cells = _table_from_lines(lines[a:b])
        out.append("")
        for c in cells:
            out.extend([c, ""])
        prev = b
    out.extend(lines[prev:])
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    if notes:
        body = _drop_marks(body, notes)
        body += "\n\n" + "\n\n".join(f"[{n}] {t}" for n, t in notes if t)
    return body + "\n"


# --- TCVN3 "ư" through antiword ----------------------------------------------------------
# Plans typed in the .VnTime fonts (TCVN3) hold "ư" as the character 0xAD, the soft hyphen of
# Windows-1252. Word keeps it as a character, and so does antiword; but a file written by
# LibreOffice (or another converter) stores it as Word's optional hyphen, 0x1F, which antiword
# drops: "người" would come out "ngời", "như" "nh". So before antiword runs, every 0x1F of the
# text (found through the piece table of a Word 97-2003 file) becomes 0xAD again, in a copy;
# after reading, 0xAD is "ư" where the text is TCVN3 and is dropped elsewhere, as antiword
# drops optional hyphens. Anything unexpected in the file leaves it as it was.

_FREE = 0xFFFFFFFA  # sector numbers from here up end a chain (or mark unused sectors)


class _Cfb:
    """Just enough of the OLE2 compound file to read a stream and patch bytes in place."""

    def __init__(self, data: bytes):
        if not data.startswith(OLE2) or len(data) < 512:
            raise ValueError("not OLE2")
        self.data = data
        self.shift = struct.unpack_from("<H", data, 0x1E)[0]
        if self.shift not in (9, 12):
            raise ValueError("sector size")
        self.size = 1 << self.shift
        self.nsect = max(0, (len(data) - self.size) // self.size)  # no chain is longer
        n_fat, first_dir, _, cutoff, first_mini, _, first_difat, n_difat = \
            struct.unpack_from("<IIIIIIII", data, 0x2C)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        s, seen = first_difat, 0
        while s < _FREE and seen <= min(n_difat, self.nsect):
            entries = struct.unpack_from(f"<{self.size // 4}I", data, self._off(s))
            difat.extend(entries[:-1])
            s, seen = entries[-1], seen + 1
        self.fat: list[int] = []
        for s in difat[:n_fat]:
            if s >= _FREE:
                break
            self.fat.extend(struct.unpack_from(f"<{self.size // 4}I", data, self._off(s)))
        self.cutoff = cutoff
        dirs = b"".join(data[self._off(s):self._off(s) + self.size] for s in self._chain(first_dir))
        self.entries: dict[str, tuple[int, int]] = {}
        root = None
        for i in range(0, len(dirs) - 127, 128):
            e = dirs[i:i + 128]
            n = min(struct.unpack_from("<H", e, 0x40)[0], 64)
            kind, start, length = e[0x42], *struct.unpack_from("<II", e, 0x74)
            name = e[:max(0, n - 2)].decode("utf-16-le", "replace")
            if kind == 5:
                root = (start, length)
            elif kind == 2:
                self.entries.setdefault(name, (start, length))
        if root is None:
            raise ValueError("no root")
        self.mini_fat: list[int] = []
        for s in self._chain(first_mini):
            self.mini_fat.extend(struct.unpack_from(f"<{self.size // 4}I", data, self._off(s)))
        self.root_chain = self._chain(root[0])

    def _off(self, sector: int) -> int:
        off = (sector + 1) << self.shift
        if off + self.size > len(self.data):
            raise ValueError("sector past the end")
        return off

    def _chain(self, start: int, table: list[int] | None = None) -> list[int]:
        table = self.fat if table is None else table
        out, s = [], start
        while s < _FREE:
            if s >= len(table) or len(out) > max(self.nsect, len(table)):
                raise ValueError("broken chain")
            out.append(s)
            s = table[s]
        return out

    def segments(self, name: str) -> tuple[list[int], int, int]:
        """(file offset of each piece of the stream, piece length, stream length)."""
        start, length = self.entries[name]
        if length >= self.cutoff:
            return [self._off(s) for s in self._chain(start)], self.size, length
        offs = []
        for m in self._chain(start, self.mini_fat):
            pos = m * 64
            if pos >> self.shift >= len(self.root_chain):
                raise ValueError("mini sector past the end")
            offs.append(self._off(self.root_chain[pos >> self.shift]) + (pos & (self.size - 1)))
        return offs, 64, length

    def read(self, name: str) -> bytes:
        offs, step, length = self.segments(name)
        return b"".join(self.data[o:o + step] for o in offs)[:length]


def _is_word_file(data: bytes) -> bool | None:
    """True for a compound file with a Word text stream, False for one without (a spreadsheet
    named .doc), None when the compound file itself cannot be read (damaged)."""
    try:
        return "WordDocument" in _Cfb(data).entries
    except (ValueError, KeyError, IndexError, struct.error):
        return None


def _optional_hyphens_as_soft(data: bytes) -> bytes | None:
    """A copy of a Word 97-2003 file with each optional hyphen (0x1F) of its text made a soft
    hyphen (0xAD); None when there is none or the file is not one we can patch safely."""
    if b"\x1f" not in data:
        return None
    try:
        cfb = _Cfb(data)
        fib = cfb.read("WordDocument")[:1024]
        ident, nfib = struct.unpack_from("<HH", fib, 0)
        flags = struct.unpack_from("<H", fib, 0x0A)[0]
        if ident != 0xA5EC or nfib < 0xC0 or flags & 0x0100:  # not Word 97+, or encrypted
            return None
        off = 0x20
        off += 2 + 2 * struct.unpack_from("<H", fib, off)[0]
        off += 2 + 4 * struct.unpack_from("<H", fib, off)[0]
        if struct.unpack_from("<H", fib, off)[0] <= 33:
            return None
        fc_clx, lcb_clx = struct.unpack_from("<II", fib, off + 2 + 33 * 8)
        table = cfb.read("1Table" if flags & 0x0200 else "0Table")
        clx = table[fc_clx:fc_clx + lcb_clx]
        i = 0
        while i < len(clx) and clx[i] == 1:  # property modifiers before the piece table
            i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
        if i >= len(clx) or clx[i] != 2:
            return None
        lcb = struct.unpack_from("<I", clx, i + 1)[0]
        plc = clx[i + 5:i + 5 + lcb]
        n = (len(plc) - 4) // 12
        if n <= 0:
            return None
        cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
        offs, step, length = cfb.segments("WordDocument")
        words = cfb.read("WordDocument")
        out = bytearray(data)
        changed = False
        for k in range(n):
            fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
            count = cps[k + 1] - cps[k]
            if count <= 0:
                continue
            if fc & 0x40000000:  # 8-bit text (Windows-1252)
                start, width = (fc & 0x3FFFFFFF) // 2, 1
            else:
                start, width = fc, 2
            end = start + count * width
            if end > length:
                return None
            at = words.find(b"\x1f", start, end)
            while at >= 0:
                if (at - start) % width == 0 and (width == 1 or words[at + 1] == 0):
                    out[offs[at // step] + at % step] = 0xAD  # the low byte: 0x00AD in UTF-16
                    changed = True
                at = words.find(b"\x1f", at + 1, end)
        return bytes(out) if changed else None
    except (ValueError, KeyError, IndexError, struct.error):
        return None
