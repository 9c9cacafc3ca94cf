"""The vocabulary of the target stage, compiled once.

lang/vi/targets.yaml holds the words (units, comparators, commitment cues, past and skip words,
table columns); this module turns them into the patterns the prose reader (targets.py), the
table reader (table_targets.py) and the section judgments (target_sections.py) share.
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from ..lang.vi import load
from . import numbers

_F = regex.IGNORECASE
N = numbers.NUMERAL
# A rate per hundred thousand ("40/100.000 trẻ đẻ sống"): the number is the target, not a code.
PER = r"(?:10|100)?(?:\.000)+(?![\d.,])|100(?![\d.,])"


def _alt(words) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def rules():
    """Every pattern of the target stage, compiled on first use."""
    t = load("targets")
    units = sorted(t["units"], key=len, reverse=True)
    return {
        "number": regex.compile(
            # "%" also written out: "85 phần trăm"
            rf"(?<![\d.,\p{{L}}/])(?:(?P<from>từ)\s+)?(?P<n1>{N})(?P<p1>[ \t]*(?:%|(?:điểm\s+)?phần\s+trăm(?!\p{{L}})))?"
            # "từ 45.000 ha đến 48.000 ha": after "từ" the unit may stand between the two numbers;
            # "03~05", "2 ~ 3": a range typed with a tilde
            rf"(?:(?(from)(?:\s+\p{{L}}{{1,6}}(?=\s*đến\s))?)\s*(?P<join>--|[-–~]|đến)\s*(?P<n2>{N})(?P<p2>[ \t]*(?:%|(?:điểm\s+)?phần\s+trăm(?!\p{{L}})))?)?"
            # "12/2025", "46/2014/QH13" are no numbers; a share "61/66 hộ" is (its first part)
            rf"(?![\d]|[.,]\d|\s*/\s*(?!{PER})(?>{N})(?!\s+\p{{Ll}})|[\p{{L}}])", _F),
        "cmp_before": {k: regex.compile(rf"(?:{_alt(v)})\s*(?:mức\s+|là\s+)?$", _F)
                       for k, v in t["comparators_before"].items()},
        # "100% chi đoàn xếp loại từ khá trở lên": "trở lên" after "từ" and a word grades the word
        "cmp_after": {k: regex.compile(rf"^(?:(?!(?<![\p{{L}}])từ\s+\p{{L}})[^;.\d]){{0,50}}?(?:{_alt(v)})", _F)
                      for k, v in t["comparators_after"].items()},
        "at_least_earlier": regex.compile(r"(?:ít\s+nhất|tối\s+thiểu)", _F),
        "cue": regex.compile(rf"(?<![\p{{L}}])(?:{_alt(t['cues'])})(?![\p{{L}}])", _F),
        "cue_window": t["cue_window"],
        "cue_end": regex.compile(rf"(?<![\p{{L}}])(?:{_alt(t['cues'])})\s*$", _F),
        "measures": set(t["measures"]),
        "trailing_cue": regex.compile(rf"(?:\s*(?:{_alt(t['cues'])}|{_alt(sum(t['comparators_before'].values(), []))}))+\s*$", _F),
        # where a number word may stand: a plain alternation in the standard library's engine,
        # about twice as fast here; number_words below checks the word boundaries
        "number_word": re.compile(numbers.number_word_alternation()),
        "number_words": regex.compile(
            rf"(?<![\p{{L}}]|\d[\s.,]*)(?P<w>{numbers.number_words_pattern()})\s+"
            rf"(?=(?:{'|'.join(_spaced(u) for u in units if u != '%')})(?![\p{{L}}]))", _F),
        # a number spelled out in brackets after its digits: "12.000 (mười hai nghìn)", "03 (ba)"
        "spelled_out": regex.compile(rf"[ \t]*\([ \t]*(?P<w>{numbers.number_words_pattern()})[ \t]*\)", _F),
        "unit": regex.compile(rf"^\s*(?P<u>{'|'.join(_spaced(u) for u in units)})(?![\p{{L}}])", _F),
        "word": regex.compile(r"^\s*(?P<u>[\p{Ll}][\p{L}]*)"),
        "not_after": regex.compile(rf"^\s*(?:{_alt(t['not_after'])})(?![\p{{L}}])", _F),
        "descriptive_after": regex.compile(rf"^\s*(?:{_alt(t['descriptive_after'])})(?![\p{{L}}])", _F),
        # "chỉ tiêu (8)": a number in brackets after these is a label too
        "not_before": regex.compile(rf"(?<![\p{{L}}])(?:{_alt(t['not_before'])})\s*(?:số\s*)?(?:từ\s*)?:?\s*\(?$", _F),
        # the later numbers of a list of the plan's own parts: "tại điểm 1.1, 1.2 và 1.3 khoản 1"
        # and of grades: "sức khỏe loại 1, 2, 3"
        "part_list": regex.compile(r"(?<![\p{L}])(?:điểm|khoản|mục|điều|chỉ\s+tiêu|phụ\s+lục|phần|chương|loại|hạng|cấp\s+độ|mức\s+độ|bậc)\s+(?:số\s*)?"
                                   r"(?:\d+(?:\.\d+)*\s*(?:,|và|hoặc)\s*)+$", _F),
        "award": regex.compile(_alt(t["award_words"]), _F),
        "award_title": regex.compile(_alt(t["award_titles"]), _F),
        "percent_before": regex.compile(rf"{N}\s*%"),
        "currency": regex.compile(r"^\s*(?:nghìn|ngàn|triệu|tỷ|tỉ)?\s*(?:đồng(?!\s+(?:hồ|bộ|thời|đều|chí|bào|lúa|ruộng|cỏ|nghiệp))|USD|usd|VNĐ|VND)(?![\p{L}])"),
        # a sum to raise is a result ("phấn đấu gây quỹ 15 triệu đồng", "quyên góp 50 triệu đồng")
        "money_cue": regex.compile(r"(?:đạt|tăng|giảm|thu|huy\s+động|vận\s+động|gây\s+quỹ|quyên\s+góp|giải\s+ngân|doanh\s+thu|kim\s+ngạch|"
                                   r"giá\s+trị|xuất\s+khẩu|ít\s+nhất|tối\s+thiểu|trên)", _F),
        "past_section": regex.compile(rf"^\s*(?:{_alt(t['past_sections'])})", _F),
        "skip_kinds": set(t["skip_kinds"]),
        "descriptive_section": regex.compile(rf"^\s*(?:{_alt(t['descriptive_sections'])})", _F),
        "past": regex.compile(rf"(?<![\p{{L}}])(?:{_alt(t['past_words'])})(?![\p{{L}}])", _F),
        "duration_bound": regex.compile(rf"(?:{_alt(t['duration_bounds'])})\s*$", _F),
        # not after a percentage: "đã giao 158 công dân, đạt 100% chỉ tiêu" reports the quota met
        "commit": regex.compile(rf"(?<!%\s*)(?:{_alt(t['commit_words'])})", _F),
        "year_ref": regex.compile(r"(?<!so\s+với\s+(?:cùng\s+kỳ\s+)?(?:cuối\s+|đầu\s+)?)(?:cuối\s+|đầu\s+)?năm\s+"
                                  r"(?P<y>(?:19|20)\d{2})(?!\d|\s*[-–])"
                                  # "(tính) đến ngày 31/12/2024": a status date
                                  r"|(?:(?:tính\s+)?đến|tại\s+thời\s+điểm)\s+(?:hết\s+)?ngày\s+\d{1,2}/\d{1,2}/"
                                  r"(?P<y>(?:19|20)\d{2})(?!\d)", _F),
        "frequency": regex.compile(_alt(t["frequency"]), _F),
        "baseline": regex.compile(t["baseline"], _F),
        "table": {k: regex.compile(_alt(v), _F) for k, v in t["tables"].items()},
        "programmes": regex.compile(_alt(t["programmes"]), _F),
        "cell_number": regex.compile(
            rf"[\s*_]*(?P<cmp>[≥≤><]=?|(?:trên|dưới|tối\s+thiểu|tối\s+đa|ít\s+nhất|không\s+quá|từ)\s)?[\s*_]*"
            rf"(?P<n1>{N})\s*(?:(?P<p1>%)|/\s*(?P<whole>\d{{1,6}})(?![\d/]))?(?:\s*[-–]\s*(?P<n2>{N})\s*(?P<p2>%)?)?"
            # the unit may stand in the cell: "4.500 giấy", "03 huyện", "Ít nhất 10 xã, phường"
            # ("90/96": 90 of the 96 communes)
            rf"(?P<word>(?:[ \t]+(?!trở(?!\p{{L}}))\p{{L}}+,?){{1,3}})?"
            rf"(?:\s*(?P<after>trở\s+lên|trở\s+xuống))?[\s*_]*$", _F),
        "deadline": regex.compile(r"(?:đến\s+(?:hết\s+|cuối\s+)?năm|cuối\s+năm|trước\s+năm|năm)\s+(?P<y>(?:19|20)\d{2})(?!\d)"
                                  r"|(?:đến|trước)\s+(?:hết\s+)?ngày\s+(?P<d>\d{1,2}/\d{1,2}/\d{4})", _F),
    }


def _spaced(unit: str) -> str:
    """A unit of several words as a pattern whose words may be split by a line break ("mô\nhình")."""
    return r"\s+".join(regex.escape(w) for w in unit.split())
