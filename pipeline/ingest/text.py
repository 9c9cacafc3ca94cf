"""Plain-text reader (.txt, .md): detect the encoding from the bytes, never from the name.

Order: byte-order marks, then strict UTF-8, then UTF-16 without BOM (NUL-byte pattern), then
the legacy single-byte Vietnamese code page Windows-1258, chosen only when its decoding reads
as Vietnamese. Bytes that are none of these are refused rather than guessed.
"""
from __future__ import annotations

import codecs
import unicodedata

from ..errors import IngestError
from . import RawDoc

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


def looks_binary(text: str) -> bool:
    """Control characters other than whitespace mean the bytes are not text."""
    bad = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return bad > max(3, len(text) // 1000)


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise IngestError."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as err:
                raise IngestError("bad_encoding", f"Tệp có dấu {name} nhưng nội dung hỏng ({err.reason}).")
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
    legacy = data.decode("cp1258", errors="replace")
    if looks_binary(legacy):
        raise IngestError("not_text", "Tệp không phải văn bản (chứa ký tự nhị phân): hãy kiểm tra lại định dạng tệp.")
    if not looks_binary(legacy) and "\ufffd" not in legacy and vietnamese_share(legacy) > 0.05:
        return legacy, "windows-1258"
    raise IngestError(
        "unknown_encoding",
        "Không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258): "
        "hãy lưu lại tệp dưới dạng UTF-8 rồi chạy lại.",
    )


def read(data: bytes, name: str) -> RawDoc:
    if not data.strip():
        raise IngestError("empty_file", "Tệp rỗng: không có nội dung để trích xuất.")
    text, encoding = decode(data)
    return RawDoc(text=text, format="md" if name.lower().endswith(".md") else "txt", encoding=encoding)
