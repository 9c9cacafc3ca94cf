"""`kehoach export`: flat tables of the corpus results in CSV, JSON Lines and Parquet.

Checked on every format: one row per fact of the JSON, unique keys, foreign keys that resolve.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export import flat, tables, writers
from pipeline.models import DocumentResult

ROOT = Path(__file__).resolve().parent.parent
FACTS = ["sections", "targets", "dates", "legal_refs", "bodies", "assignments"]


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_parquet(path: Path) -> list[dict]:
    import pyarrow.parquet as pq
    return pq.read_table(path).to_pylist()


READERS = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}


@pytest.fixture(scope="module")
def results(corpus_outdir) -> list[DocumentResult]:
    return [DocumentResult.model_validate_json(p.read_bytes()) for p in sorted(corpus_outdir.glob("*.json"))]


@pytest.fixture(scope="module", params=["csv", "jsonl", "parquet"])
def exported(request, corpus_outdir, tmp_path_factory):
    if request.param == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path_factory.mktemp(f"tables_{request.param}")
    rep = flat.export([corpus_outdir], request.param, out)
    tabs = {t: READERS[request.param](out / f"{t}{writers.FORMATS[request.param]}")
            for t in ["plans", *FACTS]}
    return request.param, rep, tabs


def test_export_row_counts_equal_the_facts_in_the_json(exported, results):
    fmt, rep, tabs = exported
    assert rep.skipped == [] and len(tabs["plans"]) == len(results) == rep.plans
    for t in FACTS:
        assert len(tabs[t]) == sum(len(getattr(r, t)) for r in results) == rep.rows[t], (fmt, t)
        assert len(tabs[t]) > 0


def test_export_keys_are_unique_and_foreign_keys_resolve(exported):
    fmt, _, tabs = exported
    plan_keys = [r["plan_key"] for r in tabs["plans"]]
    assert len(set(plan_keys)) == len(plan_keys)
    keys = {}
    for t in FACTS:
        ks = [r["key"] for r in tabs[t]]
        assert len(set(ks)) == len(ks), (fmt, t)
        assert all(r["key"] == f"{r['plan_key']}:{r['id']}" for r in tabs[t])
        assert {r["plan_key"] for r in tabs[t]} <= set(plan_keys)
        keys[t] = set(ks)

    def refs(table, col):
        return [k for r in tabs[table] if r[col] for k in str(r[col]).split(";")]

    assert set(refs("sections", "parent_key")) <= keys["sections"]
    assert set(refs("targets", "section_key")) <= keys["sections"]
    assert set(refs("assignments", "section_key")) <= keys["sections"]
    assert set(refs("assignments", "body_key")) <= keys["bodies"]
    owners = refs("targets", "owner_keys")
    assert owners and set(owners) <= keys["bodies"]  # a target row carries its owners' body keys


def test_export_values_match_the_json(exported, results):
    fmt, _, tabs = exported
    res = next(r for r in results if r.targets and r.targets[0].owners)
    pk = tables.plan_key(res)
    t = res.targets[0]
    row = next(r for r in tabs["targets"] if r["key"] == f"{pk}:{t.id}")
    assert row["text"] == t.text == res.text[int(row["start"]):int(row["end"])]  # Vietnamese intact
    assert float(row["value"]) == t.value
    assert row["owner_keys"] == ";".join(f"{pk}:{b}" for b in t.owners)
    plan = next(r for r in tabs["plans"] if r["plan_key"] == pk)
    assert plan["title"] == res.document.title and plan["source_sha256"] == res.source.sha256


def test_export_csv_has_a_bom_and_a_header_row(corpus_outdir, tmp_path):
    flat.export([corpus_outdir], "csv", tmp_path)
    raw = (tmp_path / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfkey,plan_key,id,text,")
    header = next(csv.reader(open(tmp_path / "sections.csv", encoding="utf-8-sig", newline="")))
    assert header == [c.name for c in tables.table_columns()["sections"]]
    headings = {r["heading"] for r in read_csv(tmp_path / "sections.csv")}
    assert "TỔ CHỨC THỰC HIỆN" in {h.upper() for h in headings}
    assert not list(tmp_path.glob(".*.part"))  # temporaries renamed into place


def test_export_parquet_columns_are_typed(corpus_outdir, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    flat.export([corpus_outdir], "parquet", tmp_path)
    refs = pq.read_table(tmp_path / "legal_refs.parquet")
    assert refs.schema.field("issued_date").type == pa.date32()
    assert refs.schema.field("start").type == pa.int64()
    assert any(isinstance(d, dt.date) for d in refs.column("issued_date").to_pylist())
    targets = pq.read_table(tmp_path / "targets.parquet")
    assert targets.schema.field("value").type == pa.float64()
    assert targets.schema.field("percent").type == pa.bool_()


def test_export_parquet_without_pyarrow_says_what_to_install(corpus_outdir, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(writers.ExportError, match=r"pip install 'kehoach\[parquet\]'"):
        flat.export([corpus_outdir], "parquet", tmp_path / "t")
    r = CliRunner().invoke(app, ["export", str(corpus_outdir), "--format", "parquet", "-o", str(tmp_path / "t")])
    assert r.exit_code == 2 and "kehoach[parquet]" in r.output


def test_export_skips_non_results_and_duplicate_content(corpus_outdir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    first = sorted(corpus_outdir.glob("*.json"))[0]
    (src / "a.json").write_bytes(first.read_bytes())
    (src / "b.json").write_bytes(first.read_bytes())
    (src / "c.json").write_text('{"not": "a result"}', encoding="utf-8")
    rep = flat.export([src], "jsonl", tmp_path / "out")
    assert rep.plans == 1 and [why[:9] for _, why in rep.skipped] == ["same cont", "not a keh"]


def test_export_column_names_are_unique_per_table():
    for t, cols in tables.table_columns(with_text=True).items():
        names = [c.name for c in cols]
        assert len(names) == len(set(names)), t


def test_export_readme_documents_the_generated_columns():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert tables.markdown() in readme, "run: python -m pipeline.export.tables, paste into README"
