"""Numbers and targets: the YAML examples, real corpus sentences, and number round trips."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.extract import numbers
from pipeline.lang.vi import load
from pipeline.run import process_text

WRAP = "KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\n{}\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Tỉnh đoàn triển khai.\n"


def targets_of(sentence: str):
    return process_text(WRAP.format(sentence)).targets


@pytest.mark.parametrize("ex", load("numbers")["examples"], ids=lambda e: e["text"])
def test_numbers_yaml_examples(ex):
    assert numbers.parse(ex["text"]) == ex["value"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(0, 10**12), st.decimals(min_value=0, max_value=10**7, places=2,
                                                      allow_nan=False, allow_infinity=False)))
def test_numbers_vietnamese_format_round_trips(value):
    v = float(value)
    assert abs(numbers.parse(numbers.format_vi(v)) - v) < 1e-6


@pytest.mark.parametrize("ex", load("targets")["examples"]["target"], ids=lambda e: e["text"][:40])
def test_targets_yaml_examples(ex):
    found = [t for t in targets_of(ex["text"]) if t.value == ex["value"]]
    assert found, ex["text"]
    t = found[0]
    assert t.value_max == ex.get("value_max")
    assert t.percent == ex.get("percent", False)
    assert t.comparator == ex.get("comparator", "eq")
    for key in ("unit", "deadline", "frequency", "baseline"):
        if key in ex:
            assert getattr(t, key) == ex[key], key


@pytest.mark.parametrize("text", load("targets")["examples"]["not_target"], ids=lambda t: t[:40])
def test_targets_yaml_non_targets(text):
    assert targets_of(text) == []


@pytest.mark.parametrize("sentence,values", [
    ("1. 100% cán bộ, đoàn viên và 80% thanh niên học tập, quán triệt các Nghị quyết.", [100, 80]),
    ("6. Đăng ký đảm nhận và thực hiện 02 công trình thanh niên cấp tỉnh, 16 công trình thanh niên cấp huyện, "
     "315 công trình thanh niên cấp cơ sở.", [2, 16, 315]),
    ("- Giúp đỡ 10 - 12% hộ phụ nữ thoát nghèo bền vững. Các đoàn thể phấn đấu hỗ trợ cụ thể: Hội phụ nữ giúp "
     "3.987 hộ, Hội Nông dân: 5.560 hộ, Hội Cựu chiến binh: 579 hộ, Đoàn thanh niên: 329 hộ.", [10, 3987, 5560, 579, 329]),
    ("- Phối hợp tổ chức truyền thông về 19 tiêu chí quốc gia về nông thôn mới và 11 nội dung của Chương trình.", []),
    ("+ Tổng sản phẩm Thanh long tham\ngia xuất khẩu đến năm 2030 phấn đấu đạt 2.000 tấn; tổng giá trị đạt 2,5 triệu USD", [2000, 2.5]),
    ("- Đề nghị các đơn vị quán triệt sâu rộng Chương trình và các văn bản có liên quan[1];", []),
])
def test_targets_corpus_sentences(sentence, values):
    assert [t.value for t in targets_of(sentence)] == values


def test_targets_spans_and_number_spans():
    res = process_text(WRAP.format("3. Trồng mới ít nhất 27.000 cây xanh."))
    t = res.targets[0]
    assert res.text[t.span[0]:t.span[1]] == t.text
    assert res.text[t.number_span[0]:t.number_span[1]] == "27.000"
    assert t.section_id is not None


def test_targets_none_in_results_or_funding_sections():
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. KẾT QUẢ THỰC HIỆN NĂM 2019\n\n- Tỷ lệ hộ nghèo giảm còn 2,5%.\n\n"
            "II. CHỈ TIÊU\n\n- Phấn đấu 100% xã có mô hình.\n\nIII. KINH PHÍ\n\n- Ngân sách tỉnh bảo đảm 70%.\n")
    assert [t.value for t in process_text(text).targets] == [100]


def test_number_words_read_as_numerals():
    from pipeline.extract.numbers import parse_words

    assert parse_words("một trăm hai mươi") == 120
    assert parse_words("ba nghìn năm trăm") == 3500
    assert parse_words("hai triệu ba trăm nghìn") == 2300000
    assert parse_words("năm một") is None  # "mỗi năm một lần": two digits in a row are no numeral


def test_table_rows_owned_by_a_body_column_with_units_in_headings():
    """A column of bodies under any heading ("Chi hội") owns its rows; "(%)" in a heading makes
    the column's numbers percentages; the total row is no body."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\nPhân bổ chỉ tiêu cho các chi hội:\n\n"
            "TT\tChi hội\tKết nạp hội viên mới (người)\tHộ đạt chuẩn (%)\n"
            "1\tChi hội thôn Nà Phặc\t12\t85\n2\tChi hội thôn Khuổi Lừa\t10\t80\n\tCộng\t22\t\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các chi hội triển khai.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = {(t.value, t.percent, names[t.owners[0]] if t.owners else None) for t in res.targets}
    assert (12, False, "Chi hội thôn Nà Phặc") in got
    assert (85, True, "Chi hội thôn Nà Phặc") in got
    assert (80, True, "Chi hội thôn Khuổi Lừa") in got


def test_label_word_ending_a_place_name_is_no_label():
    """"quý" in "ấp Tân Quý:" ends a name; it does not make "06" a quarter (set 43)."""
    found = targets_of("- Chi đoàn ấp Tân Mỹ: 06 đoàn viên;\n- Chi đoàn ấp Tân Quý: 06 đoàn viên;")
    assert [t.value for t in found] == [6, 6]


def test_share_with_a_floor_is_a_target_a_quorum_is_not():
    assert [t.value for t in targets_of("5. Phấn đấu có ít nhất 6/9 chi đoàn xếp loại vững mạnh.")] == [6]
    assert not targets_of("Hộ được công nhận khi có ít nhất 2/3 số hội viên dự họp đồng ý.")


def test_number_given_to_a_body_by_its_label_anywhere():
    """GOLD.md's "Hội Nông dân: 5.560 hộ" shape, here in Tổ chức thực hiện (set 46)."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. MỤC ĐÍCH\n\n- Hỗ trợ hộ nghèo.\n\nII. TỔ CHỨC THỰC HIỆN\n\n"
            "1. Các tổ chức chính trị - xã hội tỉnh\n- Hội Cựu chiến binh tỉnh: 25 nhà \"Nghĩa tình đồng đội\" cho hội viên nghèo.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    assert [(t.value, [names[o] for o in t.owners]) for t in res.targets] == [(25, ["Hội Cựu chiến binh tỉnh"])]


def test_table_of_indicators_in_the_body_given_out_by_row_number():
    """A table of indicators by year under a targets heading, its unit in the row label ("(%)");
    Tổ chức thực hiện gives its rows out by number ("các chỉ tiêu số 1 và 3 tại khoản 2 Mục I"),
    as it does an appendix's (set 48)."""
    text = ("KẾ HOẠCH\n\nTiêm chủng mở rộng\n\nI. MỤC TIÊU VÀ CHỈ TIÊU\n\n1. Mục tiêu chung\n\nBảo vệ trẻ em.\n\n"
            "2. Chỉ tiêu cụ thể\n\n| TT | Chỉ tiêu | Năm 2025 (thực hiện) | 2026 | 2027 |\n|:---:|---|:---:|:---:|:---:|\n"
            "| 1 | Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ (%) | 94,6 | ≥ 95 | ≥ 96 |\n"
            "| 2 | Số trạm y tế có tủ lạnh chuyên dụng | 20 | 24 | 28 |\n"
            "| 3 | Tỷ lệ trẻ em vào lớp 1 được kiểm tra tiền sử tiêm chủng (%) | 72 | 80 | 90 |\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế\n\nChịu trách nhiệm thực hiện các chỉ tiêu số 1 và 3 tại khoản 2 Mục I.\n\n"
            "2. Sở Tài chính\n\nChủ trì thực hiện chỉ tiêu số 2 tại khoản 2 Mục I.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = sorted((t.value, t.percent, t.comparator, [names[o] for o in t.owners]) for t in res.targets)
    assert got == [(24, False, "eq", ["Sở Tài chính"]), (28, False, "eq", ["Sở Tài chính"]),
                   (80, True, "eq", ["Sở Y tế"]), (90, True, "eq", ["Sở Y tế"]),
                   (95, True, "ge", ["Sở Y tế"]), (96, True, "ge", ["Sở Y tế"])]


def test_target_restated_by_a_row_of_the_appendix_task_table_takes_its_lead():
    """The body states "ít nhất 90% trưởng thôn, bản … được tập huấn"; the appendix's row
    "Tập huấn cho ít nhất 90% trưởng thôn, bản … | Phòng Dân tộc" gives it its lead (set 48)."""
    text = ("KẾ HOẠCH\n\nPhòng, chống tảo hôn\n\nI. MỤC TIÊU\n\n"
            "a) Ít nhất 90% trưởng thôn, bản và người có uy tín được tập huấn kiến thức về hôn nhân và gia đình.\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n1. Phòng Dân tộc huyện: chủ trì các nhiệm vụ được phân công tại Phụ lục.\n\n"
            "2. Hội Liên hiệp Phụ nữ huyện: tuyên truyền cho trưởng thôn, bản và người có uy tín về hôn nhân và gia đình.\n\n"
            "Nơi nhận:\n- Lưu: VT.\n\nPHỤ LỤC\nPHÂN CÔNG NHIỆM VỤ\n\n"
            "STT\tNhiệm vụ / Chỉ tiêu\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\n"
            "1\tTập huấn cho ít nhất 90% trưởng thôn, bản và người có uy tín\tPhòng Dân tộc\tPhòng Văn hóa và Thông tin\tQuý II/2022\n"
            "2\tXử lý 100% trường hợp tảo hôn được phát hiện\tPhòng Tư pháp\tCông an huyện\tThường xuyên\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    body = [t for t in res.targets if t.span[0] < res.text.index("PHỤ LỤC")]
    got = {(t.value, t.owner_source, names[t.owners[0]] if t.owners else None) for t in body}
    assert (90, "assignment", "Phòng Dân tộc huyện") in got


def test_indicators_given_by_number_within_a_named_khoan():
    """"giao Ban Thanh niên … chịu trách nhiệm theo dõi chỉ tiêu (1) và chỉ tiêu (4) khoản 1 mục
    II" inside the Ban Thường vụ's item: the narrowest assignment speaks, and "khoản 1 mục II" is
    the "1." right under II, not its item "(1)" (set 48)."""
    text = ("KẾ HOẠCH\n\nThanh niên lập nghiệp\n\nI. MỤC ĐÍCH\n\n- Hỗ trợ thanh niên.\n\nII. CHỈ TIÊU\n\n"
            "1. Chỉ tiêu chung toàn tỉnh\n\n(1) Hỗ trợ ít nhất 200 dự án khởi nghiệp của thanh niên.\n"
            "(3) Giới thiệu việc làm cho trên 12.000 lượt thanh niên.\n"
            "(4) Dư nợ ủy thác qua tổ chức Đoàn tăng bình quân 8 - 10%/năm.\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\n1. Ban Thường vụ Tỉnh đoàn\n\n"
            "- Chỉ đạo triển khai Kế hoạch; giao Ban Thanh niên Nông thôn - Công nhân và Đô thị là đơn vị thường trực, "
            "chịu trách nhiệm theo dõi chỉ tiêu (1) và chỉ tiêu (4) khoản 1 mục II.\n"
            "- Giao Trung tâm Hoạt động thanh thiếu nhi tỉnh chủ trì thực hiện chỉ tiêu (3) khoản 1 mục II.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = {t.value: names[t.owners[0]] for t in res.targets if t.owner_source == "assignment"}
    assert got[200] == got[8] == "Ban Thanh niên Nông thôn - Công nhân và Đô thị"
    assert got[12000].startswith("Trung tâm Hoạt động")


def test_number_spelled_out_in_brackets_and_units_across_a_line_break():
    """"03 (ba) mô\\nhình": the words restate the digits and the unit may wrap (set 47)."""
    found = targets_of("- Phấn đấu ít nhất 12.000 (mười hai nghìn) đoàn viên được tập huấn;\n"
                       "- Toàn huyện xây dựng mới 03 (ba) mô\nhình \"Câu lạc bộ Gia đình hạnh phúc\".")
    assert [(t.value, t.unit) for t in found] == [(12000, "đoàn viên"), (3, "mô hình")]


def test_markdown_footnotes_are_no_targets():
    """A pandoc footnote mark "[^2]" counts nothing, and the note ("[^2]: Năm 2021, toàn tỉnh có
    6.940 …", its lines indented) explains, it commits no one (set 47)."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\n- Phấn đấu ít nhất 30% chi đoàn đạt tiêu chí \"Chi đoàn số\"[^2].\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Tỉnh đoàn triển khai.\n\n[^2]: Chi đoàn đạt tiêu chí phải có ít nhất 80%\n"
            "    đoàn viên sử dụng Sổ đoàn viên điện tử.\n")
    assert [t.value for t in process_text(text).targets] == [30]


def test_targets_given_to_bodies_after_a_chi_tieu_colon():
    """"chỉ tiêu đơn vị máu năm 2026: Liên chi đoàn Khoa Điều dưỡng 240 đơn vị; …" in Tổ chức
    thực hiện: names a capital does not end still name the bodies given the numbers (set 47)."""
    text = ("KẾ HOẠCH\n\nHiến máu tình nguyện\n\nI. MỤC ĐÍCH\n\n- Vận động hiến máu.\n\nII. TỔ CHỨC THỰC HIỆN\n\n"
            "3. Các Liên chi đoàn khoa: tuyên truyền, vận động đoàn viên đăng ký hiến máu; chỉ tiêu đơn vị máu năm 2026: "
            "Liên chi đoàn Khoa Điều dưỡng 240 đơn vị; Liên chi đoàn Khoa Kỹ thuật Y học 120 đơn vị.\n")
    assert [t.value for t in process_text(text).targets] == [240, 120]


def test_one_floor_over_a_pair_of_counts():
    """"ít nhất 1.000 sổ … và 2.000 thẻ …": the floor holds for both (sets 25, 48); a share after
    it keeps its own comparator."""
    found = targets_of("- Vận động tặng ít nhất 1.000 sổ bảo hiểm xã hội và 2.000 thẻ bảo hiểm y tế cho hội viên.")
    assert [(t.value, t.comparator) for t in found] == [(1000, "ge"), (2000, "ge")]


def test_a_clause_after_a_semicolon_keeps_the_subject_of_its_sentence():
    """"Trung tâm … ươm tạo tối thiểu 15 dự án/năm; kết nối ít nhất 05 nhà đầu tư …": the
    second clause goes on without a subject of its own (sets 6, 31, 48)."""
    text = ("KẾ HOẠCH\n\nKhởi nghiệp\n\nI. NHIỆM VỤ\n\n1. Ươm tạo dự án\n\nTrung tâm Hỗ trợ thanh niên khởi nghiệp tỉnh "
            "ươm tạo tối thiểu 15 dự án/năm; kết nối ít nhất 05 nhà đầu tư thiên thần với các dự án tiêu biểu.\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Tỉnh đoàn triển khai.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    assert {(t.value, names[t.owners[0]]) for t in res.targets} == \
        {(15, "Trung tâm Hỗ trợ thanh niên khởi nghiệp tỉnh"), (5, "Trung tâm Hỗ trợ thanh niên khởi nghiệp tỉnh")}


def test_goals_of_a_cited_plan_told_as_context_are_not_targets():
    """"Kế hoạch số 145/KH-UBND của UBND tỉnh đặt mục tiêu … 90% …": the province's goals; the
    district's own "(1) Ít nhất 92% …" is its target (set 49)."""
    text = ("KẾ HOẠCH\n\nĐời sống văn hóa\n\nI. MỤC TIÊU\n\n1. Mục tiêu của tỉnh\n\nKế hoạch số 145/KH-UBND của Ủy ban nhân dân "
            "tỉnh đặt mục tiêu đến năm 2025 toàn tỉnh có ít nhất 90% hộ gia đình đạt danh hiệu \"Gia đình văn hóa\"; 85% thôn đạt "
            "danh hiệu \"Thôn văn hóa\".\n\n2. Chỉ tiêu của huyện\n\n(1) Ít nhất 92% hộ gia đình đạt danh hiệu \"Gia đình văn hóa\".\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các xã triển khai.\n")
    assert [t.value for t in process_text(text).targets] == [92]


def test_from_n_up_after_a_share_says_what_the_share_is_of():
    """"100% bếp ăn … phục vụ từ 30 suất ăn trở lên được kiểm tra": 100% is the target, the 30
    picks the kitchens; "phấn đấu có từ 5 mô hình trở lên" stays a target (set 49)."""
    assert [t.value for t in targets_of("- 100% bếp ăn tập thể phục vụ từ 30 suất ăn trở lên được kiểm tra.")] == [100]
    assert [(t.value, t.comparator) for t in targets_of("- Phấn đấu có từ 5 mô hình trở lên.")] == [(5, "ge")]


def test_a_roadmap_of_years_in_brackets_is_targets_from_the_plans_year_on():
    """"(năm 2019: 2.000 trẻ; năm 2020: 2.400 trẻ; năm 2021: 2.800 trẻ)" in a plan of 2019 lists
    what each year must reach; a lone "(năm 2019 đạt 84,7%)" is where the plan starts from (set 50)."""
    text = ("SỞ Y TẾ TỈNH THANH GIANG\nSố: 45/KH-SYT\nThanh Giang, ngày 10 tháng 3 năm 2019\n\nKẾ HOẠCH\n\nDinh dưỡng\n\n"
            "I. CHỈ TIÊU\n\n1. Phấn đấu hỗ trợ 7.200 lượt trẻ suy dinh dưỡng thấp còi trong giai đoạn (năm 2019: 2.000 trẻ; năm 2020: 2.400 trẻ; "
            "năm 2021: 2.800 trẻ).\n\n2. Tỷ lệ tiêm chủng đầy đủ đạt 95% (năm 2019 đạt 84,7%).\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n- Các huyện triển khai.\n")
    assert sorted(t.value for t in process_text(text).targets) == [95, 2000, 2400, 2800, 7200]


def test_heading_naming_who_answers_in_brackets():
    """"2.1. Trồng trọt (giao Hợp tác xã Nông nghiệp Tân Phú chủ trì)", "2.3. Môi trường (các thôn
    chịu trách nhiệm)": the targets under each heading are that body's (set 50)."""
    text = ("KẾ HOẠCH\n\nNông nghiệp xanh\n\nI. CHỈ TIÊU\n\n2.1. Trồng trọt (giao Hợp tác xã Nông nghiệp Tân Phú chủ trì)\n\n"
            "a) Diện tích lúa hữu cơ đạt 300 ha năm 2026.\n\n2.2. Môi trường nông thôn (các thôn chịu trách nhiệm)\n\n"
            "a) 100% chất thải rắn sinh hoạt được thu gom.\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các thôn triển khai.\n")
    res = process_text(text)
    names = {b.id: b.name for b in res.bodies}
    got = {t.value: names[t.owners[0]] for t in res.targets}
    assert got[300] == "Hợp tác xã Nông nghiệp Tân Phú" and got[100].lower() == "các thôn"


def test_item_label_typed_with_a_slash_is_not_the_base_of_a_rate():
    """"1/ 100% cơ sở Đoàn …": the old-style label "1/" is not "1 trên 100" (set 52); "dưới 32
    trên 1.000 trẻ" still is a rate's base."""
    assert [t.value for t in targets_of("1/ 100% cơ sở Đoàn tổ chức lễ ra quân hưởng ứng Tháng Thanh niên.")] == [100]


def test_count_of_units_an_allocation_label_covers_is_not_a_target():
    """"+ Các Đoàn xã còn lại (08 đơn vị): mỗi đơn vị 12 đoàn viên": 8 is how many units the line covers (set 52)."""
    values = [t.value for t in targets_of("- Kết nạp đoàn viên mới:\n  + Các Đoàn xã còn lại (08 đơn vị): mỗi đơn vị 12 đoàn viên;\n"
                                          "  + Các chi đoàn khối 12 (10 chi đoàn): mỗi chi đoàn 06 đơn vị máu.")]
    assert 12 in values and 6 in values and 8 not in values and 10 not in values


def test_at_or_above_a_grade_is_not_a_floor_on_the_share():
    """"100% chi đoàn được xếp loại từ khá trở lên": the grade is "khá or better", the share is
    100% (set 52); "80% trở lên" is still a floor."""
    got = [(t.value, t.comparator) for t in targets_of(
        "4/ 100% chi đoàn được xếp loại từ khá trở lên, trong đó có ít nhất 04 chi đoàn vững mạnh.")]
    assert got == [(100, "eq"), (4, "ge")]
    (t,) = targets_of("Phấn đấu 80% trở lên chi đoàn xếp loại vững mạnh.")
    assert t.comparator == "ge"


def test_a_sum_to_raise_is_a_target():
    """"phấn đấu gây quỹ 15 triệu đồng" is a result to reach, as "vận động 15 triệu đồng" is (set 52)."""
    assert 15 in [t.value for t in targets_of(
        "- Phát động đoàn viên thực hiện \"Kế hoạch nhỏ\"; phấn đấu gây quỹ 15 triệu đồng để hỗ trợ 10 học sinh có hoàn cảnh khó khăn.")]


def test_every_clause_of_a_line_labelled_who_takes_part_holds_no_target():
    """"- Đối tượng: …; lượng máu hiến mỗi lần không quá 9 ml/kg": criteria of who may give (set 52)."""
    assert not targets_of("- Đối tượng: người dân từ đủ 18 tuổi đến 60 tuổi; cân nặng nam từ 45 kg; "
                          "lượng máu hiến mỗi lần không quá 9 ml/kg cân nặng và không quá 500 ml.")


def test_a_line_saying_who_attends_holds_no_target():
    """"* Thành phần: khoảng 250 đại biểu …; trong đó Đoàn xã Tân Hòa 60 đoàn viên, các cơ sở Đoàn
    còn lại mỗi đơn vị từ 10 đến 12 đoàn viên": who comes to an event (set 52)."""
    assert not targets_of("* Thành phần: khoảng 250 đại biểu và đoàn viên, thanh niên; trong đó Đoàn xã Tân Hòa 60 đoàn viên, "
                          "các cơ sở Đoàn còn lại mỗi đơn vị từ 10 đến 12 đoàn viên.")


def test_a_second_count_of_the_same_thing_further_along_the_clause():
    """"ít nhất 05 sản phẩm, đề tài tham gia Hội thi … lần thứ X và 03 đề tài tham gia Cuộc thi …":
    the second count goes on with the first though a long name lies between (set 52; also set 18's
    "02 xã đạt chuẩn … (xã …, xã …) và 01 xã")."""
    values = [t.value for t in targets_of(
        "Giới thiệu ít nhất 05 sản phẩm, đề tài tham gia Hội thi Sáng tạo kỹ thuật tỉnh Đông Hải lần thứ X và "
        "03 đề tài tham gia Cuộc thi khoa học kỹ thuật dành cho học sinh trung học cấp tỉnh.")]
    assert values == [5, 3]


def test_the_figure_a_target_is_set_at():
    """"chỉ tiêu đợt 1 là 30 đoàn viên" (set 43), "Tổng chỉ tiêu toàn huyện năm 2025 là 29.520 tài
    khoản" (set 24): "chỉ tiêu … là N" sets the figure; "đợt 1" stays a label."""
    assert [t.value for t in targets_of("- Đợt 1: tổ chức lễ kết nạp vào ngày 26/3/2019; chỉ tiêu đợt 1 là 30 đoàn viên.")] == [30]


def test_how_many_the_rest_are_is_not_a_target():
    """"Hội LHPN mỗi huyện, thị xã còn lại (08 đơn vị) từ 02 đến 03 mô hình": 8 counts the rest (set 44)."""
    got = [(t.value, t.value_max) for t in targets_of(
        "3. Xây dựng mới 30 mô hình về ATTP, trong đó: Hội LHPN thành phố Phú Lương 06 mô hình; "
        "Hội LHPN mỗi huyện, thị xã còn lại (08 đơn vị) từ 02 đến 03 mô hình.")]
    assert (2, 3) in got and not any(v == 8 for v, _ in got)


def test_a_cap_on_who_is_honoured_is_not_a_target():
    """"Biểu dương không quá 05 hộ gia đình tiêu biểu và 03 cá nhân": a rule of the commendation (set 46)."""
    assert not targets_of("b) Biểu dương không quá 05 hộ gia đình tiêu biểu và 03 cá nhân có nhiều đóng góp cho khu phố.")


def test_what_each_must_have_and_works_to_restore():
    """"Mỗi làng … có từ 02 đến 03 sản phẩm OCOP" is what each must have, "mỗi tổ có từ 15 đến 30
    thành viên" what a group is made of; "phục dựng 02 lễ hội" is work to do (set 39)."""
    got = [(t.value, t.value_max) for t in targets_of(
        "- Mỗi làng văn hóa du lịch cộng đồng có từ 02 đến 03 sản phẩm OCOP được giới thiệu cho du khách.")]
    assert got == [(2, 3)]
    assert not targets_of("- Mỗi tổ tiết kiệm có từ 15 đến 30 thành viên, bầu tổ trưởng, thư ký.")
    assert [t.value for t in targets_of("- Bảo tồn, phục dựng 02 lễ hội truyền thống.")] == [2]


def test_rounds_whose_dates_follow_are_a_schedule():
    """"Tổ chức 02 đợt tiêm phòng chính trong năm: Đợt 1 từ ngày 01/3/2025 …" (set 17), "tổ chức 03
    buổi vào các ngày 08/3, 09/3 và 15/3/2025" (set 52): the count lists the dates that follow."""
    assert not targets_of("- Tổ chức 02 đợt tiêm phòng chính trong năm: Đợt 1 từ ngày 01/3/2025 đến ngày 30/4/2025.")
    assert not targets_of("- Lớp học tổ chức 03 buổi vào các ngày 08/3, 09/3 và 15/3/2025.")
    assert [t.value for t in targets_of("- Tổ chức 02 đợt ra quân làm sạch bờ biển trong năm.")] == [2]


def test_the_size_of_each_group_is_not_a_target():
    """"mỗi đội hình từ 15 đến 20 thành viên" says how big each team is (set 47); the teams to form are the target."""
    got = [(t.value, t.value_max) for t in targets_of(
        "- Mỗi Huyện, Thị, Thành đoàn thành lập từ 01 - 02 đội hình, mỗi đội hình từ 15 đến 20 thành viên.")]
    assert got == [(1, 2)]


def test_a_section_of_what_candidates_for_a_title_must_meet_holds_no_target():
    """"III. TIÊU CHUẨN XÉT CHỌN DANH HIỆU 'SINH VIÊN 5 TỐT'": "Điểm rèn luyện đạt từ 90/100 điểm
    trở lên", "Có ít nhất 01 bài báo khoa học" are requirements, not results (set 20)."""
    text = ("KẾ HOẠCH\n\nXét chọn Sinh viên 5 tốt\n\nI. TIÊU CHUẨN XÉT CHỌN DANH HIỆU \"SINH VIÊN 5 TỐT\"\n\n"
            "- Có ít nhất 01 bài báo khoa học đăng trên tạp chí.\n\nII. CHỈ TIÊU\n\n- Phấn đấu có ít nhất 30 sinh viên đạt danh hiệu.\n")
    assert [t.value for t in process_text(text).targets] == [30]
