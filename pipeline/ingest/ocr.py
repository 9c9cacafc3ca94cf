"""OCR with Tesseract (`-l vie`): scanned PDF pages and images, one process per page.

Each page runs in its own `tesseract` process with OMP_THREAD_LIMIT=1 (Tesseract's own
threads are ~5x slower on a shared 2-core machine), pages in parallel. The image goes in
as an uncompressed TIFF file (no PNG encoding cost). Degraded scans (noise, uneven light,
low resolution, skew) are cleaned first (scanclean.py), decided from measurements before any
read; a clean-looking page whose result is still poor is cleaned and read again. TSV output
gives word boxes and confidences: runs of low-confidence words holding a digit are cropped
and read again on one strip (one more, small, Tesseract run on the pages that have any),
specks are dropped, the boxes deskewed, numbers Tesseract split in two rejoined, so layout.py joins lines into paragraphs as it does for text layers. Misreads are
repaired from lang/vi/ocr.yaml, only where the context says what was printed: bold roman
heading numerals ("H." for "II."), date and number words beside digits ("nằm 2018"), known
phrases with a wrong diacritic ("Đê án", "MỤC TIỂU"), doubled letters in document symbols
("QĐĐ-BCA"). All of this runs on OCR output only, never on text layers or typed text.
"""
from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

import regex

from ..errors import IngestError
from ..limits import check_pages, check_pixels
from ..lang.vi import load
from . import RawDoc, layout, scanclean
from .quality import score

MISSING_MESSAGE = ("Tệp là bản quét nhưng máy chưa cài Tesseract có tiếng Việt: hãy cài "
                   "`apt-get install tesseract-ocr tesseract-ocr-vie` (hoặc chạy `make install`) rồi chạy lại.")
TIMEOUT = 300


@lru_cache(maxsize=1)
def available() -> bool:
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in out.stdout.split()


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("KEHOACH_OCR_WORKERS", "0")) or 99))


def tesseract_tsv(img, dpi: int, psm: int | None = None) -> str:
    """Run one Tesseract process on a greyscale PIL image; returns its TSV output. The image
    goes through an uncompressed TIFF in memory-backed /dev/shm when there is one: 5 ms to
    write and as fast for Tesseract to read as PNG (stdin costs 0.13 s a page, PGM 0.1 s)."""
    tmpdir = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.NamedTemporaryFile(suffix=".tif", dir=tmpdir) as fh:
        img.save(fh, "TIFF")
        fh.flush()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        # No --dpi: Tesseract's own estimate reads as well here and --dpi costs 0.06 s a page.
        mode = ["--psm", str(psm)] if psm else []
        proc = subprocess.run(["tesseract", fh.name, "stdout", "-l", "vie", *mode, "tsv"],
                              capture_output=True, env=env, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise IngestError("ocr_failed", "Tesseract không đọc được trang ảnh: "
                          + proc.stderr.decode("utf-8", "replace").strip()[:200])
    return proc.stdout.decode("utf-8", "replace")


SPECK = 0.15  # a "word" smaller than this share of the text height both ways is a speck of dirt
NUMBER_GAP = 0.7  # digits split by a gap under this share of the line's usual word gap are one number


@dataclass
class Word:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    conf: float = 100.0


def tsv_words(tsv: str) -> list[list[Word]]:
    """Word rows of Tesseract's TSV -> words per line, in reading order."""
    lines: dict[tuple, list[Word]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        lines.setdefault(tuple(cols[1:5]), []).append(
            Word(left, top, left + width, top + height, cols[11].strip(), float(cols[10])))
    return list(lines.values())


def skew_slope(lines: list[list[Word]]) -> float:
    """Slope (dy/dx) of the text rows: the median over long lines of the fit through word bottoms.
    Tesseract reads a page skewed by 1° well but gives boxes in the skewed frame, where the
    margins slant and layout.py takes full lines for short ones."""
    slopes = []
    for words in lines:
        if len(words) < 5:
            continue
        xs = [(w.x0 + w.x1) / 2 for w in words]
        ys = [w.bottom for w in words]
        height = statistics.median(w.bottom - w.top for w in words)
        if xs[-1] - xs[0] < 10 * height:
            continue
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        var = sum((x - mx) ** 2 for x in xs)
        if var:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var)
    return statistics.median(slopes) if len(slopes) >= 3 else 0.0


def deskew(lines: list[list[Word]], slope: float) -> None:
    """Rotate word boxes so text rows are level (small-angle rotation about the origin)."""
    if abs(slope) < 0.002:
        return
    for words in lines:
        for w in words:
            xc, yc = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            w.x0, w.x1 = w.x0 + slope * yc, w.x1 + slope * yc
            w.top, w.bottom = w.top - slope * xc, w.bottom - slope * xc


def drop_specks(lines: list[list[Word]]) -> list[list[Word]]:
    """Words far smaller than the text both ways: a dot of dirt read as "|" at the right margin
    makes a short line look full. Words read with low confidence stay: on cleaned scans they
    are mostly real ("Điều", "II.", "02/2022/TT-BTNMT"), and dropping them lost facts."""
    heights = [w.bottom - w.top for words in lines for w in words if len(w.text) > 1]
    size = SPECK * (statistics.median(heights) if heights else 0)
    out = []
    for words in lines:
        kept = [w for w in words if max(w.x1 - w.x0, w.bottom - w.top) >= size]
        if kept:
            out.append(kept)
    return out


SPLIT_LEFT = regex.compile(r"\d[\d/.,-]*$")
SPLIT_RIGHT = regex.compile(r"^\d")


def join_words(words: list[Word]) -> str:
    """Words -> line text. A number Tesseract split in two ("26/1 2/2024", "27/202 1/NĐ-CP")
    has a gap about half the usual space: such digit halves are joined without a space."""
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:])]
    usual = statistics.median(gaps) if len(gaps) >= 3 else None
    out = words[0].text
    for prev, word, gap in zip(words, words[1:], gaps):
        split = (usual is not None and gap < NUMBER_GAP * usual
                 and SPLIT_LEFT.search(prev.text) and SPLIT_RIGHT.match(word.text))
        out += ("" if split else " ") + word.text
    return out


def parse_tsv(tsv: str) -> list[layout.Line]:
    """Tesseract's TSV -> lines with boxes (deskewed), specks dropped, misreads repaired."""
    return parse_lines(tsv_words(tsv))


def parse_lines(lines: list[list[Word]]) -> list[layout.Line]:
    """Word lines -> lines with boxes (deskewed), specks dropped, misreads repaired."""
    lines = drop_specks(lines)
    deskew(lines, skew_slope(lines))
    texts = repair_page([join_words(words) for words in lines])
    return [layout.Line(text, min(w.x0 for w in words), max(w.x1 for w in words),
                        min(w.top for w in words), max(w.bottom for w in words))
            for text, words in zip(texts, lines)]


def repair_page(lines: list[str]) -> list[str]:
    """Every misread repair on the lines of one OCR page (lang/vi/ocr.yaml). Date and number
    words are repaired on the page's lines together: a date wraps ("ngày 26 tháng 11 nam" /
    "2025") and its context is on the next line."""
    lines = [fix_tokens(line.translate(_char_fixes())) for line in lines]
    lines = fix_years(fix_context_words("\n".join(lines))).split("\n")
    return [repair(line) for line in lines]


def repair(line: str) -> str:
    """The repairs that need no more than the line: phrases, symbols, heading markers."""
    return fix_headings(fix_symbols(fix_phrases(line)))


@lru_cache(maxsize=1)
def _heading_fixes():
    markers = load("ocr")["heading_markers"]
    table = {f["read"]: f["means"] for f in markers}

    def alts(which):
        longest_first = sorted(markers, key=lambda f: -len(f["read"]))
        return "|".join(regex.escape(f["read"]) for f in longest_first if which(f))

    caps = r"(?=\p{Lu}{2}|\p{Lu}\s\p{Lu})"
    # A misread marker opening a line, then a heading in capitals ("H. CÁC CHỈ TIÊU"); markers
    # that are no word also before a capitalised heading ("IH. Nội dung"); markers whose dot
    # became part of a letter before a space and capitals ("IL NỘI DUNG"); a real numeral with
    # a speck for its dot or before it ("I[. MỤC TIÊU"), or no dot at all ("IV CHỈ TIÊU, TIẾN ĐỘ").
    noise = regex.escape(load("ocr").get("marker_noise", ""))
    # The same markers before a slash or a dash ("1I/ CHỈ TIÊU" for "II/", "TII- CHỈ TIÊU" for
    # "III-"), which stays.
    return table, regex.compile(
        rf"^(?:(?P<m>{alts(lambda f: True)})\s*(?:[.,]|(?P<slash>/)|(?P<dash>[-–]))\s*{caps}"
        rf"|(?P<m>{alts(lambda f: f.get('any_case'))})\s*[.,]\s*(?=\p{{Lu}}\p{{Ll}})"
        # "IILCHỈ TIÊU": the dot and the space both went into the L
        rf"|(?P<m>{alts(lambda f: f.get('dotless'))})(?:\s+{caps}|(?=\p{{Lu}}{{2,}}[\s,]))"
        rf"|(?P<m>[IVX]{{1,4}})(?:[{noise}]?\s*[.,]|[{noise}]|\s(?=\p{{Lu}}{{2,}}[\s,]+\p{{Lu}}{{2}}))\s*{caps})")


@lru_cache(maxsize=1)
def _char_fixes():
    return str.maketrans(load("ocr").get("characters", {}))


def fix_headings(line: str) -> str:
    table, pattern = _heading_fixes()
    def fixed(m):
        sep = "/ " if m.group("slash") else f"{m.group('dash')} " if m.group("dash") else ". "
        return table.get(m.group("m"), m.group("m")) + sep
    return pattern.sub(fixed, line, count=1)


def fix_tokens(line: str) -> str:
    """Whole tokens that are misread punctuation ("2016 ~ 2020")."""
    table = load("ocr").get("tokens", {})
    if not any(k in line for k in table):
        return line
    return " ".join(table.get(t, t) for t in line.split(" "))


def fold(text: str) -> str:
    """Lower case without diacritics ("Đề án" -> "de an"): what OCR keeps of a word for sure."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _context_words():
    names = "|".join(regex.escape(t["name"]) for t in load("doc_types")["types"])
    out = []
    for e in load("ocr").get("context_words", []):
        before = e.get("before", "").replace("{doc_type}", names)
        pattern = regex.compile((rf"(?<={before})" if before else r"(?<!\p{L})")
                                + r"(?P<w>\p{L}[\p{L}\p{M}]*)" + rf"(?={e['after']})", regex.M)
        keep = {k.casefold() for k in e.get("keep", [])} | {e["word"].casefold()}
        out.append((pattern, e["word"], keep, set(e.get("forms", []))))
    return out


def fix_context_words(line: str) -> str:
    """Date and number words with a wrong diacritic where the digits around say which word
    it must be ("tháng 01 nằm 2018" -> "năm")."""
    for pattern, word, keep, forms in _context_words():
        def one(m, word=word, keep=keep, forms=forms):
            w = m.group("w")
            if w in forms:  # listed misreads, such as "SỐ:" for "Số:", become the word as written
                return word
            return _cased(word, w) if fold(w) == fold(word) and w.casefold() not in keep else w
        line = pattern.sub(one, line)
    return line


YEAR5 = regex.compile(r"(?:(?<=(?i:năm)\s+)|(?<=\d{1,2}\s?/\s?\d{1,2}\s?/\s?))(?:19|20)\d{3}(?!\d)")


def fix_years(text: str) -> str:
    """Five-digit years with a digit Tesseract inserted ("năm 20285" -> "năm 2025")."""
    digits = load("ocr").get("year_inserted_digits", [])

    def one(m):
        y = m.group()
        cands = {y[:i] + y[i + 1:] for i in range(2, 5) if y[i] in digits}
        cands = {c for c in cands if c[:2] in ("19", "20")}
        return cands.pop() if len(cands) == 1 else y
    return YEAR5.sub(one, text) if digits else text


WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")
# The letters of a document symbol after its number ("78/2025/NĐ-CP", "01-KL/TW").
# A letter of a symbol part, or a lone 1 that OCR read for a stroke ("QĐ-1LĐ"; not "QH14").
SYMBOL_LETTER = r"(?:[\p{L}&]|(?<!\d)1(?!\d)|(?<=\p{L})['’`](?=\p{L}))"  # and a speck read as "'": "QĐ-T'Tg"
SYMBOL = regex.compile(rf"(?<=\d\s?[/-]\s?)\p{{Lu}}{SYMBOL_LETTER}*(?:\s?[-/]\s?{SYMBOL_LETTER}+)*")
STRAY = frozenset("Il1'’`")  # strokes and specks OCR reads inside capitals


@lru_cache(maxsize=1)
def _type_codes() -> frozenset:
    """Codes of document types ("TT", "QĐ", "KH"): the part before a hyphen OCR may drop."""
    types = load("doc_types")
    return frozenset(set(types.get("symbol_types", {})) | {a for t in types["types"] for a in t.get("abbr", [])})


@lru_cache(maxsize=1)
def _folded_parts() -> dict:
    """{known part without diacritics, Đ as D: the known parts that fold so}."""
    out: dict = {}
    for part in _symbol_parts():
        out.setdefault(_fold_part(part), set()).add(part)
    return out


def _fold_part(part: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", part.replace("Đ", "D").replace("đ", "d"))
                   if not unicodedata.combining(c))


def _look_alikes(part: str) -> set:
    """Known parts that OCR may have read as `part`: the same letters but for diacritics,
    or a D where the code has Đ (a lost bar); a Đ read is a Đ ("HĐ" is not "HD")."""
    return {k for k in _folded_parts().get(_fold_part(part), ())
            if all(a == b or a != "Đ" for a, b in zip(part, k))}


@lru_cache(maxsize=1)
def _symbol_parts() -> frozenset:
    types = load("doc_types")
    parts = set(types.get("symbol_types", {}))
    parts |= {a for t in types["types"] for a in t.get("abbr", [])}
    parts |= set(load("bodies").get("abbreviations", {}))
    return frozenset(parts | set(load("ocr").get("symbol_parts", [])))


def _symbol_part(part: str) -> str:
    """A symbol part, or the one known code it hides: OCR doubles a letter ("QĐĐ", "NĐĐĐ"),
    reads a stroke as I/l/1 (stray: "KIL"; for T or L: "CI" = "CT", "IW" = "TW", "SVHTTDI"),
    or loses the hyphen after a document type's code ("TTUBDT"; not "BTCTU", one code),
    puts a diacritic on a letter ("TỦ") or D for Đ ("BGDDT", "HDĐND"). Vietnamese codes have
    no I, so an I is a misread; uppercase L is a real initial and stays."""
    known = _symbol_parts()
    if part in known:
        return part
    cands = set()
    if len(part) >= 3:
        folded = _fold_part(part)
        cands |= {part[:m.start()] + m.group(1) * n + part[m.end():]  # a run of one letter, shorter
                  for m in regex.finditer(r"(.)\1+", part) for n in (1, len(m.group()) - 1)}
        cands |= {part[:i] + "-" + part[i:] for i in range(2, len(part) - 1)
                  if part[:i] in _type_codes() and part[i:] in known}
        if len(folded) == len(part):  # "HDĐND": D and Đ side by side, one of them doubled
            cands |= {part[:i] + part[i + 1:] for i in range(len(part) - 1) if folded[i] == folded[i + 1]}
    for i, c in enumerate(part):
        if c in STRAY and not (c == "1" and i == len(part) - 1):  # "KT1": a numbered code
            cands |= {part[:i] + new + part[i + 1:] for new in ("", "T", "L")}
    edits = cands | {part}
    cands = {c for c in cands if all(x in known for x in c.split("-"))}
    if not cands:  # a look-alike of exactly one code once diacritics are dropped ("ĐĐŨ" -> "ĐU")
        cands = set().union(*(_look_alikes(c) for c in edits if "-" not in c))
    return cands.pop() if len(cands) == 1 else part


def fix_symbols(line: str) -> str:
    """Document symbols with a misread code ("QĐĐ-BCA" -> "QĐ-BCA", "CT/IW" -> "CT/TW")."""
    if not any(c.isdigit() for c in line):
        return line
    return SYMBOL.sub(lambda m: regex.sub(SYMBOL_LETTER + "+", lambda p: _symbol_part(p.group()), m.group()), line)


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict, int, frozenset]:
    """({folded phrase: (phrase, where it is repaired)}, most words in a phrase, folded first
    words): names of doc_types.yaml where capitalised, heading words of sections.yaml in headings."""
    out = {}
    for words in load("sections")["kinds"].values():
        out.update({fold(w): (w, "heading") for w in words if " " in w})
    names = [t["name"] for t in load("doc_types")["types"]]
    out.update({fold(n): (n, "capital") for n in names if " " in n})
    return out, max(k.count(" ") for k in out) + 1, frozenset(k.split(" ")[0] for k in out)


HEADING_START = regex.compile(r"^\s*(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*)?$")


def _fits(line: str, start: int, text: str, where: str) -> bool:
    if where == "capital":
        return text[0].isupper()
    return text.isupper() or bool(HEADING_START.match(line[:start]))  # a heading


def _cased(phrase: str, text: str) -> str:
    if text.isupper():
        return phrase.upper()
    return phrase[0].upper() + phrase[1:] if text[0].isupper() else phrase


def fix_phrases(line: str) -> str:
    """Known phrases read with a wrong diacritic: a cited document's type ("Đê án" -> "Đề án")
    and the words that give a heading its kind ("MỤC TIỂU" -> "MỤC TIÊU", "KẾT QUÁ" -> "KẾT QUẢ"):
    the same letters without diacritics are all OCR reliably keeps."""
    table, longest, firsts = _phrases()
    words = list(WORD.finditer(line))
    folded = [fold(w.group()) for w in words]
    out, pos, i = [], 0, 0
    while i < len(words):
        if folded[i] not in firsts:
            i += 1
            continue
        for k in range(min(longest, len(words) - i), 1, -1):
            run = words[i:i + k]
            if any(line[x.end():y.start()] != " " for x, y in zip(run, run[1:])):
                continue
            start, text = run[0].start(), line[run[0].start():run[-1].end()]
            phrase, where = table.get(" ".join(folded[i:i + k]), (None, None))
            if phrase and text.casefold() != phrase.casefold() and _fits(line, start, text, where):
                out += [line[pos:start], _cased(phrase, text)]
                pos, i = run[-1].end(), i + k
                break
        else:
            i += 1
    return "".join(out) + line[pos:]


ROMAN_HEAD = regex.compile(r"^(?P<num>I{1,3})(?P<rest>\.\s+\p{Lu}{2})")


def fix_heading_sequence(pages: list[layout.Page]) -> None:
    """OCR drops strokes of bold "III." ("II."), so top-level headings seem to repeat or go
    back. A heading "II." at or after a "II."/"III." becomes the next number, at most III
    (beyond that the misread is not a dropped stroke). OCR pages only; "I." (a new part) stays."""
    last = 0
    for page in pages:
        ocr_page_ = page.reader.startswith("tesseract")
        for line in page.lines:
            m = ROMAN_HEAD.match(line.text)
            if not m:
                continue
            value = len(m.group("num"))
            if ocr_page_ and 2 <= value <= last:
                value = min(last + 1, 3)
                line.text = "I" * value + line.text[m.end("num"):]
            last = value
    _first_slash_heading(pages)


SLASH_HEAD = regex.compile(r"^(?P<num>[IVX]+|\d+)(?P<sep>/|\s?[-–])\s*\p{Lu}{2}")


def _first_slash_heading(pages: list[layout.Page]) -> None:
    """"I/ MỤC ĐÍCH" read "1/ MỤC ĐÍCH" (or "I- …" read "1- …"): a heading "1/" in capitals on an
    OCR page whose next heading of the kind is "II/" is "I/" (followed by "2/", it is an arabic 1
    and stays)."""
    heads = [(page, line, m.group("num"), m.group("sep")) for page in pages for line in page.lines
             if (m := SLASH_HEAD.match(line.text))]
    for (page, line, num, sep), (_, _, after, sep2) in zip(heads, heads[1:]):
        if num == "1" and after == "II" and sep == sep2 and page.reader.startswith("tesseract"):
            line.text = "I" + line.text[1:]


def prepare(img, dpi: int):
    """(image to hand to Tesseract, reader name): cleaned when cheap measurements say the page
    is degraded, decided before any read so a degraded page is read once."""
    if scanclean.degraded(img, dpi):
        return scanclean.clean(img, dpi), "tesseract+clean"
    return img, "tesseract"


def _poor(lines: list[layout.Line], img) -> bool:
    """A plain read that is mostly not Vietnamese, or nearly empty on an inked page."""
    q = score("\n".join(x.text for x in lines))
    return (q.words >= 8 and q.share < 0.8) or (q.letters < 50 and scanclean.ink(img) > 0.01)


LOW_CONF = 60  # a word with digits read with less confidence than this is in doubt
MAX_REREAD = 12  # spans in doubt re-read on one page at most (more: the page is just bad)


def _doubtful_spans(words: list[Word]) -> list[tuple[int, int]]:
    """(start, end) of runs of low-confidence words that hold a digit: "năm sU 2O:" -> "sU 2O:"."""
    low = [w.conf < LOW_CONF for w in words]
    out, i = [], 0
    while i < len(words):
        if not low[i]:
            i += 1
            continue
        j = i
        while j < len(words) and low[j]:
            j += 1
        if any(c.isdigit() for w in words[i:j] for c in w.text):
            out.append((i, j))
        i = j
    return out


def _span_box(words: list[Word], i: int, j: int, img) -> tuple[int, int, int, int]:
    """The crop of words[i:j]: up to halfway to the words beside, a quarter of a line above
    and below (not into the next line's accents)."""
    run = words[i:j]
    h = max(w.bottom - w.top for w in run)
    left = run[0].x0 - h / 2 if i == 0 else (words[i - 1].x1 + run[0].x0) / 2
    right = run[-1].x1 + h / 2 if j == len(words) else (run[-1].x1 + words[j].x0) / 2
    top, bottom = min(w.top for w in run) - h / 4, max(w.bottom for w in run) + h / 4
    return (max(0, int(left)), max(0, int(top)), min(img.width, int(right)), min(img.height, int(bottom)))


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _dropped_only(old: str, new: str) -> bool:
    """`new` is `old` with characters left out ("UBTVQH15" -> "UBTVQH5"; compared once
    repaired: a re-read "UBTVQHI5" loses its I as a stray stroke): a read that lost a
    character, not a better one."""
    it = iter(old)
    return len(new) < len(old) and all(c in it for c in new)


def reread_doubtful(img, lines: list[list[Word]], dpi: int) -> list[list[Word]]:
    """Numbers read with low confidence, read again out of the page. Tesseract misreads a
    number of a noisy page that it reads well on its own ("2025;" after "ngày 16 tháng 6 năm",
    read "sU 2O:" with confidence 0, and "2025;" with 96 from a crop of it): each run of
    low-confidence words holding a digit is cropped, as is and median-filtered, the crops
    stacked on one strip read by one more Tesseract process (~0.07 s, only on pages that have
    such runs), and a run's words replaced by the surest read when it is sure enough and reads
    other digits (where only letters differ, "3935/BGDĐT-GDTrH" at 54 against "GDTTH" at 71,
    the page's read stays: the re-read is for numbers)."""
    spans = [(k, i, j) for k, ws in enumerate(lines) for i, j in _doubtful_spans(ws)]
    if not spans or len(spans) > MAX_REREAD:
        return lines
    from PIL import Image

    rows, y, gap = [], 0, 0
    for k, i, j in spans:
        box = _span_box(lines[k], i, j, img)
        crop = img.crop(box)
        gap = max(gap, box[3] - box[1])
        for variant in (crop, scanclean.median3(crop)):
            rows.append(((k, i, j), box, variant, y + gap))
            y += gap + variant.height
    strip = Image.new("L", (max(r[2].width for r in rows) + 2 * gap, y + 2 * gap), 255)
    for _, _, variant, top in rows:
        strip.paste(variant, (gap, top))
    reads: dict[int, list[Word]] = {}
    for ws in tsv_words(tesseract_tsv(strip, dpi, psm=6)):
        for w in ws:
            mid = (w.top + w.bottom) / 2
            for r, (_, box, variant, top) in enumerate(rows):
                if top - gap / 2 <= mid < top + variant.height + gap / 2:
                    reads.setdefault(r, []).append(Word(w.x0 - gap + box[0], w.top - top + box[1],
                                                        w.x1 - gap + box[0], w.bottom - top + box[1], w.text, w.conf))
                    break
    best: dict[tuple, list[Word]] = {}
    for r, new in reads.items():
        key, sure = rows[r][0], statistics.fmean(w.conf for w in new)
        k, i, j = key
        old_text, new_text = repair(" ".join(w.text for w in lines[k][i:j])), repair(" ".join(w.text for w in new))
        if _digits(old_text) == _digits(new_text) or _dropped_only(old_text, new_text):
            continue  # the numbers were read alike (only letters differ) or lost a character
        if sure >= LOW_CONF and sure > statistics.fmean(w.conf for w in best.get(key, [Word(0, 0, 0, 0, "", -1)])):
            best[key] = new
    out = [list(ws) for ws in lines]
    for k, i, j in sorted(best, reverse=True):  # right to left: earlier spans keep their indices
        out[k][i:j] = sorted(best[(k, i, j)], key=lambda w: w.x0)
    return out


def read_lines(img, dpi: int) -> list[layout.Line]:
    """One Tesseract read of a page image -> repaired lines, doubtful numbers read again."""
    return parse_lines(reread_doubtful(img, tsv_words(tesseract_tsv(img, dpi)), dpi))


def ocr_page(img, dpi: int | None) -> tuple[layout.Page, str]:
    """One page: clean when degraded, read; a clean-looking page whose read is poor is cleaned
    and read again (a safety net for damage the measurements miss; no fixture needs it)."""
    dpi = dpi or scanclean.estimate_dpi(img)
    work, strategy = prepare(img, dpi)
    lines = read_lines(work, dpi)
    if strategy == "tesseract" and _poor(lines, img):
        cleaned = scanclean.clean(img, dpi)
        lines2 = read_lines(cleaned, dpi)
        valid = [score("\n".join(x.text for x in ls)).valid for ls in (lines, lines2)]
        if valid[1] > valid[0]:
            lines, work, strategy = lines2, cleaned, "tesseract+clean"
    return layout.Page(lines, float(work.width), float(work.height), strategy), strategy


class Pool:
    """Pages OCRed in parallel as they are submitted, so rendering the next page overlaps OCR."""

    def __init__(self):
        if not available():
            raise IngestError("ocr_unavailable", MISSING_MESSAGE)
        self.pool = ThreadPoolExecutor(max_workers=workers())
        self.futures: dict = {}

    def submit(self, index: int, img, dpi: int | None) -> None:
        self.futures[index] = self.pool.submit(ocr_page, img, dpi)

    def results(self) -> dict:
        """{index: (Page or None, IngestError or None)}; waits for every page."""
        out = {}
        for i, f in self.futures.items():
            try:
                out[i] = (f.result()[0], None)
            except IngestError as err:
                out[i] = (None, err)
            except subprocess.TimeoutExpired:
                out[i] = (None, IngestError("ocr_timeout", f"Tesseract chạy quá {TIMEOUT} giây cho một trang."))
        return out

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def ocr_images(images: dict) -> dict:
    """{index: (PIL image, dpi or None)} -> {index: Page}, pages in parallel; a page error fails."""
    pool = Pool()
    try:
        for i, (img, dpi) in images.items():
            pool.submit(i, img, dpi)
        out = {}
        for i, (page, err) in pool.results().items():
            if err is not None:
                raise err
            out[i] = page
        return out
    finally:
        pool.close()


def _frames(data: bytes):
    from PIL import Image, ImageSequence, UnidentifiedImageError

    pillow_limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # ours, per frame, below
    try:
        im = Image.open(io.BytesIO(data))  # reads the header only
        dpi = im.info.get("dpi")
        dpi = int(round(dpi[0])) if dpi and dpi[0] and dpi[0] > 50 else None
        frames = []
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            check_pages(i + 1)
            check_pixels(*frame.size)  # before decoding: decompression bombs
            frames.append((frame.convert("L"), dpi))
        return frames
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as err:
        why = "không nhận ra định dạng ảnh" if isinstance(err, UnidentifiedImageError) else "tệp ảnh bị hỏng hoặc thiếu"
        raise IngestError("bad_image", f"Không mở được tệp ảnh ({why}; {type(err).__name__}): "
                                       "hãy kiểm tra tệp hoặc quét lại.")
    finally:
        Image.MAX_IMAGE_PIXELS = pillow_limit


def read(data: bytes, name: str) -> RawDoc:
    """Images (.png .jpg .jpeg .tif .tiff, multi-page TIFF): every frame is a page."""
    if not data:
        raise IngestError("empty_file", "Tệp rỗng: không có nội dung để trích xuất; hãy kiểm tra lại tệp gốc.")
    frames = _frames(data)  # a broken or oversized image says so even where OCR is missing
    if not available():
        raise IngestError("ocr_unavailable", MISSING_MESSAGE)
    results = ocr_images(dict(enumerate(frames)))
    pages = [results[i] for i in range(len(frames))]
    fix_heading_sequence(pages)
    text, starts = layout.build(pages)
    if not text.strip():
        raise IngestError("no_text", "Không đọc được chữ nào trong ảnh: hãy quét lại rõ hơn (300 dpi).")
    fmt = PurePath(name).suffix.lower().lstrip(".").replace("jpeg", "jpg").replace("tiff", "tif")
    return RawDoc(text=text, format=fmt, pages=len(pages), ocr=True,
                  page_starts=[(s, p.reader) for s, p in zip(starts, pages)])
