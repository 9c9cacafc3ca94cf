"""kehoach as a library: Vietnamese administrative plans -> `DocumentResult` (CONTRACT.md).

    import pipeline

    res = pipeline.extract_path("corpus/000_97020d20aea53fc8.txt")
    res.document.title, [t.value for t in res.targets]
    res = pipeline.extract_bytes(upload_bytes, "ke-hoach.pdf")   # the name picks the reader
    res = pipeline.extract_text("ỦY BAN NHÂN DÂN ...\\nKẾ HOẠCH ...")
    same = pipeline.load_result("outputs/000_97020d20aea53fc8.json")

Every function returns a result and never raises for a bad document: a file that cannot be
read gives `status == "failed"` with an `errors` entry. This is the code path `kehoach extract`
runs for each file. Only the names in `__all__` are public; the modules under `pipeline.` may
change. The heavy stages are imported on first use, so `import pipeline` stays cheap.
"""
from __future__ import annotations

from pathlib import Path

from .models import SCHEMA_VERSION, DocumentResult

__all__ = ["extract_path", "extract_bytes", "extract_text", "load_result", "SCHEMA_VERSION",
           "DocumentResult"]


def extract_path(path: str | Path) -> DocumentResult:
    """Extract one file (.txt .md .docx .doc .pdf .png .jpg .jpeg .tif .tiff, chosen by extension).

    `source.path` is the path as given (`kehoach extract` records it the same way).
    """
    from .run import process_path

    return process_path(path)


def extract_bytes(data: bytes, name: str | None = None) -> DocumentResult:
    """Extract one document given as bytes; `name` is its file name ("ke-hoach.docx").

    The name's extension picks the reader; without a name, or with one that has no extension
    ("-" for standard input), the format is sniffed from the bytes (%PDF, a zip = .docx,
    PNG/JPEG/TIFF, else text). `source.path` is `name` (or "<bytes>").
    """
    from .ingest import sniff
    from .run import process_bytes

    label = name or "<bytes>"
    reader_name = label if Path(label).suffix else f"input{sniff(data)}"
    return process_bytes(data, reader_name, label)


def extract_text(text: str, name: str = "<text>.txt") -> DocumentResult:
    """Extract a document already held as a string (read as text); `source.path` is `name`."""
    from .run import process_bytes

    reader_name = name if Path(name).suffix in (".txt", ".md") else "input.txt"
    return process_bytes(text.encode("utf-8"), reader_name, name)


def load_result(source: str | Path | bytes) -> DocumentResult:
    """Load a result JSON back into the model, validating it against the contract.

    `source` is a path to a result file, or the JSON itself (str or bytes, e.g. one line of
    `kehoach extract --stdout`). Raises pydantic.ValidationError when it is not a valid result.
    """
    if isinstance(source, bytes):
        return DocumentResult.model_validate_json(source)
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return DocumentResult.model_validate_json(source)
    return DocumentResult.model_validate_json(Path(source).read_bytes())
