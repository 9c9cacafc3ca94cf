"""Word .docx reader: paragraphs and tables in document order, list numbers as the reader sees them.

Read straight from the package XML (zipfile + lxml) because the things that matter are below
python-docx's API: the header block is often a two-column table (cells are read row by row,
a merged cell once), Word's automatic numbering ("I.", "1.", "a)") is not in the paragraph
text and is rebuilt from numbering.xml, footnotes go after the body so they never split a
sentence, and runs in legacy fonts (.VnTime, VNI-Times) are converted by font name.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from ..errors import IngestError
from . import RawDoc, gridtables, legacy
from .package import parse_xml, read_members

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _fmt(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("lowerLetter", "upperLetter"):
        s = LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """Counters for Word's automatic list numbering (numbering.xml)."""

    def __init__(self, xml: bytes | None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> (fmt, text, start)
        self.num_to_abs: dict[str, str] = {}
        self.overrides: dict[tuple[str, int], int] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if not xml:
            return
        root = parse_xml(xml, "word/numbering.xml")
        for a in root.iterfind("w:abstractNum", NS):
            lv = {}
            for lvl in a.iterfind("w:lvl", NS):
                fmt = lvl.find("w:numFmt", NS)
                text = lvl.find("w:lvlText", NS)
                start = lvl.find("w:start", NS)
                lv[int(lvl.get(_q("ilvl")))] = (
                    fmt.get(_q("val")) if fmt is not None else "decimal",
                    text.get(_q("val")) if text is not None else "",
                    int(start.get(_q("val"))) if start is not None else 1)
            self.levels[a.get(_q("abstractNumId"))] = lv
        for num in root.iterfind("w:num", NS):
            abs_id = num.find("w:abstractNumId", NS)
            if abs_id is not None:
                self.num_to_abs[num.get(_q("numId"))] = abs_id.get(_q("val"))
            for ov in num.iterfind("w:lvlOverride", NS):
                so = ov.find("w:startOverride", NS)
                if so is not None:
                    self.overrides[(num.get(_q("numId")), int(ov.get(_q("ilvl"))))] = int(so.get(_q("val")))

    def label(self, num_id: str, ilvl: int) -> str:
        abs_id = self.num_to_abs.get(num_id)
        levels = self.levels.get(abs_id or "", {})
        if ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        start = self.overrides.get((num_id, ilvl), start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return text.strip()
        out = text
        for k in range(9):
            if f"%{k + 1}" in out:
                kfmt, _, kstart = levels.get(k, ("decimal", "", 1))
                out = out.replace(f"%{k + 1}", _fmt(counters.get(k, kstart), kfmt))
        return out.strip()


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SKIP_INSIDE = {_q("txbxContent"), MC_FALLBACK, _q("del"), _q("moveFrom")}


def _ancestors(el, stop):
    """Ancestors of `el` below `stop`."""
    out, a = [], el.getparent()
    while a is not None and a is not stop:
        out.append(a)
        a = a.getparent()
    return out


class Reader:
    def __init__(self, parts: dict[str, bytes]):
        self.numbering = Numbering(parts.get("word/numbering.xml"))
        self.style_num: dict[str, tuple[str, int]] = {}
        self.style_font: dict[str, str] = {}
        self.paragraphs = self.preformatted = 0  # how many, and how many in a plain-text style
        self.default_font: str | None = None
        self.legacy: set[str] = set()
        if parts.get("word/styles.xml"):
            self._styles(parse_xml(parts["word/styles.xml"], "word/styles.xml"))

    def _styles(self, root) -> None:
        fonts = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
        if fonts is not None:
            self.default_font = fonts.get(_q("ascii")) or fonts.get(_q("hAnsi"))
        for st in root.iterfind("w:style", NS):
            sid = st.get(_q("styleId"))
            num = st.find("w:pPr/w:numPr", NS)
            if num is not None and num.find("w:numId", NS) is not None:
                ilvl = num.find("w:ilvl", NS)
                self.style_num[sid] = (num.find("w:numId", NS).get(_q("val")),
                                       int(ilvl.get(_q("val"))) if ilvl is not None else 0)
            f = st.find("w:rPr/w:rFonts", NS)
            if f is not None and (f.get(_q("ascii")) or f.get(_q("hAnsi"))):
                self.style_font[sid] = f.get(_q("ascii")) or f.get(_q("hAnsi"))

    def run_text(self, r, para_font: str | None) -> str:
        parts = []
        for el in r:
            tag = etree.QName(el).localname
            if tag == "t":  # not delText: deleted tracked changes are not the document
                parts.append(el.text or "")
            elif tag == "tab":
                parts.append("\t")
            elif tag in ("br", "cr"):
                parts.append("\n")
            elif tag == "noBreakHyphen":
                parts.append("-")
        text = "".join(parts)
        fonts = r.find("w:rPr/w:rFonts", NS)
        font = None
        if fonts is not None:
            font = fonts.get(_q("ascii")) or fonts.get(_q("hAnsi"))
        rstyle = r.find("w:rPr/w:rStyle", NS)
        if font is None and rstyle is not None:
            font = self.style_font.get(rstyle.get(_q("val")))
        enc, upper = legacy.font_encoding(font or para_font or self.default_font)
        if enc and text:
            self.legacy.add(enc)
            text = legacy.convert_tcvn3(text, upper) if enc == "tcvn3" else legacy.convert_vni(text)
        return text

    def paragraph(self, p, out: list[str]) -> None:
        """The paragraph's own text (with its list label), then the paragraphs of any text
        box anchored in it (header blocks are sometimes text boxes), each once."""
        pstyle = p.find("w:pPr/w:pStyle", NS)
        sid = pstyle.get(_q("val")) if pstyle is not None else None
        self.paragraphs += 1
        self.preformatted += sid in PLAIN_TEXT_STYLES
        para_font = self.style_font.get(sid) if sid else None
        texts, boxes = [], []
        for el in p.iter(_q("r"), _q("txbxContent"), MC_FALLBACK):
            if el.tag == MC_FALLBACK or any(a.tag in SKIP_INSIDE for a in _ancestors(el, p)):
                continue
            if el.tag == _q("txbxContent"):
                boxes.append(el)
            else:
                texts.append(self.run_text(el, para_font))
        text = "".join(texts).strip()
        num = p.find("w:pPr/w:numPr", NS)
        ref = None
        if num is not None and num.find("w:numId", NS) is not None:
            ilvl = num.find("w:ilvl", NS)
            ref = (num.find("w:numId", NS).get(_q("val")), int(ilvl.get(_q("val"))) if ilvl is not None else 0)
        elif sid in self.style_num:
            ref = self.style_num[sid]
        if ref and text:
            label = self.numbering.label(*ref)
            if label:
                text = f"{label} {text}"
        out.append(text)
        for box in boxes:
            self.block(box, out)

    def table(self, tbl, out: list[str]) -> None:
        """A layout table (the two-column header block) as its cells' paragraphs, row by row; a
        grid of three columns or more as the web exports flatten tables ("|" lines between
        cells, an empty cell closing a row), so the table reader finds its rows and columns."""
        rows = []
        for tr in tbl.iterfind("w:tr", NS):
            cells = []
            for tc in tr.iterfind("w:tc", NS):
                vm = tc.find("w:tcPr/w:vMerge", NS)
                if vm is not None and vm.get(_q("val"), "continue") != "restart":
                    continue  # the continuation of a vertically merged cell
                paras: list[str] = []
                self.block(tc, paras)
                cells.append(paras)
            rows.append(cells)
        flat = grid(rows)
        if flat is not None:
            out.append(flat)
            return
        for cells in rows:
            for paras in cells:
                out.extend(paras)

    def block(self, el, out: list[str]) -> None:
        """Paragraphs and tables under `el`, in order; a table row by row, a merged cell once."""
        for child in el:
            tag = etree.QName(child).localname
            if tag == "p":
                self.paragraph(child, out)
            elif tag == "tbl":
                self.table(child, out)
            elif tag in ("sdt", "customXml", "smartTag"):
                content = child.find("w:sdtContent", NS) if tag == "sdt" else child
                if content is not None:
                    self.block(content, out)


def grid(rows: list[list[list[str]]]) -> str | None:
    """A table of two rows and three columns or more (rows of cells, a cell its paragraphs) as
    the web exports of Word files flatten it: each cell between "|" lines, an empty cell closing
    a row, so the table reader finds its rows and columns. None for a layout table (the header
    block's two columns), whose paragraphs are read as text. Shared by the .doc reader."""
    if len(rows) < 2 or max(len(r) for r in rows) < 3:
        return None
    lines = []
    for cells in rows:
        for paras in cells:
            lines += ["|", "\n".join(" ".join(x.split()) for x in paras if x.strip())]
        lines.append("|")
    return "\n".join(x for x in lines if x)


def _footnotes(reader: Reader, xml: bytes | None) -> list[str]:
    if not xml:
        return []
    out = []
    for fn in parse_xml(xml, "word/footnotes.xml").iterfind("w:footnote", NS):
        if fn.get(_q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        body: list[str] = []
        reader.block(fn, body)
        text = " ".join(t for t in body if t.strip())
        if text:
            out.append(f"[{fn.get(_q('id'))}] {text}")
    return out


# Paragraph styles of a text file opened in a word processor (LibreOffice's text import writes
# every line as a "PreformattedText" paragraph).
PLAIN_TEXT_STYLES = {"PreformattedText", "PlainText", "HTMLPreformatted"}


def read(data: bytes, name: str) -> RawDoc:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise IngestError("bad_docx", "Tệp .docx không có nội dung văn bản Word (thiếu word/document.xml): "
                                              "hãy mở bằng Word và lưu lại dưới dạng .docx.")
            parts = read_members(z, ["word/document.xml", "word/numbering.xml",  # size-capped: zip bombs
                                     "word/styles.xml", "word/footnotes.xml"])
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError):  # corrupt or encrypted members; names or offsets zipfile cannot decode
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise IngestError("encrypted_or_doc", "Tệp .docx này thực ra là tệp Word cũ (.doc) hoặc có mật khẩu: "
                                                  "hãy mở bằng Word, bỏ mật khẩu và lưu lại dưới dạng .docx.")
        raise IngestError("bad_docx", "Tệp .docx bị hỏng (không phải gói Office hợp lệ): hãy lưu lại tệp rồi chạy lại.")
    try:  # every part's XML, not only the body's: a broken styles.xml is a broken file too
        reader = Reader(parts)
        body = parse_xml(parts["word/document.xml"], "word/document.xml").find("w:body", NS)
        paras: list[str] = []
        if body is not None:
            reader.block(body, paras)
        notes = _footnotes(reader, parts.get("word/footnotes.xml"))
    except etree.XMLSyntaxError:
        raise IngestError("bad_docx", "Nội dung tệp .docx bị hỏng (XML lỗi): hãy mở bằng Word và lưu lại.")
    if reader.paragraphs and reader.preformatted >= 0.8 * reader.paragraphs:
        # a text file opened in Word and saved: a paragraph is a line, an empty one a blank
        # line, as in the text (the rows of a table written with "|" lines stay together)
        text = gridtables.to_pipes("\n".join([p.rstrip() for p in paras] + notes).strip("\n"))
    else:
        text = "\n\n".join([p.strip() for p in paras if p.strip()] + notes)
    warnings = []
    encoding = None
    fixed, found = legacy.fix(text)
    if found:
        text = fixed
        reader.legacy.add(found)
    if reader.legacy:
        encoding = ",".join(sorted(reader.legacy))
        warnings = [legacy.warning(e) for e in sorted(reader.legacy)]
    if not text.strip():
        raise IngestError("empty_file", "Tệp Word không có chữ (có thể chỉ chứa ảnh quét): "
                                        "hãy xuất sang PDF hoặc ảnh để chạy nhận dạng chữ (OCR).")
    return RawDoc(text=text + "\n", format="docx", encoding=encoding, warnings=warnings)
