"""Errors a user can cause and fix: each renders as one line, and the CLI exits with code 2.

Anything else that escapes is a bug in socialaudit: the CLI says so in one line and exits with
code 3, and `--debug` shows its traceback (docs/exit-codes.md).
"""

from __future__ import annotations

from pathlib import Path


class SocialauditError(Exception):
    """Base class of the errors a user can fix (bad input, bad config, missing workspace).

    Messages speak of the library's settings, never of command-line flags: `setting` names the
    setting that fixes the error ("format", "workspace"), and the command line adds its own
    words for it.
    """

    def __init__(self, *args: object, setting: str | None = None) -> None:
        super().__init__(*args)
        self.setting = setting

    def one_line(self) -> str:
        # Notes (`add_note`) say what the error meant for the command: "nothing was imported".
        notes = getattr(self, "__notes__", [])
        line = " ".join(str(self).split())
        if len(line) > MAX_LINE:  # a quoted value can be megabytes: keep both ends of the line
            line = line[: MAX_LINE - 200] + " … " + line[-180:]
        return "; ".join([line, *(" ".join(n.split()) for n in notes)])


# An error line quotes what the user gave (a value, a column name): this much of it at most.
MAX_LINE = 600
MAX_QUOTED = 80


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """A value quoted in an error, cut to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        offset: int | None = None,
        setting: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.offset = offset
        self.field = field
        self.record = record
        self.message = message
        where = self.path
        if line is not None:
            where += f":{line}"
        elif offset is not None:
            where += f" (byte {offset:,})"
        if record is not None:
            where += f" [{shorten(record)}]"
        if field is not None:
            where += f" field '{shorten(field)}'"
        super().__init__(f"{where}: {message}", setting=setting)


class ConfigError(SocialauditError):
    """The workspace's socialaudit.toml is invalid."""


class WorkspaceError(SocialauditError):
    """The workspace cannot be opened or written."""


class WorkspaceBusy(WorkspaceError):
    """Another process held the workspace for longer than the command would wait."""

    def __init__(self, message: str, *, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class UsageError(SocialauditError):
    """The command was called with arguments that do not fit together."""
