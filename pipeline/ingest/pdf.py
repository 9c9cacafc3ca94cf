"""PDF reader: the text layer page by page, another reader where it is broken, OCR where absent.

Per page: pypdfium2 first (it honours /ActualText, so word-processor PDFs whose Vietnamese
letters are glyph clusters read right, and it is ~50x faster than pdfplumber: 1,300 vs 20
pages/s here). When that page's text is not good Vietnamese (glyph debris, syllables that
cannot exist such as "KỈÊN", or letters out of reading order: "K HO CH … Ế Ạ" where a
fallback font's letters are drawn after the line), pdfplumber reads it too (by position) and
the better one is kept. Legacy font text (TCVN3/VNI) is converted. A page with no usable
text layer is rendered and OCRed (ocr.py). Which reader each page used goes into `page_starts`.
"""
from __future__ import annotations

import io
import logging

from ..errors import IngestError
from ..limits import check_pages, check_pixels, current
from . import RawDoc, layout, legacy, ocr
from .quality import score

log = logging.getLogger("kehoach")
OCR_DPI = 300


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise IngestError("pdf_encrypted", "PDF có mật khẩu: hãy mở khóa (bỏ mật khẩu) rồi chạy lại.")
        raise IngestError("bad_pdf", "Tệp PDF bị hỏng hoặc không đúng định dạng PDF: "
                                     "hãy xuất lại tệp PDF từ bản gốc rồi chạy lại.")


def _pdfium_lines(page) -> list[layout.Line]:
    """Lines of the text layer with their boxes (top-down coordinates). A line that pdfium
    built from two columns at one height (the header: "Số: 14/KH-UBND ... Tây Ninh, ngày …")
    is split at the wide gap, so each part starts a line; split in three or more, it is a
    table's row, kept as one line with a tab between its cells, as typed text keeps one. Only
    lines much wider than their characters need are inspected space by space (it costs a box
    per space)."""
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        # pdfium marks a hyphen where a line was broken as U+FFFE ("204/TTr-" / "SLĐTBXH")
        text = (tp.get_text_range(0, n) if n else "").replace("\ufffe", "-")
        height = page.get_height()
        min_gap = page.get_width() * COLUMN_GAP
        spans, i = [], 0
        for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            start = text.find(raw, i) if raw else i
            i = start + len(raw) + 1
            if raw.strip():
                a = start + len(raw) - len(raw.lstrip())
                spans.append((raw, start, a, start + len(raw.rstrip()) - 1))

        def line(a: int, b: int) -> layout.Line:
            l0, b0, r0, t0 = tp.get_charbox(a)
            l1, b1, r1, t1 = tp.get_charbox(b)
            return layout.Line(text[a:b + 1], min(l0, l1), max(r0, r1),
                               height - max(t0, t1), height - min(b0, b1))

        whole = [line(a, b) for _, _, a, b in spans]
        ratios = sorted((x.x1 - x.x0) / len(x.text) for x in whole if len(x.text) > 5)
        typical = ratios[len(ratios) // 2] if ratios else 0.0
        lines = []
        for (raw, start, a, b), x in zip(spans, whole):
            if layout.table_row(x.text):
                lines.append(x)  # a table row typed with runs of spaces: kept whole, spaces and all
            elif " " in x.text and typical and (x.x1 - x.x0) > len(x.text) * typical + 0.8 * min_gap:
                cells = [line(p, q) for p, q in _segments(tp, raw, start, CELL_GAP * typical)]
                if len(cells) >= 3:  # a table's row drawn cell by cell: one line, a tab between cells
                    lines.append(layout.Line("\t".join(x.text for x in cells), cells[0].x0, cells[-1].x1,
                                             min(x.top for x in cells), max(x.bottom for x in cells)))
                else:
                    lines.extend(line(p, q) for p, q in _segments(tp, raw, start, min_gap))
            else:
                lines.append(x)
        return lines
    finally:
        tp.close()


COLUMN_GAP = 0.06  # of the page width: wider spaces than this separate columns
CELL_GAP = 1.8  # characters' widths: wider spaces than this, three cells or more, make a table's row


def _segments(tp, raw: str, start: int, min_gap: float) -> list[tuple[int, int]]:
    """(first, last) char index of each part of a line, split at column-wide gaps."""
    left = start + len(raw) - len(raw.lstrip())
    end = start + len(raw.rstrip()) - 1
    parts, seg = [], left
    k = raw.find(" ", left - start)
    while k != -1 and start + k < end:
        j = k
        while j < len(raw) and raw[j] == " ":
            j += 1
        before, after = start + k - 1, start + j
        if after <= end and before >= seg:
            gap = tp.get_charbox(after)[0] - tp.get_charbox(before)[2]
            if gap > min_gap:
                parts.append((seg, before))
                seg = after
        k = raw.find(" ", j)
    parts.append((seg, end))
    return parts


def _plumber_lines(data: bytes, index: int) -> list[layout.Line]:
    """pdfplumber's lines: letters in the order of their positions on the line, whatever the
    order the PDF draws them in."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data), pages=[index + 1]) as pdf:
            page = pdf.pages[0]
            return [layout.Line(x["text"].strip(), x["x0"], x["x1"], x["top"], x["bottom"])
                    for x in page.extract_text_lines(return_chars=False) if x["text"].strip()]
    except Exception as err:  # the second opinion failing on a damaged file: keep pdfium's reading
        log.debug("pdfplumber could not read page %d: %s", index + 1, err)
        return []


def _text(lines: list[layout.Line]) -> str:
    return "\n".join(x.text for x in lines)


def _fix_legacy(lines: list[layout.Line]) -> tuple[list[layout.Line], str | None]:
    name = legacy.detect(_text(lines))
    if not name:
        return lines, None
    for x in lines:
        x.text = legacy.convert(x.text, name)
    return lines, name


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in page.get_objects(max_depth=2))


def _upright(obj) -> bool:
    """Drawn without rotation or mirroring (else the page is rendered, which applies them)."""
    try:
        m = obj.get_matrix()
        return abs(m.b) < 1e-6 and abs(m.c) < 1e-6 and m.a > 0 and m.d > 0
    except Exception:
        return False


def _page_image(page):
    """The page as a greyscale image: the embedded scan when the page is one image, else rendered."""
    import pypdfium2.raw as pdfium_c

    objs = list(page.get_objects(max_depth=2))
    images = [o for o in objs if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    if len(images) == 1 and len(objs) <= 3 and not page.get_rotation() and _upright(images[0]):
        try:
            iw, ih = images[0].get_px_size()
            if iw * ih > current().pixels:  # a decompression bomb: the render below is checked
                raise ValueError("embedded image over the pixel limit")
            img = images[0].get_bitmap(render=False).to_pil()
            w_in = page.get_width() / 72
            if img.width >= 1000:
                return img.convert("L"), None
            log.debug("embedded image too small (%s px for %.1f in); rendering", img.width, w_in)
        except Exception:  # unusual colour spaces: render instead
            pass
    check_pixels(round(page.get_width() * OCR_DPI / 72), round(page.get_height() * OCR_DPI / 72), "Trang PDF")
    return page.render(scale=OCR_DPI / 72, grayscale=True).to_pil().convert("L"), OCR_DPI


def pdfium_error() -> type:
    import pypdfium2 as pdfium

    return pdfium.PdfiumError


def read(data: bytes, name: str) -> RawDoc:
    doc = _open(data)
    pool = None  # OCR pool, opened at the first page that needs it
    try:
        check_pages(len(doc))
        pages: list[layout.Page] = []
        warnings: list[tuple[str, str]] = []
        legacy_used: set[str] = set()
        ocr_missing = False
        poor: list[str] = []
        handles = [doc[i] for i in range(len(doc))]
        first = [_pdfium_lines(page) for page in handles]
        doc_enc = legacy.detect("\n".join(_text(lines) for lines in first))
        for i, page in enumerate(handles):
            w, h = page.get_size()
            lines = first[i]
            if doc_enc:  # a legacy-font document: every page that has such characters
                enc = doc_enc if legacy.has_legacy_chars(_text(lines)) else None
                for x in lines if enc else ():
                    x.text = legacy.convert(x.text, enc)
            else:
                lines, enc = _fix_legacy(lines)
            reader, q = "pdfium", score(_text(lines))
            if not q.usable and q.letters:
                alt, alt_enc = _fix_legacy(_plumber_lines(data, i))
                qa = score(_text(alt))
                if alt and ((qa.usable and not q.usable) or (qa.share > q.share and qa.cids <= q.cids)):
                    lines, enc, reader, q = alt, alt_enc, "pdfplumber", qa
            if enc:
                legacy_used.add(enc)
                reader += "+" + enc
            if not q.usable and _has_image(page) and not ocr_missing:
                if pool is None:
                    ocr_missing = not ocr.available()
                    pool = None if ocr_missing else ocr.Pool()
                if pool is not None:
                    pool.submit(i, *_page_image(page))
            if not q.usable and q.letters >= 20 and (pool is None or i not in pool.futures):
                poor.append(str(i + 1))
            pages.append(layout.Page(lines, w, h, reader))
            page.close()
        ocr_used = False
        if ocr_missing:
            warnings.append(("warn_ocr_unavailable", ocr.MISSING_MESSAGE))
        if pool is not None:
            for i, (res, err) in pool.results().items():
                if err is not None:
                    warnings.append((f"warn_{err.code}", f"Trang {i + 1}: {err.message}"))
                    continue
                pages[i], ocr_used = res, True
        if ocr_used:
            ocr.fix_heading_sequence(pages)
        text, starts = layout.build(pages)
        if not text.strip():
            raise IngestError("no_text", "PDF không có chữ đọc được (trang trắng, hoặc bản quét mà "
                                         "chưa cài Tesseract): hãy kiểm tra tệp hoặc cài "
                                         "tesseract-ocr tesseract-ocr-vie.")
        for enc in sorted(legacy_used):
            warnings.append(legacy.warning(enc))
        if poor:
            warnings.append(("warn_poor_text", "Các trang " + ", ".join(poor) + " đọc được rất ít chữ "
                             "tiếng Việt hợp lệ: kết quả trích xuất ở đó có thể thiếu."))
        return RawDoc(text=text, format="pdf", encoding=",".join(sorted(legacy_used)) or None,
                      pages=len(pages), ocr=ocr_used,
                      page_starts=[(s, p.reader) for s, p in zip(starts, pages)], warnings=warnings)
    except pdfium_error():  # a page or its text that pdfium cannot load: a damaged file
        raise IngestError("bad_pdf", "Tệp PDF bị hỏng (có trang không đọc được): "
                                     "hãy xuất lại tệp PDF từ bản gốc rồi chạy lại.") from None
    finally:
        if pool is not None:
            pool.close()
        doc.close()
