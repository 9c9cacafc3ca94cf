"""Small files made in the tests: text PDFs with a chosen layout, and .docx packages."""
from __future__ import annotations

import io
import zipfile


def _esc(b: bytes) -> bytes:
    return b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages: list[list[tuple[float, float, str]]], size: int = 11) -> bytes:
    """A PDF with Helvetica (WinAnsi) text: each page a list of (x, y from top, text).
    Text must be Latin-1 (legacy-font text, or ASCII)."""
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", None,
            b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"]
    kids = []
    for lines in pages:
        ops = b"".join(b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, 842 - y, _esc(t.encode("latin-1")))
                       for x, y, t in lines)
        objs.append(b"<</Length %d>>stream\n" % len(ops) + ops + b"endstream")
        content = len(objs)
        objs.append(b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 3 0 R>>>>"
                    b"/Contents %d 0 R>>" % content)
        kids.append(len(objs))
    objs[1] = b"<</Type/Pages/Kids[" + b" ".join(b"%d 0 R" % k for k in kids) + b"]/Count %d>>" % len(kids)
    return pdf_bytes(objs)


def pdf_bytes(objs: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file from its numbered objects (1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
    out.write(b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer_extra, xref))
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(body: str, numbering: str | None = None, footnotes: str | None = None,
              styles: str | None = None) -> bytes:
    """A minimal .docx: `body` is the XML inside <w:body>."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>')
        if numbering:
            z.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>{numbering}</w:numbering>')
        if footnotes:
            z.writestr("word/footnotes.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>{footnotes}</w:footnotes>')
        if styles:
            z.writestr("word/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}>{styles}</w:styles>')
    return out.getvalue()


def p(text: str, num: tuple[int, int] | None = None, font: str | None = None) -> str:
    """A paragraph XML with one run; `num` = (numId, ilvl) for automatic numbering."""
    ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>' if num else ""
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
