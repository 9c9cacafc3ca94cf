"""The public API (`import pipeline`) and the pipes of `kehoach extract`: one code path.

`source.path` is the one field allowed to differ: the path as given for a file, "-" for
standard input, the name given for bytes or a string. Results made in another process are
compared without `pipeline_version` too: it hashes the code, which may be edited mid-run.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline.ingest import sniff

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "corpus" / "000_97020d20aea53fc8.txt"
DOCX = ROOT / "tests" / "fixtures" / "docx" / "001_d0a4f595c9595de4.docx"
KEHOACH = [sys.executable, "-m", "pipeline.cli"]


def without_path(res: pipeline.DocumentResult) -> dict:
    return res.model_dump(exclude={"source": {"path"}, "pipeline_version": True})


def run_cli(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KEHOACH, *args], input=stdin, capture_output=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def cli_result(tmp_path_factory) -> pipeline.DocumentResult:
    out = tmp_path_factory.mktemp("cli")
    proc = run_cli("extract", str(PLAN), "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    return pipeline.load_result(out / f"{PLAN.stem}.json")


def test_api_public_names_are_documented():
    assert set(pipeline.__all__) == {"extract_path", "extract_bytes", "extract_text", "load_result",
                                     "SCHEMA_VERSION", "DocumentResult"}
    for name in pipeline.__all__:
        assert getattr(pipeline, name).__doc__, name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "import pipeline" in readme and "pipeline.extract_path(" in readme


def test_api_path_gives_the_cli_result(cli_result):
    res = pipeline.extract_path(str(PLAN))
    assert without_path(res) == without_path(cli_result)
    assert res.source.path == cli_result.source.path == str(PLAN)  # the path as given
    assert res.schema_version == pipeline.SCHEMA_VERSION


def test_api_bytes_and_string_give_the_cli_result(cli_result):
    data = PLAN.read_bytes()
    by_name = pipeline.extract_bytes(data, PLAN.name)
    sniffed = pipeline.extract_bytes(data)
    text = pipeline.extract_text(data.decode("utf-8"), name="plan.txt")
    for res in (by_name, sniffed, text):
        assert without_path(res) == without_path(cli_result)
    assert (by_name.source.path, sniffed.source.path, text.source.path) == (PLAN.name, "<bytes>", "plan.txt")


def test_api_load_result_reads_a_file_a_string_and_bytes(cli_result, tmp_path):
    line = cli_result.model_dump_json()
    (tmp_path / "r.json").write_text(line, encoding="utf-8")
    for source in (tmp_path / "r.json", str(tmp_path / "r.json"), line, line.encode("utf-8")):
        assert pipeline.load_result(source) == cli_result


def test_api_bad_input_is_a_failed_result_not_an_exception():
    res = pipeline.extract_bytes(b"PK\x03\x04 not a real docx", "x.docx")
    assert res.status == "failed" and res.errors[0].code


@pytest.mark.parametrize("head, suffix", [(b"%PDF-1.7\n", ".pdf"), (b"PK\x03\x04", ".docx"),
                                          (b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff\xe0", ".jpg"),
                                          (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"),
                                          ("KẾ HOẠCH".encode("utf-8"), ".txt"), (b"", ".txt")])
def test_ingest_sniff_recognises_formats_by_their_first_bytes(head, suffix):
    assert sniff(head + b"rest") == suffix


def test_pipe_stdin_to_stdout_round_trip(cli_result):
    proc = run_cli("extract", "-", "--stdout", stdin=PLAN.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1  # only results on stdout; progress went to stderr
    res = pipeline.load_result(lines[0])
    assert res.source.path == "-" and without_path(res) == without_path(cli_result)
    assert b"ok" in proc.stderr


def test_pipe_stdin_sniffs_a_docx():
    proc = run_cli("extract", "-", "--stdout", stdin=DOCX.read_bytes())
    res = pipeline.load_result(proc.stdout.decode("utf-8").splitlines()[0])
    assert res.source.format == "docx" and res.status in ("ok", "partial")
    assert without_path(res) == without_path(pipeline.extract_path(DOCX))


def test_pipe_files_to_stdout_one_line_each(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    proc = run_cli("extract", str(PLAN), str(junk), "--stdout", "--jobs", "1")
    assert proc.returncode == 1  # one input failed
    results = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert {r["source"]["path"]: r["status"] for r in results} == {str(PLAN): "ok", str(junk): "failed"}
    assert not list(tmp_path.glob("*.json"))  # nothing written beside the inputs


def test_pipe_stdin_to_an_outdir(tmp_path, cli_result):
    proc = run_cli("extract", "-", "-o", str(tmp_path), stdin=PLAN.read_bytes())
    assert proc.returncode == 0 and proc.stdout == b""
    res = pipeline.load_result(tmp_path / "stdin.json")
    assert res.source.path == "-" and without_path(res) == without_path(cli_result)


def test_pipe_needs_exactly_one_destination():
    assert run_cli("extract", str(PLAN)).returncode == 2
    assert run_cli("extract", str(PLAN), "--stdout", "-o", "/tmp/x").returncode == 2
