"""Is this text layer good Vietnamese? Scores used to choose a reader per page.

Broken text layers still look like letters ("KỈÊN GỈANG", "tỉ(cid:11)nh"), so a share of
letters is not enough: each word with diacritics is checked against the syllable grammar
(onset, nucleus, coda, one tone mark on a vowel of the nucleus, on the vowel with a hat or
horn when there is one). Plain ASCII words (UBND, VietGap) are not judged. A text layer can
also hold the right letters in the wrong order: a PDF that draws the letters of a fallback
font after the line ("K HO CH … Ế Ạ", "Tri n khai th c hi n"), which every letter-level check
passes; what gives it away is the lower-case pieces left without a vowel ("n", "th", "c").
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
MODIFIED = set("ăâêôơư")
ONSET = r"ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]"
NUCLEI = sorted("""a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo
ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu uêu""".split(),
                key=len, reverse=True)
CODA = r"ch|ng|nh|[cmnpt]"
SYLLABLE = regex.compile(rf"^(?P<on>{ONSET})?(?P<nu>{'|'.join(NUCLEI)})(?P<co>{CODA})?$")
DEBRIS = regex.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
# a lower-case word without a vowel: "n", "th", "ng" torn from "Triển", "thực", "người"
FRAGMENT = regex.compile(r"(?<![\p{L}\p{M}\d])[bcdđghklmnpqrstvxfjwz]{1,4}(?![\p{L}\p{M}\d])")
FRAGMENTS_MAX = 0.15  # of all words: 0-2% in typed plans ("km", "b)"), 26-35% in out-of-order layers
WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")


def _letters(word: str) -> tuple[str, int | None, int]:
    """(tone-less lower-case word, index of the toned letter or None, number of tone marks)."""
    out: list[str] = []
    tone_at, tones = None, 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in TONES:
            tones += 1
            tone_at = len(out) - 1
        elif unicodedata.combining(ch) and out:
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.append(ch)
    return "".join(out), tone_at, tones


def valid_syllable(word: str) -> bool:
    return _valid(word.lower())


@lru_cache(maxsize=50000)
def _valid(word: str) -> bool:
    bare, tone_at, tones = _letters(word)
    if tones > 1:
        return False
    m = SYLLABLE.match(bare)
    if not m:
        return False
    if tone_at is None:
        return True
    start, end = m.span("nu")
    if not start <= tone_at < end:
        return False
    nucleus = m.group("nu")
    hats = [i for i, c in enumerate(nucleus) if c in MODIFIED]
    if hats:
        return tone_at - start in hats
    return True


@dataclass
class Quality:
    words: int  # words with diacritics that were judged
    valid: int
    cids: int  # "(cid:N)", U+FFFD or control characters: debris from unmapped glyphs
    letters: int
    tokens: int = 0  # all words, ASCII ones too
    fragments: int = 0  # lower-case words without a vowel

    @property
    def share(self) -> float:
        return self.valid / self.words if self.words else 1.0

    @property
    def usable(self) -> bool:
        """Enough text, no glyph debris, and diacritic words that are real syllables."""
        if self.letters < 20:
            return False
        if self.cids:
            return False
        if self.tokens >= 30 and self.fragments > FRAGMENTS_MAX * self.tokens:
            return False  # letters out of reading order
        return self.words < 8 or self.share >= 0.85


def score(text: str) -> Quality:
    text = unicodedata.normalize("NFC", text)
    words = valid = letters = tokens = 0
    for m in WORD.finditer(text):
        w = m.group()
        letters += len(w)
        tokens += 1
        if w.isascii() or len(w) > 8:
            if not w.isascii():
                words += 1  # a long non-ASCII run is not a Vietnamese syllable
            continue
        words += 1
        valid += valid_syllable(w)
    return Quality(words=words, valid=valid, cids=text.count("(cid:") + len(DEBRIS.findall(text)), letters=letters,
                   tokens=tokens, fragments=len(FRAGMENT.findall(text)))
