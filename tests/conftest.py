"""Shared fixtures: the corpus processed once per test session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.batch import dump, output_names, walk
from pipeline.run import process_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def corpus_results():
    """{file name: DocumentResult} for every corpus document."""
    return {p.name: process_path(p) for p in walk([CORPUS])}


@pytest.fixture(scope="session")
def corpus_outdir(tmp_path_factory, corpus_results):
    """The corpus results written as JSON files, as `kehoach extract corpus -o DIR` would."""
    out = tmp_path_factory.mktemp("outputs")
    paths = [CORPUS / n for n in corpus_results]
    for p, name in zip(paths, output_names(paths)):
        (out / name).write_text(dump(corpus_results[p.name]), encoding="utf-8")
    return out
