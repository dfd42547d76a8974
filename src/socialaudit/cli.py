"""The command line: a thin layer over the library.

Each command parses its options, calls one library function, and renders the result. Errors a
user can fix (`SocialauditError`, a full disk, no write access) become one red line on stderr
and exit code 2; any other exception is a bug: one line and exit code 3. `--debug` shows the
traceback. Exit codes: 0 success, 1 a check (or lint rule) failed, 2 usage, input or
environment error, 3 internal error (docs/exit-codes.md).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import sys
import traceback
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.main
from rich.console import Console, ConsoleRenderable, RenderHook
from rich.markup import escape
from rich.text import Text

from .errors import SocialauditError, UsageError

if TYPE_CHECKING:
    from datetime import date

    from .alerts import SMTPSettings
    from .audit import AuditResult
    from .config import Config
    from .workspace import Workspace

EXIT_OK, EXIT_FAIL, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="socialaudit",
    help=(
        "Find the social media marketing mistakes a brand is making, prove each one with its "
        "own data, and help it stop.\n\n"
        "Start with `socialaudit demo` to see an audit of a built-in demo brand, then "
        "`socialaudit import EXPORT` and `socialaudit audit` on your own data."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class _InertHook(RenderHook):
    """Every line on stderr made inert (report.inert): error lines and notices quote file
    names, ids and values that strangers wrote; an ESC in them must not reach the terminal."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        from .report.inert import for_terminal

        for r in renderables:
            if isinstance(r, Text):
                r.plain = for_terminal(r.plain, keep_lines=True)  # one for one: spans hold
        return renderables


def make_err_console(**options: Any) -> Console:
    """The console for stderr (tests give it a file)."""
    stream: dict[str, Any] = {} if "file" in options else {"stderr": True}
    console = Console(
        **stream,
        highlight=False,
        soft_wrap=True,
        **options,
    )
    console.push_render_hook(_InertHook())
    return console


err_console = make_err_console()


class State:
    workspace: Path | None = None
    debug: bool = False


state = State()

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar="DIR",
        help="Workspace folder (default: $SOCIALAUDIT_WORKSPACE, else the current folder).",
        show_default=False,
    ),
]


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"socialaudit {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    workspace: WorkspaceOpt = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an error after its one line.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    state.workspace = workspace
    state.debug = debug


def _workspace_arg(local: Path | None) -> Path | None:
    # --workspace is accepted both before and after the command name.
    from . import workspace

    # Every command that opens a workspace comes here first: say so when another process
    # holds it and the command waits (the dashboard mid-request, an import).
    workspace.on_lock_wait = lambda message: err_console.print(message + " …", markup=False)
    return local if local is not None else state.workspace


class OutputFormat(StrEnum):
    """Every --format of every command that writes output: one list, each command a subset."""

    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    csv = "csv"
    email = "email"  # a whole e-mail message, for `sendmail -t` (portfolio digest)


# `-o FILE` says the format by its extension when --format does not (audit, demo).
FORMAT_OF_SUFFIX = {
    ".txt": OutputFormat.text,
    ".json": OutputFormat.json,
    ".md": OutputFormat.markdown,
    ".markdown": OutputFormat.markdown,
    ".html": OutputFormat.html,
    ".htm": OutputFormat.html,
    ".csv": OutputFormat.csv,
}


def _words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def format_option(*allowed: OutputFormat, help: str | None = None) -> Any:
    """The --format option of a command that writes `allowed` (the first is the default when
    the command gives one): its value arrives as an OutputFormat, or None when not given."""
    names = [f.value for f in allowed]

    def parse(value: str | None) -> OutputFormat | None:
        if value is None:
            return None
        fmt = next((f for f in allowed if f.value == value.strip().lower()), None)
        if fmt is None:
            raise UsageError(f"--format {value!r}: expected {_words(names)}")
        return fmt

    return typer.Option(
        "--format",
        "-f",
        metavar=f"[{'|'.join(names)}]",
        help=help or f"Output format: {_words(names)}.",
        callback=parse,
    )


TextOrJson = Annotated[str, format_option(OutputFormat.text, OutputFormat.json)]


def _day_option(name: str, value: str | None) -> date | None:
    """A YYYY-MM-DD option as a date (None when not given); anything else is a usage error."""
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        fail(f"{name} {value!r}: expected a date like 2024-01-31")


def fail(message: str) -> NoReturn:
    raise UsageError(message)


def SizeOpt(name: str, field: str | None, what: str) -> object:
    """An optional size option (`512M`, `2G`, bytes), its default limit named in the help."""
    from .sources.limits import Limits

    if field is None:  # the draft limit, kept beside the linter's input reading
        from .sources.limits import MAX_DRAFT_BYTES as default
    else:
        default = getattr(Limits(), field)
    shown = next(
        (
            f"{default // f}{u}"
            for f, u in ((1024**3, "G"), (1024**2, "M"), (1024, "K"))
            if default % f == 0
        ),
        str(default),
    )
    return Annotated[
        str | None,
        typer.Option(
            name,
            help=f"Limit on {what}: bytes, or with K, M, G (default {shown}).",
            show_default=False,
            metavar="SIZE",
        ),
    ]


def LimitOpt(name: str, field: str, what: str) -> object:
    from .sources.limits import Limits

    return Annotated[
        int | None,
        typer.Option(
            name,
            help=f"Limit on {what} (default {getattr(Limits(), field):,}).",
            min=1,
            show_default=False,
            metavar="N",
        ),
    ]


def _size(option: str, value: str | None) -> int | None:
    """`512M` -> bytes; None stays None (the default limit)."""
    if value is None:
        return None
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    factor = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}.get(text[-1:], 1)
    number = text[:-1] if factor > 1 else text
    try:
        size = int(float(number) * factor)
    except ValueError:
        fail(f"{option} {value!r}: expected a size such as 512M, 2G or a number of bytes")
    if size < 1:
        fail(f"{option} {value!r}: expected a size above 0")
    return size


def secret_from_env(var: str, option: str) -> str:
    """The secret in the environment variable an option names (never a value typed on the
    command line, which shells keep in their history)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        fail(f"{option} {var!r}: expected the NAME of an environment variable, not its value")
    value = os.environ.get(var, "").strip()
    if not value:
        fail(f"{option} {var}: the environment variable {var} is not set or empty")
    return value


# The SMTP options `watch` (alerts) and `portfolio digest` share, and the settings they make.
SmtpUserOpt = Annotated[
    str | None,
    typer.Option("--smtp-user", help="Log in to the SMTP server as this user.", show_default=False),
]
SmtpPasswordEnvOpt = Annotated[
    str | None,
    typer.Option(
        "--smtp-password-env",
        help="The environment variable holding the SMTP password.",
        show_default=False,
    ),
]
StarttlsOpt = Annotated[
    bool, typer.Option("--starttls", help="Upgrade the SMTP connection with STARTTLS.")
]


def smtp_settings(
    smtp: str,
    to: list[str],
    sender: str | None,
    user: str | None,
    password_env: str | None,
    starttls: bool,
) -> SMTPSettings:
    """The SMTP settings the options name (one line and exit 2 when --smtp is not HOST:PORT)."""
    from .alerts import SMTPSettings, smtp_address

    try:
        host, port = smtp_address(smtp)
    except ValueError as exc:
        fail(f"--smtp {exc}")
    return SMTPSettings(
        host=host,
        port=port,
        sender=sender or "socialaudit@localhost",
        to=list(to),
        user=user,
        password=secret_from_env(password_env, "--smtp-password-env") if password_env else None,
        starttls=starttls,
    )


def write_output(text: str, output: Path | None, kind: str = "text") -> None:
    """Write a command's result to stdout or `output`, inert (report.inert): JSON with its
    control and bidi characters as \\u escapes, anything else with them replaced (tab, CR and
    LF kept), so that nothing a stranger wrote reaches the terminal as a command."""
    from .report.inert import escape_json, for_csv

    text = escape_json(text) if kind == "json" else for_csv(text)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output}: cannot write the output ({exc.strerror or exc})") from exc


def _label(ws: Workspace) -> int:
    """The labelling stage with a progress bar: label what is missing or stale (import, audit,
    demo and `socialaudit label` run it once, before anything reads labels)."""
    from .labelling import label_workspace
    from .progress import progress_bar

    with progress_bar("labelling messages") as bar:
        return label_workspace(ws, progress=bar)


@contextlib.contextmanager
def writable_output(output: Path | None) -> Iterator[None]:
    """Make sure `-o FILE` can be written before the work it reports is done (and stored): an
    audit whose report cannot be written must not enter the history. A file created for the
    check is removed again when the work fails."""
    if output is None:
        yield
        return
    existed = output.exists()
    try:
        with output.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the output ({exc.strerror or exc})") from exc
    try:
        yield
    except BaseException:
        if not existed:
            with contextlib.suppress(OSError):
                output.unlink()
        raise


# -- commands ---------------------------------------------------------------------------------
# Each command is a wrapper over one library call. Order here is the order of `--help`.


@app.command("import")
def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Export files, folders or zips to import.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Force the input format instead of detecting it: x-archive, mastodon, bluesky, "
            "meta, linkedin, twcs, generic (messages); costs, conversions, audience (ledgers). "
            "docs/formats.md says what each holds.",
            show_default=False,
        ),
    ] = None,
    brand: Annotated[
        list[str] | None,
        typer.Option(
            "--brand",
            metavar="HANDLE",
            help="A handle that is the brand's own (generic CSV/JSONL; the "
            "account name of a Meta or LinkedIn export, which does not say it); repeatable.",
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option("--platform", help="Platform of a generic file that has no platform column."),
    ] = None,
    max_file_bytes: SizeOpt(
        "--max-file-bytes", "file_bytes", "a streamed file (CSV, JSON Lines)"
    ) = None,
    max_member_bytes: SizeOpt(
        "--max-member-bytes",
        "member_bytes",
        "a part read whole (zip member, JSON file, spreadsheet, CAR)",
    ) = None,
    max_expansion: LimitOpt(
        "--max-expansion", "expansion", "uncompressed over compressed size of a zip member"
    ) = None,
    max_rows: LimitOpt("--max-rows", "rows", "rows of one input") = None,
    max_field_bytes: SizeOpt(
        "--max-field-bytes", "field_bytes", "one CSV field or JSON Lines record"
    ) = None,
    max_depth: LimitOpt("--max-depth", "depth", "nesting of JSON lists and objects") = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import exports into the workspace (one transaction for all of them; re-importing changes
    nothing). A folder that holds several exports imports each of them. Inputs larger than the
    limits are refused with one line (docs/limits.md)."""
    from .progress import progress_bar
    from .sources import plan_imports, read_input, write_batches
    from .sources.base import ImportOptions
    from .sources.limits import Limits
    from .workspace import Workspace, resolve_root

    if len(paths) == 1 and _import_parquet(paths[0], resolve_root(_workspace_arg(workspace))):
        return
    limits = Limits().replace(
        file_bytes=_size("--max-file-bytes", max_file_bytes),
        member_bytes=_size("--max-member-bytes", max_member_bytes),
        expansion=max_expansion,
        rows=max_rows,
        field_bytes=_size("--max-field-bytes", max_field_bytes),
        depth=max_depth,
    )

    plans = [plan_imports(path, format) for path in paths]
    inputs = [i for plan in plans for i in plan.inputs]
    batches = []
    try:
        # Read everything first: a file that cannot be read leaves no trace, not even a new
        # empty workspace, and no other input of this command half-imported.
        for input_path, source in inputs:
            with progress_bar(f"importing {input_path.name}") as progress:
                opts = ImportOptions(
                    brand=list(brand or []), platform=platform, progress=progress, limits=limits
                )
                batches.append(read_input(input_path, source, opts))
        with Workspace.for_writing(_workspace_arg(workspace)) as ws:
            write_batches(ws, batches)
            compacted = ws.compact()
    except SocialauditError as exc:
        if len(inputs) > 1:
            exc.add_note(f"nothing was imported (the {len(inputs)} inputs are one transaction)")
        raise
    # The labelling stage, once, before anything reads labels (not part of the import's
    # transaction: what it cannot label, the next audit labels).
    with Workspace.open(_workspace_arg(workspace)) as ws:
        _label(ws)
    for (input_path, _), batch in zip(inputs, batches, strict=True):
        counts = {t: n for t, n in batch.rows().items() if n}
        if counts and all(
            batch.changes.get(t, {}).get("unchanged") == n and not batch.changes[t].get("removed")
            for t, n in counts.items()
        ):  # a re-import: say so first
            same = ", ".join(f"{n} {t}" for t, n in counts.items())
            rows = f"0 new, nothing changed ({same} unchanged)"
        else:
            rows = ", ".join(_rows_written(t, n, batch.changes.get(t)) for t, n in counts.items())
        err_console.print(
            f"imported {input_path} as {batch.format}: {rows or 'nothing'}", markup=False
        )
        for gap in batch.gaps:
            err_console.print(f"  not in this export: {gap}", markup=False)
        for notice in batch.notices:
            err_console.print(f"  note: {notice}", markup=False)
        for skip in batch.skipped:
            err_console.print(
                f"  skipped {skip.get('count')} {skip.get('what')}: {skip.get('reason')}",
                markup=False,
            )
    for plan in plans:
        for left, why in plan.not_imported:
            err_console.print(f"not imported: {left} ({why})", markup=False)
    if compacted:
        before, after = compacted
        err_console.print(
            f"compacted the workspace: {before / 1024**2:.0f} MiB of file to "
            f"{after / 1024**2:.0f} MiB (space freed by earlier imports)",
            markup=False,
        )


def _rows_written(table: str, n: int, changes: dict[str, int] | None) -> str:
    """'2400 messages (0 new, 2400 unchanged)': a re-import says that it changed nothing."""
    if not changes:
        return f"{n} {table}"
    parts = [f"{changes.get('new', 0)} new"]
    parts += [f"{changes[k]} {k}" for k in ("updated", "unchanged") if changes.get(k)]
    if changes.get("removed"):
        parts.append(f"{changes['removed']} removed (no longer in this export)")
    return f"{n} {table} ({', '.join(parts)})"


def _import_parquet(path: Path, root: Path) -> bool:
    """`socialaudit import DIR` of a Parquet export (`export --parquet`, a Spark warehouse):
    the workspace's tables become the folder's. False when `path` is not one."""
    if not path.is_dir():  # before the warehouse module and pyarrow.dataset are loaded
        return False
    from .warehouse import import_parquet, is_parquet_export
    from .workspace import Workspace

    if not is_parquet_export(path):
        return False
    rows = import_parquet(root, path)
    with Workspace.open(root) as ws:
        _label(ws)
    counts = ", ".join(f"{n} {t}" for t, n in rows.items() if n)
    err_console.print(f"imported {path} as parquet tables: {counts or 'nothing'}", markup=False)
    return True


@app.command()
def export(
    parquet: Annotated[
        Path,
        typer.Option(
            "--parquet",
            metavar="DIR",
            help="Write every table of the workspace as Parquet under DIR, a folder per table (the Spark "
            "engine's warehouse; `socialaudit import DIR` brings it back).",
        ),
    ],
    workspace: WorkspaceOpt = None,
) -> None:
    """Export the workspace's tables as Parquet, to move it to Spark (docs/scale.md)."""
    from .warehouse import export_parquet
    from .workspace import Workspace

    with Workspace.open(_workspace_arg(workspace), create=False, read_only=True) as ws:
        rows = export_parquet(ws, parquet)
    counts = ", ".join(f"{n} {t}" for t, n in rows.items() if n)
    err_console.print(f"exported to {parquet}: {counts or 'nothing'}", markup=False)


@app.command()
def status(
    format: TextOrJson = OutputFormat.text,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show what the workspace holds per platform and account, what the exports lacked, and
    which checks that data can and cannot answer."""
    from .status import render_json, render_text, workspace_status
    from .workspace import Workspace

    with Workspace.open(_workspace_arg(workspace), create=False) as ws:
        result = workspace_status(ws)
    write_output(render_json(result) if format == "json" else render_text(result), None, format)


@app.command("roi")
def roi_cmd(
    since: Annotated[
        str | None,
        typer.Option("--since", help="First day of the period (YYYY-MM-DD).", show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Last day of the period (YYYY-MM-DD).", show_default=False),
    ] = None,
    format: TextOrJson = OutputFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """What social media costs and returns: ROI per platform and per campaign (docs/roi.md)."""
    import json
    import shutil

    from .report.roi import render_text
    from .roi import compute_roi
    from .workspace import Workspace

    days: dict[str, date | None] = {
        name: _day_option(name, value) for name, value in (("--since", since), ("--until", until))
    }
    if days["--since"] and days["--until"] and days["--since"] > days["--until"]:
        fail("--since is after --until")
    with Workspace.open(_workspace_arg(workspace), create=False) as ws:
        report = compute_roi(ws, since=days["--since"], until=days["--until"])
    if format == "json":
        write_output(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), output, "json")
    else:
        width = max(shutil.get_terminal_size((120, 24)).columns, 120)
        write_output(render_text(report, width=width), output)


SelectOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="CHECK",
        help="Run only these checks: code, code prefix (SA1), name or area; repeatable.",
    ),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        metavar="CHECK",
        help="Skip these checks: code, code prefix, name or area; repeatable.",
    ),
]


ReportFormatOpt = Annotated[
    str | None,
    format_option(
        OutputFormat.text,
        OutputFormat.json,
        OutputFormat.markdown,
        OutputFormat.html,
        OutputFormat.csv,
        help="Report format: text, json, markdown, html or csv (default: from the -o file's "
        "extension, .html .json .md .csv; else text).",
    ),
]
ReportOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write the report to this file.", show_default=False
    ),
]


def _report_format(format: OutputFormat | str | None, output: Path | None) -> OutputFormat:
    """--format when given, else what the -o file's extension says, else text."""
    if format is not None:
        return OutputFormat(format)
    if output is not None:
        return FORMAT_OF_SUFFIX.get(output.suffix.lower(), OutputFormat.text)
    return OutputFormat.text


@app.command()
def audit(
    format: ReportFormatOpt = None,
    output: ReportOutputOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Do not store this audit in the workspace's history.")
    ] = False,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="[fail|warn]",
            help="Exit 1 when a check fails (fail), or when one warns or fails (warn): the "
            "gate for CI.",
        ),
    ] = "fail",
    brand: Annotated[
        str | None,
        typer.Option(
            "--brand",
            metavar="NAME",
            help="Audit one brand of a workspace that holds several ([brands.NAME] in "
            "socialaudit.toml): its accounts and the customers' messages to them only.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge every account as of the end of this day (YYYY-MM-DD, UTC) instead of "
            "the date of its own export ([checks] as_of in socialaudit.toml does the same).",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            metavar="[duckdb|spark]",
            help="What runs the checks: duckdb (this machine, the default) or spark (the "
            "workspace's tables as Parquet in [engine] warehouse; docs/scale.md). Default: "
            "[engine] name in socialaudit.toml.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> int:
    """Run the checks on the workspace and report every finding with its figures and evidence,
    the health score, and what changed since the previous audit (each audit is stored).

    Exit code 0 when no check fails (with --fail-on warn: none warns or fails), 1 when one does,
    2 on usage or input errors.
    """
    from .portfolio.brands import BrandRef
    from .portfolio.run import audit_one
    from .progress import progress_bar
    from .report import render
    from .workspace import resolve_root

    if fail_on not in ("fail", "warn"):
        fail(f"--fail-on {fail_on!r}: expected fail or warn")
    fmt = _report_format(format, output)
    day = _day_option("--as-of", as_of)
    root = resolve_root(_workspace_arg(workspace))
    ref = BrandRef(name=brand or root.name, root=root, entry=brand)
    if engine is not None and engine not in ("duckdb", "spark"):
        fail(f"--engine {engine!r}: expected duckdb or spark")
    with writable_output(output), _open_audited(ref, engine) as (ws, config):
        _label(ws)
        if day is not None:
            config.checks.as_of = day
        with progress_bar("auditing") as bar:
            result = audit_one(
                ws,
                config,
                ref,
                select=list(select or []),
                ignore=list(ignore or []),
                label=False,
                progress=bar,
            )
        _complete_audit(ws, result, fmt, save=not no_save, config=config)
    write_output(render(result, fmt.value), output, fmt.value)
    if output is not None:
        err_console.print(f"wrote {fmt.value} report to {output}", markup=False)
    gate = ("fail", "warn") if fail_on == "warn" else ("fail",)
    return EXIT_FAIL if any(str(f.verdict) in gate for f in result.findings) else EXIT_OK


@contextlib.contextmanager
def _open_audited(ref: Any, engine: str | None) -> Iterator[tuple[Workspace, Config]]:
    """The workspace to audit, on the engine `--engine` or `[engine] name` chooses."""
    from .config import load_config
    from .portfolio.run import open_brand, scope_to_entry
    from .workspace import CONFIG_NAME

    config = load_config(ref.root / CONFIG_NAME)
    if (engine or config.engine.name) != "spark":
        with open_brand(ref) as opened:
            yield opened
        return
    # Only here: the warehouse module loads pyarrow.dataset (0.7 s, of no use to DuckDB).
    from .warehouse import open_spark

    ws = open_spark(ref.root, config, notice=lambda m: err_console.print(m, markup=False))
    try:
        yield ws, scope_to_entry(ws, ref)
    finally:
        ws.close()


def _complete_audit(
    ws: Workspace,
    result: AuditResult,
    format: OutputFormat,
    *,
    save: bool,
    config: Config | None = None,
) -> None:
    """What the CLI adds to the library's pure audit: chart series (for the formats that carry
    them), what changed since the previous audit, and storing this one in the workspace."""
    from .charts import chart_data
    from .config import load_config
    from .history import record_audit

    if format in (OutputFormat.html, OutputFormat.json):
        result.extra["charts"] = chart_data(ws, config or load_config(ws.config_path))
    record_audit(ws, result, save=save)


@app.command()
def checks(
    format: TextOrJson = OutputFormat.text,
) -> None:
    """List every check of the rulebook: code, name, area, severity, status, the data it needs
    and its options with their defaults."""
    from .checks import load_registry
    from .report.catalog import render_catalog_json, render_catalog_text

    registry = load_registry()
    for msg in registry.load_errors:
        err_console.print(f"warning: {msg}", markup=False)
    render = render_catalog_json if format == "json" else render_catalog_text
    write_output(render(registry), None, format)


@app.command()
def explain(
    code: Annotated[
        str,
        typer.Argument(
            help="A check's code (SA202) or name (oversharing), or a draft rule's (SL104)."
        ),
    ],
) -> None:
    """Explain one check: what it detects, why it matters, an example, its options and sources.
    A draft linter rule (SL101...) is explained too."""
    from .checks import load_registry
    from .lint import RULES_BY_CODE
    from .lint.rules import rule_doc

    rule = RULES_BY_CODE.get(code.strip().upper())  # by code: names may be a check's too
    if rule is not None:
        write_output(rule_doc(rule), None)
        return
    write_output(load_registry().get(code).full_doc(), None)


# The inbox: a group of its own, so `socialaudit inbox --help` lists what can be done to an item.
inbox_app = typer.Typer(
    help=(
        "What to do today: requests to answer and praise to thank, most urgent first "
        "(complaints, then questions, oldest first; then praise). Without a command, list "
        "the items; `done`, `ignore`, `assign` and `reopen` record what you did (docs/inbox.md)."
    ),
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(inbox_app, name="inbox")

InboxIdArg = Annotated[
    str,
    typer.Argument(
        help="The item's id as the list shows it (platform:id), or the bare id when it is unique."
    ),
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", help="A note kept with the item.", show_default=False)
]


@inbox_app.callback(invoke_without_command=True)
def inbox_list(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help="Only answer or thank items.", show_default=False),
    ] = None,
    all_items: Annotated[
        bool,
        typer.Option("--all", help="Also show the items handled or ignored, with their state."),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", help="Show at most this many items.", min=1, show_default=False
        ),
    ] = None,
    format: TextOrJson = OutputFormat.text,
    workspace: WorkspaceOpt = None,
) -> None:
    """List the inbox items (see `socialaudit inbox --help`)."""
    if ctx.invoked_subcommand is not None:
        # `inbox -w DIR done ID`: the workspace given before the command counts for it too.
        if workspace is not None:
            state.workspace = workspace
        return
    import shutil

    from .config import load_config
    from .inbox import build_inbox, render_json, render_text
    from .workspace import Workspace

    with Workspace.open(_workspace_arg(workspace), create=False) as ws:
        _label(ws)
        inbox = build_inbox(ws, load_config(ws.config_path), include_handled=all_items, kind=kind)
    if format == "json":
        if limit is not None:
            inbox.items = inbox.items[:limit]
        write_output(render_json(inbox), None, "json")
    else:
        width = max(shutil.get_terminal_size((120, 24)).columns, 100)
        write_output(render_text(inbox, width=width, limit=limit), None)


def _inbox_set(
    ref: str,
    state: str,
    workspace: Path | None,
    *,
    assignee: str | None = None,
    note: str | None = None,
) -> None:
    from .inbox import resolve_ref, set_state
    from .workspace import Workspace

    with Workspace.open(_workspace_arg(workspace), create=False) as ws:
        platform, message_id = resolve_ref(ws, ref)
        row = set_state(ws, platform, message_id, state, assignee=assignee, note=note)
    who = f" to {row['assignee']}" if state == "assigned" else ""
    err_console.print(f"{platform}:{message_id} {state}{who}", markup=False, highlight=False)


@inbox_app.command("done")
def inbox_done(message: InboxIdArg, note: NoteOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Mark an item handled (answered or thanked): it leaves the list."""
    _inbox_set(message, "handled", workspace, note=note)


@inbox_app.command("ignore")
def inbox_ignore(message: InboxIdArg, note: NoteOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Ignore an item that needs nothing (spam, a joke): it leaves the list."""
    _inbox_set(message, "ignored", workspace, note=note)


@inbox_app.command("assign")
def inbox_assign(
    message: InboxIdArg,
    person: Annotated[str, typer.Argument(help="Who takes it (any name).")],
    note: NoteOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Give an item to someone: it stays in the list with their name."""
    _inbox_set(message, "assigned", workspace, assignee=person, note=note)


@inbox_app.command("reopen")
def inbox_reopen(message: InboxIdArg, note: NoteOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Put a handled or ignored item back in the list."""
    _inbox_set(message, "open", workspace, note=note)


@app.command()
def lint(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Drafts: .txt/.md files (one draft each), folders, a .csv of drafts, "
            "or - for one draft on standard input.",
            show_default=False,
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            "-p",
            help="x, mastodon, bluesky, facebook, instagram or "
            "linkedin (default: [lint] platform; a draft's front matter wins).",
            show_default=False,
        ),
    ] = None,
    format: TextOrJson = OutputFormat.text,
    min_level: Annotated[
        str,
        typer.Option(
            "--min-level",
            help="Report and fail on findings at this level or "
            "above: suggestion, warning or error.",
        ),
    ] = "warning",
    text_column: Annotated[
        str | None,
        typer.Option(
            "--text-column",
            help="The column of a CSV that holds the drafts (default: text).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="socialaudit.toml to read [lint] and [brand] from "
            "(default: the workspace's, if there is one).",
            show_default=False,
        ),
    ] = None,
    max_draft_bytes: SizeOpt("--max-draft-bytes", None, "one draft") = None,
    workspace: WorkspaceOpt = None,
) -> int:
    """Check draft posts before publishing them (rules SL101-SL114, docs/lint.md).

    Exit code 0 when nothing at or above --min-level is found, 1 when something is, 2 on usage
    or input errors.
    """
    from .config import load_config
    from .errors import ConfigError
    from .lint import Level, settings_from_config
    from .lint.rules import PLATFORMS
    from .lintfiles import lint_inputs, read_drafts, render_json, render_text
    from .workspace import CONFIG_NAME, resolve_root

    if not paths:
        fail("give one or more drafts to lint (files, folders, a .csv, or - for standard input)")
    if platform is not None and platform not in PLATFORMS:
        fail(f"--platform {platform!r}: expected one of {', '.join(PLATFORMS)}")
    try:
        level = Level.parse(min_level)
    except ValueError as exc:
        fail(f"--min-level: {exc}")
    if config is not None and not config.is_file():
        raise ConfigError(f"{config}: no such config file")
    config_path = config or resolve_root(_workspace_arg(workspace)) / CONFIG_NAME
    settings = settings_from_config(
        load_config(config_path), platform=platform, where=str(config_path)
    )
    drafts = read_drafts(
        list(paths or []),
        text_column,
        max_bytes=_size("--max-draft-bytes", max_draft_bytes),
    )
    run = lint_inputs(drafts, settings, level)
    write_output(render_json(run) if format == "json" else render_text(run), None, format)
    return EXIT_FAIL if run.failed else EXIT_OK


@app.command()
def classify(
    input: Annotated[Path, typer.Argument(help="A CSV file with a header row (UTF-8).")],
    text_column: Annotated[
        str, typer.Option("--text-column", help="The column holding the texts.")
    ],
    model: Annotated[
        list[Path] | None,
        typer.Option(
            "--model",
            help="A model file from `socialaudit train` (one per task; "
            "repeatable). Without it the rules label.",
            show_default=False,
        ),
    ] = None,
    brand: Annotated[
        bool,
        typer.Option("--brand", help="The texts are the brand's own posts (adds content_type)."),
    ] = False,
    from_brand_column: Annotated[
        str | None,
        typer.Option(
            "--from-brand-column",
            help="A column that is true/1/yes for the brand's own posts.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[str, format_option(OutputFormat.csv, OutputFormat.json)] = OutputFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    no_formula_guard: Annotated[
        bool,
        typer.Option(
            "--no-formula-guard",
            help="Write every text exactly as read, even one a spreadsheet would run as a "
            "formula (for pipelines; by default such cells get a leading ').",
        ),
    ] = False,
) -> None:
    """Label each row's text: sentiment, question/complaint/praise, intent, content type, and the
    cues that decided them (columns added to the input's; docs/text.md).

    The input's columns are written back as they were read, except that in CSV output a text a
    spreadsheet would run as a formula (=..., or +, - or @ before a function call or arithmetic)
    gets a leading ' (docs/text.md; --no-formula-guard turns that off)."""
    from .progress import progress_bar
    from .textfiles import classify_csv, to_csv, to_json

    with progress_bar("classifying") as progress:
        table = classify_csv(
            input,
            text_column,
            models=list(model or []),
            brand=brand,
            from_brand_column=from_brand_column,
            progress=progress,
        )
    write_output(
        to_json(table) if format == "json" else to_csv(table, formula_guard=not no_formula_guard),
        output,
        format,
    )


@app.command()
def train(
    input: Annotated[
        Path | None,
        typer.Argument(help="A labelled CSV file (or use --from-workspace).", show_default=False),
    ] = None,
    text_column: Annotated[
        str | None,
        typer.Option("--text-column", help="The column holding the texts.", show_default=False),
    ] = None,
    label_column: Annotated[
        str | None,
        typer.Option("--label-column", help="The column holding the labels.", show_default=False),
    ] = None,
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            help="complaint, sentiment, intent or content (with --from-workspace: only this task).",
            show_default=False,
        ),
    ] = None,
    from_workspace: Annotated[
        bool,
        typer.Option(
            "--from-workspace", help="Learn from the labels fixed with `socialaudit label`."
        ),
    ] = False,
    from_replies: Annotated[
        bool,
        typer.Option(
            "--from-replies",
            help="Learn the complaint model from the brand's replies (an apology follows a "
            "complaint, an answer a question) and the label fixes.",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Model file to write (default: the workspace's "
            "models/TASK.model, which the audit then uses).",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Train a text model (a linear model per task) from labelled examples you give."""
    from .errors import WorkspaceError
    from .labelling import model_path, train_from_workspace
    from .textfiles import train_csv
    from .workspace import Workspace

    if from_replies:
        if (
            input is not None
            or output is not None
            or from_workspace
            or task not in (None, "complaint")
        ):
            fail(
                "--from-replies learns the workspace's complaint model from the brand's replies: "
                "give no INPUT, --output, --from-workspace or other --task"
            )
        from .labelling import train_from_replies

        with Workspace.open(_workspace_arg(workspace), create=False) as ws:
            m, learnt = train_from_replies(ws)
            examples = m.meta["examples"]
            err_console.print(
                f"trained complaint model on {examples.get('complaint', 0)} complaints and "
                f"{examples.get('not', 0)} other messages: {learnt['answered']} the brand "
                f"answered ({learnt['weak complaint']} apologised to or helped with, "
                f"{learnt['weak not']} answered or thanked, {learnt['no cue']} with a reply that "
                f"says neither) and {learnt['fixes']} label fixes, which win: "
                f"{model_path(ws, 'complaint')}",
                markup=False,
            )
        return
    if from_workspace:
        if input is not None or output is not None:
            fail(
                "--from-workspace learns from the workspace's label fixes: "
                "give no INPUT or --output"
            )
        with Workspace.open(_workspace_arg(workspace), create=False) as ws:
            saved = train_from_workspace(ws, [task] if task else None)
            for name, m in saved.items():
                counts = ", ".join(f"{k} {v}" for k, v in sorted(m.meta["examples"].items()))
                err_console.print(
                    f"trained {name} model on {counts}: {model_path(ws, name)}", markup=False
                )
        return
    if input is None or not text_column or not label_column or not task:
        fail("give INPUT.csv with --text-column, --label-column and --task (or --from-workspace)")
    if output is None:
        try:
            with Workspace.open(_workspace_arg(workspace), create=False) as ws:
                output = model_path(ws, task)
        except WorkspaceError as exc:
            fail(f"{exc.one_line()}; or pass --output MODEL to write the model elsewhere")
    result = train_csv(input, text_column, label_column, task)
    result.model.save(output)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.model.meta["examples"].items()))
    err_console.print(
        f"trained {task} model on {result.examples} examples ({counts}): {output}", markup=False
    )
    if result.unlabelled:
        err_console.print(f"  left out {result.unlabelled} rows without a label", markup=False)
    if result.cv_macro_f1 is not None:
        err_console.print(
            f"  5-fold cross-validated macro-F1: {result.cv_macro_f1:.3f}", markup=False
        )


@app.command()
def label(
    message_id: Annotated[
        str | None,
        typer.Argument(
            help="The id of a message whose label to fix; without it, label the workspace.",
            show_default=False,
        ),
    ] = None,
    intent: Annotated[
        str | None,
        typer.Option("--intent", help="complaint, question, praise or other.", show_default=False),
    ] = None,
    sentiment: Annotated[
        str | None,
        typer.Option("--sentiment", help="negative, neutral or positive.", show_default=False),
    ] = None,
    content: Annotated[
        str | None,
        typer.Option(
            "--content",
            help="A brand post's content type: promotion, expertise, "
            "engagement, personal, like_bait, announcement, care_reply or other.",
            show_default=False,
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            help="The message's platform, when its id is on several.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Label the workspace's messages (the labelling stage: only what is missing or stale; import
    and audit run it too), or, given a message id, fix that message's label by hand: the fix
    overrides every model and becomes training data for `socialaudit train --from-workspace`."""
    from .labelling import AmbiguousMessage, fix_label
    from .workspace import Workspace

    given = (("intent", intent), ("sentiment", sentiment), ("content", content))
    fixes = {task: value for task, value in given if value}
    if message_id is None:
        if fixes or platform:
            fail("give the id of the message whose label to fix")
        with Workspace.open(_workspace_arg(workspace), create=False) as ws:
            n = _label(ws)
            total = ws.count("messages")
        said = f"labelled {n} of {total} messages" if n else f"all {total} messages are labelled"
        err_console.print(said, markup=False)
        return
    if not fixes:
        fail("give at least one of --intent, --sentiment or --content")
    with Workspace.open(_workspace_arg(workspace), create=False) as ws:
        for task, value in fixes.items():
            try:
                fix = fix_label(ws, message_id, task, value, platform)
            except AmbiguousMessage as exc:
                fail(f"{exc.one_line()}: pass --platform")
            err_console.print(
                f"{fix['platform']}:{fix['message_id']} {task} = {fix['label']}", markup=False
            )


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Keep the loopback default unless "
            "you mean to expose the workspace to your network.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8765,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A host name or address the dashboard is reached by off loopback "
            "(repeatable; required with --host 0.0.0.0).",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Open the local dashboard: the latest audit, the inbox (answer, thank, assign, fix a
    label) and the draft linter, at http://127.0.0.1:8765/.

    On loopback (the default) it is a single-user tool without login; cross-site form posts
    and foreign Host headers are refused. Off loopback (--host) it answers only to the names
    given with --allowed-host (it refuses to start on 0.0.0.0 without them) and every request
    needs the access token in the address it prints (docs/inbox.md).
    """
    import secrets

    from .portfolio.brands import is_portfolio_folder
    from .web import create_app
    from .web.guard import ACCESS_PARAM, allowed_hosts_for, is_loopback
    from .web.serve import run
    from .workspace import resolve_root

    allowed = allowed_hosts_for(host, allowed_host or [])
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    root = resolve_root(_workspace_arg(workspace))
    if is_portfolio_folder(root):
        from .web.portfolio import create_portfolio_app  # a folder of brand workspaces

        web_app = create_portfolio_app(root, allowed_hosts=allowed, access_token=token)
    else:
        web_app = create_app(root, allowed_hosts=allowed, access_token=token)
    names = sorted(allowed - {"127.0.0.1", "localhost", "::1"}) or [host]
    shown = f"[{names[0]}]" if ":" in names[0] else names[0]
    if token is None:
        url = f"http://{shown}:{port}/"
    else:
        err_console.print(
            f"listening on {host}: answers only to {', '.join(names)}, and only with the "
            "access token in this address (keep it to yourself: it opens the workspace)",
            markup=False,
        )
        url = f"http://{shown}:{port}/?{ACCESS_PARAM}={token}"
    err_console.print(f"socialaudit dashboard at {url} (Ctrl+C to stop)", markup=False)
    run(web_app, host, port)


DEMO_WORKSPACE = Path("socialaudit-demo")


@app.command()
def demo(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            metavar="DIR",
            help=f"Where to write the demo brand (default: ./{DEMO_WORKSPACE}; never "
            "$SOCIALAUDIT_WORKSPACE or the current folder, so that it cannot mix with your data).",
            show_default=False,
        ),
    ] = None,
    format: ReportFormatOpt = None,
    output: ReportOutputOpt = None,
) -> int:
    """Create the built-in demo brand (with planted mistakes), import it, and print its audit.

    The demo workspace defaults to ./socialaudit-demo so that it never mixes with your own data.
    """
    from .audit import run_audit
    from .demo import build_demo
    from .progress import progress_bar
    from .report import render

    root = workspace or state.workspace or DEMO_WORKSPACE
    fmt = _report_format(format, output)
    ws = build_demo(root)
    with ws:
        err_console.print(
            f"demo brand written to {ws.root} (import files in {ws.root / 'demo-data'})",
            markup=False,
        )
        with progress_bar("auditing") as bar:
            # build_demo labelled what it imported
            result = run_audit(ws, label=False, progress=bar)
        _complete_audit(ws, result, fmt, save=True)
    write_output(render(result, fmt.value), output, fmt.value)
    if output is not None:
        err_console.print(f"wrote {fmt.value} report to {output}", markup=False)
    where = shlex.quote(str(root))
    err_console.print(
        f"next: socialaudit serve -w {where}   (the dashboard: the inbox, the report, the draft "
        f"linter), or socialaudit audit -w {where} -o report.html",
        markup=False,
    )
    # The demo exists to show findings: planted failures are its success, so it exits 0.
    return EXIT_OK


# The command groups of other modules register themselves on `app` when imported.
from . import (  # noqa: E402
    cli_live,  # noqa: F401  (connect, sync, watch, inbox reply/like)
    cli_portfolio,  # noqa: F401  (portfolio, split)
)

# -- entry point ------------------------------------------------------------------------------

# The command line's words for the settings that library errors name (errors.SocialauditError).
CLI_HINTS = {
    "format": "pass --format",
    "workspace": "`socialaudit import PATH` or `socialaudit demo`; --workspace DIR for another folder",
}


def _plain_placeholders(command: Any) -> Any:
    """Help that reads like a manual: placeholders such as PATH, TEXT and N for every option
    and argument that names none, where Typer would print Python types (`<list[Path]>`)."""
    from enum import Enum
    from typing import get_args, get_origin

    for param in command.params:
        if getattr(param, "is_flag", False) or param.metavar is not None:
            continue
        if param.param_type_name == "argument":
            param.metavar = (param.name or "value").upper()
            # Typer appends the type to an argument's help line whatever its metavar says.
            param.display_type_rich = lambda ctx: None
            continue
        kind = param.type_descriptor.annotation
        while get_origin(kind) is not None:  # list[Path] -> Path, Path | None -> Path
            kind = next(a for a in get_args(kind) if a is not type(None))
        if isinstance(kind, type) and issubclass(kind, Enum):
            param.metavar = f"[{'|'.join(str(m.value) for m in kind)}]"
        else:
            param.metavar = {Path: "PATH", int: "N", float: "NUMBER"}.get(kind, "TEXT")
    for sub in getattr(command, "commands", {}).values():
        _plain_placeholders(sub)
    return command


def main() -> None:
    """Entry point of the `socialaudit` script: the one error boundary of every command.

    Exit codes (docs/exit-codes.md): 0 success; 1 a check (or lint rule) failed; 2 bad input,
    bad usage or an environment the user can fix (a full disk, a folder without write access, a
    workspace in use), as one line naming the file and place; 3 an internal error (a bug), as
    one line, with the traceback under --debug; 130 interrupted.
    """
    try:
        code = _plain_placeholders(typer.main.get_command(app))(standalone_mode=False)
    except SocialauditError as exc:
        # escape: a message quotes user text and config keys ("[brand] currency"), never markup
        hint = CLI_HINTS.get(exc.setting or "")
        _error_exit(exc, exc.one_line() + (f" ({hint})" if hint else ""), EXIT_ERROR)
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as exc:
        # Typer's own usage errors (bad option values, missing arguments): one message, exit 2.
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            err_console.print(f"error: {exc}", markup=False)
        sys.exit(getattr(exc, "exit_code", EXIT_ERROR) or EXIT_ERROR)
    except BrokenPipeError:
        # `socialaudit audit | head`: the reader left; nothing more to say to it.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python from failing at exit
        sys.exit(EXIT_OK)
    except Exception as exc:
        user_fixable = environment_error(exc)
        if user_fixable is not None:
            _error_exit(exc, user_fixable, EXIT_ERROR)
        _error_exit(
            exc,
            f"internal error ({type(exc).__name__}: {' '.join(str(exc).split())[:300]}); this is "
            "a bug in socialaudit: run the command again with --debug for the traceback and "
            "report it",
            EXIT_INTERNAL,
        )
    sys.exit(code if isinstance(code, int) else 0)


def environment_error(exc: BaseException) -> str | None:
    """The one line for an error of the machine rather than of socialaudit (a full disk, no
    write access, too little memory), or None when `exc` is a bug."""
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, MemoryError):
        return "ran out of memory; import smaller inputs (see the --max-… limits of `import`)"
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, duckdb.IOException | duckdb.PermissionException):
        return f"the workspace database cannot be read or written ({' '.join(str(exc).split())})"
    return None


def _error_exit(exc: BaseException, line: str, code: int) -> NoReturn:
    err_console.print(f"[red]error:[/red] {escape(line)}", markup=True, highlight=False)
    if state.debug or os.environ.get("SOCIALAUDIT_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    sys.exit(code)
