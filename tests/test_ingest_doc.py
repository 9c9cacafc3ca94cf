"""Old Word .doc files (tests/fixtures/doc, made from the seed Word files; see its README):
read through antiword (what `make system-deps` installs, and CI has) or LibreOffice, they give
the same facts as the seed .txt; without a converter, or for a broken file, a clear failure."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.agreement import f1, facts, similarity
from pipeline.ingest import doc
from pipeline.run import process_bytes, process_path

FIX = Path(__file__).parent / "fixtures" / "doc"
CORPUS = Path(__file__).parent.parent / "corpus"
SEEDS = sorted(p for p in FIX.glob("*.doc") if p.stem[:3].isdigit() or p.stem.startswith("seed"))
WHICH = shutil.which
ANTIWORD = WHICH("antiword")
OFFICE = WHICH("soffice") or WHICH("libreoffice")
needs_antiword = pytest.mark.skipif(not ANTIWORD, reason="antiword is not installed (`make system-deps` installs it)")
needs_office = pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed (optional second converter)")


def corpus_of(path: Path) -> Path:
    return next(CORPUS.glob(f"{path.stem[:3]}_*.txt")) if path.stem[:3].isdigit() else \
        next(CORPUS.glob("000_*.txt"))


@pytest.fixture
def antiword_only(monkeypatch):
    """Hide LibreOffice, so the antiword path runs even where both are installed."""
    monkeypatch.setattr(doc.shutil, "which", lambda name: None if name in ("soffice", "libreoffice") else WHICH(name))


def header(res):
    d = res.document
    return d.number, d.symbol, d.place, d.issued_date


def check_agrees(path: Path, converter: str):
    res = process_path(path)
    txt = corpus_of(path)
    want = process_path(txt)
    assert res.status == "ok" and res.source.format == "doc" and res.source.encoding == converter
    assert similarity(res.text, txt.read_text(encoding="utf-8")) > 0.99
    score = f1(facts(res), facts(want))
    assert score is None or score >= 0.97, f"F1 {score:.3f}: {facts(res) ^ facts(want)}"
    assert header(res) == header(want)


@needs_antiword
@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_doc_seed_through_antiword_agrees_with_txt(path, antiword_only):
    check_agrees(path, "antiword")


@needs_office
@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_doc_seed_through_libreoffice_agrees_with_txt(path):
    check_agrees(path, "libreoffice")


@needs_antiword
def test_doc_header_table_read_in_order(antiword_only):
    res = process_path(FIX / "seed000_table_header.doc")
    order = [res.text.index(s) for s in ("BCH ĐOÀN TỈNH TÂY NINH", "Số: 14 - KH/TĐTN-BCN",
                                         "Tây Ninh, ngày 15 tháng 01 năm 2018", "KẾ HOẠCH", "I. MỤC ĐÍCH")]
    assert order == sorted(order)
    assert "|" not in res.text
    assert header(res) == ("14", "KH/TĐTN-BCN", "Tây Ninh", "2018-01-15")


@needs_antiword
def test_doc_features_diacritics_tables_notes_breaks(antiword_only):
    res = process_path(FIX / "features.doc")
    text = res.text
    for ch in "ạ ả ã ặ ẫ ệ ộ ợ ự ỹ Đ đ".split():
        assert ch in text
    assert "ĐẠI HỘI ĐẠI BIỂU; người được trước." in text
    # the header block (a two-column layout table): each paragraph of a cell a line of its own,
    # the left column first, no cell marks
    assert "|" not in text[:text.index("KẾ HOẠCH")]
    assert header(res) == ("125", "KH-UBND", "Tây Ninh", "2023-03-20")
    # the table of targets flattened as the .docx reader does it (a cell between "|" lines, an
    # empty cell closing a row): row by row, a wrapped cell whole again, a merged cell once
    cells = ["STT", "Chỉ tiêu", "Năm 2025", "1",
             "Tỷ lệ hộ nghèo giảm bình quân hằng năm theo chuẩn nghèo đa chiều của tỉnh giai đoạn 2021 – 2025",
             "1,5%", "2", "Số lao động được đào tạo nghề", "12.000 người", "trong đó nữ", "5.000 người"]
    lines = text.split("\n")
    at = [lines.index(c) for c in cells]
    assert at == sorted(at)
    assert all(lines[i - 1] == "|" == lines[i + 1] for i in at)
    # so its targets are found as in the .docx, the sub-row's too
    assert sorted(t.value for t in res.targets) == [1.5, 5000, 12000]
    # the footnote mark out of the body, the note after it, as the .docx reader does
    assert "của Thủ tướng Chính phủ;" in text
    assert text.rstrip().endswith("[1] Được sửa đổi bởi Quyết định số 652/QĐ-TTg ngày 28/5/2022.")
    assert {(r.number, r.symbol) for r in res.legal_refs} == {("90", "QĐ-TTg"), ("652", "QĐ-TTg")}
    # line breaks and tabs kept
    assert "trước ngày 15/12/2023.\nCác sở, ngành" in text
    assert "Nơi nhận:\tCHỦ TỊCH" in text
    assert res.status == "ok" and res.source.encoding == "antiword"


@needs_antiword
def test_doc_tcvn3_text_converted_with_its_u(antiword_only):
    """.VnTime text: "ư" is 0xAD, which LibreOffice stores as an optional hyphen and antiword
    drops; it must come back ("lượt", "trước", "như")."""
    res = process_path(FIX / "tcvn3.doc")
    assert res.source.encoding == "antiword+tcvn3"
    assert any(e.code == "warn_legacy_encoding" for e in res.errors)
    assert "Giới thiệu việc làm cho 8.000 lượt thanh niên trước ngày 31/12/2020." in res.text
    assert "trước ngày 15/02/2018, như sau." in res.text
    assert "Thực hiện Quyết định số 2763/QĐ-UBND ngày 17/11/2017" in res.text
    assert res.document.place == "Tây Ninh" and res.document.issued_date == "2023-03-20"
    assert sorted(t.value for t in res.targets) == [1.5, 8000]


@needs_office
@pytest.mark.parametrize("name", ["features.doc", "tcvn3.doc"])
def test_doc_libreoffice_gives_the_same_facts_as_antiword(name, monkeypatch):
    lo = process_path(FIX / name)
    assert lo.source.encoding.startswith("libreoffice")
    assert "lượt" in lo.text or name != "tcvn3.doc"
    if ANTIWORD:
        monkeypatch.setattr(doc.shutil, "which", lambda n: None if n in ("soffice", "libreoffice") else WHICH(n))
        aw = process_path(FIX / name)
        assert facts(lo) == facts(aw) and header(lo) == header(aw)


def test_doc_optional_hyphens_patched_in_the_text_only():
    data = (FIX / "tcvn3.doc").read_bytes()
    patched = doc._optional_hyphens_as_soft(data)
    assert patched is not None and len(patched) == len(data)
    changed = [i for i, (a, b) in enumerate(zip(data, patched)) if a != b]
    assert len(changed) == 4 and all(data[i] == 0x1F and patched[i] == 0xAD for i in changed)
    assert doc._optional_hyphens_as_soft((FIX / "features.doc").read_bytes()) is None
    assert doc._optional_hyphens_as_soft(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x1f" + b"\xff" * 600) is None


def test_doc_without_converter_names_what_to_install(monkeypatch):
    monkeypatch.setattr(doc.shutil, "which", lambda name: None)
    res = process_path(FIX / "000_97020d20aea53fc8.doc")
    assert res.status == "failed" and res.errors[0].code == "converter_missing"
    assert "antiword" in res.errors[0].message and ".docx" in res.errors[0].message


@needs_antiword
@pytest.mark.parametrize("data", [
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40,  # the magic, then junk
    (FIX / "000_97020d20aea53fc8.doc").read_bytes()[:12000],        # cut short
], ids=["junk", "truncated"])
def test_doc_corrupt_fails_clearly(data, antiword_only):
    res = process_bytes(data, "hong.doc")
    assert res.status == "failed" and res.errors[0].code == "bad_doc"
    assert ".docx" in res.errors[0].message


def test_doc_compound_file_without_word_text_fails_clearly():
    """A spreadsheet or other Office file named .doc: no WordDocument stream."""
    data = (FIX / "000_97020d20aea53fc8.doc").read_bytes()
    data = data.replace("WordDocument".encode("utf-16-le"), "NotAWordFile".encode("utf-16-le"))
    res = process_bytes(data, "bang-tinh.doc")
    assert res.status == "failed" and res.errors[0].code == "bad_doc"
    assert "không chứa văn bản Word" in res.errors[0].message


@needs_antiword
def test_doc_too_short_for_antiword_says_what_to_do(antiword_only):
    """antiword refuses a text stream under 4 KB (files written by LibreOffice can be that small)."""
    res = process_path(FIX / "short.doc")
    assert res.status == "failed" and res.errors[0].code == "bad_doc"
    assert "LibreOffice" in res.errors[0].message and ".docx" in res.errors[0].message


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    ("KẾ HOẠCH thực hiện năm 2024".encode("utf-8"), "bad_doc"),  # not a Word file at all
])
def test_doc_not_word_fails_clearly_with_or_without_converter(data, code):
    res = process_bytes(data, "x.doc")
    assert res.status == "failed" and res.errors[0].code == code


def test_doc_that_is_really_a_docx_is_read_as_one():
    data = (Path(__file__).parent / "fixtures" / "docx" / "000_97020d20aea53fc8.docx").read_bytes()
    res = process_bytes(data, "doi-ten.doc")
    assert res.status == "ok" and res.document.number == "14"


def test_doc_render_without_docbook_keeps_cells_and_notes():
    """antiword's text alone (no DocBook tables): each line's cells in order, notes after the body."""
    text = ("\n|UBND TỈNH A          |CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
            "|Số: 5/KH-UBND        |A, ngày 2 tháng 3 năm 2020         |\n\n"
            "KẾ HOẠCH\nCăn cứ Luật số 77/2015/QH13[1];\n-----------------------\n"
            "[1]Sửa đổi năm 2019.\nĐoạn hai.\n")
    out = doc.render(text)
    assert out.split("\n\n") == ["UBND TỈNH A", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 5/KH-UBND",
                                 "A, ngày 2 tháng 3 năm 2020", "KẾ HOẠCH\nCăn cứ Luật số 77/2015/QH13;",
                                 "[1] Sửa đổi năm 2019. Đoạn hai.\n"]
    tables = [[[["UBND TỈNH A", "Số: 5/KH-UBND"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "A, ngày 2 tháng 3 năm 2020"]]]]
    assert doc.render(text, tables).split("\n\n")[:4] == ["UBND TỈNH A", "Số: 5/KH-UBND",
                                                          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                          "A, ngày 2 tháng 3 năm 2020"]
    # a line of dashes in the body, not followed by notes, stays
    assert "-----------------------\nhết" in doc.render("a\n-----------------------\nhết\n")


def _as_8bit(data: bytes) -> bytes:
    """The file with its UTF-16 text pieces rewritten as 8-bit ones in place (how Word stores
    text that fits Windows-1252, as .VnTime text does); only for the test below."""
    import struct
    cfb = doc._Cfb(data)
    fib = cfb.read("WordDocument")
    flags = struct.unpack_from("<H", fib, 0x0A)[0]
    off = 0x20 + 2 + 2 * struct.unpack_from("<H", fib, 0x20)[0]
    off += 2 + 4 * struct.unpack_from("<H", fib, off)[0]
    fc_clx, _ = struct.unpack_from("<II", fib, off + 2 + 33 * 8)
    name = "1Table" if flags & 0x0200 else "0Table"
    table = cfb.read(name)
    i = fc_clx
    while table[i] == 1:
        i += 3 + struct.unpack_from("<H", table, i + 1)[0]
    n = (struct.unpack_from("<I", table, i + 1)[0] - 4) // 12
    plc = i + 5
    cps = struct.unpack_from(f"<{n + 1}I", table, plc)
    out = bytearray(data)

    def put(stream, pos, bs):
        offs, step, _ = cfb.segments(stream)
        for j, b in enumerate(bs):
            out[offs[(pos + j) // step] + (pos + j) % step] = b

    for k in range(n):
        fc = struct.unpack_from("<I", table, plc + 4 * (n + 1) + 8 * k + 2)[0]
        text = fib[fc:fc + 2 * (cps[k + 1] - cps[k])].decode("utf-16-le")
        put("WordDocument", fc, text.encode("cp1252"))
        put(name, plc + 4 * (n + 1) + 8 * k + 2, struct.pack("<I", (fc * 2) | 0x40000000))
    return bytes(out)


def test_doc_optional_hyphens_patched_in_8bit_text_too():
    data = _as_8bit((FIX / "tcvn3.doc").read_bytes())
    patched = doc._optional_hyphens_as_soft(data)
    changed = [i for i, (a, b) in enumerate(zip(data, patched)) if a != b]
    assert len(changed) == 4 and all(data[i] == 0x1F and patched[i] == 0xAD for i in changed)
    assert b"8.000 l\xad\xeet thanh ni\xaan tr\xad\xedc" in patched
