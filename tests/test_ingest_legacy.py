"""Legacy font encodings: TCVN3 (ABC) and VNI text detected and converted, wherever it comes from."""
from __future__ import annotations

import pytest

from pipeline.ingest import legacy
from pipeline.ingest.quality import valid_syllable
from pipeline.run import process_bytes

CASES = [
    ("tcvn3", "Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("tcvn3", "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("tcvn3", "Ban Th\u00adêng vô TØnh ®oµn x©y dùng kÕ ho¹ch", "Ban Thường vụ Tỉnh đoàn xây dựng kế hoạch"),
    ("tcvn3", "KÕ HO¹CH thùc hiÖn n¨m 2018", "KẾ HOẠCH thực hiện năm 2018"),
    ("vni", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("vni", "Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("vni", "KEÁ HOAÏCH Thöôøng vuï Tænh ñoaøn", "KẾ HOẠCH Thường vụ Tỉnh đoàn"),
]


@pytest.mark.parametrize("name,raw,want", CASES)
def test_legacy_detected_and_converted(name, raw, want):
    assert legacy.detect(raw) == name
    assert legacy.fix(raw) == (want, name)


@pytest.mark.parametrize("text", [
    "Cộng hòa xã hội chủ nghĩa Việt Nam, Độc lập - Tự do - Hạnh phúc",
    "Café au lait, très bien. Le président élu à Genève.",
    "UBND tỉnh Tây Ninh; KH/TĐTN-BCN; 100% đoàn viên",
])
def test_legacy_not_detected_in_unicode_or_other_languages(text):
    assert legacy.detect(text) is None


def test_legacy_tcvn3_capital_font_uppercases_everything():
    assert legacy.convert_tcvn3("ke ho¹ch", upper=True) == "KE HOẠCH"


def test_legacy_txt_bytes_in_tcvn3_are_converted_and_recorded():
    raw = "KÕ HO¹CH\n\nThùc hiÖn QuyÕt ®Þnh sè 2763/Q§-UBND ngµy 17/11/2017 cña ñy ban nh©n d©n tØnh\n"
    res = process_bytes(raw.encode("latin-1"), "old.txt")
    assert res.status == "ok" and res.source.encoding == "tcvn3"
    assert "Thực hiện Quyết định số 2763/QĐ-UBND ngày 17/11/2017" in res.text
    assert any(e.code == "warn_legacy_encoding" for e in res.errors)


def test_legacy_vni_inside_utf8_txt_is_converted():
    raw = "KEÁ HOAÏCH\n\nThöïc hieän Quyeát ñònh soá 2763/QÑ-UBND ngaøy 17/11/2017\n"
    res = process_bytes(raw.encode("utf-8"), "vni.txt")
    assert res.source.encoding == "utf-8+vni"
    assert "Thực hiện Quyết định số 2763/QĐ-UBND ngày 17/11/2017" in res.text


@pytest.mark.parametrize("word,ok", [("kiên", True), ("KỈÊN", False), ("GỈANG", False), ("giang", True),
                                     ("người", True), ("hoà", True), ("hòa", True), ("thuở", True),
                                     ("hoµ", False), ("tỉnh", True)])
def test_quality_syllable_grammar(word, ok):
    assert valid_syllable(word) is ok


def test_tcvn3_case_is_not_taken_from_a_symbol():
    """The capitals of "125/KH-UBND" say nothing of the word before it: "Sè" is "Số"."""
    from pipeline.ingest.legacy import convert_tcvn3

    assert convert_tcvn3("Sè 125/KH-UBND") == "Số 125/KH-UBND"
    assert convert_tcvn3("Tæ chøc thùc hiÖn") == "Tổ chức thực hiện"
    assert convert_tcvn3("KÕ HO¹CH") == "KẾ HOẠCH"
