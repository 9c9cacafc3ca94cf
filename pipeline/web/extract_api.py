"""`POST /api/extract` (only with `kehoach serve --allow-extract`) and `/api/openapi.json`.

Why through the batch's worker processes (pipeline.executors.Slot): an uploaded file is as
untrusted as any file of an archive, so it gets the batch's limits: a time limit past which
its process is killed, a memory limit, and a crash that costs only that upload. Idle workers
are kept for the next request (starting one costs about a second; reusing it, nothing).
The upload itself is limited in size before it is read: over the limit, HTTP 413.

Answer: the result JSON of CONTRACT.md, HTTP 200 when its status is ok or partial, HTTP 422
when it is failed (not a plan we can read: the `errors` say why); `source.path` is the
uploaded file's name. Errors of the request itself are `{"error": message}` (400, 411, 413).
"""
from __future__ import annotations

import json
import queue
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import parse_qs, unquote, urlsplit

from ..executors import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Slot, default_jobs
from ..ingest import sniff
from ..models import SCHEMA_VERSION, DocumentResult

DEFAULT_MAX_UPLOAD_MB = 50.0
DRAIN_LIMIT = 16 << 20  # an oversized body up to this much past the limit is read and dropped,
                        # so the client can read the 413; larger ones get the connection closed


class UploadError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Extractor:
    """The endpoint's limits and its pool of idle worker processes."""
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    jobs: int = field(default_factory=default_jobs)

    def __post_init__(self):
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._busy = threading.BoundedSemaphore(self.jobs)  # at most `jobs` files at once

    @property
    def max_bytes(self) -> int:
        return int(self.max_upload_mb * (1 << 20))

    def run(self, name: str | None, data: bytes) -> DocumentResult:
        """Extract one upload in a worker process, under the batch's time and memory limits."""
        with self._busy, tempfile.TemporaryDirectory(prefix="kehoach-upload-") as tmp:
            # the name's suffix picks the reader (an unsupported one is kept: the reader says so);
            # without a suffix the format is sniffed from the bytes
            suffix = PurePath(name or "").suffix.lower() or sniff(data)
            stem = re.sub(r"[^\w.-]+", "_", PurePath(name or "upload").stem)[:80] or "upload"
            path = Path(tmp) / f"{stem}{suffix}"
            path.write_bytes(data)
            out = Path(tmp) / "result.json"
            try:
                slot = self._idle.get_nowait()
            except queue.Empty:
                slot = Slot(self.timeout, self.max_memory_mb)
            try:
                slot.run_one({"path": str(path), "out": str(out), "force": True})
            except BaseException:
                slot.close(kill=True)
                raise
            self._idle.put(slot)
            res = DocumentResult.model_validate_json(out.read_bytes())
            res.source.path = name or "<upload>"
            return res

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


def _filename(disposition: str) -> str | None:
    m = re.search(r"filename\*\s*=\s*UTF-8''([^;\s]+)", disposition, re.I)
    if m:
        return unquote(m.group(1))
    m = re.search(r'filename\s*=\s*"([^"]*)"', disposition) or re.search(r"filename\s*=\s*([^;\s]+)", disposition)
    return m.group(1) if m else None


def parse_multipart(ctype: str, body: bytes) -> tuple[str | None, bytes]:
    """The first file of a multipart/form-data body: (its file name, its bytes)."""
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    if not m:
        raise UploadError(400, "multipart/form-data without a boundary.")
    delimiter = b"--" + m.group(1).encode("latin-1")
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        headers = head.decode("utf-8", "replace")
        disposition = next((h.split(":", 1)[1] for h in headers.split("\r\n")
                            if h.lower().startswith("content-disposition:")), "")
        name = _filename(disposition)
        if name is not None:
            return PurePath(name.replace("\\", "/")).name or None, content.removesuffix(b"\r\n")
    raise UploadError(400, "No file in the upload: send one file in the form field `file`.")


def read_upload(handler, ext: Extractor) -> tuple[str | None, bytes]:
    """(file name, bytes) of the request's one file; raises UploadError (413 before reading)."""
    length = handler.headers.get("Content-Length")
    if length is None or not length.isdigit():
        raise UploadError(411, "Send the file with a Content-Length (no chunked uploads).")
    length = int(length)
    if length > ext.max_bytes:
        if length <= ext.max_bytes + DRAIN_LIMIT:
            left = length
            while left > 0 and (chunk := handler.rfile.read(min(left, 1 << 20))):
                left -= len(chunk)
        else:
            handler.close_connection = True
        raise UploadError(413, f"Tệp tải lên quá lớn: {length / (1 << 20):.1f} MB, giới hạn "
                               f"{ext.max_upload_mb:g} MB (kehoach serve --max-upload-mb).")
    body = handler.rfile.read(length)
    ctype = handler.headers.get("Content-Type", "")
    if ctype.lower().startswith("multipart/form-data"):
        name, data = parse_multipart(ctype, body)
    else:  # the raw bytes; the name from ?filename=, else the format is sniffed
        name = parse_qs(urlsplit(handler.path).query).get("filename", [None])[0]
        data = body
    if not data:
        raise UploadError(400, "The uploaded file is empty.")
    return name, data


def handle(handler, ext: Extractor) -> tuple[int, str, bytes]:
    """The endpoint: (HTTP status, content type, body) for one POST /api/extract."""
    ctype = "application/json; charset=utf-8"
    try:
        name, data = read_upload(handler, ext)
    except UploadError as e:
        return e.status, ctype, _json({"error": e.message})
    res = ext.run(name, data)
    return (422 if res.status == "failed" else 200), ctype, res.model_dump_json(indent=1).encode("utf-8")


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def openapi(ext: Extractor | None) -> dict:
    """The OpenAPI 3.1 description of /api/; the result schema is generated from the models."""
    from ..run import PIPELINE_VERSION

    schema = DocumentResult.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = schema.pop("$defs", {})
    schemas["DocumentResult"] = schema
    schemas["Error"] = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
    err = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    get = lambda summary, params=(): {"get": {"summary": summary, "parameters": [
        {"name": p, "in": "query", "required": False, "schema": {"type": "string"}} for p in params],
        "responses": {"200": {"description": "JSON"}, "400": {**err, "description": "bad request"}}}}
    paths = {
        "/api/search": get("Search the catalogue", ["q", "issuer", "year", "doc_type", "section", "cites", "page"]),
        "/api/facets": get("Facet counts for a query", ["q", "issuer", "year", "doc_type", "section", "cites"]),
        "/api/plans/{id}": {"get": {"summary": "One plan of the catalogue", "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "the plan"}, "404": {**err, "description": "no such plan"}}}},
        "/api/audit": get("Targets without owner or deadline"),
    }
    if ext is not None:
        result = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocumentResult"}}}}
        paths["/api/extract"] = {"post": {
            "summary": "Extract one uploaded plan",
            "description": (f"One file, at most {ext.max_upload_mb:g} MB, processed in a worker process "
                            f"stopped after {ext.timeout:g} s or {ext.max_memory_mb} MB (as in a batch). "
                            "`source.path` is the uploaded file's name. Only with `kehoach serve --allow-extract`."),
            "parameters": [{"name": "filename", "in": "query", "required": False, "schema": {"type": "string"},
                            "description": "The file name, for a raw (non-multipart) body; without it the "
                                           "format is sniffed from the bytes."}],
            "requestBody": {"required": True, "content": {
                "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "contentMediaType": "application/octet-stream"}}}},
                "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}},
            "responses": {
                "200": {**result, "description": "the result, status ok or partial"},
                "422": {**result, "description": "the result, status failed: `errors` says why "
                                                 "(not a readable plan, time or memory limit)"},
                "400": {**err, "description": "no file, or an empty one"},
                "411": {**err, "description": "no Content-Length"},
                "413": {**err, "description": "the upload is over the size limit"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "kehoach", "version": PIPELINE_VERSION,
                     "description": f"Vietnamese administrative plans -> structured JSON (schema_version {SCHEMA_VERSION})."},
            "paths": paths, "components": {"schemas": schemas}}
