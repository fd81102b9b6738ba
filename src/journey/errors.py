"""The errors a user can meet, each with the exit status the CLI gives it.

Messages are written for the buyer or route author who reads them; the CLI
prints `str(error)` and exits with `error.exit_code`, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.message}"


class JourneyError(Exception):
    """Base of every error the tool reports without a traceback."""

    exit_code = 1


class UsageError(JourneyError):
    """Unusable input: no such file, no terminal and no answers, a bad option."""

    exit_code = 2


class InvalidFile(JourneyError):
    """A route, record or answers file with one or more problems."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Interrupted(JourneyError):
    """The user pressed Ctrl-C or Ctrl-D; what they gave is saved."""

    exit_code = 130
