"""Resource limits for one input: what a hostile or broken file may cost before it is refused.

Why: an archive may hold zip bombs, decompression-bomb images, million-page PDFs or a 12 MB
single line; each must fail fast with its own code instead of eating the batch's memory or
time. The limits are read from environment variables (KEHOACH_MAX_*), so the batch's worker
processes (which inherit the environment) apply the values given to `kehoach extract`;
`set_env` is how the command passes its options on. Defaults suit real plans with room to
spare (a 600-page plan, a 600 dpi A3 scan). Their failures have stage "limits", so a rerun
with a higher limit retries those files instead of skipping them as done.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

from .errors import IngestError

STAGE = "limits"


@dataclass(frozen=True)
class Limits:
    file_mb: float = 256            # bytes of one input file
    unzipped_mb: float = 50         # inflated size of one part of a .docx package
    unzipped_total_mb: float = 100  # inflated size of all parts read from one .docx
    megapixels: float = 100         # pixels of one image or rendered page (millions)
    pages: int = 1000               # pages of one PDF or frames of one TIFF
    text_chars: int = 2_000_000     # characters of text read from one input

    @property
    def pixels(self) -> float:
        return self.megapixels * 1_000_000


DEFAULTS = Limits()
ENV = {f.name: "KEHOACH_MAX_" + f.name.upper() for f in fields(Limits)}


def current() -> Limits:
    """The limits in force: KEHOACH_MAX_<NAME> where set (0 or less: no limit), else defaults."""
    values = {}
    for f in fields(Limits):
        raw = os.environ.get(ENV[f.name])
        if raw:
            try:
                value = float(raw)
            except ValueError:
                continue
            values[f.name] = (int(value) if f.type in (int, "int") else value) if value > 0 else float("inf")
    return Limits(**values)


def set_env(**values) -> None:
    """Put the given limits (None: leave as is) into this process's environment, for the workers."""
    for name, value in values.items():
        if value is not None:
            os.environ[ENV[name]] = str(value)


def _n(n: float) -> str:
    """12345678 -> "12.345.678" (Vietnamese thousands separator)."""
    return f"{n:,.0f}".replace(",", ".")


def _mb(n: float) -> str:
    return f"{_n(n / (1 << 20))} MB"


def check_file_size(size: int, limits: Limits | None = None) -> None:
    lim = limits or current()
    if size > lim.file_mb * (1 << 20):
        raise IngestError("file_too_large", f"Tệp quá lớn ({_mb(size)}, giới hạn {lim.file_mb:g} MB): "
                                            "hãy tách tệp, hoặc tăng giới hạn bằng --max-file-mb.", stage=STAGE)


def check_pixels(width: int, height: int, what: str = "Ảnh", limits: Limits | None = None) -> None:
    lim = limits or current()
    if width * height > lim.pixels:
        raise IngestError("image_too_large",
                          f"{what} quá lớn ({width}×{height} điểm ảnh, giới hạn {lim.megapixels:g} triệu): "
                          "có thể là tệp độc hại (bom giải nén); nếu đúng là ảnh lớn, hãy quét lại ở "
                          "300 dpi hoặc tăng giới hạn bằng --max-megapixels.", stage=STAGE)


def check_pages(count: int, limits: Limits | None = None) -> None:
    lim = limits or current()
    if count > lim.pages:
        raise IngestError("too_many_pages", f"Tệp có {count} trang, quá giới hạn {lim.pages} trang: "
                                            "hãy tách tệp, hoặc tăng giới hạn bằng --max-pages.", stage=STAGE)


def check_text(chars: int, limits: Limits | None = None) -> None:
    lim = limits or current()
    if chars > lim.text_chars:
        raise IngestError("text_too_long", f"Văn bản quá dài ({_n(chars)} ký tự, giới hạn {_n(lim.text_chars)}): "
                                           "hãy tách tệp, hoặc tăng giới hạn bằng --max-text-chars.", stage=STAGE)
