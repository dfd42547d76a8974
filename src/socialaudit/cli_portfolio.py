"""The agency's commands: `portfolio audit`, `portfolio report`, `portfolio digest` and `split`.

Thin wrappers over `socialaudit.portfolio`, registered on the main CLI (cli.py imports this
module). Same conventions as every command: one line and exit 2 on a usage or input error, exit
1 when a brand's check fails (`--fail-on`), 0 otherwise.
"""

from __future__ import annotations

import shutil
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .cli import (
    EXIT_FAIL,
    EXIT_OK,
    IgnoreOpt,
    OutputFormat,
    SelectOpt,
    SmtpPasswordEnvOpt,
    SmtpUserOpt,
    StarttlsOpt,
    WorkspaceOpt,
    _workspace_arg,
    app,
    err_console,
    fail,
    format_option,
    secret_from_env,
    smtp_settings,
    write_output,
)

if TYPE_CHECKING:
    from .portfolio.brands import Portfolio
    from .portfolio.run import PortfolioResult

portfolio_app = typer.Typer(
    help=(
        "Every brand an agency runs, side by side: a folder of brand workspaces, or one "
        "workspace holding several brands ([brands.NAME] accounts = [...]). `audit` audits "
        "each brand and prints one table, `report` writes the client pages, `digest` says what "
        "changed this week (docs/agency.md)."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(portfolio_app, name="portfolio")

PortfolioDir = Annotated[
    Path | None,
    typer.Argument(
        help="The portfolio: a folder of brand workspaces, or a workspace with [brands] "
        "(default: --workspace, $SOCIALAUDIT_WORKSPACE, else the current folder).",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="PATH",
        help="Write here instead of stdout (html: a folder, with index.html and one page per "
        "brand under brands/).",
        show_default=False,
    ),
]
FailOnOpt = Annotated[
    str,
    typer.Option(
        "--fail-on",
        metavar="[fail|warn]",
        help="Exit 1 when a check of any brand fails (fail), or warns or fails (warn).",
    ),
]


def _load(dir: Path | None, workspace: Path | None) -> Portfolio:
    from .portfolio.brands import load_portfolio
    from .workspace import resolve_root

    return load_portfolio(resolve_root(dir if dir is not None else _workspace_arg(workspace)))


def _write(result: PortfolioResult, format: OutputFormat, output: Path | None) -> None:
    from .portfolio.render import render_json, render_text

    if format == OutputFormat.html:
        from .portfolio.pages import write_html

        if output is None or output.suffix.lower() in (".html", ".htm"):
            fail("--format html writes a folder (index.html and one page per brand): give -o DIR")
        try:
            written = write_html(result, output)
        except OSError as exc:
            fail(f"{output}: cannot write the report ({exc.strerror or exc})")
        err_console.print(
            f"wrote {output / 'index.html'} and {len(written) - 1} brand pages in "
            f"{output / 'brands'}",
            markup=False,
        )
        return
    if format == OutputFormat.json:
        write_output(render_json(result), output, "json")
    else:
        width = max(shutil.get_terminal_size((140, 24)).columns, 120)
        write_output(render_text(result, width=width), output)


def _format(format: str | None, output: Path | None, default: OutputFormat) -> OutputFormat:
    if format is not None:
        return OutputFormat(format)
    if output is not None and output.suffix.lower() == ".json":
        return OutputFormat.json
    if output is not None and not output.suffix:
        return OutputFormat.html
    return default


PortfolioFormat = Annotated[
    str | None,
    format_option(
        OutputFormat.text,
        OutputFormat.json,
        OutputFormat.html,
        help="text (one table), json (the portfolio document) or html (a folder of pages: the "
        "overview and one page per brand).",
    ),
]


@portfolio_app.command("audit")
def portfolio_audit(
    dir: PortfolioDir = None,
    format: PortfolioFormat = None,
    output: OutputOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Do not store the audits in the brands' histories.")
    ] = False,
    fail_on: FailOnOpt = "fail",
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Audit this many brand workspaces at once (one process each; the brands of "
            "one workspace always one after the other).",
        ),
    ] = 1,
    workspace: WorkspaceOpt = None,
) -> int:
    """Audit every brand of the portfolio and show them in one table: score, change since the
    last audit, the worst findings, and the benchmark figures with each brand's standing.

    Each brand's audit is stored in its own history, as `socialaudit audit` does. Exit code 0
    when no brand's check fails (with --fail-on warn: none warns or fails), 1 when one does.
    """
    from .portfolio.run import audit_portfolio
    from .progress import progress_bar

    if fail_on not in ("fail", "warn"):
        fail(f"--fail-on {fail_on!r}: expected fail or warn")
    fmt = _format(format, output, OutputFormat.text)
    portfolio = _load(dir, workspace)
    with progress_bar(f"auditing {len(portfolio.brands)} brands") as bar:
        result = audit_portfolio(
            portfolio,
            select=list(select or []),
            ignore=list(ignore or []),
            save=not no_save,
            charts=fmt == OutputFormat.html,
            jobs=jobs,
            progress=bar,
        )
    _write(result, fmt, output)
    gate = {"fail", "warn"} if fail_on == "warn" else {"fail"}
    return EXIT_FAIL if result.verdicts() & gate else EXIT_OK


@portfolio_app.command("report")
def portfolio_report(
    dir: PortfolioDir = None,
    format: PortfolioFormat = None,
    output: OutputOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the portfolio's pages from the brands' latest stored audits (nothing is audited
    again): an overview of every brand and one page per brand, headed by the agency's name and
    logo from portfolio.toml, to send to each client. Offline files, no script."""
    from .portfolio.run import stored_portfolio

    fmt = _format(format, output, OutputFormat.html)
    result = stored_portfolio(_load(dir, workspace), charts=fmt == OutputFormat.html)
    _write(result, fmt, output)


@portfolio_app.command("digest")
def portfolio_digest(
    dir: PortfolioDir = None,
    days: Annotated[
        int, typer.Option("--days", min=1, help="The period the digest covers, in days.")
    ] = 7,
    format: Annotated[
        str,
        format_option(
            OutputFormat.text,
            OutputFormat.html,
            OutputFormat.email,
            help="text, html, or email: a whole message (text and HTML) for `sendmail -t`.",
        ),
    ] = OutputFormat.text,
    email_to: Annotated[
        list[str] | None,
        typer.Option("--email-to", metavar="ADDRESS", help="Recipient of the e-mail; repeatable."),
    ] = None,
    email_from: Annotated[
        str | None,
        typer.Option("--email-from", metavar="ADDRESS", help="The e-mail's sender."),
    ] = None,
    smtp: Annotated[
        str | None,
        typer.Option(
            "--smtp",
            metavar="HOST:PORT",
            help="Send the e-mail through this SMTP server (as `watch` sends its alerts) "
            "instead of printing it.",
            show_default=False,
        ),
    ] = None,
    smtp_user: SmtpUserOpt = None,
    smtp_password_env: SmtpPasswordEnvOpt = None,
    starttls: StarttlsOpt = False,
    webhook_env: Annotated[
        str | None,
        typer.Option(
            "--webhook-env",
            help="Also post the digest (text) to the Slack-compatible incoming webhook whose URL "
            "this environment variable holds.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The week's new and fixed findings per brand, from the stored audits: run `portfolio
    audit` first (cron does both; docs/agency.md). Printed (text, html, or a whole e-mail for
    `sendmail -t`), or sent: by e-mail through --smtp, to a webhook with --webhook-env."""
    from .portfolio.digest import email_message, render_html, render_text, weekly_digest

    send = smtp is not None or webhook_env is not None
    sender = email_from or "socialaudit@localhost"
    if format == "email" or smtp is not None:
        if not email_to or (format == "email" and smtp is None and not email_from):
            fail("an e-mail needs --email-to ADDRESS (one or more) and --email-from ADDRESS")
        for address in [*email_to, sender]:
            if not _plain_address(address):
                fail(f"{address!r}: expected an e-mail address such as team@example.com")
    webhook = secret_from_env(webhook_env, "--webhook-env") if webhook_env else None
    digest = weekly_digest(_load(dir, workspace), days=days)
    if not send:
        if format == "email":
            write_output(email_message(digest, list(email_to or []), sender).as_string(), output)
        elif format == "html":
            write_output(render_html(digest), output)
        else:
            write_output(render_text(digest), output)
        return
    import smtplib  # here, not at the top: every command's start would pay for it
    import urllib.error

    from .alerts import failure_reason, post_webhook, send_email

    if smtp is not None:
        settings = smtp_settings(
            smtp, email_to or [], sender, smtp_user, smtp_password_env, starttls
        )
        where = f"{settings.host}:{settings.port}"
        try:
            send_email(settings, email_message(digest, settings.to, sender))
        except (OSError, smtplib.SMTPException) as exc:
            fail(f"e-mail via {where}: {failure_reason(exc)}")
        err_console.print(f"sent the digest to {', '.join(settings.to)} via {where}", markup=False)
    if webhook is not None:
        try:
            post_webhook(webhook, render_text(digest))
        except (OSError, urllib.error.URLError, ValueError) as exc:
            fail(f"webhook: {failure_reason(exc)}")
        err_console.print("posted the digest to the webhook", markup=False)


def _plain_address(address: str) -> bool:
    """One address, nothing that could end a header line or add another."""
    if any(c in address for c in "\r\n,;") or any(ord(c) < 32 for c in address):
        return False
    _, addr = parseaddr(address)
    return bool(addr) and "@" in addr and " " not in addr


@app.command("split")
def split_cmd(
    source: Annotated[
        Path,
        typer.Argument(help="A file of many brands (e.g. TWCS) or a workspace folder."),
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by", metavar="account", help="How to split: account (one brand per account)."
        ),
    ] = "account",
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            metavar="DIR",
            help="The portfolio folder to write (default: SOURCE's name + -brands, here).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="The input's format, as for import.",
            show_default=False,
        ),
    ] = None,
    account: Annotated[
        list[str] | None,
        typer.Option(
            "--account",
            metavar="HANDLE",
            help="Only this account (handle or platform:handle); repeatable. Default: every one.",
        ),
    ] = None,
) -> None:
    """Split a file or workspace that holds many brands into a portfolio: one workspace per
    brand account, with the customers' messages addressed to it, so that every check judges one
    brand (docs/agency.md)."""
    from .portfolio.split import split_by_account
    from .progress import progress_bar

    if by != "account":
        fail(f"--by {by!r}: expected account")
    target = into or Path(f"{source.expanduser().resolve().stem}-brands")
    with progress_bar("splitting") as bar:
        result = split_by_account(source, target, fmt=format, only=account, progress=bar)
    err_console.print(
        f"split {source} into {len(result.brands)} brand workspaces in {result.into}",
        markup=False,
    )
    if result.shared_inbound:
        err_console.print(
            f"  {result.shared_inbound} customer messages address several brands: each of "
            "them has a copy",
            markup=False,
        )
    for count, what in (
        (
            result.unaddressed_inbound,
            "customer messages address none of the accounts split: left out",
        ),
        (result.unnamed_brand_messages, "brand messages name no account: left out"),
        (result.other_brand_messages, "messages of the other brand accounts: left out"),
        (
            result.ledger_rows,
            "cost and conversion rows name no account: not split (import "
            "each brand's ledgers into its workspace)",
        ),
    ):
        if count:
            err_console.print(f"  {count} {what}", markup=False)
    err_console.print(f"next: socialaudit portfolio audit {result.into}", markup=False)
