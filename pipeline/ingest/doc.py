"""Old Word .doc reader: through a converter when one is installed, else a clear failure.

The binary .doc format is not worth parsing ourselves: `antiword` (small) or LibreOffice
(`soffice --convert-to docx`, better tables and numbering) do it. Which one was used is
recorded in the encoding field.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import IngestError
from . import RawDoc, docx

MISSING = ("Tệp Word cũ (.doc) cần công cụ chuyển đổi: hãy cài `apt-get install antiword` "
           "(hoặc LibreOffice), hoặc mở bằng Word và lưu lại dưới dạng .docx rồi chạy lại.")


def read(data: bytes, name: str) -> RawDoc:
    if not data:
        raise IngestError("empty_file", "Tệp rỗng: không có nội dung để trích xuất; hãy kiểm tra lại tệp gốc.")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        if office:
            subprocess.run([office, "--headless", "--convert-to", "docx", "--outdir", tmp, str(src)],
                           capture_output=True, timeout=300)
            out = Path(tmp) / "in.docx"
            if out.exists():
                raw = docx.read(out.read_bytes(), "in.docx")
                raw.format, raw.encoding = "doc", raw.encoding or "libreoffice"
                return raw
        if shutil.which("antiword"):
            proc = subprocess.run(["antiword", "-w", "0", "-m", "UTF-8.txt", str(src)],
                                  capture_output=True, timeout=120)
            if proc.returncode == 0 and proc.stdout.strip():
                text = proc.stdout.decode("utf-8", "replace")
                paras = [" ".join(p.split()) for p in text.split("\n\n")]
                return RawDoc(text="\n\n".join(p for p in paras if p) + "\n", format="doc", encoding="antiword")
            raise IngestError("bad_doc", "Không đọc được tệp .doc (antiword báo lỗi): "
                                         "hãy mở bằng Word và lưu lại dưới dạng .docx.")
    raise IngestError("converter_missing", MISSING)
