"""OCR ingest: scanned PDF pages and images through Tesseract, degraded scans cleaned first.

The slow tests OCR only a page or two of each scan (tests/fixtures/scans holds the first two
pages); the full agreement on whole scans is in `python -m benchmarks.agreement`.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.errors import IngestError
from pipeline.ingest import layout, ocr, pdf
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
    assert [x.text for x in lines] == ["II. CÁC CHỈ", "TIÊU"]  # a low-confidence word stays
    assert (lines[0].x0, lines[0].x1, lines[0].top) == (100, 340, 50)


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


def test_ocr_first_slash_heading_read_as_arabic_one():
    """A scan of a plan with "I/ MỤC ĐÍCH - YÊU CẦU", "II/ CHỈ TIÊU" read "1/ ...", "1I/ ..."."""
    from pipeline.ingest import layout

    def page(reader, *texts):
        return layout.Page([layout.Line(ocr.repair(t), 0, 100, 10 * k, 10 * k + 8) for k, t in enumerate(texts)],
                           600, 800, reader)

    pages = [page("tesseract", "1/ MỤC ĐÍCH - YÊU CẦU", "1. Mục đích", "1I/ CHỈ TIÊU", "1I1/ NỘI DUNG")]
    ocr.fix_heading_sequence(pages)
    assert [x.text for x in pages[0].lines] == ["I/ MỤC ĐÍCH - YÊU CẦU", "1. Mục đích", "II/ CHỈ TIÊU", "III/ NỘI DUNG"]
    arabic = [page("tesseract", "1/ MỤC ĐÍCH", "2/ YÊU CẦU")]
    ocr.fix_heading_sequence(arabic)
    assert [x.text for x in arabic[0].lines] == ["1/ MỤC ĐÍCH", "2/ YÊU CẦU"]
    text_layer = [page("pdfium", "1/ MỤC ĐÍCH", "II/ CHỈ TIÊU")]
    ocr.fix_heading_sequence(text_layer)
    assert text_layer[0].lines[0].text == "1/ MỤC ĐÍCH"


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


TSV_HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(lines: list[list[tuple[int, int, int, int, str]]], slope: float = 0.0) -> str:
    """TSV of word boxes (left, top, width, height, text) per line, the page turned by `slope`."""
    rows = [TSV_HEAD]
    for n, words in enumerate(lines, 1):
        for k, (left, top, width, height, text) in enumerate(words, 1):
            left, top = round(left - slope * top), round(top + slope * left)
            rows.append(f"5\t1\t1\t1\t{n}\t{k}\t{left}\t{top}\t{width}\t{height}\t96\t{text}")
    return "\n".join(rows)


@pytest.mark.parametrize("example", load("ocr")["examples"]["repair"], ids=lambda e: e["line"])
def test_ocr_misreads_repaired_where_context_says_what_was_printed(example):
    assert ocr.repair_page([example["line"]]) == [example["fixed"]]


@pytest.mark.parametrize("line", load("ocr")["examples"]["keep"])
def test_ocr_repairs_leave_real_words(line):
    assert ocr.repair_page([line]) == [line]


def test_ocr_date_words_repaired_across_a_line_wrap():
    lines = ["(Ban hành kèm theo Quyết định số 3127/QĐ-UBND ngày 26 tháng 11 nam", "2025 của Ủy ban nhân dân)"]
    assert ocr.repair_page(lines) == [lines[0][:-3] + "năm", lines[1]]
    assert ocr.repair_page(["Thanh niên Việt Nam", "2018 xung kích"]) == ["Thanh niên Việt Nam", "2018 xung kích"]


def test_ocr_number_split_by_tesseract_is_rejoined():
    # Real boxes (001 and d01 noisy scans): the halves of one number are 10-11 px apart, words ~20.
    line = [(404, 1342, 131, 54, "Nghị"), (555, 1339, 118, 53, "định"), (694, 1333, 56, 48, "số"),
            (772, 1335, 182, 46, "27/202"), (965, 1331, 233, 48, "1/NĐ-CP"), (1220, 1330, 130, 57, "ngày"),
            (1370, 1330, 301, 49, "27/01/2021"), (1690, 1330, 94, 49, "của")]
    assert ocr.parse_tsv(_tsv([line]))[0].text == "Nghị định số 27/2021/NĐ-CP ngày 27/01/2021 của"
    line = [(1040, 767, 272, 46, "41-CT/TW"), (1332, 762, 131, 56, "ngày"), (1482, 761, 112, 46, "26/1"),
            (1604, 758, 184, 47, "2/2024"), (1810, 751, 94, 48, "của")]
    assert ocr.parse_tsv(_tsv([line]))[0].text == "41-CT/TW ngày 26/12/2024 của"
    spaced = [(100, 50, 60, 40, "từ"), (180, 50, 100, 40, "17/10"), (300, 50, 60, 40, "đến"),
              (380, 50, 100, 40, "18/11"), (500, 50, 60, 40, "2020"), (580, 50, 60, 40, "và")]
    assert ocr.parse_tsv(_tsv([spaced]))[0].text == "từ 17/10 đến 18/11 2020 và"


def test_ocr_specks_dropped_dashes_kept():
    line = [(100, 50, 100, 42, "lượt"), (220, 50, 120, 42, "thanh"), (360, 50, 100, 42, "niên)"),
            (480, 70, 30, 6, "-"), (2189, 45, 3, 1, "|")]
    out = ocr.parse_tsv(_tsv([line]))[0]
    assert out.text == "lượt thanh niên) -" and out.x1 == 510


def test_ocr_skewed_page_lines_rejoined_as_printed():
    """A page turned by 1° (Tesseract's boxes are in the turned frame): the right margin
    slants by ~60 px down the page, so without deskewed boxes the line ending "từ ngày 17/10
    đến" near the top looks short and "18/11 và ..." (which did not fit on it) became a new
    paragraph, splitting the date range."""
    cw = 28  # every letter and space 28 px wide

    def words(text, top):
        out, x = [], 200
        for t in text.split():
            out.append((x, top, cw * len(t), 40, t))
            x += cw * (len(t) + 1)
        return out

    full = "Nội dung của dòng này đầy đủ chữ chạy suốt tới lề phải trang in ra"  # 66: ends at x=2048
    head = "Tổ chức Tháng cao điểm vì người nghèo ở xã từ ngày 17/10 đến"  # 60: x=1880, "18/11" won't fit
    assert (len(full), len(head)) == (66, 60)
    lines = [words(full, 100), words(head, 180),
             words("18/11 và triển khai các hoạt động hưởng ứng gắn với Đoàn.", 260)]
    lines += [words(full, 340 + 80 * k) for k in range(38)]
    for slope in (0.0, -0.0175):
        page = layout.Page(ocr.parse_tsv(_tsv(lines, slope)), 2480, 3500, "tesseract")
        text, _ = layout.build([page])
        assert "từ ngày 17/10 đến 18/11 và" in text, slope


def test_ocr_cleanup_filters_match_pillow():
    import numpy as np
    from PIL import Image, ImageFilter

    from pipeline.ingest import scanclean

    rng = np.random.default_rng(5)
    for shape in [(1, 1), (2, 3), (61, 47)]:
        img = Image.fromarray(rng.integers(0, 256, shape).astype(np.uint8))
        assert scanclean.median3(img).tobytes() == img.filter(ImageFilter.MedianFilter(3)).tobytes()
        assert scanclean.max_filter(img, 7).tobytes() == img.filter(ImageFilter.MaxFilter(7)).tobytes()


def test_ocr_rotate_scale_is_rotate_then_resize():
    import numpy as np
    from PIL import Image, ImageDraw

    from pipeline.ingest import scanclean

    img = Image.new("L", (400, 300), 255)
    ImageDraw.Draw(img).rectangle((100, 80, 300, 120), fill=0)
    one = np.asarray(scanclean.rotate_scale(img, 2.0, 1.5), dtype=float)
    two = np.asarray(img.rotate(2.0, resample=Image.BICUBIC, fillcolor=255).resize((600, 450), Image.LANCZOS), dtype=float)
    assert one.shape == two.shape and np.mean(np.abs(one - two)) < 4


@pytest.mark.slow
@needs_tesseract
def test_ocr_noisy_unseen_page_keeps_split_numbers_and_ranges():
    """Seed 001 typeset and degraded like the noisy fixture, its third page: Tesseract splits
    "27/2021/NĐ-CP" in two and the page is turned by 1°; the facts must survive."""
    from benchmarks import unseen
    from benchmarks.agreement import facts

    if unseen._font_path() is None:
        pytest.skip("no font with Vietnamese letters (fonts-dejavu-core)")
    src = unseen.sources(1)[0]
    pages, _ = unseen.typeset(unseen.paragraphs(src.read_text(encoding="utf-8")), 3)
    res = process_bytes(unseen.tiff([unseen.degrade(pages[2], 0)]), "noisy.tif")
    got = facts(res)
    assert got[("ref", "27", "NĐ-CP")] == 1 and got[("date", "2021-01-27")] == 1
    assert got[("date", "--10-17")] >= 1  # "từ ngày 17/10 đến 18/11" kept in one paragraph


def test_ocr_doubtful_numbers_are_read_again(monkeypatch):
    """A noisy page read "ngày 16 tháng 6 năm 2025;" as "... năm sU 2O:" with confidence 0:
    the low-confidence run holding a digit is cropped and read again (one strip, one more
    Tesseract run); a sure read replaces it, an unsure one does not, sure words never go."""
    from PIL import Image

    def words(*spec):
        return [ocr.Word(100 * k, 10, 100 * k + 80, 50, t, c) for k, (t, c) in enumerate(spec)]

    line = words(("ngày", 97), ("16", 97), ("tháng", 97), ("6", 97), ("năm", 97), ("sU", 0), ("2O:", 0))
    assert ocr._doubtful_spans(line) == [(5, 7)]
    assert ocr._doubtful_spans(words(("Việt", 30), ("Nam", 20))) == []  # no digit: not a number
    sure = words(("Số:", 97), ("1627/QĐ-UBND", 89))
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    calls = []

    def strip_read(conf):
        def tsv(img, dpi, psm=None):
            calls.append(psm)
            # each span is on the strip twice (as is, median-filtered): the second read is surer
            return "\n".join([head, f"5\t1\t1\t1\t1\t1\t60\t60\t80\t40\t{conf - 5}\t2O25;",
                              f"5\t1\t1\t1\t2\t1\t60\t160\t80\t40\t{conf}\t2025;"])
        return tsv

    img = Image.new("L", (800, 100), 255)
    monkeypatch.setattr(ocr, "tesseract_tsv", strip_read(96))
    out = ocr.reread_doubtful(img, [line, sure], 300)
    assert [w.text for w in out[0]] == ["ngày", "16", "tháng", "6", "năm", "2025;"] and out[1] == sure
    assert calls == [6]
    monkeypatch.setattr(ocr, "tesseract_tsv", strip_read(40))  # no surer: the first read stays
    assert [w.text for w in ocr.reread_doubtful(img, [line], 300)[0]][-2:] == ["sU", "2O:"]
    calls.clear()
    assert ocr.reread_doubtful(img, [sure], 300) == [sure] and calls == []  # nothing in doubt: no run


def test_ocr_reread_that_only_drops_characters_is_refused(monkeypatch):
    """"1683/NQ-UBTVQH15" (confidence 52) read again "1683/NQ-UBTVQHI5" at 91, which the
    symbol repair makes "UBTVQH5" (a stray I): a lost digit."""
    from PIL import Image

    line = [ocr.Word(0, 10, 300, 50, "1683/NQ-UBTVQH15", 52), ocr.Word(320, 10, 400, 50, "ngày", 97)]
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    monkeypatch.setattr(ocr, "tesseract_tsv", lambda img, dpi, psm=None: head + "\n5\t1\t1\t1\t1\t1\t60\t60\t280\t40\t91\t1683/NQ-UBTVQHI5")
    assert ocr.reread_doubtful(Image.new("L", (500, 100), 255), [line], 300) == [line]
    assert ocr._dropped_only("UBTVQH15", "UBTVQH5") and not ocr._dropped_only("U22;", "2025;")
    # same digits, other letters: "3935/BGDĐT-GDTrH" (54) read again "3935/BGDĐT-GDTTH" (71) stays
    line = [ocr.Word(0, 10, 300, 50, "3935/BGDĐT-GDTrH", 54)]
    monkeypatch.setattr(ocr, "tesseract_tsv", lambda img, dpi, psm=None: head + "\n5\t1\t1\t1\t1\t1\t60\t60\t280\t40\t71\t3935/BGDĐT-GDTTH")
    assert ocr.reread_doubtful(Image.new("L", (500, 100), 255), [line], 300) == [line]


@pytest.mark.slow
@needs_tesseract
def test_ocr_noisy_unseen_page_rereads_lone_year():
    """d11 typeset and degraded like the noisy fixture: "năm" ends a line and "2025;" follows;
    the page read gives "sU 2O:" (confidence 0) and loses the date's year."""
    from benchmarks import unseen
    from benchmarks.agreement import facts

    if unseen._font_path() is None:
        pytest.skip("no font with Vietnamese letters (fonts-dejavu-core)")
    srcs = unseen.sources(16)
    i = next(k for k, s in enumerate(srcs) if s.name.startswith("d11_"))
    pages, _ = unseen.typeset(unseen.paragraphs(srcs[i].read_text(encoding="utf-8")), 1)
    res = process_bytes(unseen.tiff([unseen.degrade(pages[0], i)]), "noisy.tif")
    got = facts(res)
    assert got[("date", "2025-06-16")] >= 1 and not got[("date", "--06-16")]
