"""Plain-text reader (.txt, .md): detect the encoding from the bytes, never from the name.

Order: byte-order marks, then strict UTF-8, then UTF-16 without BOM (NUL-byte pattern), then
legacy font bytes (TCVN3/VNI, see legacy.py), then the single-byte Vietnamese code page
Windows-1258, chosen only when its decoding reads as Vietnamese. Legacy font text inside
UTF-8 is converted too. Bytes that are none of these are refused rather than guessed.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import IngestError
from . import RawDoc, gridtables, legacy

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Letters that only Vietnamese text has; a share of them tells a good decoding from a bad one.
VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ") | {
    c for c in map(chr, range(0x1EA0, 0x1EFA))
}


def vietnamese_share(text: str) -> float:
    """Share of alphabetic characters that are Vietnamese-only letters (NFC)."""
    text = unicodedata.normalize("NFC", text)
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c in VI_LETTERS for c in letters) / len(letters)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def looks_binary(text: str) -> bool:
    """Control characters other than whitespace mean the bytes are not text."""
    return len(_CONTROL.findall(text)) > max(3, len(text) // 1000)


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise IngestError."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as err:
                raise IngestError("bad_encoding", f"Tệp có dấu {name} nhưng nội dung hỏng ({err.reason}): "
                                                "hãy lưu lại tệp dưới dạng UTF-8 rồi chạy lại.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if looks_binary(text):
            raise IngestError("not_text", "Tệp không phải văn bản (chứa ký tự nhị phân): hãy kiểm tra lại định dạng tệp.")
        return text, "utf-8"
    if len(data) >= 4:
        even_nuls = data[0::2].count(0)
        odd_nuls = data[1::2].count(0)
        half = len(data) // 2
        for nuls, name in ((odd_nuls, "utf-16-le"), (even_nuls, "utf-16-be")):
            if nuls > half * 0.3:
                try:
                    return data.decode(name), name
                except UnicodeDecodeError:
                    pass
    latin = data.decode("latin-1")
    if not looks_binary(latin) and legacy.detect(latin):
        return latin, "latin-1"  # legacy font bytes; read() converts them
    legacy_text = data.decode("cp1258", errors="replace")
    if looks_binary(legacy_text):
        raise IngestError("not_text", "Tệp không phải văn bản (chứa ký tự nhị phân): hãy kiểm tra lại định dạng tệp.")
    if "\ufffd" not in legacy_text and vietnamese_share(legacy_text) > 0.05:
        return legacy_text, "windows-1258"
    raise IngestError(
        "unknown_encoding",
        "Không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258): "
        "hãy lưu lại tệp dưới dạng UTF-8 rồi chạy lại.",
    )


def read(data: bytes, name: str) -> RawDoc:
    if not data.strip():
        raise IngestError("empty_file", "Tệp rỗng: không có nội dung để trích xuất; hãy kiểm tra lại tệp gốc.")
    text, encoding = decode(data)
    text, legacy_name = legacy.fix(text)
    warnings = []
    if legacy_name:
        encoding = f"{encoding}+{legacy_name}" if encoding != "latin-1" else legacy_name
        warnings.append(legacy.warning(legacy_name))
    text = gridtables.to_pipes(text)  # pandoc's grid tables: one row a line, as pipe tables are
    return RawDoc(text=text, format="md" if name.lower().endswith(".md") else "txt",
                  encoding=encoding, warnings=warnings)
