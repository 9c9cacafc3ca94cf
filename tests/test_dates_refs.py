"""Dates and legal references: the examples in lang/vi/*.yaml, real corpus sentences, and
generated numbers and dates parsed back."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.extract import dates as dates_mod
from pipeline.extract import docnumber
from pipeline.extract.legal_refs import find, merge
from pipeline.lang.vi import load
from pipeline.normalize import view
from pipeline.run import process_text


def _widest(text):
    found = dates_mod.find(text, view(text))
    return max(found, key=lambda f: f.end - f.start) if found else None


@pytest.mark.parametrize("ex", load("dates")["examples"], ids=lambda e: e["text"])
def test_dates_yaml_examples(ex):
    f = _widest(ex["text"])
    assert f is not None
    assert (f.kind, f.precision) == (ex["kind"], ex["precision"])
    if "start" in ex:
        assert f.first == ex["start"]
    if "end" in ex:
        assert f.last == ex["end"]


@pytest.mark.parametrize("sentence,values", [
    ("Thực hiện Quyết định số 2763/QĐ-UBND ngày 17/11/2017 của Ủy ban Nhân dân tỉnh", ["2017-11-17"]),
    ("Nghị quyết số 26/2017/NQ-HĐND ngày 27 tháng 9 năm 2017 của Hội đồng đồng nhân dân tỉnh", ["2017-09-27"]),
    ("BOAN TNCS. HỒ CHÍ MINH\nSố: 3548\ngiờ: Ngày 06/12/16", ["2016-12-06"]),
    ("*Đắk Lắk, ngày 18\ntháng 11 năm 2025*", ["2025-11-18"]),
    ("+ Đợt 1 (Từ đầu năm đến 30/6/2020): Thi đua", ["2020-06-30"]),
    ("phân bổ 86 lớp/2.575 HV; 63/63 tỉnh; tỷ lệ 18/1.000", []),
])
def test_dates_full_dates_in_corpus_sentences(sentence, values):
    found = dates_mod.find(sentence, view(sentence))
    full = sorted({f.first for f in found if f.precision == "day" and f.first and not f.first.startswith("-")})
    assert full == values


def test_dates_typo_year_is_a_warning_not_a_date():
    warnings = []
    text = "chỉ tiêu năm 20202."
    found = dates_mod.find(text, view(text), lambda code, msg: warnings.append(code))
    assert not [f for f in found if f.first and f.first.startswith("2020")]
    assert "warn_bad_year" in warnings


def test_dates_impossible_date_is_a_warning():
    warnings = []
    text = "ngày 31/2/2020"
    found = dates_mod.find(text, view(text), lambda code, msg: warnings.append(code))
    assert not [f for f in found if f.precision == "day"]
    assert "warn_impossible_date" in warnings


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1945, 1, 1), max_value=date(2049, 12, 31)),
       st.sampled_from(["{d}/{m}/{y}", "{d:02d}/{m:02d}/{y}", "ngày {d} tháng {m} năm {y}",
                        "ngày {d:02d} tháng {m:02d} năm {y}", "{d}-{m}-{y}"]))
def test_dates_generated_full_dates_parse_back(day, fmt):
    text = "Căn cứ văn bản " + fmt.format(d=day.day, m=day.month, y=day.year) + " của Bộ."
    f = _widest(text)
    assert f is not None and f.first == day.isoformat()


@pytest.mark.parametrize("ex", load("doc_types")["examples"], ids=lambda e: e["text"][:40])
def test_legal_refs_yaml_examples(ex):
    text = ex["text"]
    docs = merge(find(text, view(text)), (None, None))
    assert docs, text
    d = docs[0]
    assert (d.doc_type, d.number, d.year, d.symbol, d.issued_date) == \
        (ex["doc_type"], ex["number"], ex["year"], ex["symbol"], ex["issued_date"])


@pytest.mark.parametrize("text", load("doc_types")["no_match"])
def test_legal_refs_yaml_non_references(text):
    assert find(text, view(text)) == []


SYMBOL_PARTS = st.sampled_from(["UBND", "TU", "TW", "TĐTN", "BCN", "HĐND", "TTg", "CP", "BNV", "KHCN"])
TYPE_ABBR = st.sampled_from(["QĐ", "NQ", "CT", "KH", "NĐ", "TT", "HD", "CTr", "CTPH", "TB", "BC", "TTr"])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 99999), st.one_of(st.none(), st.integers(1990, 2035)), TYPE_ABBR,
       st.lists(SYMBOL_PARTS, min_size=1, max_size=3), st.sampled_from(["/", "-"]), st.sampled_from(["", " "]))
def test_docnumber_generated_numbers_parse_back(num, year, abbr, parts, style, space):
    symbol = abbr + "-" + "-".join(parts) if style == "/" else abbr + "/" + "-".join(parts)
    written = f"{num}{space}{style}{space}{year}/{symbol}" if year and style == "/" else f"{num}{space}{style}{space}{symbol}"
    parsed = docnumber.parse(written)
    assert parsed == docnumber.DocNumber(str(num), year if (year and style == "/") else None, symbol)


def test_legal_refs_merge_later_citations_and_keep_the_first():
    text = ("Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương;\n\n"
            "KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n- Thực hiện Nghị quyết 25 và Nghị quyết số 25-NQ/TW.\n")
    docs = merge(find(text, view(text)), (None, None))
    assert len(docs) == 1
    assert docs[0].issued_date == "2013-06-03"
    assert len(docs[0].spans) == 1  # the short "Nghị quyết 25" links in extract()


def test_legal_refs_plan_own_number_and_roles():
    text = ("UBND TỈNH X\n\nSố: 12/KH-UBND\n\nX, ngày 01 tháng 02 năm 2020\n\nKẾ HOẠCH\n\nThực hiện việc ABC\n\n"
            "Căn cứ Quyết định số 5/QĐ-UBND ngày 02/01/2020 của UBND tỉnh;\n\n"
            "I. MỤC ĐÍCH\n\n- Theo Chỉ thị số 7-CT/TU và Kế hoạch số 12/KH-UBND này.\n")
    res = process_text(text)
    refs = {(r.number, r.symbol): r for r in res.legal_refs}
    assert ("12", "KH-UBND") not in refs
    assert refs[("5", "QĐ-UBND")].role == "basis"
    assert refs[("7", "CT/TU")].role == "mention"
    assert refs[("5", "QĐ-UBND")].issuer == "UBND tỉnh"


def test_opener_prefilter_finds_what_a_full_scan_finds():
    """Patterns tried only where an opening word stands give the same matches as finditer."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
    texts.append("Giai đoạn 2021-2025, đến năm 2030, (2016 – 2020), CUỐI NĂM 2025, khoá 2020-2025")
    pats = dates_mod._patterns()
    for text in texts:
        for name, pat, _ in pats["atomic"]:
            if name in pats["openers"]:
                fast = dates_mod._matches_at(pat, text, dates_mod._positions(text.lower(), pats["openers"][name]))
                assert [m.span() for m in fast] == [m.span() for m in pat.finditer(text)], name


def test_numbers_listed_under_one_type_share_the_date_after_the_last():
    from pipeline.run import process_text
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nCăn cứ các Thông tư số 17/2018/TT-BGDĐT, 18/2018/TT-BGDĐT và "
            "19/2018/TT-BGDĐT ngày 22/8/2018 của Bộ Giáo dục và Đào tạo;\n\nI. MỤC ĐÍCH\n\n- Nâng cao chất lượng.\n")
    refs = process_text(text).legal_refs
    assert [(r.number, r.issued_date) for r in refs] == [
        ("17", "2018-08-22"), ("18", "2018-08-22"), ("19", "2018-08-22")]
