"""Ingest: bytes of one file -> RawDoc (its text as read, and how it was read).

One reader per format, chosen from READERS by extension. Formats not supported yet get a
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


INPUT_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def _readers() -> dict[str, Callable[[bytes, str], RawDoc]]:
    from . import text

    return {".txt": text.read, ".md": text.read}


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
