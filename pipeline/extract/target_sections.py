"""What a target's sections say about it: whether a heading holds targets ("Chỉ tiêu",
a place's own heading), whether it is one whose numbers are no targets (results, money,
rubrics, award quotas), and the deadline a heading gives ("đến năm 2025")."""
from __future__ import annotations

import regex

from . import bodies, target_rules

# A place standing alone: "Xã Tân Phước", "a) Thôn Đông Hải:" (a heading) or a table cell.
# "Xã Tân Phước", "Thôn Đông Hải", and places named by their number: "Khu phố 1", "Ấp 3", "Tổ dân phố 12"
PLACE_NAME = regex.compile(rf"[\s*_]*(?i:{bodies.PLACE_WORD})\s+(?:\p{{Lu}}[\p{{L}}\s\d-]*|\d{{1,3}}[A-Z]?)[\s*_]*$")


TARGET_HEADING = regex.compile(r"chỉ\s+tiêu|mục\s+tiêu|nhiệm\s+vụ|phương\s+hướng|kế\s+hoạch\s+năm", regex.IGNORECASE)


TARGETS_NAMED = regex.compile(r"(?:các\s+)?(?:chỉ\s+tiêu|mục\s+tiêu)", regex.IGNORECASE)


def targets_kind(sec, by_id) -> str | None:
    """The section's kind, "targets" when it or a heading above it names targets
    ("2.3. Chỉ tiêu về đội ngũ" under "II. NHIỆM VỤ")."""
    kind = sec.kind if sec else None
    while sec is not None:
        if sec.kind == "targets" or (len(sec.heading) <= 100 and TARGETS_NAMED.match(sec.heading)):
            return "targets"
        if sec.parent_id and PLACE_NAME.match(sec.heading.rstrip(" :*_")):
            return "targets"  # "a) Thôn Đông Hải:" over "- Áo phao cứu sinh: 40 chiếc": what that place is given
        sec = by_id.get(sec.parent_id) if sec.parent_id else None
    return kind


def top(sec, by_id):
    while sec.parent_id:
        sec = by_id[sec.parent_id]
    return sec


RUBRIC_HEADING = regex.compile(r"[\s*_]*(?:tiêu\s+chuẩn|tiêu\s+chí|điều\s+kiện)(?:\s+(?:bình\s+xét|xét|công\s+nhận|đánh\s+giá|"
                            r"chấm\s+điểm|xếp\s+loại|khen\s+thưởng|lựa\s+chọn|tham\s+gia|dự\s+thi)\p{L}*)*[\s*_:.]*$",
                            regex.IGNORECASE)


def in_skipped_section(sec, by_id, rules) -> bool:
    """Under a heading that reports results ("Thực trạng", "Kết quả …") or money (Kinh phí)."""
    while sec is not None:
        if sec.parent_id is None and (sec.kind in rules["skip_kinds"] or (
                rules["descriptive_section"].match(sec.heading) and not TARGETS_NAMED.search(sec.heading))):
            return True
        if len(sec.heading) <= 100 and rules["past_section"].match(sec.heading) and \
                not TARGET_HEADING.search(sec.heading):  # "KẾT QUẢ NĂM 2014 VÀ CHỈ TIÊU NĂM 2015" holds both
            return True
        if len(sec.heading) <= 60 and RUBRIC_HEADING.match(sec.heading):
            return True  # "(2) Tiêu chuẩn bình xét", "Tiêu chí đánh giá": what a title requires
        if sec.number and len(sec.heading) <= 100 and rules["award"].search(sec.heading) and \
                not TARGET_HEADING.search(sec.heading) and "nội dung" not in sec.heading.lower():
            return True  # "Tiêu chuẩn khen thưởng", "Hình thức và số lượng khen thưởng": rubrics and quotas
        sec = by_id.get(sec.parent_id) if sec.parent_id else None
    return False


def deadline(ctx, clause_text: str, sec) -> str | None:
    """The deadline written in the target's clause, else in the headings above it."""
    rules = target_rules.rules()
    texts = [clause_text]
    s = sec
    by_id = {x.id: x for x in ctx.result.sections}
    while s is not None:
        if len(s.heading) <= 100:  # a real heading, not the first line of a long item
            texts.append(s.heading)
        s = by_id.get(s.parent_id) if s.parent_id else None
    for t in texts:
        m = rules["deadline"].search(t)
        if m:
            if m.group("y"):
                return m.group("y")
            d, mo, y = m.group("d").split("/")
            return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return None
