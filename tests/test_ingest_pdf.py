"""PDF ingest: text layers read like the seed .txt, per-page readers, page numbers, layout repair."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.agreement import f1, facts, similarity
from ingest_helpers import make_pdf
from pipeline.errors import IngestError
from pipeline.ingest import layout, pdf
from pipeline.ingest.quality import score
from pipeline.run import process_bytes, process_path

FIX = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent.parent / "corpus"
LO_PDFS = sorted((FIX / "lo_pdf").glob("*.pdf"))


def test_pdf_seed_text_matches_reference():
    raw = pdf.read((FIX / "seed000.pdf").read_bytes(), "seed000.pdf")
    assert raw.pages == 5 and not raw.ocr
    assert [r for _, r in raw.page_starts] == ["pdfium"] * 5
    assert similarity(raw.text, (FIX / "seed000.ref.txt").read_text(encoding="utf-8")) > 0.99


def test_pdf_headings_and_header_at_line_starts():
    text = pdf.read((FIX / "seed000.pdf").read_bytes(), "seed000.pdf").text
    lines = text.splitlines()
    for want in ("I. MỤC ĐÍCH – YÊU CẦU", "II. CÁC CHỈ TIÊU CƠ BẢN", "III. NỘI DUNG THỰC HIỆN",
                 "Số: 14 - KH/TĐTN-BCN", "Tây Ninh, ngày 15 tháng 01 năm 2018", "KẾ HOẠCH"):
        assert want in lines


def test_pdf_sentence_broken_across_pages_is_joined():
    text = pdf.read((FIX / "seed000.pdf").read_bytes(), "seed000.pdf").text
    # page 1 ends "... các mục tiêu khác của", page 2 starts "Chương trình Giảm nghèo ..."
    assert "các mục tiêu khác của Chương trình Giảm nghèo bền vững" in text


def test_pdf_page_of_a_fact_found_from_its_span():
    res = process_path(FIX / "seed000.pdf")
    pages = res.source.page_info
    assert [p.number for p in pages] == [1, 2, 3, 4, 5]
    assert all(a.end == b.start for a, b in zip(pages, pages[1:])) and pages[-1].end == len(res.text)
    pos = res.text.index("26/2017/NQ-HĐND")  # printed on page 2 of seed000.pdf
    assert [p.number for p in pages if p.start <= pos < p.end] == [2]


@pytest.mark.parametrize("path", LO_PDFS, ids=[p.stem for p in LO_PDFS])
def test_pdf_word_processor_glyph_clusters_read_right(path):
    raw = pdf.read(path.read_bytes(), path.name)
    assert "(cid:" not in raw.text and score(raw.text).usable
    corpus = (CORPUS / (path.stem + ".txt")).read_text(encoding="utf-8")
    assert similarity(raw.text, corpus) > 0.99


def test_pdf_pdfplumber_text_of_glyph_clusters_is_detected_as_broken():
    lines = pdf._plumber_lines((LO_PDFS[0]).read_bytes(), 0)
    q = score(pdf._text(lines))
    assert not q.usable  # "(cid:11)", "KỈÊN"-like syllables


def test_pdf_broken_page_read_again_with_pdfplumber(monkeypatch):
    def broken(page):
        return [layout.Line("BCH ĐOÀN TỈ(cid:11)NH TÂY NỈNH (cid:16) KỈÊN GỈANG " * 3, 72, 500, 100, 112)]
    monkeypatch.setattr(pdf, "_pdfium_lines", broken)
    raw = pdf.read((FIX / "seed000.pdf").read_bytes(), "seed000.pdf")
    assert [r for _, r in raw.page_starts] == ["pdfplumber"] * 5
    assert "Số: 14 - KH/TĐTN-BCN" in raw.text


@pytest.mark.parametrize("path", [FIX / "seed000.pdf", FIX / "all_seeds.pdf", *LO_PDFS],
                         ids=lambda p: p.name)
def test_pdf_same_facts_as_txt(path):
    if path.name == "all_seeds.pdf":
        from pipeline.run import process_text
        want = facts(process_text("\n\n".join(p.read_text(encoding="utf-8")
                                              for p in sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))), "all.txt"))
    else:
        stem = "000_97020d20aea53fc8" if path.name == "seed000.pdf" else path.stem
        want = facts(process_path(CORPUS / f"{stem}.txt"))
    score_ = f1(facts(process_path(path)), want)
    assert score_ is None or score_ >= 0.97


def _page(lines, height=842):
    return layout.Page([layout.Line(t, x0, x1, top, top + 11) for t, x0, x1, top in lines], 595, height, "pdfium")


def test_layout_drops_running_heads_and_page_numbers():
    body = "Nội dung trang có đủ chữ để làm lề phải của văn bản này"
    pages = [_page([("UBND TỈNH X – Kế hoạch 14", 72, 300, 30), (body + f" {i}.", 72, 520, 100),
                    (f"- {i} -", 280, 300, 810)]) for i in range(1, 5)]
    text, starts = layout.build(pages)
    assert "UBND TỈNH X" not in text and "- 2 -" not in text
    assert text.count("Nội dung trang") == 4 and len(starts) == 4


def test_layout_joins_wrapped_lines_and_hyphenated_words():
    pages = [_page([("Phát huy vai trò của tổ chức Đoàn trong việc tổ chức các phong trào nhằm thu hút", 72, 520, 100),
                    ("đông đảo lực lượng cán bộ, đoàn viên, thanh niên tham gia công tác giảm nghèo bền vững;", 72, 520, 114),
                    ("hoạt động đảm bảo an sinh xã hội và phát triển kinh tế của thanh niên trên địa bàn tỉnh", 72, 520, 128),
                    ("theo Kế hoạch số 14 của KH/TĐTN-", 72, 300, 142),
                    ("BCN và các văn bản hướng dẫn.", 72, 250, 156),
                    ("II. CÁC CHỈ TIÊU CƠ BẢN", 72, 250, 176)])]
    text, _ = layout.build(pages)
    paras = text.strip().split("\n\n")
    assert paras[-1] == "II. CÁC CHỈ TIÊU CƠ BẢN"
    assert paras[0].startswith("Phát huy vai trò") and "thu hút đông đảo" in paras[0]


def test_layout_joins_a_short_line_the_next_goes_on_with_in_lower_case():
    """A plan typed with hard line breaks (set 35, as a word-processor PDF): lines end short in
    mid-sentence. A lower-case line after one that did not end a sentence goes on with it; a
    finished sentence, a list label "b)" or a capital still opens a paragraph."""
    pages = [_page([("1. Ban Tổ chức - Kiểm tra Liên đoàn Lao động huyện chủ trì tham mưu, theo", 72, 520, 100),
                    ("dõi việc thực hiện các chỉ tiêu tại điểm a, b khoản 1 Mục III; thường trực", 72, 400, 114),
                    ("Tổ công tác phát triển đoàn viên; tổng hợp kết quả hằng quý.", 72, 330, 128),
                    ("các công đoàn ngành báo cáo hằng quý", 72, 260, 142),
                    ("b) Đánh giá, xếp loại CĐCS theo Hướng dẫn số 03/HD-LĐLĐ; kết quả phát triển", 72, 420, 156),
                    ("a) Kết nạp mới ít nhất 450 đoàn viên công đoàn", 72, 300, 170),
                    ("b) Thành lập mới ít nhất 06 CĐCS", 72, 250, 184)])]
    paras = layout.build(pages)[0].strip().split("\n\n")
    assert paras == ["1. Ban Tổ chức - Kiểm tra Liên đoàn Lao động huyện chủ trì tham mưu, theo dõi việc thực "
                     "hiện các chỉ tiêu tại điểm a, b khoản 1 Mục III; thường trực",
                     "Tổ công tác phát triển đoàn viên; tổng hợp kết quả hằng quý.",
                     "các công đoàn ngành báo cáo hằng quý",
                     "b) Đánh giá, xếp loại CĐCS theo Hướng dẫn số 03/HD-LĐLĐ; kết quả phát triển",
                     "a) Kết nạp mới ít nhất 450 đoàn viên công đoàn",
                     "b) Thành lập mới ít nhất 06 CĐCS"]


def test_layout_hyphen_join_rules():
    assert layout._join("phát triển bền vững kinh-", "tế xã hội") == "phát triển bền vững kinhtế xã hội"
    assert layout._join("số 14-KH/TĐTN-", "BCN") == "số 14-KH/TĐTN-BCN"
    assert layout._join("giai đoạn 2017 -", "2020") == "giai đoạn 2017 - 2020"


def test_pdf_bad_file_fails_with_clear_message():
    res = process_bytes(b"%PDF-1.4 this is not a pdf", "x.pdf")
    assert res.status == "failed" and res.errors[0].code == "bad_pdf"
    assert "PDF" in res.errors[0].message


def test_pdf_encrypted_file_fails_with_password_message(monkeypatch):
    import pypdfium2 as pdfium

    def locked(data):
        raise pdfium.PdfiumError("Failed to load document (PDFium: Incorrect password error).")
    monkeypatch.setattr(pdfium, "PdfDocument", locked)
    with pytest.raises(IngestError) as err:
        pdf.read(b"%PDF", "x.pdf")
    assert err.value.code == "pdf_encrypted" and "mật khẩu" in err.value.message


def test_pdf_legacy_tcvn3_text_layer_converted():
    long = "Thùc hiÖn ph¸t triÓn kinh tÕ x· héi cña tØnh trong giai ®o¹n 2021 - 2025 vµ c¸c n¨m tiÕp theo"
    data = make_pdf([[(72, 60, "KÕ HO¹CH"), (72, 90, long), (72, 104, "Céng hoµ x· héi chñ nghÜa ViÖt Nam.")],
                     [(72, 60, "§oµn thanh niªn")]])
    res = process_bytes(data, "legacy.pdf")
    assert res.status == "ok" and res.source.encoding == "tcvn3"
    assert "KẾ HOẠCH" in res.text and "Cộng hoà xã hội chủ nghĩa Việt Nam" in res.text
    assert "Đoàn thanh niên" in res.text
    assert any(e.code == "warn_legacy_encoding" for e in res.errors)
    assert [p.reader for p in res.source.page_info] == ["pdfium+tcvn3"] * 2


def test_pdf_two_column_header_split_into_lines():
    body = [(72, 140 + 14 * i, "Thuc hien Quyet dinh so 2763/QD-UBND ngay 17/11/2017 cua Uy ban nhan dan tinh ve")
            for i in range(6)]
    data = make_pdf([[(72, 60, "UBND TINH TAY NINH"), (320, 60, "CONG HOA XA HOI CHU NGHIA VIET NAM"),
                      (72, 80, "So: 14/KH-UBND"), (330, 80, "Tay Ninh, ngay 15 thang 01 nam 2018"),
                      (72, 120, "KE HOACH"), *body]])
    lines = pdf.read(data, "x.pdf").text.splitlines()
    assert "So: 14/KH-UBND" in lines and "Tay Ninh, ngay 15 thang 01 nam 2018" in lines


def test_letters_out_of_reading_order_are_no_usable_text():
    """A PDF that draws a fallback font's letters after the line reads "K HO CH … Ế Ạ": every
    letter is valid, the lower-case pieces left without a vowel give it away."""
    broken = ("K HO CH**Tri n khai th c hi n Phong trào thi đua****“Vì ng i nghèo - Không đ Ế Ạ ể ự ệ ườ ể\n"
              "ai b b l i phía sau” giai đo n 2022 - 2025** ị ỏ ạ ạ\n"
              "Th c hi n K ho ch s 562/KH-MTTW-BTT ngày 16/6/2022 c a y ban Trung ng M t ự ệ ế ạ ố ủ Ủ ươ ặ\n")
    right = ("KẾ HOẠCH Triển khai thực hiện Phong trào thi đua “Vì người nghèo - Không để ai bị bỏ lại phía "
             "sau” giai đoạn 2022 - 2025. Thực hiện Kế hoạch số 562/KH-MTTW-BTT ngày 16/6/2022 của Ủy ban "
             "Trung ương Mặt trận Tổ quốc Việt Nam, cách tính 5 km, mục b) và c).")
    assert not score(broken).usable
    assert score(right).usable


def test_layout_keeps_table_cells_at_page_edges():
    """A table one cell a line runs over page breaks: "|", "33", "30,5" at a page's top or
    bottom are cells, not running heads or page numbers; the real page numbers ("2", "3",
    "4" on pages 2-4) still go, and a lone "|" never joins the long cell line before it."""
    long_cell = "Tỷ lệ huy động trẻ nhà trẻ, mẫu giáo, trẻ em 5 tuổi (điểm a khoản 1 Mục II) của các trường"
    pages = []
    for k in range(4):
        lines = [(f"{k + 1}", 290, 300, 20)] if k else []
        lines += [("|", 72, 76, 60), ("33", 72, 84, 80), ("|", 72, 76, 100), (long_cell, 72, 523, 120),
                  ("|", 72, 76, 140), ("Sở Y tế", 72, 110, 160)] + [("|", 72, 76, 180 + 20 * i) for i in range(1)]
        lines += [(f"Dòng {i} của trang", 72, 523, 200 + 20 * i) for i in range(16)] + [("30,5", 72, 90, 790), ("|", 72, 76, 810)]
        pages.append(_page(lines))
    text, _ = layout.build(pages)
    paras = text.split("\n\n")
    assert "33" in paras and "30,5" in paras and paras.count("|") >= 4 * 4
    assert not any(p in ("2", "3", "4") for p in paras)
    assert long_cell in paras


def test_pdf_table_row_drawn_cell_by_cell_is_one_tab_separated_line():
    """Three cells or more at one height a few characters apart are a table's row, as typed
    text keeps one (tabs between cells), so the table reader sees rows; two columns are still
    a two-column header split into lines."""
    body = [(72, 140 + 14 * i, "Thuc hien Quyet dinh so 2763/QD-UBND ngay 17/11/2017 cua Uy ban nhan dan tinh ve")
            for i in range(6)]
    rows = [(72, 260, "TT"), (100, 260, "Don vi"), (260, 260, "Xay moi (nha)"), (380, 260, "Sua chua (nha)"),
            (72, 280, "1"), (100, 280, "Huyen Bac Xuyen"), (260, 280, "78"), (380, 280, "26")]
    data = make_pdf([[(72, 60, "UBND TINH TAY NINH"), (320, 60, "CONG HOA XA HOI CHU NGHIA VIET NAM"),
                      (72, 120, "KE HOACH"), *body, *rows]])
    lines = pdf.read(data, "x.pdf").text.splitlines()
    assert "TT\tDon vi\tXay moi (nha)\tSua chua (nha)" in lines and "1\tHuyen Bac Xuyen\t78\t26" in lines
    assert "UBND TINH TAY NINH" in lines


def test_layout_wide_first_word_and_markdown_row_broken_by_the_line_end():
    """A ragged line ends where "61,8%" (digits are wider than letters) did not fit: the
    next line goes on with it. A markdown row the line end cut goes on with its "| Sở …" part,
    and a row that opens with "|" otherwise starts its own line."""
    lines = [("Hiện nay Đoàn Khối có 52 cơ sở Đoàn trực thuộc với 4.216 đoàn viên; đến cuối năm 2023 mới có", 72, 499, 100),
             ("61,8% đoàn viên sử dụng ứng dụng.", 72, 260, 114),
             ("| 4 | Văn bản quy phạm pháp luật của UBND tỉnh được rà soát, hệ thống hóa | 100%", 72, 520, 140),
             ("| Sở Tư pháp | Các sở, ngành | 31/3/2026 |", 72, 300, 154),
             ("| 5 | Hồ sơ công chức, viên chức cập nhật trên Cơ sở dữ liệu quốc gia | 100% | Sở Nội vụ |", 72, 520, 168)]
    text, _ = layout.build([_page(lines)])
    paras = text.strip().split("\n\n")
    assert paras[0].endswith("mới có 61,8% đoàn viên sử dụng ứng dụng.")
    assert paras[1].endswith("| 100% | Sở Tư pháp | Các sở, ngành | 31/3/2026 |") and paras[2].startswith("| 5 |")
