"""The one error type readers and the pipeline raise for input they cannot read.

`ReadError` names the file and the problem in one line, so that the CLI and
the API can show it as is. Nothing else is defined here.
"""
from __future__ import annotations


class ReadError(Exception):
    """A document that cannot be read: `str(err)` is `"<filename>: <problem>"`."""

    def __init__(self, filename: str, problem: str, *, kind: str = "unreadable") -> None:
        self.filename = filename
        self.problem = problem
        # kind: "unreadable" (corrupt, encrypted, empty, binary), "unsupported"
        # (a format nhiemvu does not read), "too_large", "missing_tool"
        self.kind = kind
        super().__init__(f"{filename}: {problem}")
