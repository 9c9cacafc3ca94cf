"""The pipeline: one input's bytes -> DocumentResult. The stage order lives here, in one list.

ingest -> normalise -> segment -> header, sections -> legal refs, dates -> bodies, targets,
assignments -> link. An expected failure (KehoachError) makes the result `failed` with the
error's code; an unexpected exception inside one extractor makes it `partial` and is logged
with its traceback, the other extractors still run.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import traceback
from pathlib import Path
from typing import Callable

from . import ingest
from .errors import IngestError, KehoachError
from .limits import check_file_size, check_text
from .extract import assignments, bodies, dates, header, legal_refs, sections, targets
from .link import link
from .models import DocumentResult, Error, PageInfo, Source
from .normalize import normalize
from .segment import Layout, segment

log = logging.getLogger("kehoach")
RELEASE = "0.1.0"


def _code_fingerprint() -> str:
    """A short hash of the package's code and language data: a resumed batch must redo a file
    whenever the rules that produced its result have changed, bumped release or not."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".yaml") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:10]


PIPELINE_VERSION = f"{RELEASE}+{_code_fingerprint()}"


class Context:
    """What the extractors share: the text, its layout and the facts found so far."""

    def __init__(self, result: DocumentResult, layout: Layout):
        self.result = result
        self.layout = layout
        self.text = layout.text
        self.view = layout.view

    def warn(self, stage: str, code: str, message: str) -> None:
        self.result.errors.append(Error(stage=stage, code=code, message=message))


def _header(ctx: Context) -> None:
    ctx.result.document = header.extract(ctx.layout)


def _sections(ctx: Context) -> None:
    ctx.result.sections = sections.build(ctx.layout)


def _legal_refs(ctx: Context) -> None:
    ctx.result.legal_refs = legal_refs.extract(ctx)


def _dates(ctx: Context) -> None:
    ctx.result.dates = dates.extract(ctx)


def _bodies(ctx: Context) -> None:
    ctx.result.bodies = bodies.extract(ctx)


def _targets(ctx: Context) -> None:
    ctx.result.targets = targets.extract(ctx)


def _assignments(ctx: Context) -> None:
    ctx.result.assignments = assignments.extract(ctx)


def _link(ctx: Context) -> None:
    link(ctx)


STAGES: list[tuple[str, Callable[[Context], None]]] = [
    ("header", _header),
    ("sections", _sections),
    ("legal_refs", _legal_refs),
    ("dates", _dates),
    ("bodies", _bodies),
    ("targets", _targets),
    ("assignments", _assignments),
    ("link", _link),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_bytes(data: bytes, name: str, path: str | None = None) -> DocumentResult:
    """Run every stage on one document given as bytes; never raises for a bad input."""
    suffix = Path(name).suffix.lower().lstrip(".")
    source = Source(path=path or name, sha256=sha256(data), format=suffix or "unknown")
    result = DocumentResult(source=source, pipeline_version=PIPELINE_VERSION)
    try:
        check_file_size(len(data))
        raw = ingest.read_bytes(data, name)
        check_text(len(raw.text))  # the extractors' time grows faster than the text
    except KehoachError as err:
        result.status = "failed"
        result.errors.append(Error(stage=err.stage, code=err.code, message=err.message))
        return result
    except Exception as err:  # a reader bug must not take the batch down
        log.error("internal error reading %s\n%s", path or name, traceback.format_exc())
        result.status = "failed"
        result.errors.append(Error(stage="ingest", code="internal_error",
                                   message=f"Lỗi nội bộ khi đọc tệp ({type(err).__name__}); "
                                           "chi tiết trong tệp nhật ký."))
        return result
    return process_raw(raw, result)


def process_raw(raw: ingest.RawDoc, result: DocumentResult) -> DocumentResult:
    norm = normalize(raw.text)
    src = result.source
    src.format, src.encoding, src.pages, src.ocr = raw.format, raw.encoding, raw.pages, raw.ocr
    if raw.page_starts:
        inverse = _raw_to_norm(norm.offsets)
        bounds = [inverse(r) for r, _ in raw.page_starts] + [len(norm.text)]
        src.page_info = [PageInfo(number=i + 1, start=bounds[i], end=bounds[i + 1], reader=rd)
                         for i, (_, rd) in enumerate(raw.page_starts)]
    for code, message in raw.warnings:
        result.errors.append(Error(stage="ingest", code=code, message=message))
    result.text = norm.text
    ctx = Context(result, segment(norm.text))
    for name, stage in STAGES:
        try:
            stage(ctx)
        except Exception as err:
            log.error("internal error in stage %s of %s\n%s", name, result.source.path,
                      traceback.format_exc())
            result.status = "partial"
            result.errors.append(Error(stage=name, code="internal_error",
                                       message=f"Lỗi nội bộ ở bước {name} ({type(err).__name__}); "
                                               "các bước khác vẫn chạy."))
    if not ctx.layout.doc_type and not result.sections:
        result.errors.append(Error(stage="segment", code="warn_no_plan_structure",
                                   message="Không tìm thấy tiêu đề văn bản hay mục đánh số: "
                                           "tệp có thể không phải là một kế hoạch."))
    return result


def _raw_to_norm(offsets: list[int]):
    import bisect

    def inverse(raw_pos: int) -> int:
        return bisect.bisect_left(offsets, raw_pos, 0, len(offsets) - 1)

    return inverse


def process_path(path: str | Path) -> DocumentResult:
    p = Path(path)
    try:
        st = p.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block the worker until its time limit
            raise IngestError("unreadable", "Không mở được tệp: đây không phải tệp thông thường (ống FIFO, "
                                            "socket hay thiết bị): hãy bỏ nó khỏi thư mục đầu vào.")
        check_file_size(st.st_size)  # before reading it all into memory
        data = p.read_bytes()
    except (OSError, KehoachError) as err:
        source = Source(path=display_path(path), sha256="", format=p.suffix.lower().lstrip(".") or "unknown")
        error = (Error(stage=err.stage, code=err.code, message=err.message) if isinstance(err, KehoachError)
                 else Error(stage="ingest", code="unreadable", message=_os_message(err)))
        return DocumentResult(source=source, status="failed", pipeline_version=PIPELINE_VERSION, errors=[error])
    return process_bytes(data, display_path(p.name), display_path(path))


def display_path(path: str | Path) -> str:
    """The path as text for results, the index and messages. A name whose bytes are not UTF-8
    (old archives, Windows-1258 or TCVN3 names) shows them as U+FFFD instead of failing to encode;
    the file itself is still opened by its real name."""
    return os.fsencode(path).decode("utf-8", "replace")


_OS_REASONS = {
    errno.ELOOP: "đường dẫn là một vòng liên kết tượng trưng (symlink trỏ về chính nó): hãy sửa hoặc xóa liên kết",
    errno.ENOENT: "tệp không tồn tại (có thể là liên kết tượng trưng hỏng): hãy kiểm tra đường dẫn",
    errno.EACCES: "không có quyền đọc tệp: hãy cấp quyền đọc rồi chạy lại",
    errno.EPERM: "không có quyền đọc tệp: hãy cấp quyền đọc rồi chạy lại",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
}


def _os_message(err: OSError) -> str:
    why = _OS_REASONS.get(err.errno or 0) or f"lỗi hệ thống ({err.strerror or type(err).__name__})"
    return f"Không mở được tệp: {why}."


def process_text(text: str, name: str = "<text>.txt") -> DocumentResult:
    return process_bytes(text.encode("utf-8"), name, name)
