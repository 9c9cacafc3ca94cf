"""The owner audit on a small plan with one owned and one unowned target."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from pipeline.batch import dump
from pipeline.export.audit import audit, load_results, write_audit
from pipeline.models import Body, DocumentResult, Mention, Source, Target


def _plan() -> DocumentResult:
    text = "Hội Nông dân: 5.560 hộ; 100% xã có mô hình đến năm 2025."
    res = DocumentResult(source=Source(path="p.txt", sha256="x", format="txt"), text=text)
    res.bodies = [Body(id="b1", name="Hội Nông dân", mentions=[Mention(text="Hội Nông dân", span=(0, 12))])]
    res.targets = [
        Target(id="t1", text=text[:22], span=(0, 22), value=5560, unit="hộ", indicator="hộ",
               owners=["b1"], owner_source="explicit"),
        Target(id="t2", text=text[24:], span=(24, len(text)), value=100, percent=True, unit="%",
               indicator="xã có mô hình", deadline="2025", owner_source=None),
    ]
    return res


def test_audit_counts_owned_and_unowned_targets(tmp_path):
    (tmp_path / "p.json").write_text(dump(_plan()), encoding="utf-8")
    tables, plans = audit(load_results([tmp_path]))
    assert [r["target_id"] for r in tables["unowned"]] == ["t2"]
    assert [r["target_id"] for r in tables["no_deadline"]] == ["t1"]
    assert plans[0].targets == 2 and plans[0].owned == 1


def test_audit_writes_csv_with_bom_and_html(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    plan = _plan()
    plan.document.title = "<script>alert(1)</script>"
    (src / "p.json").write_text(dump(plan), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([str(Path(sys.executable).parent / "kehoach"), "audit", str(src), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    raw = (out / "audit_unowned.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["indicator"] == "xã có mô hình"
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert "<svg" in page and "<script>alert" not in page and "&lt;script&gt;" in page
