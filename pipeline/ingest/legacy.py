"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) -> Unicode.

Before Unicode, plans were typed with .VnTime (TCVN3) or VNI-Times fonts: the file holds
Latin-1 characters ("Céng hoµ", "Coäng hoøa") that only the font turns into Vietnamese.
Such text reaches us from .txt bytes, from Word runs and from PDF text layers. `detect`
finds it from the characters alone (the font name helps in .docx, see `convert_run`);
`convert` maps it back. TCVN3 capitals with tone marks share the lower-case codes (the
capital font .VnTimeH draws them big), so case is restored from the rest of the word/line.
"""
from __future__ import annotations

import regex

from .quality import score

# TCVN3 (TCVN 5712:1993, "ABC"): byte value -> letter.
_TCVN3_CODES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3 = {chr(k): v for k, v in _TCVN3_CODES.items()}

# VNI: a base letter followed by a mark character; a few letters are one character.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_pairs() -> dict[str, str]:
    import unicodedata

    pairs: dict[str, str] = {}
    for upper in (False, True):
        def case(s: str) -> str:
            return s.upper() if upper else s
        for base in "aeouy":
            for mark, tone in _VNI_TONES.items():
                pairs[case(base + mark)] = unicodedata.normalize("NFC", case(base) + tone)
        for base, single in (("ô", "ơ"), ("ö", "ư")):
            for mark, tone in _VNI_TONES.items():
                pairs[case(base + mark)] = unicodedata.normalize("NFC", case(single) + tone)
        for base in "aeo":
            for mark, tone in _VNI_HAT.items():
                pairs[case(base + mark)] = unicodedata.normalize("NFC", case(base) + "\u0302" + tone)
        for mark, tone in _VNI_BREVE.items():
            pairs[case("a" + mark)] = unicodedata.normalize("NFC", case("a") + "\u0306" + tone)
    for k, v in _VNI_SINGLE.items():
        pairs[k], pairs[k.upper()] = v, v.upper()
    return pairs


VNI = _vni_pairs()
_VNI_RE = regex.compile("|".join(regex.escape(k) for k in sorted(VNI, key=len, reverse=True)))
_TCVN3_RE = regex.compile("[" + "".join(regex.escape(k) for k in TCVN3) + "]")
_LATIN1 = regex.compile(r"[\u00a0-\u00ff]")
_VI_UNICODE = regex.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"[\p{L}\u00a1-\u00ff]+")


def convert_tcvn3(text: str, upper: bool = False) -> str:
    """TCVN3 -> Unicode; `upper` when the font is a capital font (.VnTimeH)."""
    if upper:
        return _TCVN3_RE.sub(lambda m: TCVN3[m.group()], text).upper()
    out = []
    for line in text.split("\n"):
        converted = _TCVN3_RE.sub(lambda m: TCVN3[m.group()], line)
        out.append(_restore_case(line, converted))
    return "\n".join(out)


def _restore_case(raw: str, converted: str) -> str:
    """Capitals with tone marks were typed with lower-case codes: upper-case a word when its
    other letters are capitals and (it has two of them, a neighbouring word is in capitals,
    or most of the line is). "Sè 125/KH-UBND" stays "Số": the capitals of a symbol are no
    neighbour."""
    if len(raw) != len(converted):
        return converted
    cased = [c for tok in raw.split() if not any(ch.isdigit() or ch == "/" for ch in tok)  # not symbols
             for c in tok if c.isascii() and c.isalpha()]
    line_upper = len(cased) >= 3 and sum(c.isupper() for c in cased) / len(cased) >= 0.6
    words = list(_WORD.finditer(converted))
    # Per word: 2 = surely capitals, 1 = maybe ("KÕ": one plain capital), 0 = not.
    kinds = []
    for m in words:
        plain = [c for c in raw[m.start():m.end()] if c.isascii() and c.isalpha()]
        if plain and all(c.isupper() for c in plain):
            kinds.append(2 if len(plain) >= 2 else 1)
        else:
            kinds.append(1 if not plain else 0)
    out = list(converted)
    for i, m in enumerate(words):
        if kinds[i] == 0 or not _TCVN3_RE.search(raw[m.start():m.end()]):
            continue
        # a neighbour counts when only spaces separate them ("KÕ HO¹CH"), not a number or a
        # symbol ("Sè 125/KH-UBND": "KH" says nothing about "Số")
        near = [kinds[j] for j in (i - 1, i + 1) if 0 <= j < len(words)
                and converted[min(m.end(), words[j].end()):max(m.start(), words[j].start())].isspace()]
        if kinds[i] == 2 or line_upper or 2 in near:
            out[m.start():m.end()] = m.group().upper()
    return "".join(out)


def convert_vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI[m.group()], text)


def detect(text: str) -> str | None:
    """'tcvn3', 'vni' or None, from the characters: much Latin-1, no Vietnamese letters, and a
    conversion that reads as Vietnamese syllables."""
    if len(_VI_UNICODE.findall(text, 0, 3000)) >= 30:
        return None  # plainly Unicode Vietnamese already: the common case, decided on a short head
    sample = text[:20000]
    latin1 = len(_LATIN1.findall(sample))
    if latin1 < 3:
        return None
    letters = len(_LETTER.findall(sample))
    if latin1 < letters * 0.02:
        return None
    if len(_VI_UNICODE.findall(sample)) > latin1 * 0.5:
        return None
    base = score(sample).share
    best, best_share = None, base
    for name, fn in (("tcvn3", convert_tcvn3), ("vni", convert_vni)):
        q = score(fn(sample))
        if q.words >= 3 and q.share > best_share + 0.1 and q.share >= 0.7:
            best, best_share = name, q.share
    return best


def has_legacy_chars(text: str) -> bool:
    return bool(_LATIN1.search(text))


def convert(text: str, name: str) -> str:
    return convert_tcvn3(text) if name == "tcvn3" else convert_vni(text)


NAMES = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}


def fix(text: str) -> tuple[str, str | None]:
    """(Unicode text, legacy encoding found or None)."""
    name = detect(text)
    return (convert(text, name), name) if name else (text, None)


def warning(name: str) -> tuple[str, str]:
    return ("warn_legacy_encoding",
            f"Văn bản gõ bằng bảng mã {NAMES[name]}; đã chuyển sang Unicode, "
            "nên đối chiếu lại dấu tiếng Việt.")


def font_encoding(font: str | None) -> tuple[str | None, bool]:
    """A Word run's font name -> (legacy encoding or None, capital font?)."""
    if not font:
        return None, False
    f = font.strip().lower()
    if f.startswith(".vn"):
        return "tcvn3", f.endswith("h")
    if f.startswith("vni"):
        return "vni", False
    return None, False
