"""Batches at archive scale: resume, kill -9 then rerun, colliding stems, bad files, Dask."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.executors import DaskExecutor, LocalExecutor

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
KEHOACH = str(Path(sys.executable).parent / "kehoach")
CHECK = Path("/work/shared/tools/check_outputs.py")
SEEDS = sorted(p for p in CORPUS.glob("*") if p.suffix in (".txt", ".md") and p.name != "SOURCES.md")


def make_archive(root: Path, n: int) -> list[Path]:
    """n distinct plans in nested folders: corpus openings (header, bases, first sections),
    short so the tests time the batch rather than the extractors, with a varied last line."""
    heads = [s.read_text(encoding="utf-8")[:4000] for s in SEEDS]
    paths = []
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)]
        p = root / f"box{i // 50:03d}" / f"{i:05d}{seed.suffix}"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(heads[i % len(SEEDS)] + f"\nBản sao số {i}.\n", encoding="utf-8")
        paths.append(p)
    return paths


def extract(*args, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([KEHOACH, "extract", *map(str, args)], capture_output=True, text=True,
                          env=env, **kw)


def index(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]


def children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        try:
            stat = (d / "stat").read_text()
            if d.name.isdigit() and int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                kids.append(int(d.name))
        except (OSError, ValueError):
            pass
    return kids


def zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"


def assert_outputs_valid(out: Path) -> None:
    for p in out.glob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))  # complete, parseable
    if CHECK.exists():
        proc = subprocess.run([sys.executable, str(CHECK), str(out)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-2000:]


def test_batch_resume_skips_current_outputs_and_force_redoes_them(tmp_path):
    paths = make_archive(tmp_path / "in", 12)
    out = tmp_path / "out"
    first = extract(tmp_path / "in", "-o", out, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert len(list(out.glob("*.json"))) == 12
    assert not any(e["skipped"] for e in index(out))

    again = extract(tmp_path / "in", "-o", out, "--jobs", "2")
    assert again.returncode == 0
    assert "12 skipped" in again.stderr
    assert all(e["skipped"] for e in index(out)) and len(index(out)) == 12

    paths[3].write_text(paths[3].read_text(encoding="utf-8") + "Sửa đổi.\n", encoding="utf-8")
    changed = extract(tmp_path / "in", "-o", out, "--jobs", "2")
    redone = [e["input"] for e in index(out) if not e["skipped"]]
    assert redone == [str(paths[3])] and "11 skipped" in changed.stderr

    forced = extract(tmp_path / "in", "-o", out, "--jobs", "2", "--force")
    assert forced.returncode == 0 and "skipped" not in forced.stderr
    assert not any(e["skipped"] for e in index(out))
    assert_outputs_valid(out)
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{p.stem}.json" for p in paths] + ["index.jsonl"])


def test_batch_kill_9_mid_batch_leaves_complete_files_and_rerun_finishes(tmp_path):
    paths = make_archive(tmp_path / "in", 120)
    out = tmp_path / "out"
    proc = subprocess.Popen([KEHOACH, "extract", str(tmp_path / "in"), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 20:
        time.sleep(0.01)
    workers = children(proc.pid)
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)  # the batch, mid-write; its workers must follow it
    proc.wait()
    try:
        deadline = time.monotonic() + 10
        while workers and time.monotonic() < deadline:
            workers = [w for w in workers if Path(f"/proc/{w}").exists() and not zombie(w)]
            time.sleep(0.05)
        assert not workers, "workers outlived the killed batch"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    done = len(list(out.glob("*.json")))
    assert 20 <= done < 120, "kill came too late to test anything"
    assert_outputs_valid(out)  # only complete JSON, whatever the moment
    assert all(p.suffix == ".json" or p.name.startswith(batch.TMP_PREFIX) and p.suffix == ".part"
               for p in out.iterdir())  # and hidden temporaries, which the rerun sweeps

    rerun = extract(tmp_path / "in", "-o", out, "--jobs", "2")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert sorted(p.name for p in out.glob("*.json")) == sorted(f"{p.stem}.json" for p in paths)
    assert_outputs_valid(out)
    entries = index(out)
    assert sorted(e["input"] for e in entries) == sorted(map(str, paths))
    assert sum(e["skipped"] for e in entries) >= done - 2  # at most the files being written were redone
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporaries left


def test_batch_colliding_stems_each_get_their_own_output(tmp_path):
    text = SEEDS[0].read_text(encoding="utf-8")
    for folder, name in (("a", "plan.txt"), ("b", "plan.txt"), ("b", "plan.md"), ("c", "other.txt")):
        (tmp_path / "in" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / folder / name).write_text(f"{text}\n{folder}/{name}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert extract(tmp_path / "in", "-o", out).returncode == 0
    entries = index(out)
    assert len(entries) == 4 and len({e["output"] for e in entries}) == 4
    assert "other.json" in {e["output"] for e in entries}
    for e in entries:
        res = json.loads((out / e["output"]).read_text(encoding="utf-8"))
        assert res["source"]["path"] == e["input"]
        assert res["source"]["sha256"] == e["sha256"]
        assert res["text"].rstrip().endswith(Path(e["input"]).relative_to(tmp_path / "in").as_posix())
    # the same command line gives the same names, so a rerun resumes
    assert extract(tmp_path / "in", "-o", out).stderr.count("skipped") >= 1
    assert all(e["skipped"] for e in index(out))


def test_batch_hanging_crashing_and_memory_hungry_files_fail_with_a_reason(tmp_path):
    make_archive(tmp_path / "in", 4)
    for name in ("stuck.hang.txt", "boom.crash.txt", "big.hog.txt"):
        (tmp_path / "in" / name).write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    env = dict(os.environ, KEHOACH_TEST_HANG_SUFFIX=".hang.txt", KEHOACH_TEST_CRASH_SUFFIX=".crash.txt",
               KEHOACH_TEST_HOG_SUFFIX=".hog.txt")
    out = tmp_path / "out"
    t0 = time.monotonic()
    proc = extract(tmp_path / "in", "-o", out, "--jobs", "2", "--timeout", "5", "--max-memory", "1024",
                   env=env, timeout=60)
    assert time.monotonic() - t0 < 30
    assert proc.returncode == 1
    by_name = {e["output"]: e for e in index(out)}
    assert len(by_name) == 7
    assert {n: by_name[n]["error_code"] for n in ("stuck.hang.json", "boom.crash.json", "big.hog.json")} == {
        "stuck.hang.json": "timeout", "boom.crash.json": "worker_crashed", "big.hog.json": "memory_limit"}
    assert sum(e["status"] == "ok" for e in by_name.values()) == 4  # the batch went on
    stuck = json.loads((out / "stuck.hang.json").read_text(encoding="utf-8"))
    assert stuck["status"] == "failed" and "5 giây" in stuck["errors"][0]["message"]
    assert stuck["source"]["sha256"] == by_name["stuck.hang.json"]["sha256"] != ""
    assert_outputs_valid(out)
    # a failure the batch recorded is retried by a rerun (here, without the hooks it succeeds)
    rerun = extract(tmp_path / "in", "-o", out, "--jobs", "2")
    assert rerun.returncode == 0 and "4 skipped" in rerun.stderr
    assert sorted(e["output"] for e in index(out) if not e["skipped"]) == [
        "big.hog.json", "boom.crash.json", "stuck.hang.json"]


def test_batch_dask_local_cluster_output_identical_to_one_local_job(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    paths = make_archive(tmp_path / "in", 10)
    stuck = tmp_path / "in" / "stuck.hang.txt"
    stuck.write_text("KẾ HOẠCH\n", encoding="utf-8")
    paths = list(batch.walk([tmp_path / "in"]))
    monkeypatch.setenv("KEHOACH_TEST_HANG_SUFFIX", ".hang.txt")
    local = batch.run_batch(paths, tmp_path / "local", LocalExecutor(jobs=1, timeout=3))
    dask = batch.run_batch(paths, tmp_path / "dask", DaskExecutor(jobs=2, timeout=3, processes=False))
    assert (local.ok, local.failed) == (dask.ok, dask.failed) == (10, 1)
    names = sorted(p.name for p in (tmp_path / "local").glob("*.json"))
    assert names == sorted(p.name for p in (tmp_path / "dask").glob("*.json")) and len(names) == 11
    for name in names:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name

    def strip(entries):
        return sorted((e["input"], e["output"], e["status"], e["sha256"]) for e in entries)
    assert strip(index(tmp_path / "local")) == strip(index(tmp_path / "dask"))


def test_batch_output_names_are_stable_and_walk_lists_each_file_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "X.md").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "y.txt").write_text("y", encoding="utf-8")
    paths = list(batch.walk([tmp_path / "a", tmp_path / "a" / "y.txt"]))
    assert [p.name for p in paths] == ["X.md", "x.txt", "y.txt"]
    names = batch.output_names(paths)
    assert names[2] == "y.json" and names[0].startswith("X-") and names[1].startswith("x-")
    assert names == batch.output_names(list(batch.walk([tmp_path / "a"])))


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--executor", "spark"], ["--timeout", "0"]])
def test_cli_extract_bad_batch_options_exit_2(tmp_path, args):
    assert extract(CORPUS / SEEDS[0].name, "-o", tmp_path / "out", *args).returncode == 2
