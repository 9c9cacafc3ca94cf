"""The contract does not move: result files of today's schema_version still load with the models.

tests/contract/v<N>/ keeps a few results (two corpus plans and a failed input) written by
schema_version N. If a change to pipeline/models.py makes them fail to load, or drops a field
they carry, it is a breaking change: bump SCHEMA_VERSION, add a CHANGELOG entry and a new
v<N+1>/ folder; never edit these files to make the test pass.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipeline
from pipeline.models import SCHEMA_ID
from pipeline.schema import schema_json

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KEPT = sorted(HERE.glob("v*/*.json"))


def _contained(old, new, where="$"):
    """Every key and value of `old` is still in `new` (new fields may be added)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for k, v in old.items():
            assert k in new, f"{where}.{k} disappeared"
            _contained(v, new[k], f"{where}.{k}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        for i, (a, b) in enumerate(zip(old, new)):
            _contained(a, b, f"{where}[{i}]")
    else:
        assert old == new, f"{where}: {old!r} became {new!r}"


def test_contract_keeps_files_of_each_version():
    assert len(KEPT) >= 3
    assert (HERE / f"v{pipeline.SCHEMA_VERSION}").is_dir()


@pytest.mark.parametrize("path", KEPT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_contract_old_result_files_still_load(path):
    res = pipeline.load_result(path)
    assert res.schema_version == path.parent.name.removeprefix("v")
    _contained(json.loads(path.read_text(encoding="utf-8")), json.loads(res.model_dump_json()))


def test_contract_version_is_in_the_schema_id_and_the_changelog():
    assert SCHEMA_ID.endswith(f".v{pipeline.SCHEMA_VERSION}.json")
    assert json.loads(schema_json())["$id"] == SCHEMA_ID
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"### schema_version {pipeline.SCHEMA_VERSION}" in changelog
