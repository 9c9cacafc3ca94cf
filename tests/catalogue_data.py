"""Hand-made plans with every kind of fact, for the catalogue, search and web tests.

Why hand-made: the extractors are still being written; these fix the facts we search and
show, with spans computed from the text so `text[start:end] == item.text` holds.
"""
from __future__ import annotations

from pipeline.models import (Assignment, Body, DateRef, Document, DocumentResult, Issuer, LegalRef,
                             Mention, Section, Source, Target)


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def _sections(text: str, heads: list[tuple[str, str]]) -> list[Section]:
    starts = [text.index(h) for h, _ in heads] + [len(text)]
    return [Section(id=f"s{i + 1}", level=1, number=None, heading=h, kind=k,
                    span=(starts[i], starts[i + 1])) for i, (h, k) in enumerate(heads)]


PLAN_A = """ỦY BAN NHÂN DÂN TỈNH TÂY NINH
Số: 14/KH-UBND
Tây Ninh, ngày 15 tháng 01 năm 2018
KẾ HOẠCH
Hỗ trợ thanh niên khởi nghiệp giai đoạn 2018 - 2020
Căn cứ Quyết định số 2763/QĐ-UBND ngày 17/11/2017 của Ủy ban nhân dân tỉnh;
I. MỤC ĐÍCH
Hỗ trợ thanh niên khởi nghiệp, lập nghiệp tại địa phương. Ghi chú: <script>alert("xss")</script> & <b>đậm</b>
II. CHỈ TIÊU
Đến năm 2020, hỗ trợ 30 thanh niên khởi nghiệp thành công.
Phấn đấu 100% xã có câu lạc bộ khởi nghiệp.
III. TỔ CHỨC THỰC HIỆN
Tỉnh Đoàn chủ trì, phối hợp Sở Lao động triển khai kế hoạch; báo cáo trước ngày 15/12/2018.
IV. KINH PHÍ
Kinh phí từ ngân sách tỉnh.
"""

PLAN_B = """ỦY BAN NHÂN DÂN TỈNH TÂY NINH
Số: 2763/QĐ-UBND
Tây Ninh, ngày 17 tháng 11 năm 2017
QUYẾT ĐỊNH
Về việc ban hành Đề án đào tạo nghề cho Đoàn thanh niên
I. MỤC TIÊU
Đào tạo nghề cho 5.000 đoàn viên.
II. KINH PHÍ
Dành kinh phí hỗ trợ khởi sự kinh doanh cho đoàn viên.
"""

PLAN_C = """HỘI LIÊN HIỆP PHỤ NỮ TỈNH BẾN TRE
Số: 05/KH-HLHPN
Bến Tre, ngày 02 tháng 03 năm 2020
KẾ HOẠCH
Chăm sóc trẻ vị thành niên
I. MỤC ĐÍCH
Bảo vệ trẻ vị thành niên; chương trình hòa nhập cộng đồng.
II. TỔ CHỨC THỰC HIỆN
Hội Phụ nữ các huyện chủ trì.
"""


def plan_a() -> DocumentResult:
    t = PLAN_A
    bodies = [Body(id="b1", name="Tỉnh Đoàn", mentions=[Mention(text="Tỉnh Đoàn", span=_span(t, "Tỉnh Đoàn"))]),
              Body(id="b2", name="Sở Lao động", mentions=[Mention(text="Sở Lao động",
                                                                   span=_span(t, "Sở Lao động"))])]
    t1 = "hỗ trợ 30 thanh niên khởi nghiệp thành công"
    t2 = "100% xã có câu lạc bộ khởi nghiệp"
    ref = "Quyết định số 2763/QĐ-UBND ngày 17/11/2017"
    return DocumentResult(
        source=Source(path="corpus/plan_a.md", sha256="a" * 64, format="md"), text=t,
        document=Document(doc_type="Kế hoạch", number="14", symbol="KH-UBND", issued_date="2018-01-15",
                          place="Tây Ninh", title="Hỗ trợ thanh niên khởi nghiệp giai đoạn 2018 - 2020",
                          issuers=[Issuer(name="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", span=(0, 29))]),
        sections=_sections(t, [("I. MỤC ĐÍCH", "purpose"), ("II. CHỈ TIÊU", "targets"),
                               ("III. TỔ CHỨC THỰC HIỆN", "organization"), ("IV. KINH PHÍ", "funding")]),
        bodies=bodies,
        targets=[Target(id="t1", text=t1, span=_span(t, t1), value=30, unit="thanh niên",
                        deadline="2020", owners=["b1"], owner_source="assignment"),
                 Target(id="t2", text=t2, span=_span(t, t2), value=100, percent=True)],
        dates=[DateRef(id="d1", text="năm 2020", span=_span(t, "năm 2020"), kind="deadline",
                       start="2020", precision="year"),
               DateRef(id="d2", text="15/12/2018", span=_span(t, "15/12/2018"), kind="deadline",
                       start="2018-12-15", precision="day")],
        legal_refs=[LegalRef(id="l1", text=ref, span=_span(t, ref), doc_type="Quyết định", number="2763",
                             symbol="QĐ-UBND", issued_date="2017-11-17", role="basis")],
        assignments=[Assignment(id="a1", body_id="b1", role="lead",
                                text="Tỉnh Đoàn chủ trì", span=_span(t, "Tỉnh Đoàn chủ trì")),
                     Assignment(id="a2", body_id="b2", role="coordinate", text="phối hợp Sở Lao động",
                                span=_span(t, "phối hợp Sở Lao động"))])


def plan_b() -> DocumentResult:
    t = PLAN_B
    return DocumentResult(
        source=Source(path="corpus/plan_b.md", sha256="b" * 64, format="md"), text=t,
        document=Document(doc_type="Quyết định", number="2763", symbol="QĐ-UBND", issued_date="2017-11-17",
                          title="Về việc ban hành Đề án đào tạo nghề cho Đoàn thanh niên",
                          issuers=[Issuer(name="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", span=(0, 29))]),
        sections=_sections(t, [("I. MỤC TIÊU", "targets"), ("II. KINH PHÍ", "funding")]))


def plan_c() -> DocumentResult:
    t = PLAN_C
    return DocumentResult(
        source=Source(path="corpus/plan_c.md", sha256="c" * 64, format="md"), text=t,
        document=Document(doc_type="Kế hoạch", number="05", symbol="KH-HLHPN", issued_date="2020-03-02",
                          title="Chăm sóc trẻ vị thành niên",
                          issuers=[Issuer(name="HỘI LIÊN HIỆP PHỤ NỮ TỈNH BẾN TRE", span=(0, 33))]),
        sections=_sections(t, [("I. MỤC ĐÍCH", "purpose"), ("II. TỔ CHỨC THỰC HIỆN", "organization")]))


def write_plans(outdir, plans=None) -> list:
    """Write the hand-made plans as result JSON files (as `kehoach extract` would)."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, res in (plans or {"plan_a": plan_a(), "plan_b": plan_b(), "plan_c": plan_c()}).items():
        p = outdir / f"{name}.json"
        p.write_text(res.model_dump_json(indent=1), encoding="utf-8")
        paths.append(p)
    return paths
