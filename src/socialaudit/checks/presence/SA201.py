"""SA201 no-presence: no account, or accounts gone quiet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...model import Verdict
from ...vocabulary import DAY, PUBLIC_ACTIVITY, iso, needs
from ..base import AuditContext, Check, Finding, Option, worst
from .accounts import known_accounts, today


class NoPresence(Check):
    """No account on any network, or accounts with no public message for weeks."""

    code = "SA201"
    name = "no-presence"
    area = "presence"
    severity = "high"
    requires = ("brand_posts", "timeline")
    seeds = ("000",)
    options = (
        Option(
            "warn_days",
            14,
            "Two weeks without a word is when followers start to notice silence; a warning "
            "leaves time to act before the account looks abandoned.",
            type=int,
            minimum=1,
        ),
        Option(
            "fail_days",
            30,
            "A month without any public message makes an account look abandoned to anyone who "
            "finds it (rulebook default).",
            type=int,
            minimum=1,
        ),
    )
    doc = """
## What it detects

A brand with no account on any network, or with an account that has gone quiet: no public
message of any kind (post, reply, comment or repost) for `warn_days` or `fail_days` before the
audit date. Direct messages do not count, because nobody visiting the profile sees them.

Accounts come from the imported exports (the accounts table), from the account named on
imported messages, and from `[brand] accounts` in the config. An account listed in the config
whose data was never imported is `unknown`, not dormant: the audit cannot see what it never got.

## Why it matters

Customers look a business up on social networks and expect to find it there, answering and up
to date. No account at all looks out of touch; an account whose last post is months old looks
worse, because it says the business stopped caring where customers still look.

## Example

The X account's last post is 45 days before the newest message in the workspace: the check
fails with `days_since_last_activity = 45` and lists the account with the date of its last
post, also saying how many days ago that is from today.
"""
    advice = (
        "Post on every account you keep at least every couple of weeks, even briefly; close or "
        "hand over the accounts you cannot keep alive, and say where customers can reach you."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        accounts = known_accounts(ctx)
        ref = ctx.as_of
        assert ref is not None  # `requires` brand posts: there is a newest message
        last = self.last_activity(ctx)
        now = today()
        per_account: dict[str, dict[str, Any]] = {}
        verdicts: list[str] = []
        evidence: list[dict[str, Any]] = []
        notes: list[str] = []
        sampled = []
        for key in sorted(accounts):
            if key.lower() in last and not ctx.account_has(key, "timeline"):
                sampled.append(key)
                per_account[key] = {"messages": last[key.lower()]["messages"]}
                continue
            end = ctx.dates.of(key) or ref
            verdict, figures, item = self.judge_account(key, last.get(key.lower()), end, now, opts)
            per_account[key] = figures
            if verdict is None and accounts[key] == "export":
                # The account's own export holds no public message: it never posted.
                verdict, item = (
                    "fail",
                    {
                        "account": key,
                        "start": None,
                        "end": iso(end),
                        "days": None,
                        "note": "its own export holds no public message",
                    },
                )
                per_account[key] = {"messages": 0, "days_since_last_activity": None}
            elif verdict is None:
                notes.append(
                    f"{key}: none of the brand's own messages are imported for this account; "
                    "import its export to judge it"
                )
            if verdict is not None:
                verdicts.append(verdict)
            if item is not None:
                evidence.append(item)
        if sampled:
            notes.append(
                "not judged, as only a dataset slice (TWCS-style) of their messages is imported "
                "and its gaps would measure the sampling: " + ", ".join(sampled)
            )
        if not verdicts:
            return self.unknown(
                "no public message of the brand is imported for any of its accounts "
                f"({', '.join(sorted(accounts))})",
                needs("brand_posts"),
            )
        figures, quiet = self.summary(accounts, per_account, verdicts, ref, now, opts)
        single = ctx.dates.one()
        before = f"before {iso(single)}" if single else "before each account's audit date"
        message = (
            f"{len(quiet)} of {len(verdicts)} accounts quiet for over {opts['warn_days']} days "
            f"{before}: {', '.join(quiet)}"
            if quiet
            else f"every account posted within {opts['warn_days']} days {before}"
        )
        notes.append(
            f"judged as of {ctx.dates.describe()}; the latest is "
            f"{figures['days_since_as_of_today']} days before today"
        )
        return self.finding(
            Verdict(worst(verdicts)),
            message=message,
            figures=figures,
            per_account=per_account,
            evidence=evidence,
            notes=notes,
        )

    def last_activity(self, ctx: AuditContext) -> dict[str, dict[str, Any]]:
        """Per account (lower-case key): its last public message and last post up to its audit
        date, and how many public messages it has."""
        act = ctx.brand_messages(PUBLIC_ACTIVITY)
        act = ctx.dates.with_end(act, act.acct)
        act = act.filter(act.ts <= act.audit_ts)
        last = act.group_by(acct=act.acct.lower()).aggregate(
            last_activity=act.created_at.max(),
            last_post=act.created_at.max(where=act.kind == "post"),
            messages=act.count(),
        )
        return {r["acct"]: r for r in ctx.rows(last)}

    def judge_account(
        self,
        key: str,
        last: dict[str, Any] | None,
        ref: datetime,
        now: datetime,
        opts: dict[str, Any],
    ) -> tuple[str | None, dict[str, Any], dict[str, Any] | None]:
        """(verdict, figures, evidence item) of one account; no verdict without its messages."""
        if last is None:
            return None, {"messages": None, "days_since_last_activity": None}, None
        days = (ref - last["last_activity"]).total_seconds() / DAY
        post_days = (
            None if last["last_post"] is None else (ref - last["last_post"]).total_seconds() / DAY
        )
        verdict = (
            "fail" if days > opts["fail_days"] else "warn" if days > opts["warn_days"] else "pass"
        )
        figures = {
            "messages": last["messages"],
            "days_since_last_activity": round(days, 2),
            "days_since_last_post": None if post_days is None else round(post_days, 2),
            "days_since_last_activity_today": round(
                (now - last["last_activity"]).total_seconds() / DAY, 2
            ),
        }
        item = None
        if verdict != "pass":
            item = {
                "account": key,
                "last_activity_at": iso(last["last_activity"]),
                "start": iso(last["last_activity"]),
                "end": iso(ref),
                "days": round(days, 2),
            }
            if last["last_post"] is not None:
                item["last_post_at"] = iso(last["last_post"])
        return verdict, figures, item

    def summary(
        self,
        accounts: dict[str, str],
        per_account: dict[str, dict[str, Any]],
        verdicts: list[str],
        ref: datetime,
        now: datetime,
        opts: dict[str, Any],
    ) -> tuple[dict[str, Any], list[str]]:
        """The overall figures, and the accounts quiet for longer than the warning line."""
        ages = [
            p["days_since_last_activity"]
            for p in per_account.values()
            if p["days_since_last_activity"] is not None
        ]
        quiet = [
            k
            for k, p in per_account.items()
            if p.get("messages") == 0
            or (
                p["days_since_last_activity"] is not None
                and p["days_since_last_activity"] > opts["warn_days"]
            )
        ]
        figures = {
            "accounts": len(accounts),
            "accounts_judged": len(verdicts),
            "quiet_accounts": len(quiet),
            "days_since_last_activity_max": max(ages) if ages else None,
            "days_since_last_activity_min": min(ages) if ages else None,
            "days_since_as_of_today": round((now - ref).total_seconds() / DAY, 2),
        }
        return figures, quiet
