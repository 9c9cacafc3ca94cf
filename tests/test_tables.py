"""Tables in the text (flattened web exports, markdown rows) and the targets they hold."""
from __future__ import annotations

from pipeline.extract import crossrefs, tables
from pipeline.run import process_text


def flat(rows: list[list[str]]) -> str:
    """A table as the web exports flatten it: "|" lines between cells, an empty cell after a row."""
    out = []
    for row in rows:
        for cell in row:
            out += ["|", cell]
        out += ["|"]
    return "\n".join(out) + "\n"


def _cells(text, table):
    return [[text[s:e] for s, e in r] for r in table.rows]


def test_flattened_table_rows_and_header():
    text = "PHỤ LỤC\n\n" + flat([["STT", "Cơ quan, đơn vị", "Số người được tư vấn"],
                                ["1", "Tỉnh Đoàn", "8.000"], ["2", "Hội Nông dân tỉnh", "5.000"]])
    (t,) = tables.find(text, 0, len(text))
    assert t.columns == ["stt", "cơ quan, đơn vị", "số người được tư vấn"]
    assert _cells(text, t) == [["1", "Tỉnh Đoàn", "8.000"], ["2", "Hội Nông dân tỉnh", "5.000"]]


def test_group_headings_spread_over_their_columns_and_column_numbers_dropped():
    rows = [["TT", "Chỉ tiêu", "ĐVT", "Giai đoạn 2026 - 2030"], ["Năm 2026", "Năm 2027"],
            ["1", "2", "3", "4", "5"], ["-", "Diện tích", "Ha", "27.000", "27.500"]]
    text = flat(rows)
    (t,) = tables.find(text, 0, len(text))
    assert t.columns[3:] == ["giai đoạn 2026 - 2030 năm 2026", "giai đoạn 2026 - 2030 năm 2027"]
    assert _cells(text, t) == [["-", "Diện tích", "Ha", "27.000", "27.500"]]


def test_markdown_rows():
    text = "| STT | Chỉ tiêu | Năm 2026 |\n|---|---|---:|\n| 1 | Tỷ lệ hồ sơ trực tuyến | ≥ 80% |\n"
    (t,) = tables.find(text, 0, len(text))
    assert t.columns == ["stt", "chỉ tiêu", "năm 2026"]
    assert _cells(text, t) == [["1", "Tỷ lệ hồ sơ trực tuyến", "≥ 80%"]]


PLAN = """ỦY BAN NHÂN DÂN TỈNH X
Số: 12/KH-UBND
X, ngày 08 tháng 01 năm 2026

KẾ HOẠCH
Tư vấn việc làm năm 2026

I. MỤC TIÊU
Tư vấn, giới thiệu việc làm cho người lao động.

II. TỔ CHỨC THỰC HIỆN
Các đơn vị thực hiện chỉ tiêu tại Phụ lục kèm theo.

Nơi nhận:
- Lưu: VT.

PHỤ LỤC
CHỈ TIÊU TƯ VẤN VIỆC LÀM NĂM 2026

""" + flat([["STT", "Cơ quan, đơn vị", "Thực hiện năm 2025", "Kế hoạch năm 2026"],
            ["1", "Tỉnh Đoàn", "7.100", "8.000"], ["2", "Hội Nông dân tỉnh", "4.200", "≥ 5.000"]])


def test_indicator_table_rows_are_targets_owned_by_their_body():
    res = process_text(PLAN, "plan.md")
    got = {t.value: t for t in res.targets}
    assert set(got) == {8000, 5000}  # the 2025 column reports what was done
    names = {b.id: b.name for b in res.bodies}
    assert names[got[8000].owners[0]].lower() == "tỉnh đoàn" and got[8000].owner_source == "explicit"
    assert got[5000].comparator == "ge" and got[5000].deadline == "2026"
    for t in res.targets:
        assert res.text[t.span[0]:t.span[1]] == t.text and t.number_span[0] >= t.span[0]


def test_section_references_chain_and_share_outer_levels():
    got = crossrefs.chains("chủ trì kiểm tra các chỉ tiêu tại mục a, mục b khoản 2 phần II Kế hoạch này")
    assert got == [[("mục", "a"), ("khoản", "2"), ("phần", "II")], [("mục", "b"), ("khoản", "2"), ("phần", "II")]]
    assert crossrefs.chains("(chỉ tiêu tại điểm b mục 2.2)") == [[("điểm", "b"), ("mục", "2.2")]]
    # several labels under one level word (set 34)
    got = crossrefs.chains("chủ trì thực hiện các chỉ tiêu tại điểm a, b, c khoản 1 Mục II; tổng hợp số liệu")
    assert got == [[("điểm", x), ("khoản", "1"), ("mục", "II")] for x in "abc"]
    got = crossrefs.chains("Chủ trì triển khai các chỉ tiêu tại điểm 1.1, 1.2 và 1.3 khoản 1 Mục III")
    assert [c[0][1] for c in got] == ["1.1", "1.2", "1.3"]
    # a part takes the outer levels it lacks from the parts after it (set 29)
    got = crossrefs.chains("Chủ trì thực hiện các chỉ tiêu tại điểm a, điểm b khoản 1 và khoản 2 mục II Kế hoạch này")
    assert got == [[("điểm", "a"), ("khoản", "1"), ("mục", "II")], [("điểm", "b"), ("khoản", "1"), ("mục", "II")],
                   [("khoản", "2"), ("mục", "II")]]
    # bullets by ordinal, commas between the levels of one chain (sets 11, 36)
    assert crossrefs.chains("(chỉ tiêu tại gạch đầu dòng thứ nhất, khoản 2, Mục II)") == \
        [[("gạch đầu dòng", "thứ nhất"), ("khoản", "2"), ("mục", "II")]]


def test_word_grid_tables_keep_their_rows():
    """A .docx indicator table reaches the table reader as rows and columns."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from ingest_helpers import make_docx, p

    from pipeline.run import process_bytes

    def tbl(rows):
        return "<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc>{p(c)}</w:tc>" for c in r) + "</w:tr>"
                                   for r in rows) + "</w:tbl>"

    body = "".join(p(x) for x in PLAN.split("PHỤ LỤC")[0].split("\n") if x.strip())
    body += p("PHỤ LỤC") + p("CHỈ TIÊU TƯ VẤN VIỆC LÀM NĂM 2026")
    body += tbl([["STT", "Cơ quan, đơn vị", "Thực hiện năm 2025", "Kế hoạch năm 2026"],
                 ["1", "Tỉnh Đoàn", "7.100", "8.000"], ["2", "Hội Nông dân tỉnh", "4.200", "≥ 5.000"]])
    res = process_bytes(make_docx(body), "plan.docx")
    assert res.status == "ok"
    assert {t.value for t in res.targets} == {8000, 5000}


def test_named_indicator_references_keep_their_words():
    refs = crossrefs.references("theo dõi chỉ tiêu trồng cây xanh và chỉ tiêu thu gom rác thải tại mục III Kế hoạch này")
    assert refs == [([("mục", "III")], "trồng cây xanh và chỉ tiêu thu gom rác thải")]
    assert crossrefs.chains("(chỉ tiêu số 4 tại khoản 1 Mục II)") == []  # one numbered indicator, not a section


def test_stacked_table_one_cell_a_line_across_a_page_break():
    """A PDF's text layer gives a table one cell a line; a heading wrapped over two lines is one
    column, a page number between blank lines is passed over, the total row is kept apart."""
    text = ("Biểu 01. Chỉ tiêu số liều vắc xin giao cho các huyện năm 2023\nSTT\nĐơn vị\nVắc xin LMLM\n"
            "trâu, bò (liều)\nVắc xin DTLCP\n(liều)\n1\nThành phố Lĩnh Giang\n4.200\n1.500\n2\nHuyện Yên Khê\n"
            "18.600\n3.800\n\n3\n\n3\nHuyện Đá Bạc\n21.400\n2.600\nTổng cộng\n44.200\n7.900\n\n4. NỘI DUNG\n")
    (t,) = tables.find(text, 0, len(text))
    assert t.columns == ["stt", "đơn vị", "vắc xin lmlm trâu, bò (liều)", "vắc xin dtlcp (liều)"]
    assert _cells(text, t) == [["1", "Thành phố Lĩnh Giang", "4.200", "1.500"], ["2", "Huyện Yên Khê", "18.600", "3.800"],
                               ["3", "Huyện Đá Bạc", "21.400", "2.600"], ["", "Tổng cộng", "44.200", "7.900"]]


def test_stacked_table_targets_owned_by_their_place():
    text = ("KẾ HOẠCH\n\nTiêm phòng gia súc năm 2023\n\nI. CHỈ TIÊU\n\nBiểu 01. Chỉ tiêu số liều vắc xin giao cho các huyện\n"
            "STT\nĐơn vị\nVắc xin LMLM (liều)\n1\nHuyện Yên Khê\n18.600\n2\nHuyện Đá Bạc\n21.400\nTổng cộng\n40.000\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các huyện triển khai.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = {(t.value, names[t.owners[0]] if t.owners else None) for t in res.targets}
    assert {(18600, "Huyện Yên Khê"), (21400, "Huyện Đá Bạc")} <= got


def test_table_typed_with_spaces_between_columns():
    """An appendix typed as plain text, columns aligned with runs of spaces (set 46)."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\n- Hỗ trợ xây mới 54 nhà.\n\nII. TỔ CHỨC THỰC HIỆN\n\n"
            "- Các huyện triển khai.\n\n                PHỤ LỤC\n   PHÂN BỔ CHỈ TIÊU HỖ TRỢ XÂY DỰNG NHÀ ĐẠI ĐOÀN KẾT\n\n"
            " TT   Đơn vị                Xây mới (nhà)   Sửa chữa (nhà)\n"
            " 1    Thành phố Hà Lâm           20              14\n"
            " 2    Huyện Bắc Xuyên            34              18\n"
            "      Tổng cộng                  54              32\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = {(t.value, tuple(names[o] for o in t.owners)) for t in res.targets}
    assert {(20, ("Thành phố Hà Lâm",)), (14, ("Thành phố Hà Lâm",)), (34, ("Huyện Bắc Xuyên",))} <= got


def test_column_of_a_level_to_reach_by_a_year_beside_the_target_column():
    """"Chỉ tiêu giảm …" names itself a target; "Tỷ lệ … đến cuối năm 2025 (%)" is one too (set 45)."""
    text = ("UBND TỈNH HÀ NGUYÊN\nSố: 118/KH-UBND\nHà Nguyên, ngày 09 tháng 6 năm 2022\n\nKẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\nChỉ tiêu giảm nghèo của các huyện:\n\n"
            "TT\tĐơn vị\tSố hộ nghèo cuối năm 2021 (hộ)\tChỉ tiêu giảm số hộ nghèo (hộ)\tTỷ lệ hộ nghèo đến cuối năm 2025 (%)\n"
            "1\tHuyện Yên Thịnh\t2.105\t1.150\t3,80\n2\tHuyện Na Lạc\t3.318\t1.900\t6,10\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các huyện triển khai.\n")
    values = {t.value for t in process_text(text).targets}
    assert {1150, 3.8, 1900, 6.1} <= values and 2105 not in values


def test_column_of_something_to_do_beside_the_target_column():
    """"Tổ hợp tác, HTX thành lập mới" holds commitments too; "Số người có uy tín" describes (set 44)."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\nPhân bổ chỉ tiêu cho các đơn vị:\n\n"
            "| TT | Đơn vị | Số người có uy tín (người) | Chỉ tiêu hỗ trợ phụ nữ khởi nghiệp | Tổ hợp tác, HTX thành lập mới |\n"
            "|---|---|---|---|---|\n| 1 | Hội LHPN huyện Mỹ Lợi | 78 | 200 | 4 |\n| 2 | Hội LHPN huyện Đồng Sơn | 69 | 180 | 3 |\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các huyện triển khai.\n")
    values = {t.value for t in process_text(text).targets}
    assert {200, 4, 180, 3} <= values and not values & {78, 69}


def test_column_of_something_reached_in_the_plans_year_beside_the_target_column():
    """"Vườn mẫu đạt chuẩn năm 2024" in a plan of 2024 holds targets; "Hộ phân loại rác năm 2023"
    is what was done, "Số hộ" describes (set 47)."""
    text = ("UBND XÃ ĐỨC LONG\nSố: 52/KH-UBND\nĐức Long, ngày 05 tháng 3 năm 2024\n\nKẾ HOẠCH\n\nThực hiện nhiệm vụ\n\n"
            "I. CHỈ TIÊU\n\n| TT | Thôn | Số hộ | Hộ phân loại rác năm 2023 (hộ) | Chỉ tiêu hộ phân loại rác năm 2024 (hộ) "
            "| Vườn mẫu đạt chuẩn năm 2024 (vườn) |\n|---|---|---|---|---|---|\n| 1 | Thôn Đông | 412 | 236 | 330 | 4 |\n"
            "| 2 | Thôn Tây | 385 | 198 | 310 | 3 |\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các thôn triển khai.\n")
    values = {t.value for t in process_text(text).targets}
    assert {330, 4, 310, 3} <= values and not values & {412, 236, 385, 198}


def test_rows_of_places_named_by_their_number_own_their_targets():
    """"Khu phố 1", "Khu phố 2" are places as "Thôn Đông" is: each row's targets are theirs (set 47)."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\nTT\tKhu phố\tSố hộ\tChỉ tiêu hộ phân loại rác năm 2025\n"
            "1\tKhu phố 1\t620\t530\n2\tKhu phố 2\t585\t500\n3\tKhu phố 3\t710\t610\n\tTổng cộng\t1.915\t1.640\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các khu phố triển khai.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = {(t.value, names[t.owners[0]] if t.owners else None) for t in res.targets}
    assert {(530, "Khu phố 1"), (500, "Khu phố 2"), (610, "Khu phố 3")} <= got


def test_rows_a_blank_line_apart_as_a_pdf_gives_them_back():
    """A PDF's layout puts a blank line after every short line: markdown rows spaced so are one
    table; rows typed together end their table at a blank line."""
    rows = ["| TT | Cơ sở Hội | Năm 2024 | Năm 2025 |", "| 1 | Xã Thạnh An | 320 | 330 |",
            "| 2 | Xã Thạnh Mỹ | 290 | 300 |", "|   | Tổng cộng | 610 | 630 |"]
    spaced = "\n\n".join(rows)
    got = tables.find(spaced, 0, len(spaced))
    assert len(got) == 1 and len(got[0].rows) == 3
    typed = "\n".join(rows[:2]) + "\n\n" + "\n".join(rows[2:])
    assert [len(t.rows) for t in tables.find(typed, 0, len(typed))] == [1]


def test_flattened_cells_a_blank_line_apart_as_a_pdf_gives_them_back():
    """Cells between "|" lines (a web export), printed and read back from a PDF with a blank
    line after every line: one table, as from the text; prose between two "|" lines is not a cell."""
    cells = ["|", "TT", "|", "Đơn vị", "|", "Chỉ tiêu (hộ)", "|", "|", "1", "|", "Xã Tân Phước", "|", "120", "|", "|",
             "2", "|", "Xã Phú Thạnh", "|", "95", "|", "|"]
    typed, spaced = "\n".join(cells), "\n\n".join(cells)
    want = [[typed[a:b] for a, b in r] for t in tables.find(typed, 0, len(typed)) for r in t.rows]
    got = [[spaced[a:b] for a, b in r] for t in tables.find(spaced, 0, len(spaced)) for r in t.rows]
    assert want == got == [["1", "Xã Tân Phước", "120"], ["2", "Xã Phú Thạnh", "95"]]
    prose = "|\n\nNgười ký\n\nPHỤ LỤC\n\n(Kèm theo Kế hoạch số 96/KH-UBND)\n\n" + spaced
    assert [t.columns for t in tables.find(prose, 0, len(prose))] == [t.columns for t in tables.find(typed, 0, len(typed))]


def test_table_numbered_from_its_first_row_has_lost_its_header():
    """A PDF drew the header row apart (or wrapped it): rows 1, 2, 3 from the first line are data,
    the running numbers are no targets, the numbers are."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\nChỉ tiêu huy động trẻ giao cho các trường:\n\n"
            "TT Đơn vị thực hiện Nội dung chỉ tiêu Số lượng\n\n"
            "1\tTrường Mầm non Quảng Phúc\tHuy động trẻ 5 tuổi ra lớp\t142\n\n"
            "2\tTrường Tiểu học Quảng Phúc\tHuy động trẻ 6 tuổi vào lớp 1\t156\n\n"
            "3\tTrường THCS Quảng Phúc\tHuy động học sinh vào lớp 6\t148\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các trường triển khai.\n")
    values = sorted(t.value for t in process_text(text).targets)
    assert values == [142, 148, 156]


def test_pandoc_grid_tables_read_as_pipe_tables():
    """A .md converted from Word by pandoc: the header block and the table of targets are grid
    tables whose cells wrap over several lines ("ngày 18 tháng 02 năm" / "2022") (set 47)."""
    from pipeline.run import process_bytes
    head = ("+-------------------------------+-------------------------------+\n"
            "| **BCH ĐOÀN TỈNH KHÁNH XUYÊN** | **ĐOÀN TNCS HỒ CHÍ MINH**     |\n"
            "|                               |                               |\n"
            "| Số: 37-KH/TĐTN-TNNT           | *Khánh Xuyên, ngày 18 tháng   |\n"
            "|                               | 02 năm 2022*                  |\n"
            "+-------------------------------+-------------------------------+\n")
    table = ("+----+-----------------------+--------------+--------------+\n"
             "| TT | Đơn vị                | Kết quả năm  | Chỉ tiêu năm |\n"
             "|    |                       | 2021 (lượt)  | 2022 (lượt)  |\n"
             "+====+=======================+==============+==============+\n"
             "| 1  | Thành đoàn Khánh      | 2.150        | 3.000        |\n"
             "|    | Xuyên                 |              |              |\n"
             "+----+-----------------------+--------------+--------------+\n"
             "| 2  | Thị đoàn Vĩnh Khánh   | 1.320        | 2.000        |\n"
             "+----+-----------------------+--------------+--------------+\n")
    text = (head + "\n**KẾ HOẠCH**\n\nChuyển đổi số\n\n**I. CHỈ TIÊU**\n\nChỉ tiêu giao cho từng đơn vị như sau:\n\n"
            + table + "\n**II. TỔ CHỨC THỰC HIỆN**\n\n\\- Các đơn vị triển khai.\n")
    res = process_bytes(text.encode(), "plan.md")
    assert (res.document.issued_date, res.document.place, res.document.number) == ("2022-02-18", "Khánh Xuyên", "37")
    names = {b.id: b.name for b in res.bodies}
    got = {(t.value, names[t.owners[0]]) for t in res.targets if t.owners}
    assert got == {(3000, "Thành đoàn Khánh Xuyên"), (2000, "Thị đoàn Vĩnh Khánh")}


def test_cells_of_a_share_of_a_whole_are_targets():
    """"90/96" in a year column is 90 communes of the 96; "30/6" is a day; the row's label names
    the indicator ("… từ 90% trở lên"), it is no target of its own (set 48)."""
    text = ("KẾ HOẠCH\n\nTiêm chủng\n\nI. CHỈ TIÊU\n\n| TT | Chỉ tiêu | Năm 2025 (thực hiện) | 2026 | 2027 |\n|---|---|---|---|---|\n"
            "| 1 | Số xã, phường có tỷ lệ tiêm chủng đầy đủ từ 90% trở lên | 84/96 | 90/96 | 93/96 |\n"
            "| 2 | Số trạm y tế có tủ lạnh chuyên dụng | 20 | 30/6 | 28 |\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các xã triển khai.\n")
    values = sorted((t.value, t.percent) for t in process_text(text).targets)
    assert values == [(28, False), (90, False), (93, False)]


def test_group_heading_over_year_columns_with_empty_cells_kept():
    """A markdown header whose group cell is followed by empty ones ("Kế hoạch giai đoạn 2021 -
    2025 | | |") over "2021 | 2022 | 2023": every year column is a target column, the baseline
    ("Thực hiện năm 2020") and "Ghi chú" are not (set 50)."""
    text = ("KẾ HOẠCH\n\nPhát triển giáo dục\n\nI. CHỈ TIÊU\n\n"
            "| TT | Chỉ tiêu | ĐVT | Thực hiện năm 2020 | Kế hoạch giai đoạn 2021 - 2023 | | | Ghi chú |\n"
            "|---|---|---|---|---|---|---|---|\n| | | | | 2021 | 2022 | 2023 | |\n"
            "| 1 | Tỷ lệ phòng học kiên cố | % | 78,4 | 80 | 83 | 86 | |\n"
            "| 2 | Trường đạt chuẩn quốc gia | trường | 41 | 43 | 45 | 47 | Ban QLDA chủ trì |\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các xã triển khai.\n")
    got = sorted((t.value, t.percent) for t in process_text(text).targets)
    assert got == [(43, False), (45, False), (47, False), (80, True), (83, True), (86, True)]


def test_space_aligned_header_over_two_lines_by_position():
    """A header typed over two lines with spaces, its second line holding only some columns'
    units ("(%)" under "Thôn, TDP văn hóa"): each goes under the column it stands under (set 50)."""
    text = ("KẾ HOẠCH\n\nĐời sống văn hóa\n\nI. CHỈ TIÊU\n\n"
            " TT  Đơn vị               Thôn, TDP văn hóa   Gia đình văn hóa   Nhà văn hóa xây mới,   Ghi chú\n"
            "                                (%)                 (%)          sửa chữa (nhà)\n"
            " 1   Thị trấn Thạch Lâm          95                  93                 2\n"
            " 2   Xã Lâm Sơn                  92                  91                 4\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các xã triển khai.\n")
    got = sorted((t.value, t.percent) for t in process_text(text).targets)
    assert got == [(2, False), (4, False), (91, True), (92, True), (93, True), (95, True)]


def test_a_note_naming_who_answers_owns_the_row():
    """"Ghi chú: Ban QLDA đầu tư xây dựng huyện chủ trì" names the row's body (set 50); the
    canonical name of "Đoàn Thanh niên xã" is the Youth Union's."""
    text = ("KẾ HOẠCH\n\nPhát triển giáo dục\n\nI. CHỈ TIÊU\n\n| TT | Chỉ tiêu | ĐVT | Năm 2024 | Năm 2025 | Ghi chú |\n"
            "|---|---|---|---|---|---|\n| 1 | Trường đạt chuẩn quốc gia | trường | 49 | 52 | Ban QLDA đầu tư xây dựng huyện chủ trì |\n"
            "| 2 | Cây xanh trồng mới | cây | 2.400 | 4.800 | Đoàn Thanh niên xã chủ trì |\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các xã triển khai.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = {t.value: (names[t.owners[0]], t.owner_source) for t in res.targets if t.owners}
    assert got[52][1] == got[4800][1] == "explicit"
    assert "QLDA" in got[52][0] or "Quản lý dự án" in got[52][0]
    assert got[4800][0].startswith("Đoàn")


def test_columns_of_the_rows_own_size_hold_no_target():
    """"Số đoàn viên (01/01/2025)" and "Số Liên đội" say how big each unit is, beside what it is
    given to reach (set 52); so does "Số phụ nữ từ 18 tuổi" (set 44)."""
    text = ("ĐOÀN KHỐI CÁC CƠ QUAN TỈNH\nSố: 27-KH/ĐTN\nTây Hòa, ngày 20 tháng 02 năm 2025\n\nKẾ HOẠCH\n\n"
            "Chuyển đổi số\n\nI. CHỈ TIÊU\n\n3. Chỉ tiêu giao cho các cơ sở Đoàn\n\n"
            "| TT | Đơn vị | Số đoàn viên (01/01/2025) | Số Liên đội | Số phụ nữ từ 18 tuổi | Sáng kiến |\n|---|---|---|---|---|---|\n"
            "| 1 | Đoàn cơ sở Sở Tài chính | 86 | 4 | 412 | 3 |\n| 2 | Đoàn cơ sở Sở Y tế | 212 | 7 | 386 | 5 |\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các cơ sở Đoàn triển khai.\n")
    values = {t.value for t in process_text(text).targets}
    assert {3, 5} <= values and not values & {86, 212, 4, 7, 412, 386}


def test_an_allocation_table_gives_each_unit_its_targets_but_not_congress_seats():
    """"PHÂN BỔ TÌNH NGUYỆN VIÊN" in an appendix gives each Liên chi đoàn its volunteers (set 43);
    "PHÂN BỔ ĐẠI BIỂU DỰ ĐẠI HỘI" gives out seats, which are no result (set 49)."""
    def values(caption, col):
        text = ("KẾ HOẠCH\n\nTiếp sức mùa thi\n\nI. MỤC ĐÍCH\n\nHỗ trợ thí sinh.\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các Liên chi đoàn "
                f"triển khai.\n\nPHỤ LỤC\n{caption}\n(Kèm theo Kế hoạch số 36-KH/ĐTN ngày 12/5/2025)\n\n| TT | Đơn vị | {col} |\n|---|---|---|\n"
                "| 1 | Liên chi đoàn Khoa Cơ khí | 40 |\n| 2 | Liên chi đoàn Khoa Xây dựng | 35 |\n")
        return {t.value for t in process_text(text).targets}
    assert {40, 35} <= values("PHÂN BỔ TÌNH NGUYỆN VIÊN \"TIẾP SỨC MÙA THI\" NĂM 2025", "Đợt 1 (TNV)")
    assert not values("PHÂN BỔ ĐẠI BIỂU DỰ ĐẠI HỘI ĐOÀN TRƯỜNG", "Số đại biểu được bầu") & {40, 35}
