"""Where batch work runs: local worker processes, or a Dask cluster; same tasks, same outputs.

Both run each task through a Slot: one long-lived `python -m pipeline.worker` process doing
one file at a time. A Slot is what makes one bad file harmless: past the time limit its
process is killed and replaced, a crash or memory overrun is recorded, and the file gets a
`failed` result with a clear reason. Plain subprocesses (not multiprocessing or a process
pool) so the same Slot works inside a Dask worker, whose daemon processes may not fork pools.

An executor's `run(tasks, total)` yields one index entry per task, in completion order, and
keeps only a few tasks in flight, so memory does not grow with the number of files.
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from typing import Iterable, Iterator

from . import batch

DEFAULT_TIMEOUT = 600.0  # seconds per file: a 300-page scan at ~1.2 s a page fits
DEFAULT_MAX_MEMORY_MB = 4096  # per worker process (address space)
STARTUP_GRACE = 120.0  # seconds a new worker may take to import the pipeline before its clock starts


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def timeout_message(seconds: float) -> str:
    return (f"Xử lý tệp quá {seconds:g} giây nên đã bị dừng (giới hạn thời gian mỗi tệp); "
            "tệp có thể hỏng hoặc quá lớn.")


class Slot:
    """One worker process and the task it is on."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
                 ocr_workers: int = 1):
        self.timeout, self.max_memory_mb = timeout, max_memory_mb
        # files are the unit of parallelism: a worker OCRs its cores' share of pages at a time
        self.env = {**os.environ}
        self.env.setdefault("KEHOACH_OCR_WORKERS", str(ocr_workers))
        self.proc: subprocess.Popen | None = None
        self.task: dict | None = None
        self.deadline = 0.0
        self.started = 0.0
        self._buf = b""

    def fileno(self) -> int:
        return self.proc.stdout.fileno()

    def start(self, task: dict) -> None:
        fresh = self.proc is None or self.proc.poll() is not None
        if fresh:
            self._spawn()
        self.task, self.started = task, time.monotonic()
        # a new worker's clock starts when it says it is ready (imports can take a while)
        self.deadline = self.started + self.timeout + (STARTUP_GRACE if fresh else 0.0)
        line = json.dumps(task).encode("ascii") + b"\n"  # escaped: a path may hold non-UTF-8 bytes
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
        except BrokenPipeError:  # it died between tasks: not this file's fault, start afresh
            self.close(kill=True)
            self._spawn()
            self.deadline = self.started + self.timeout + STARTUP_GRACE
            self.proc.stdin.write(line)
            self.proc.stdin.flush()

    def read(self) -> dict | None:
        """Call when readable: the finished task's entry, or None while a reply is incomplete."""
        data = os.read(self.fileno(), 1 << 16)
        if not data:
            code = self.proc.wait()
            self.proc = None
            how = f"tín hiệu {-code}" if code < 0 else f"mã {code}"
            return self._fail("worker_crashed", f"Tiến trình xử lý tệp dừng đột ngột ({how}); "
                                                 "tệp có thể hỏng.")
        self._buf += data
        while b"\n" in self._buf:
            line, self._buf = self._buf.split(b"\n", 1)
            entry = json.loads(line)
            if entry.get("ready"):
                self.started = time.monotonic()
                self.deadline = self.started + self.timeout
                continue
            self.task = None
            if entry.get("error_code") == "memory_limit":
                self.close()  # a fresh process for the next file
            return entry
        return None

    def expire(self) -> dict:
        """Call past the deadline: kill the process and record the file as failed."""
        self.close(kill=True)
        return self._fail("timeout", timeout_message(self.timeout))

    def run_one(self, task: dict) -> dict:
        """Blocking form of start/read/expire, for executors that give one task per thread."""
        self.start(task)
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                return self.expire()
            ready, _, _ = select.select([self], [], [], left)
            if ready:
                entry = self.read()
                if entry is not None:
                    return entry

    def close(self, kill: bool = False) -> None:
        proc, self.proc, self._buf = self.proc, None, b""
        if proc is None:
            return
        if kill:
            proc.kill()
        else:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        if not proc.stdin.closed:
            proc.stdin.close()

    def _spawn(self) -> None:
        self._buf = b""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.worker", str(self.max_memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=self.env)

    def _fail(self, code: str, message: str) -> dict:
        task, self.task = self.task, None
        return batch.write_failure(task, code, message, time.monotonic() - self.started)


class LocalExecutor:
    """`jobs` worker processes on this machine, fed from one thread with select()."""

    def __init__(self, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_memory_mb: int = DEFAULT_MAX_MEMORY_MB):
        self.jobs = max(1, jobs or default_jobs())
        self.timeout, self.max_memory_mb = timeout, max_memory_mb

    def run(self, tasks: Iterable[dict], total: int) -> Iterator[dict]:
        todo = iter(tasks)
        ocr_workers = max(1, default_jobs() // self.jobs)
        slots = [Slot(self.timeout, self.max_memory_mb, ocr_workers) for _ in range(min(self.jobs, total))]
        try:
            busy = []
            for slot in slots:
                task = next(todo, None)
                if task is not None:
                    slot.start(task)
                    busy.append(slot)
            while busy:
                left = min(s.deadline for s in busy) - time.monotonic()
                ready, _, _ = select.select(busy, [], [], max(0.0, left))
                now = time.monotonic()
                for slot in list(busy):
                    if slot in ready:
                        entry = slot.read()
                    elif now >= slot.deadline:
                        entry = slot.expire()
                    else:
                        continue
                    if entry is None:
                        continue
                    yield entry
                    task = next(todo, None)
                    if task is None:
                        busy.remove(slot)
                        slot.close()
                    else:
                        slot.start(task)
        finally:
            for slot in slots:
                slot.close(kill=slot.task is not None)


_local = threading.local()


def _dask_task(task: dict, timeout: float, max_memory_mb: int) -> dict:
    """Runs on a Dask worker thread: that thread's own Slot does the file."""
    slot = getattr(_local, "slot", None)
    if slot is None or (slot.timeout, slot.max_memory_mb) != (timeout, max_memory_mb):
        if slot is not None:
            slot.close()
        slot = _local.slot = Slot(timeout, max_memory_mb)
    return slot.run_one(task)


class DaskExecutor:
    """The same tasks on Dask: a LocalCluster of `jobs` workers, or the cluster at `scheduler`.

    On a real cluster every worker must have kehoach installed and see the inputs and OUTDIR
    at the same paths (a shared file system): workers write the outputs themselves.
    """

    def __init__(self, scheduler: str | None = None, jobs: int | None = None,
                 timeout: float = DEFAULT_TIMEOUT, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
                 processes: bool = True):
        self.scheduler, self.jobs, self.processes = scheduler, jobs or default_jobs(), processes
        self.timeout, self.max_memory_mb = timeout, max_memory_mb

    def run(self, tasks: Iterable[dict], total: int) -> Iterator[dict]:
        import logging

        from distributed import Client, LocalCluster, as_completed

        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1,
                                   processes=self.processes, dashboard_address=None,
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
        try:
            threads = sum(client.nthreads().values()) or 1
            todo, pending = iter(tasks), as_completed()
            owner: dict = {}

            def submit() -> bool:
                task = next(todo, None)
                if task is None:
                    return False
                fut = client.submit(_dask_task, task, self.timeout, self.max_memory_mb, pure=False)
                owner[fut.key] = task
                pending.add(fut)
                return True

            for _ in range(4 * threads):
                if not submit():
                    break
            for fut in pending:
                task = owner.pop(fut.key)
                try:
                    entry = fut.result()
                except Exception as err:  # the Dask worker itself was lost
                    entry = batch.write_failure(task, "worker_lost",
                                                f"Máy xử lý tệp bị mất kết nối ({type(err).__name__}).", 0.0)
                fut.release()
                yield entry
                submit()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
