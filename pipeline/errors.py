"""Domain errors: each carries a stable `code` and a message a clerk can act on.

Stages raise these for expected failures; the runner turns them into a `failed` result
for that file only. Anything else is an internal error (logged with its traceback).
"""
from __future__ import annotations


class KehoachError(Exception):
    """An expected failure of one input, reported as data, never as a traceback."""

    stage = "pipeline"

    def __init__(self, code: str, message: str, stage: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        if stage:
            self.stage = stage


class IngestError(KehoachError):
    stage = "ingest"
