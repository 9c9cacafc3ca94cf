"""Vietnamese numerals: "8.000" (thousands), "1,3" and "2.989,5" (decimal comma), leading
zeros ("04"), and number words ("hai mươi lăm", "ba nghìn"). The vocabulary is data in
lang/vi/numbers.yaml.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..lang.vi import load

# Digits with "." every three places and an optional decimal comma; or plain digits with an
# optional decimal comma. A lone "1.5" (English decimal point) is read as 1.5.
# Thousands are also typed with a space: "1 200 lượt hộ".
NUMERAL = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:[ \u00a0]\d{3})+(?![\d.,]\d)|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d))"
NUMERAL_RE = regex.compile(rf"(?<![\d.,]){NUMERAL}(?![\d]|[.,]\d)")


_GROUPED = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_DECIMAL = regex.compile(r"\d+,\d+")
_PLAIN = regex.compile(r"\d+(?:\.\d+)?")


def parse(text: str) -> float:
    """"8.000" -> 8000, "1,3" -> 1.3, "2.989,5" -> 2989.5, "04" -> 4; number words too."""
    s = text.strip().replace(" ", "").replace("\u00a0", "")
    if _GROUPED.fullmatch(s):
        s = s.replace(".", "").replace(",", ".")
    elif _COMMA_DECIMAL.fullmatch(s):
        s = s.replace(",", ".")
    elif not _PLAIN.fullmatch(s):
        value = parse_words(text)
        if value is None:
            raise ValueError(f"not a number: {text!r}")
        return value
    value = float(s)
    return int(value) if value.is_integer() else value


def format_vi(value: float) -> str:
    """The inverse of parse for digits: 8000 -> "8.000", 2989.5 -> "2.989,5"."""
    whole = int(abs(value))
    frac = abs(value) - whole
    out = f"{whole:,}".replace(",", ".")
    if frac:
        out += "," + f"{value:.10f}".rstrip("0").split(".")[1]
    return ("-" if value < 0 else "") + out


@lru_cache(maxsize=1)
def _words():
    return load("numbers")


MULTIPLIER_WORDS = {"trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "mươi", "linh", "lẻ"}


def number_word_alternation() -> str:
    """One number word ("hai", "mươi", "nghìn" …) as an alternation, longest first."""
    w = _words()
    vocab = list(w["digits"]) + list(w["tens"]) + list(w["multipliers"]) + ["linh", "lẻ"]
    vocab += [v.capitalize() for v in vocab]  # matched case-sensitively: much faster than folding
    return "|".join(sorted(vocab, key=len, reverse=True))


def number_words_pattern() -> str:
    w = _words()
    vocab = list(w["digits"]) + list(w["tens"]) + list(w["multipliers"]) + ["linh", "lẻ"]
    alt = "|".join(sorted(vocab, key=len, reverse=True))
    return rf"(?:(?:{alt})(?:\s+(?:{alt}))*)"


def parse_words(text: str) -> float | None:
    """Read Vietnamese number words: "hai mươi lăm" -> 25, "một trăm linh năm" -> 105."""
    w = _words()
    total, hundreds, current, last = 0, 0, 0, None
    tokens = text.lower().split()
    if not tokens or tokens[0] == "không":
        return None  # no numeral opens with zero: "không tổ chức tảo hôn" is "do not hold"
    for tok in tokens:
        if tok in ("linh", "lẻ"):
            last = tok
            continue
        if tok in w["digits"] and last in w["digits"]:
            return None  # "năm một", "hai ba": two digits in a row are no numeral ("mỗi năm một lần")
        if tok in w["digits"]:
            d = w["digits"][tok]
            if tok in ("mốt", "lăm", "tư") and last not in ("mươi", "mười"):
                if tok == "tư" and last is None:
                    current += 4
                else:
                    return None if last is None else current + d
            else:
                current += d
        elif tok in w["tens"]:
            current = (current or 1) * 10 if tok == "mươi" else current + 10
        elif tok in w["multipliers"]:
            m = w["multipliers"][tok]
            if m == 100:  # "một trăm hai mươi": the tens that follow count apart from the hundreds
                hundreds, current = (current or 1) * 100, 0
            else:
                total += ((hundreds + current) or 1) * m
                hundreds = current = 0
        else:
            return None
        last = tok
    return total + hundreds + current
