"""Hostile and broken inputs (issue 8): each gets its own clear result, the batch goes on.

The folder is built in tmp_path by tests/hostile_files.py (zip and XML bombs, a 40000x40000
PNG, an encrypted PDF, a 12 MB single line, a symlink loop, ...) and run through
`kehoach extract --jobs 2` as a user would, with the peak memory measured.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_files import PLAN, build_folder, huge_page_pdf  # noqa: E402
from ingest_helpers import make_pdf  # noqa: E402

from pipeline import limits  # noqa: E402
from pipeline.ingest import ocr  # noqa: E402
from pipeline.run import process_bytes  # noqa: E402

KEHOACH = Path(sys.executable).parent / "kehoach"
VI = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ")
PEAK_RSS_MB = 400  # any one process of the hostile batch (measured: ~95 MB)
PEAK_SUM_MB = 800  # the command and its two workers together (measured: ~230 MB)


def extract(*args, env=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([str(KEHOACH), "extract", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout)


def extract_measured(*args) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run the batch from a fresh process: (result, peak RSS in MB of the command or any one
    worker (getrusage), peak of their sum in MB sampled every 20 ms from /proc (0 without /proc))."""
    probe = textwrap.dedent("""
        import json, os, resource, subprocess, sys, threading

        def tree_rss(root):
            kids, rss = {}, 0
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                    kids.setdefault(int(stat[1]), []).append((int(pid), int(stat[21])))
                except (OSError, IndexError, ValueError):
                    pass
            todo = [root]
            while todo:
                for pid, pages in kids.get(todo.pop(), []):
                    rss += pages
                    todo.append(pid)
            return rss * os.sysconf("SC_PAGE_SIZE") / 2**20

        peak_sum, done = 0.0, threading.Event()
        def sample():
            global peak_sum
            while not done.wait(0.02):
                if os.path.isdir("/proc"):
                    peak_sum = max(peak_sum, tree_rss(os.getpid()))
        t = threading.Thread(target=sample, daemon=True)
        t.start()
        p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
        done.set()
        t.join()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr, "peak": peak,
                          "peak_sum": peak_sum}))
    """)
    out = subprocess.run([sys.executable, "-c", probe, str(KEHOACH), "extract", *map(str, args)],
                         capture_output=True, text=True, timeout=180)
    res = json.loads(out.stdout)
    return subprocess.CompletedProcess(args, res["rc"], res["stdout"], res["stderr"]), res["peak"], res["peak_sum"]


def index(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]


def test_hostile_batch_every_input_gets_its_own_clear_result_and_memory_stays_bounded(tmp_path):
    expect = build_folder(tmp_path / "in")
    if not ocr.available():  # the huge page is only rendered for OCR
        expect["huge-page"] = ("failed", "no_text")
    out = tmp_path / "out"
    t0 = time.monotonic()
    proc, peak_mb, peak_sum_mb = extract_measured(tmp_path / "in", "-o", out, "--jobs", "2")
    seconds = time.monotonic() - t0
    print(f"hostile batch: {len(expect)} inputs, {seconds:.1f} s, peak RSS {peak_mb:.0f} MB "
          f"(one process), {peak_sum_mb:.0f} MB (command and workers together)")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr
    entries = index(out)
    stems = [Path(e["input"]).stem for e in entries]
    assert sorted(stems) == sorted(expect)  # each input once: the folder loop is not walked twice
    for e in entries:
        stem = Path(e["input"]).stem
        res = json.loads((out / e["output"]).read_text(encoding="utf-8"))
        status, code = expect[stem]
        assert (res["status"], e["error_code"]) == (status, code), (stem, res["errors"])
        assert res["source"]["path"] == e["input"]
        if status == "failed":
            msg = res["errors"][0]["message"]
            assert VI & set(msg) and "hãy" in msg, (stem, msg)  # Vietnamese, with a remedy
            assert "Traceback" not in msg and "Error" not in msg, msg
            assert msg in proc.stderr  # the progress line says why too
        else:
            assert res["text"].strip() and not [x for x in res["errors"] if not x["code"].startswith("warn_")]
    results = {Path(e["input"]).stem: json.loads((out / e["output"]).read_text(encoding="utf-8")) for e in entries}
    assert results["utf16-bom"]["source"]["encoding"] == "utf-16"
    assert results["windows-1258"]["source"]["encoding"] == "windows-1258"
    assert results["windows-1258"]["text"] == results["utf16-bom"]["text"]  # NFC, whatever the bytes
    assert results["Kế hoạch số 14 #2"]["document"]["number"] == "14"
    assert results["K\ufffd ho\ufffdch c\ufffd"]["document"]["number"] == "14"  # read by its real name
    assert not list(out.glob("*.log"))  # no internal error, so no log file
    rerun = extract(tmp_path / "in", "-o", out, "--jobs", "2", timeout=60)  # resumes; nothing blocks
    assert rerun.returncode == 1 and "Traceback" not in rerun.stderr
    again = {Path(e["input"]).stem: e for e in index(out)}
    assert all(again[s]["skipped"] for s, (status, _) in expect.items() if status == "ok")
    assert again["one-line-12mb"]["skipped"] is False  # a limit's failure is tried again
    assert peak_mb < PEAK_RSS_MB
    assert peak_sum_mb < PEAK_SUM_MB
    assert seconds < 60


def test_hostile_internal_error_is_logged_with_traceback_and_fails_that_file_only(tmp_path):
    """A reader bug (injected through sitecustomize into every process) is an internal error."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent("""
        import pipeline.ingest.text as text
        _read = text.read
        def read(data, name):
            if "bug" in name:
                raise ZeroDivisionError("injected reader bug")
            return _read(data, name)
        text.read = read
    """), encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bug.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "in" / "plan.txt").write_text(PLAN, encoding="utf-8")
    out, log = tmp_path / "out", tmp_path / "logs" / "errors.log"
    log.parent.mkdir()
    env = dict(os.environ, PYTHONPATH=str(hook))
    proc = extract(tmp_path / "in", "-o", out, "--jobs", "2", "--log-file", log, env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "ZeroDivisionError: injected" not in proc.stderr
    assert str(log) in proc.stderr  # the user is told where the details are
    by_stem = {Path(e["input"]).stem: e for e in index(out)}
    assert (by_stem["bug"]["status"], by_stem["bug"]["error_code"]) == ("failed", "internal_error")
    assert "nhật ký" in by_stem["bug"]["error"]
    assert by_stem["plan"]["status"] == "ok"
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "ZeroDivisionError: injected reader bug" in logged and "bug.txt" in logged
    # by default the log goes beside the results, and is never taken for one
    proc = extract(tmp_path / "in", "-o", out, "--force", env=env)
    assert (out / "kehoach-errors.log").exists() and not list(out.glob("kehoach-errors*.json"))


def test_limits_options_reach_the_workers(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.txt").write_text(PLAN, encoding="utf-8")
    words = ["Muc dich", "Yeu cau", "To chuc thuc hien"]
    three = [[(72, 100 + 50 * j, f"{w} cua ke hoach, noi dung chi tiet.")
              for j, w in enumerate(words[i:] + words[:i])] for i in range(3)]
    (tmp_path / "in" / "three-pages.pdf").write_bytes(make_pdf(three))
    out = tmp_path / "out"
    proc = extract(tmp_path / "in", "-o", out, "--jobs", "2", "--max-text-chars", "100", "--max-pages", "2")
    assert proc.returncode == 1
    codes = {Path(e["input"]).stem: e["error_code"] for e in index(out)}
    assert codes == {"plan": "text_too_long", "three-pages": "too_many_pages"}
    assert "giới hạn 100" in proc.stderr and "--max-text-chars" in proc.stderr
    # a failure at a limit is not "done": a rerun with a higher limit retries it
    proc = extract(tmp_path / "in", "-o", out, "--jobs", "2", "--max-pages", "3")
    assert proc.returncode == 0, proc.stderr
    assert {Path(e["input"]).stem: (e["status"], e["skipped"]) for e in index(out)} == {
        "plan": ("ok", False), "three-pages": ("ok", False)}
    proc = extract(tmp_path / "in" / "plan.txt", "-o", out, "--max-file-mb", "0.0001", "--force")
    assert [e["error_code"] for e in index(out)] == ["file_too_large"]
    assert extract(tmp_path / "in", "-o", out, "--max-pages", "-1").returncode == 2


def test_limits_defaults_and_environment(monkeypatch):
    for var in limits.ENV.values():
        monkeypatch.delenv(var, raising=False)
    assert limits.current() == limits.DEFAULTS
    monkeypatch.setenv("KEHOACH_MAX_PAGES", "5")
    monkeypatch.setenv("KEHOACH_MAX_MEGAPIXELS", "0")  # 0: no limit
    lim = limits.current()
    assert lim.pages == 5 and lim.pixels == float("inf") and lim.text_chars == limits.DEFAULTS.text_chars
    res = process_bytes(make_pdf([[(72, 72, "x")]] * 6), "six.pdf")
    assert res.status == "failed" and res.errors[0].code == "too_many_pages"


@pytest.mark.skipif(not ocr.available(), reason="the page is only rendered for OCR")
def test_hostile_pdf_page_too_large_to_render_fails_before_rendering():
    res = process_bytes(huge_page_pdf(), "huge.pdf")
    assert res.status == "failed" and res.errors[0].code == "image_too_large", res.errors
