"""DOCX ingest: document order with tables, merged cells once, list numbers, footnotes, legacy fonts."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.agreement import f1, facts, similarity
from ingest_helpers import make_docx, p
from pipeline.ingest import docx, doc
from pipeline.run import process_bytes, process_path, process_text

FIX = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent.parent / "corpus"
DOCX = sorted((FIX / "docx").glob("*.docx"))


@pytest.mark.parametrize("path", DOCX, ids=[p.stem for p in DOCX])
def test_docx_seed_same_text_and_facts_as_txt(path):
    corpus = CORPUS / f"{path.stem}.txt"
    res = process_path(path)
    assert res.status == "ok" and res.source.format == "docx"
    assert similarity(res.text, corpus.read_text(encoding="utf-8")) > 0.99
    score = f1(facts(res), facts(process_path(corpus)))
    assert score is None or score >= 0.97


def test_docx_header_table_read_in_order():
    res = process_path(FIX / "seed000_table_header.docx")
    text = res.text
    order = [text.index(s) for s in ("BCH ĐOÀN TỈNH TÂY NINH", "Số: 14 - KH/TĐTN-BCN",
                                     "Tây Ninh, ngày 15 tháng 01 năm 2018", "KẾ HOẠCH", "I. MỤC ĐÍCH")]
    assert order == sorted(order)
    assert res.document.number == "14" and res.document.issued_date == "2018-01-15"


NUMBERING = """
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
"""


def test_docx_automatic_numbering_becomes_visible_labels():
    body = "".join([
        p("MỤC ĐÍCH, YÊU CẦU", (1, 0)), p("Mục đích", (1, 1)), p("Nâng cao nhận thức", (1, 2)),
        p("Tuyên truyền", (1, 3)), p("Phổ biến", (1, 2)), p("Yêu cầu", (1, 1)),
        p("NỘI DUNG THỰC HIỆN", (1, 0)), p("Tuyên truyền", (1, 1)),
    ])
    text = docx.read(make_docx(body, numbering=NUMBERING), "x.docx").text
    assert text.rstrip("\n").split("\n\n") == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) Nâng cao nhận thức", "- Tuyên truyền",
        "b) Phổ biến", "2. Yêu cầu", "II. NỘI DUNG THỰC HIỆN", "1. Tuyên truyền"]


def test_docx_merged_cells_read_once():
    cell = '<w:tc><w:tcPr>{}</w:tcPr>{}</w:tc>'
    table = ("<w:tbl>"
             "<w:tr>" + cell.format('<w:vMerge w:val="restart"/>', p("UBND TỈNH TÂY NINH"))
             + cell.format('<w:gridSpan w:val="2"/>', p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")) + "</w:tr>"
             "<w:tr>" + cell.format("<w:vMerge/>", p("UBND TỈNH TÂY NINH"))
             + cell.format("", p("Độc lập - Tự do - Hạnh phúc")) + "</w:tr>"
             "</w:tbl>")
    text = docx.read(make_docx(table + p("KẾ HOẠCH")), "x.docx").text
    assert text.count("UBND TỈNH TÂY NINH") == 1
    assert text.index("CỘNG HÒA") < text.index("Độc lập") < text.index("KẾ HOẠCH")


def test_docx_footnotes_kept_apart_after_the_body():
    body = ('<w:p><w:r><w:t xml:space="preserve">Thực hiện Nghị quyết số 26/2017/NQ-HĐND</w:t></w:r>'
            '<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> của HĐND tỉnh.</w:t></w:r></w:p>'
            + p("Nội dung tiếp theo."))
    notes = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:id="1"><w:p><w:r><w:t>Đã sửa đổi năm 2019.</w:t></w:r></w:p></w:footnote>')
    text = docx.read(make_docx(body, footnotes=notes), "x.docx").text
    assert "Thực hiện Nghị quyết số 26/2017/NQ-HĐND của HĐND tỉnh." in text
    assert text.rstrip().endswith("[1] Đã sửa đổi năm 2019.")


def test_docx_legacy_font_runs_converted_by_font_name():
    body = p("KÕ HO¹CH", font=".VnTimeH") + p("Céng hoµ x· héi chñ nghÜa ViÖt Nam", font=".VnTime") \
        + p("Coäng hoøa xaõ hoäi", font="VNI-Times") + p("Văn bản Unicode.")
    raw = docx.read(make_docx(body), "x.docx")
    assert raw.text.rstrip("\n").split("\n\n") == [
        "KẾ HOẠCH", "Cộng hoà xã hội chủ nghĩa Việt Nam", "Cộng hòa xã hội", "Văn bản Unicode."]
    assert raw.encoding == "tcvn3,vni" and raw.warnings


def test_docx_broken_file_fails_clearly():
    res = process_bytes(b"PK\x03\x04 not really a zip", "x.docx")
    assert res.status == "failed" and res.errors[0].code == "bad_docx"


def test_doc_without_converter_names_what_to_install(monkeypatch):
    monkeypatch.setattr(doc.shutil, "which", lambda name: None)
    res = process_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc")
    assert res.status == "failed" and res.errors[0].code == "converter_missing"
    assert "antiword" in res.errors[0].message and ".docx" in res.errors[0].message


def test_docx_text_box_read_once_as_its_own_paragraphs():
    box = ('<w:txbxContent>' + p("UBND TỈNH TÂY NINH") + p("Số: 14/KH-UBND") + '</w:txbxContent>')
    anchor = ('<w:p><w:r><w:t xml:space="preserve">Tây Ninh, ngày 15 tháng 01 năm 2018</w:t></w:r>'
              '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
              f'<mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
              f'<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    text = docx.read(make_docx(anchor + p("KẾ HOẠCH")), "x.docx").text
    assert text.rstrip("\n").split("\n\n") == ["Tây Ninh, ngày 15 tháng 01 năm 2018", "UBND TỈNH TÂY NINH",
                                                "Số: 14/KH-UBND", "KẾ HOẠCH"]


def test_docx_deleted_tracked_text_left_out():
    body = ('<w:p><w:r><w:t xml:space="preserve">Giảm </w:t></w:r><w:del><w:r><w:delText>10%</w:delText></w:r></w:del>'
            '<w:ins><w:r><w:t>15%</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> hộ nghèo.</w:t></w:r></w:p>')
    assert docx.read(make_docx(body), "x.docx").text.strip() == "Giảm 15% hộ nghèo."


def test_docx_of_a_text_file_keeps_its_lines():
    """LibreOffice opens a .txt as one "PreformattedText" paragraph a line: the lines come back
    as lines (an empty paragraph a blank line), so a table written one row a line
    its rows still reads as a table, as it does from the text."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\nPhân bổ chỉ tiêu như sau:\n\n| TT | Đơn vị | Chỉ tiêu (hộ) |\n|---|---|---|\n"
            "| 1 | Xã Tân Phước | 120 |\n| 2 | Xã Phú Thạnh | 95 |\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các xã triển khai.\n")
    pre = '<w:pPr><w:pStyle w:val="PreformattedText"/></w:pPr>'
    body = "".join(f'<w:p>{pre}<w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in text.split("\n"))
    res = process_bytes(make_docx(body), "plain.docx")
    want = process_text(text)
    assert [(t.value, t.owners) for t in res.targets] == [(t.value, t.owners) for t in want.targets]
    assert {t.value for t in res.targets} >= {120, 95}


def test_docx_of_a_text_file_with_a_grid_table_reads_it_as_the_text_does():
    """A pandoc .md opened in Word: its grid table is rebuilt from the lines as from the text."""
    text = ("KẾ HOẠCH\n\nThực hiện nhiệm vụ\n\nI. CHỈ TIÊU\n\nChỉ tiêu giao cho từng đơn vị như sau:\n\n"
            "+----+---------------------+--------------+\n| TT | Đơn vị              | Chỉ tiêu     |\n"
            "|    |                     | 2022 (lượt)  |\n+====+=====================+==============+\n"
            "| 1  | Thành đoàn Khánh    | 3.000        |\n|    | Xuyên               |              |\n"
            "+----+---------------------+--------------+\n| 2  | Huyện đoàn Hòa Khê  | 1.500        |\n"
            "+----+---------------------+--------------+\n\nII. TỔ CHỨC THỰC HIỆN\n\n- Các đơn vị triển khai.\n")
    pre = '<w:pPr><w:pStyle w:val="PreformattedText"/></w:pPr>'
    body = "".join(f'<w:p>{pre}<w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in text.split("\n"))
    res = process_bytes(make_docx(body), "plain.docx")
    assert "| 1 | Thành đoàn Khánh Xuyên | 3.000 |" in res.text
    assert sorted(t.value for t in res.targets) == [1500, 3000]
