"""OCR ingest: scanned PDF pages and images through Tesseract, degraded scans cleaned first.

The slow tests OCR only a page or two of each scan (tests/fixtures/scans holds the first two
pages); the full agreement on whole scans is in `python -m benchmarks.agreement`.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.errors import IngestError
from pipeline.ingest import ocr, pdf
from pipeline.lang.vi import load
from pipeline.run import process_bytes

SCANS = Path(__file__).parent / "fixtures" / "scans"
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-vie not installed (make system-deps)")


def _first_page(name: str) -> bytes:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument((SCANS / name).read_bytes())
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, [0])
    buf = io.BytesIO()
    dst.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("example", load("ocr")["examples"]["match"], ids=lambda e: e["line"])
def test_ocr_misread_roman_heading_repaired(example):
    assert ocr.fix_headings(example["line"]) == example["fixed"]


@pytest.mark.parametrize("line", load("ocr")["examples"]["no_match"])
def test_ocr_heading_repair_leaves_other_lines(line):
    assert ocr.fix_headings(line) == line


def test_ocr_tsv_words_grouped_into_lines():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [head,
            "5\t1\t1\t1\t1\t1\t100\t50\t60\t30\t95\tH.",
            "5\t1\t1\t1\t1\t2\t170\t50\t80\t30\t95\tCÁC",
            "5\t1\t1\t1\t1\t3\t260\t50\t80\t30\t12\tCHỈ",
            "5\t1\t1\t1\t2\t1\t100\t90\t90\t30\t90\tTIÊU"]
    lines = ocr.parse_tsv("\n".join(rows))
    assert [x.text for x in lines] == ["II. CÁC CHỈ", "TIÊU"]
    assert (lines[0].x0, lines[0].x1, lines[0].top) == (100, 340, 50)
    assert [x.text for x in ocr.parse_tsv("\n".join(rows), min_conf=30)] == ["II. CÁC", "TIÊU"]


def test_ocr_missing_tesseract_gives_install_message(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    res = process_bytes(_first_page("seed000_scanned_p1-2.pdf"), "scan.pdf")
    assert res.status == "failed" and res.errors[0].code == "no_text"
    assert "tesseract-ocr-vie" in res.errors[0].message
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (200, 100), 255).save(buf, "PNG")
    png = process_bytes(buf.getvalue(), "scan.png")
    assert png.status == "failed" and png.errors[0].code == "ocr_unavailable"


@pytest.mark.slow
@needs_tesseract
def test_ocr_clean_scan_two_pages():
    res = process_bytes((SCANS / "seed000_scanned_p1-2.pdf").read_bytes(), "seed000_scanned.pdf")
    assert res.status == "ok" and res.source.ocr and res.source.pages == 2
    assert [p.reader for p in res.source.page_info] == ["tesseract", "tesseract"]
    lines = res.text.splitlines()
    assert "KẾ HOẠCH" in lines and "Số: 14 - KH/TĐTN-BCN" in lines
    assert any(x.startswith("II. CÁC CHỈ TIÊU CƠ BẢN") for x in lines)
    assert "2763/QĐ-UBND ngày 17/11/2017" in res.text
    assert res.document.number == "14" and res.document.issued_date == "2018-01-15"


@pytest.mark.slow
@needs_tesseract
def test_ocr_harsh_scan_needs_cleanup_and_reads():
    raw = pdf.read(_first_page("seed000_scanned_harsh_p1-2.pdf"), "harsh.pdf")
    assert raw.ocr and [r for _, r in raw.page_starts] == ["tesseract+clean"]
    assert "KẾ HOẠCH" in raw.text and "2763/QĐ-UBND" in raw.text


@pytest.mark.slow
@needs_tesseract
def test_ocr_multipage_tiff_and_png():
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument((SCANS / "seed000_scanned_noisy_p1-2.pdf").read_bytes())
    frames = [pdf._page_image(doc[i])[0] for i in range(2)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    res = process_bytes(buf.getvalue(), "scan.tiff")
    assert res.status == "ok" and res.source.format == "tif" and res.source.pages == 2 and res.source.ocr
    assert "KẾ HOẠCH" in res.text.splitlines()
    assert len(res.source.page_info) == 2 and res.source.page_info[1].start > 1000
    png = io.BytesIO()
    frames[1].save(png, "PNG")
    one = process_bytes(png.getvalue(), "page2.png")
    assert one.status == "ok" and one.source.pages == 1 and one.source.format == "png"
    assert isinstance(Image.open(io.BytesIO(png.getvalue())).size, tuple)


def test_ocr_bad_image_fails_clearly(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: True)
    with pytest.raises(IngestError) as err:
        ocr.read(b"not an image at all", "x.jpg")
    assert err.value.code == "bad_image"


def test_ocr_heading_sequence_restores_dropped_strokes():
    from pipeline.ingest import layout

    def page(reader, *texts):
        return layout.Page([layout.Line(t, 0, 100, 10 * k, 10 * k + 8) for k, t in enumerate(texts)], 600, 800, reader)

    pages = [page("tesseract", "I. MỤC ĐÍCH", "II. CÁC CHỈ TIÊU", "II. NỘI DUNG THỰC HIỆN"),
             page("tesseract", "II. TỔ CHỨC THỰC HIỆN", "IV. KINH PHÍ", "I. MỤC ĐÍCH (phần hai)")]
    ocr.fix_heading_sequence(pages)
    assert [x.text for p in pages for x in p.lines] == [
        "I. MỤC ĐÍCH", "II. CÁC CHỈ TIÊU", "III. NỘI DUNG THỰC HIỆN",
        "III. TỔ CHỨC THỰC HIỆN", "IV. KINH PHÍ", "I. MỤC ĐÍCH (phần hai)"]
    text_layer = [page("pdfium", "II. A BC", "II. DE FG")]
    ocr.fix_heading_sequence(text_layer)
    assert [x.text for x in text_layer[0].lines] == ["II. A BC", "II. DE FG"]


def test_ocr_lookalike_eth_becomes_vietnamese_d():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    row = "5\t1\t1\t1\t1\t1\t100\t50\t60\t30\t95\tQuyết định số 09-QÐ/TU"
    assert ocr.parse_tsv(head + "\n" + row)[0].text == "Quyết định số 09-QĐ/TU"


@pytest.mark.slow
@needs_tesseract
def test_ocr_unseen_plan_typeset_page_gives_same_facts():
    from benchmarks import unseen
    from benchmarks.agreement import f1, facts

    if unseen._font_path() is None:
        pytest.skip("no font with Vietnamese letters (fonts-dejavu-core)")
    src = unseen.sources(1)[0]  # seed 001: no scan of it among the fixtures
    pages, shown = unseen.typeset(unseen.paragraphs(src.read_text(encoding="utf-8")), 1)
    res = process_bytes(unseen.tiff(pages), "unseen.tif")
    want = facts(process_bytes(shown.encode("utf-8"), "unseen.txt"))
    assert f1(facts(res), want) >= 0.9
