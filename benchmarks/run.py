"""`make bench`: run each bench module in turn and append its Markdown rows to RESULTS.md.

A bench module has `run() -> list[str]`: Markdown lines (a heading, a table) for RESULTS.md.
To add one, add its module name to BENCHES.
"""
from __future__ import annotations

import importlib
import platform
import time
from pathlib import Path

BENCHES = [
    "benchmarks.extract_bench",
    "benchmarks.batch_bench",
    "benchmarks.catalogue_bench",
    "benchmarks.ingest_bench",
    "benchmarks.agreement",
    "benchmarks.unseen",
    "benchmarks.unseen_office",  # skipped (with a line saying so) where LibreOffice is not installed
]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main() -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for name in BENCHES:
        lines = importlib.import_module(name).run()
        block = [f"## {name} — {stamp} — {platform.node()}, {platform.python_version()}", "", *lines, ""]
        print("\n".join(block), flush=True)
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(block) + "\n")


if __name__ == "__main__":
    main()
