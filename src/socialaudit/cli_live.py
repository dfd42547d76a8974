"""The live-account commands: connect, sync, watch, and the inbox's reply and like.

Registered onto cli.py's `app` and `inbox_app` when cli.py imports this module. Like every
command, each one is a thin wrapper over one library call (`connectors/`, `alerts.py`).
Secrets are read from an environment variable named on the command line (never a value typed
into the command, which shells keep in their history) and are never printed.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import cli

if TYPE_CHECKING:
    from .alerts import Channels
from .cli import (
    EXIT_ERROR,
    InboxIdArg,
    SmtpPasswordEnvOpt,
    SmtpUserOpt,
    StarttlsOpt,
    WorkspaceOpt,
    _workspace_arg,
    app,
    fail,
    inbox_app,
)
from .cli import secret_from_env as _secret_from_env
from .errors import SocialauditError

connect_app = typer.Typer(
    help=(
        "Connect a live account: check its credentials once, keep them in the OS keyring (or "
        "a file only you can read), and record the account in socialaudit.toml for `sync`. "
        "docs/connectors.md says how to get the credentials on each platform."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(connect_app, name="connect")

HandleOpt = Annotated[str, typer.Option("--handle", help="The account's handle.")]


def _say(message: str) -> None:
    cli.err_console.print(message, markup=False, highlight=False)


def _connect(platform: str, service: str, handle: str, secret: str, workspace: Path | None) -> None:
    from . import credentials
    from .connectors import make_connector
    from .connectors.config import record_connection
    from .workspace import resolve_root

    root = resolve_root(_workspace_arg(workspace))
    connector = make_connector(platform, service, handle, secret)
    profile = connector.profile()  # the one check of the credentials
    handle = profile.handle.lower() if platform != "x" else profile.handle
    key = credentials.credential_key(platform, service, handle)
    stored = credentials.store(key, secret, root)
    record_connection(root, platform, service, handle, profile.account_id, stored.where)
    _say(
        f"connected {platform}:{handle} ({profile.account_id}) at {service}; "
        f"credential kept in {stored.description}; run `socialaudit sync` to pull it"
    )


@connect_app.command("bluesky")
def connect_bluesky(
    handle: HandleOpt,
    app_password_env: Annotated[
        str,
        typer.Option(
            "--app-password-env",
            help="The environment variable that holds an app password (Settings → Privacy "
            "and security → App passwords).",
        ),
    ],
    service: Annotated[
        str, typer.Option("--service", help="The account's PDS (its server).")
    ] = "https://bsky.social",
    workspace: WorkspaceOpt = None,
) -> None:
    """Connect a Bluesky account with its handle and an app password."""
    secret = _secret_from_env(app_password_env, "--app-password-env")
    _connect("bluesky", _url(service), handle.lstrip("@"), secret, workspace)


@connect_app.command("mastodon")
def connect_mastodon(
    service: Annotated[
        str, typer.Option("--service", help="The instance, e.g. https://mastodon.social.")
    ],
    access_token_env: Annotated[
        str,
        typer.Option(
            "--access-token-env",
            help="The environment variable that holds an access token (Preferences → "
            "Development → New application; scopes read and write).",
        ),
    ],
    handle: Annotated[
        str | None,
        typer.Option("--handle", help="Optional: checked against the token's account."),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Connect a Mastodon account with an access token (the token names the account)."""
    secret = _secret_from_env(access_token_env, "--access-token-env")
    _connect("mastodon", _url(service), (handle or "").lstrip("@"), secret, workspace)


@connect_app.command("x")
def connect_x(
    handle: HandleOpt,
    token_env: Annotated[
        str,
        typer.Option(
            "--token-env",
            help="The environment variable that holds a bearer token (read only) or an OAuth 2.0 "
            "user access token (read, reply, like).",
        ),
    ],
    service: Annotated[
        str, typer.Option("--service", help="The X API's base URL.")
    ] = "https://api.x.com",
    workspace: WorkspaceOpt = None,
) -> None:
    """Connect an X account (API v2) with a bearer token or a user access token."""
    secret = _secret_from_env(token_env, "--token-env")
    _connect("x", _url(service), handle.lstrip("@"), secret, workspace)


GraphTokenOpt = Annotated[
    str,
    typer.Option(
        "--token-env",
        help="The environment variable that holds a long-lived Page access token (Meta for "
        "Developers → your app → Graph API Explorer; docs/connectors.md says which permissions).",
    ),
]
GraphServiceOpt = Annotated[str, typer.Option("--service", help="The Graph API's base URL.")]


@connect_app.command("facebook")
def connect_facebook(
    page: Annotated[
        str, typer.Option("--page", help="The Page's id or username (facebook.com/USERNAME).")
    ],
    token_env: GraphTokenOpt,
    service: GraphServiceOpt = "https://graph.facebook.com",
    workspace: WorkspaceOpt = None,
) -> None:
    """Connect a Facebook Page (Graph API) with a Page access token."""
    secret = _secret_from_env(token_env, "--token-env")
    _connect("facebook", _url(service), page.lstrip("@"), secret, workspace)


@connect_app.command("instagram")
def connect_instagram(
    account: Annotated[
        str,
        typer.Option(
            "--account",
            help="The Instagram professional account's id (the Page's instagram_business_account).",
        ),
    ],
    token_env: GraphTokenOpt,
    service: GraphServiceOpt = "https://graph.facebook.com",
    workspace: WorkspaceOpt = None,
) -> None:
    """Connect an Instagram professional account (Graph API) with the access token of the
    Facebook Page it is linked to."""
    secret = _secret_from_env(token_env, "--token-env")
    _connect("instagram", _url(service), account.lstrip("@"), secret, workspace)


def _url(service: str) -> str:
    service = service.strip().rstrip("/")
    if not service.startswith(("https://", "http://")):
        fail(f"--service {service!r}: expected a URL such as https://bsky.social")
    return service


# -- sync -------------------------------------------------------------------------------------


def _parse_since(since: str | None) -> datetime | None:
    if not since:
        return None
    try:
        day = datetime.fromisoformat(since)
    except ValueError:
        fail(f"--since {since!r}: expected a date like 2024-01-31")
    return day if day.tzinfo else day.replace(tzinfo=UTC)


def _run_sync(
    workspace: Path | None, since: datetime | None, account: str | None, verbose: bool
) -> int:
    """Sync every connected account (or one); returns how many failed (each said in one line)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .config import load_config
    from .connectors.base import Retry
    from .connectors.sync import connector_for, sync_account
    from .workspace import CONFIG_NAME, Workspace, resolve_root

    failed = 0
    root = resolve_root(_workspace_arg(workspace))
    # The config first: a mistyped folder gets one line, not a new empty workspace.
    config = load_config(root / CONFIG_NAME)
    conns = [c for c in config.connect if account in (None, f"{c.platform}:{c.handle}", c.handle)]
    if not conns:
        if account:
            fail(f"--account {account!r}: no such connected account (see `socialaudit status`)")
        fail(
            f"{root}: no connected accounts; run `socialaudit connect bluesky|mastodon|x|facebook|instagram ...` first"
        )
    with Workspace.open(root) as ws:
        console = Console(stderr=True)
        show_bar = console.is_terminal and not verbose
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not show_bar,
        ) as bar:
            task = bar.add_task("syncing", total=None)
            retry = Retry(on_wait=lambda why, s: _say(f"  {why}: waiting {s:.0f} s"))
            for conn in conns:
                label = f"{conn.platform}:{conn.handle}"

                def progress(label: str, endpoint: str, items: int, written: int) -> None:
                    bar.update(
                        task, description=f"{label} {endpoint}: {items} read, {written} written"
                    )

                def on_page(where: str, written: dict[str, int]) -> None:
                    if verbose:
                        rows = ", ".join(f"{n} {t}" for t, n in written.items()) or "nothing new"
                        _say(f"  page written: {where}: {rows}")

                try:
                    connector = connector_for(conn, ws.root, retry)
                    result = sync_account(
                        ws, conn, connector, since=since, progress=progress, on_page=on_page
                    )
                except SocialauditError as exc:
                    failed += 1
                    bar.stop()
                    cli.err_console.print(
                        f"[red]error:[/red] {_escape(exc.one_line())}", highlight=False
                    )
                    continue
                rows = ", ".join(
                    f"{n} {t}" for t, n in sorted(result.written.items()) if t != "sync_state"
                )
                _say(f"synced {label}: {rows or 'nothing new'} ({result.items} items read)")
        # The labelling stage, once, after every account's pages are in (as after an import):
        # it labels only what is new or changed, so a sync that brought nothing labels nothing.
        cli._label(ws)
    return failed


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@app.command("sync")
def sync_cmd(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Pull back to this day (YYYY-MM-DD) whatever was pulled before.",
            show_default=False,
        ),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account", help="Only this connected account (platform:handle).", show_default=False
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say what each page wrote.")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> int:
    """Pull what is new from every connected account into the workspace (incremental, one
    transaction per page: a sync stopped half-way keeps what it wrote and the next continues).

    Exit code 0 when every account synced, 2 when one could not (one line says why).
    """
    failed = _run_sync(workspace, _parse_since(since), account, verbose)
    return EXIT_ERROR if failed else 0


# -- watch ------------------------------------------------------------------------------------

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_every(value: str) -> float:
    m = _EVERY.match(value)
    if not m:
        fail(f"--every {value!r}: expected a duration such as 30s, 5m or 1h")
    seconds = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    if seconds < 1:
        fail(f"--every {value!r}: at least one second")
    return seconds


@app.command("watch")
def watch_cmd(
    every: Annotated[str, typer.Option("--every", help="How often: 30s, 5m, 1h.")] = "5m",
    once: Annotated[bool, typer.Option("--once", help="One round, then stop (for cron).")] = False,
    webhook_env: Annotated[
        str | None,
        typer.Option(
            "--webhook-env",
            help="An environment variable holding a Slack-compatible incoming-webhook URL.",
            show_default=False,
        ),
    ] = None,
    email_to: Annotated[
        list[str] | None,
        typer.Option(
            "--email-to", help="Send alerts to this address (repeatable).", show_default=False
        ),
    ] = None,
    email_from: Annotated[
        str | None, typer.Option("--email-from", help="The sender address.", show_default=False)
    ] = None,
    smtp: Annotated[
        str, typer.Option("--smtp", help="The SMTP server as HOST:PORT.")
    ] = "localhost:25",
    smtp_user: SmtpUserOpt = None,
    smtp_password_env: SmtpPasswordEnvOpt = None,
    starttls: StarttlsOpt = False,
    terminal: Annotated[
        bool,
        typer.Option("--terminal/--no-terminal", help="Also print each alert on standard output."),
    ] = True,
    workspace: WorkspaceOpt = None,
) -> int:
    """Sync, then re-run the care checks' rules on the inbox and alert on each request that
    passed the reply window and each complaint that came in, once per message: to a webhook,
    by e-mail, on the terminal. Ctrl+C stops it."""
    from .alerts import Channels

    period = parse_every(every)
    smtp_settings = (
        cli.smtp_settings(smtp, email_to, email_from, smtp_user, smtp_password_env, starttls)
        if email_to
        else None
    )
    channels = Channels(
        webhook=_secret_from_env(webhook_env, "--webhook-env") if webhook_env else None,
        smtp=smtp_settings,
        terminal=_print_line if terminal else None,
    )
    if channels.webhook is None and channels.smtp is None and channels.terminal is None:
        fail("no channel for the alerts: give --webhook-env, --email-to, or leave --terminal on")
    failed_rounds = 0
    while True:
        failed_rounds += _watch_round(workspace, channels)
        if once:
            return EXIT_ERROR if failed_rounds else 0
        time.sleep(period)


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _watch_round(workspace: Path | None, channels: Channels) -> int:
    from .alerts import due_alerts, record, send, summary
    from .audit import run_audit
    from .config import load_config
    from .workspace import Workspace

    failed = _run_sync(workspace, None, None, verbose=False)
    with Workspace.open(_workspace_arg(workspace)) as ws:
        config = load_config(ws.config_path)
        delivered, errors = send(due_alerts(ws, config), channels)
        record(ws, delivered)
        # The care checks on what was just synced (not stored: a round every few minutes
        # would bury the audit history).
        care = run_audit(ws, config, select=["care"]).findings
    for f in care:
        _say(f"  {f.code} {f.verdict.value}: {f.message}")
    for line in dict.fromkeys(errors):
        cli.err_console.print(f"[red]error:[/red] {_escape(line)}", highlight=False)
    s = summary(delivered)
    _say(
        f"watch {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: {s['alerts']} alerts "
        f"({s['overdue']} overdue, {s['complaints']} complaints)"
    )
    return 1 if failed or errors else 0


# -- inbox actions ----------------------------------------------------------------------------

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be sent, and send nothing.")
]


@inbox_app.command("reply")
def inbox_reply(
    message: InboxIdArg,
    text: Annotated[str, typer.Option("--text", help="The reply.")],
    force: Annotated[
        bool, typer.Option("--force", help="Send even when the draft linter finds errors.")
    ] = False,
    dry_run: DryRunOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Answer an item on the platform, as the connected account it is addressed to (the draft
    linter checks the reply first; errors stop it unless --force)."""
    from .config import load_config
    from .connectors.actions import reply
    from .inbox import resolve_ref
    from .workspace import Workspace

    with Workspace.open(_workspace_arg(workspace), create=False) as ws:
        platform, message_id = resolve_ref(ws, message)
        result = reply(
            ws,
            load_config(ws.config_path),
            platform,
            message_id,
            text,
            force=force,
            dry_run=dry_run,
        )
    for f in result.findings:
        _say(f"  {f.code} {f.level}: {f.message} ({f.remedy})")
    if dry_run:
        _say(f"dry run: would reply to {platform}:{message_id} as {result.account}: {text}")
    else:
        _say(f"replied to {platform}:{message_id} as {result.account}: {result.action_id}")


@inbox_app.command("like")
def inbox_like(
    message: InboxIdArg, dry_run: DryRunOpt = False, workspace: WorkspaceOpt = None
) -> None:
    """Like (favourite) an item on the platform: thanks for praise."""
    from .config import load_config
    from .connectors.actions import like
    from .inbox import resolve_ref
    from .workspace import Workspace

    with Workspace.open(_workspace_arg(workspace), create=False) as ws:
        platform, message_id = resolve_ref(ws, message)
        result = like(ws, load_config(ws.config_path), platform, message_id, dry_run=dry_run)
    if dry_run:
        _say(f"dry run: would like {platform}:{message_id} as {result.account}")
    else:
        _say(f"liked {platform}:{message_id} as {result.account}: {result.action_id}")
