"""The grammar of Vietnamese document numbers, shared by the header and legal references.

State style (Nghị định 30/2020/NĐ-CP): "2763/QĐ-UBND", "27/2021/NĐ-CP", "26/2017/NQ-HĐND".
Party and Youth Union style: "34-CT/TW", "14-KH/TĐTN-BCN", "16-CTr/TWĐTN-ĐKTHTN".
Joint symbols ("1348/QCPH-UBND-TĐTN"), letter suffixes ("1249a/CTPH-UBDT-BTP"), "&"
("8935/BNV-CTTN&BĐG"), stray spaces and line breaks ("119- KH/TU", "27/NQ- TW").
Split as GOLD.md says: number as printed, a four-digit year written inside, the rest as the
symbol with spaces removed.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

_GAP = r"[ \t]*\n?[ \t]*"  # spaces and at most one line break around a separator
NUMBER = r"(?P<num>\d{1,6}[a-zđ]?)"
YEAR = rf"(?:(?P<year>(?:19|20)\d{{2}}){_GAP}/{_GAP})"


def _known_abbrs() -> list[str]:
    from ..lang.vi import load

    conf = load("doc_types")
    abbrs = {a for t in conf["types"] for a in t.get("abbr", [])} | set(conf["symbol_types"])
    return sorted(abbrs, key=len, reverse=True)


# The type abbreviation opening a symbol: a known one (QĐ, CTr, Ctr, QyĐ, QĐi), or at least
# two capitals (UBND, QH15, TTg); "Tiểu" or "Sở" after a hyphen is prose, not a symbol.
FIRST_PART = "(?:" + "|".join(regex.escape(a) for a in _known_abbrs()) + \
    r"|\p{Lu}(?:\p{Ll}?[\p{Lu}&])+\d{0,2}\p{Ll}?)"
# UBND, TĐTN, QH15, CTTN&BĐG, TTg, GDTrH: capitals with single small letters between or after two
PART = r"[\p{Lu}\d][\p{Lu}\d&]*(?:(?<=\p{Lu})\p{Ll}[\p{Lu}\d&]+)*(?:(?<=\p{Lu}\p{Lu})\p{Ll})?"
SYMBOL = rf"(?P<sym>{FIRST_PART}(?:{_GAP}[-/]{_GAP}(?:{PART}))*)"

# "2763/QĐ-UBND", "27/2021/NĐ-CP", "14 - KH/TĐTN-BCN", "02/KHLT"; the number may be blank
# in a draft ("Số: /QĐ-TTg").
NUMBER_SYMBOL = regex.compile(
    rf"(?<![\w/.-]){NUMBER}{_GAP}[-/]{_GAP}{YEAR}?{SYMBOL}(?![\p{{L}}\d])"
)
BLANK_NUMBER_SYMBOL = regex.compile(rf"(?<![\w/])/{_GAP}{YEAR}?{SYMBOL}(?![\p{{L}}\d])")


@dataclass(frozen=True)
class DocNumber:
    number: str | None
    year: int | None
    symbol: str | None


def squeeze(symbol: str | None) -> str | None:
    if symbol is None:
        return None
    out = regex.sub(r"\s+", "", symbol).strip("-/.")
    return out or None


def from_match(m) -> DocNumber:
    num = m.groupdict().get("num")
    year = m.group("year")
    return DocNumber(num, int(year) if year else None, squeeze(m.group("sym")))


def parse(text: str) -> DocNumber | None:
    """Parse one number-and-symbol string ("27/2021/NĐ-CP") or None if it is not one."""
    text = text.strip()
    m = NUMBER_SYMBOL.fullmatch(text) or BLANK_NUMBER_SYMBOL.fullmatch(text)
    if m:
        return from_match(m)
    m = regex.fullmatch(NUMBER, text)
    if m:
        return DocNumber(m.group("num"), None, None)
    return None


def symbol_type_abbr(symbol: str | None) -> str | None:
    """The type abbreviation a symbol starts with: "QĐ-UBND" -> "QĐ", "CT/TW" -> "CT"."""
    if not symbol:
        return None
    return regex.split(r"[-/]", symbol, maxsplit=1)[0]


def display(number: str | None, year: int | None, symbol: str | None) -> str:
    """The number as an office writes it: "2763/QĐ-UBND", "27/2021/NĐ-CP", "14-KH/TĐTN-BCN"."""
    if not symbol:
        return number or ""
    head = "/".join(x for x in (number, str(year) if year else None) if x)
    if not head:
        return symbol
    sep = "-" if "/" in symbol and not year else "/"  # Party style: "14-KH/TĐTN-BCN"
    return f"{head}{sep}{symbol}"
