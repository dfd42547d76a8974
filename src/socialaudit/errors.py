"""Errors a user can cause and fix: each renders as one line, and the CLI exits with code 2.

Anything else that escapes is a bug in socialaudit and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class SocialauditError(Exception):
    """Base class of the errors a user can fix (bad input, bad config, missing workspace)."""

    def one_line(self) -> str:
        # Notes (`add_note`) say what the error meant for the command: "nothing was imported".
        notes = getattr(self, "__notes__", [])
        return " ".join("; ".join([str(self), *notes]).split())


class InputError(SocialauditError):
    """A file could not be read as the format it claims to be.

    Names the file, the line or record, the field, and what was expected, so that the user can
    open the file at that place and fix it.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        record: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.record = record
        self.message = message
        where = self.path
        if line is not None:
            where += f":{line}"
        if record is not None:
            where += f" [{record}]"
        if field is not None:
            where += f" field '{field}'"
        super().__init__(f"{where}: {message}")


class ConfigError(SocialauditError):
    """The workspace's socialaudit.toml is invalid."""


class WorkspaceError(SocialauditError):
    """The workspace cannot be opened or written."""


class UsageError(SocialauditError):
    """The command was called with arguments that do not fit together."""
