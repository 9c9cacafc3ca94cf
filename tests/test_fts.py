"""Text forms and the query language of the catalogue's full-text search."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from pipeline.export import fts


@pytest.mark.parametrize("text, expected", [
    ("Hoà bình", "Hòa bình"), ("thuỷ lợi", "thủy lợi"), ("Uỷ ban", "Ủy ban"), ("HOÀ", "HÒA"),
    ("khoẻ", "khỏe"), ("quý", "quý"), ("hoàn thành", "hoàn thành"), ("hòa", "hòa"),
])
def test_fts_canon_moves_tone_marks_to_one_placement(text, expected):
    assert fts.canon(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Đoàn Thanh niên", "doan thanh nien"), ("KHỞI NGHIỆP", "khoi nghiep"), ("Ủy ban", "uy ban"),
    ("8.000 đồng", "8.000 dong"),
])
def test_fts_fold_strips_diacritics_and_folds_d(text, expected):
    assert fts.fold(text) == expected


@given(st.text())
def test_fts_forms_keep_the_length_so_offsets_stay_valid(text):
    assert len(fts.fold(text)) == len(text)
    assert len(fts.lower_canon(text)) == len(text)


@pytest.mark.parametrize("query, exact, expression", [
    ("thanh nien", False, '{b} : ("thanh" AND "nien")'),
    ("Thanh Niên", True, '{b} : ("thanh" AND "niên")'),
    ('"khởi nghiệp" hoà', True, '{b} : ("khởi nghiệp" AND "hòa")'),
    ("nghi* a OR b -c", False, '{b} : (("nghi" * AND ("a" OR "b")) NOT "c")'),
    ("thanh-niên", True, '{b} : ("thanh niên")'),
    ('a"b', None, None),
])
def test_fts_parse_builds_a_quoted_expression(query, exact, expression):
    if expression is None:
        with pytest.raises(fts.QueryError):
            fts.parse(query)
        return
    q = fts.parse(query)
    assert q.exact is exact
    assert q.expression(("b",)) == expression


def test_fts_snippet_marks_matches_in_the_original_text():
    text = "Hỗ trợ thanh niên khởi nghiệp; Thanh Niên khởi-nghiệp; hoà nhập và HÒA NHẬP; Đoàn"
    assert fts.marked(fts.snippet(text, fts.parse("thanh nien khoi nghiep"))).startswith(
        "Hỗ trợ «thanh niên khởi nghiệp»; «Thanh Niên khởi»-«nghiệp»")
    assert "«hoà nhập» và «HÒA NHẬP»" in fts.marked(fts.snippet(text, fts.parse('"hòa nhập"')))
    assert "«Đoàn»" in fts.marked(fts.snippet(text, fts.parse("doan")))


def test_search_section_kinds_are_the_contract_kinds():
    from typing import get_args

    from pipeline.export.search import SECTION_KINDS
    from pipeline.models import SectionKind

    assert list(SECTION_KINDS) == list(get_args(SectionKind))
