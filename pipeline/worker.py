"""A batch worker process: tasks in on stdin, index entries out on its own pipe, one at a time.

Started by pipeline.executors.Slot as `python -m pipeline.worker MAX_MEMORY_MB`. Working one
task at a time in a separate process is what lets the parent kill a file that runs past its
time limit without losing the others. The memory limit is set here, with setrlimit, so it
applies to this process (and the programs it starts, such as an OCR engine) and nothing else.

Test hooks (for tests/test_batch.py only; unset in normal use): an input whose path ends with
$KEHOACH_TEST_HANG_SUFFIX sleeps forever, with $KEHOACH_TEST_HOG_SUFFIX allocates past the
memory limit, with $KEHOACH_TEST_CRASH_SUFFIX kills its own process.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time


def _limit_memory(max_mb: int) -> None:
    import resource

    if max_mb > 0:
        limit = max_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _die_with_parent() -> None:
    """Linux: get SIGKILL when the parent dies (a killed batch leaves no orphan workers)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _test_hooks(path: str, max_mb: int) -> None:
    def hit(var: str) -> bool:
        suffix = os.environ.get(var)
        return bool(suffix) and path.endswith(suffix)

    if hit("KEHOACH_TEST_HANG_SUFFIX"):
        time.sleep(10**6)
    if hit("KEHOACH_TEST_HOG_SUFFIX"):
        hog = [bytes(64 << 20) for _ in range(max_mb // 64 + 2)]  # calloc'd: fails fast at the limit
        del hog
    if hit("KEHOACH_TEST_CRASH_SUFFIX"):
        os.kill(os.getpid(), signal.SIGKILL)


def memory_message(max_mb: int) -> str:
    return (f"Xử lý tệp cần hơn {max_mb} MB bộ nhớ nên đã bị dừng (giới hạn bộ nhớ mỗi tệp); "
            "tệp có thể hỏng hoặc quá lớn.")


def main(argv: list[str]) -> int:
    max_mb = int(argv[1]) if len(argv) > 1 else 0
    _die_with_parent()
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # a stray print() goes to stderr, never into the replies
    from . import batch, errlog  # imported after the fd juggling, before the limit (imports need room)

    errlog.setup()  # tracebacks of internal errors go to the log file, not to the terminal

    _limit_memory(max_mb)
    replies.write('{"ready": true}\n')  # the parent starts the file's clock now
    replies.flush()
    for line in sys.stdin:
        task = json.loads(line)
        t0 = time.perf_counter()
        try:
            _test_hooks(task["path"], max_mb)
            entry = batch.process_one(task)
        except MemoryError:
            entry = batch.write_failure(task, "memory_limit", memory_message(max_mb),
                                        time.perf_counter() - t0)
        except Exception as err:  # e.g. OUTDIR not writable: report it, keep serving
            entry = batch.failure_entry(task, "batch_error",
                                        f"Không ghi được kết quả: {type(err).__name__}: {err}.")
        replies.write(json.dumps(entry, ensure_ascii=False) + "\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
