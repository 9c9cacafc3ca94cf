"""Ingest: bytes of one file -> RawDoc (its text as read, and how it was read).

One reader per format, chosen from `_readers()` by extension (text.py, docx.py, doc.py, pdf.py,
ocr.py for images; legacy.py converts TCVN3/VNI font text wherever it appears). Formats not supported yet get a
clear `unsupported_format` failure rather than a guess.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable

from ..errors import IngestError


@dataclass
class RawDoc:
    """Text as the reader produced it, before normalisation."""
    text: str
    format: str
    encoding: str | None = None
    pages: int | None = None
    ocr: bool = False
    page_starts: list[tuple[int, str]] = field(default_factory=list)  # (raw offset, reader) per page
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


INPUT_SUFFIXES = (".txt", ".md", ".docx", ".doc", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def _readers() -> dict[str, Callable[[bytes, str], RawDoc]]:
    from . import doc, docx, ocr, pdf, text

    images = {s: ocr.read for s in (".png", ".jpg", ".jpeg", ".tif", ".tiff")}
    return {".txt": text.read, ".md": text.read, ".docx": docx.read, ".doc": doc.read,
            ".pdf": pdf.read, **images}


def read_bytes(data: bytes, name: str) -> RawDoc:
    """Read one document given its bytes and file name (the name only picks the reader)."""
    suffix = PurePath(name).suffix.lower()
    reader = _readers().get(suffix)
    if reader is None:
        if suffix in INPUT_SUFFIXES:
            raise IngestError("unsupported_format",
                              f"Định dạng {suffix} chưa được hỗ trợ trong phiên bản này.")
        raise IngestError("unsupported_format",
                          f"Không đọc được tệp có đuôi {suffix or '(không có đuôi)'}: "
                          f"chỉ nhận {', '.join(INPUT_SUFFIXES)}.")
    return reader(data, name)


_MAGIC = ((b"%PDF-", ".pdf"), (b"PK\x03\x04", ".docx"), (b"\xd0\xcf\x11\xe0", ".doc"),
          (b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"II*\x00", ".tif"),
          (b"MM\x00*", ".tif"))


def sniff(data: bytes) -> str:
    """The suffix of the format `data` is in, from its first bytes ('.txt' when nothing matches).

    For inputs that come without a file name (standard input, an upload without one), so the
    reader can still be chosen from the table above.
    """
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    if b"%PDF-" in data[:1024]:  # PDF readers accept junk before the header
        return ".pdf"
    return ".txt"
