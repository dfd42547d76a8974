"""The weekly digest: per brand, the problems that appeared and the ones that were fixed over
the last days, from the audits already stored (run `socialaudit portfolio audit` first, from
cron, as docs/agency.md shows).

Which audits are compared: the brand's newest stored audit, and the newest one at least `days`
older that ran the same checks (`history.score_history`: a score on other checks is not the same
measure); when the history is shorter than that, the oldest such audit. The comparison is the
audit history's own (`history.compare`): new, fixed, worse, better.

Formats: plain text, an HTML page, and an e-mail message (text and HTML alternatives, RFC 5322)
that cron pipes to `sendmail -t`; or sent as it is through an SMTP server and posted (the text)
to a Slack-compatible webhook with the senders of `socialaudit watch` (`alerts.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from ..history import compare, load_audit, score_history
from ..report.fmt import one_line
from .brands import Portfolio
from .run import open_brand, rows_by_ref

KINDS = ("new", "fixed", "worse", "better")
KIND_WORDS = {
    "new": "new problems",
    "fixed": "fixed",
    "worse": "got worse",
    "better": "got better",
}


@dataclass
class BrandWeek:
    name: str
    latest_at: datetime | None = None
    since: datetime | None = None
    score_before: float | None = None
    score_after: float | None = None
    changes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def audited(self) -> bool:
        return self.latest_at is not None


@dataclass
class Digest:
    agency: str | None
    days: int
    created_at: datetime
    brands: list[BrandWeek]

    def count(self, kind: str) -> int:
        return sum(len(b.changes.get(kind) or []) for b in self.brands)

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "days": self.days,
            "generated_at": self.created_at.isoformat(),
            "brands": [
                {
                    "name": b.name,
                    "latest_at": b.latest_at.isoformat() if b.latest_at else None,
                    "since": b.since.isoformat() if b.since else None,
                    "score_before": b.score_before,
                    "score_after": b.score_after,
                    **{k: b.changes.get(k, []) for k in KINDS},
                }
                for b in self.brands
            ],
        }


def weekly_digest(portfolio: Portfolio, days: int = 7) -> Digest:
    rows = rows_by_ref(portfolio)
    weeks = []
    for ref in portfolio.brands:
        with open_brand(ref, rows.get(ref)) as (ws, _config):
            points = score_history(ws, ref.scope)["points"]
            if not points:
                weeks.append(BrandWeek(ref.name))
                continue
            latest = points[-1]
            cutoff = latest["created_at"] - timedelta(days=days)
            older = [p for p in points[:-1] if p["created_at"] <= cutoff]
            base = older[-1] if older else (points[0] if len(points) > 1 else None)
            week = BrandWeek(ref.name, latest_at=latest["created_at"], score_after=latest["score"])
            if base is not None:
                before, after = load_audit(ws, base["audit_id"]), load_audit(ws, latest["audit_id"])
                if before is not None and after is not None:
                    changes = compare(before, after)
                    week.since = base["created_at"]
                    week.score_before = base["score"]
                    week.changes = {
                        k: [
                            {
                                "code": c["code"],
                                "name": c.get("name"),
                                "before": c.get("before"),
                                "after": c.get("after"),
                                "message": c.get("message") or "",
                            }
                            for c in changes.get(k) or []
                        ]
                        for k in KINDS
                    }
            weeks.append(week)
    return Digest(portfolio.agency.name, days, datetime.now(UTC), weeks)


def _when(t: datetime | None) -> str:
    return f"{t.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if t else "never"


def _score(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f}"


def subject(d: Digest) -> str:
    who = f"{one_line(d.agency, 60)}: " if d.agency else ""
    return (
        f"{who}social media week, {len(d.brands)} brands: {d.count('new')} new problems, "
        f"{d.count('fixed')} fixed"
    )


def render_text(d: Digest) -> str:
    lines = [subject(d), f"The last {d.days} days of stored audits, {_when(d.created_at)}.", ""]
    for b in d.brands:
        name = one_line(b.name, 80)
        if not b.audited:
            lines += [f"{name}: not audited yet", ""]
            continue
        if b.since is None:
            lines += [
                f"{name}: score {_score(b.score_after)}; one audit so far, nothing to compare",
                "",
            ]
            continue
        lines.append(
            f"{name}: score {_score(b.score_before)} → {_score(b.score_after)} "
            f"(audits of {_when(b.since)} and {_when(b.latest_at)})"
        )
        changed = False
        for kind in KINDS:
            for c in b.changes.get(kind) or []:
                changed = True
                lines.append(
                    f"  {KIND_WORDS[kind]}: {c['code']} {c['name']} ({c['before']} → {c['after']}): "
                    f"{one_line(c['message'], 200)}"
                )
        if not changed:
            lines.append("  no check changed its verdict")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_html(d: Digest) -> str:
    from ..report.html import environment

    return (
        environment()
        .get_template("digest.html")
        .render(
            subject=subject(d),
            days=d.days,
            generated=_when(d.created_at),
            kinds=[(k, KIND_WORDS[k]) for k in KINDS],
            brands=[
                {
                    "name": b.name,
                    "audited": b.audited,
                    "compared": b.since is not None,
                    "since": _when(b.since),
                    "latest": _when(b.latest_at),
                    "before": _score(b.score_before),
                    "after": _score(b.score_after),
                    "changes": b.changes,
                }
                for b in d.brands
            ],
        )
    )


def render_email(d: Digest, to: list[str], sender: str) -> str:
    """The digest as an e-mail message for `sendmail -t`: text and HTML alternatives."""
    return email_message(d, to, sender).as_string()


def email_message(d: Digest, to: list[str], sender: str) -> EmailMessage:
    """The digest as an e-mail: text and HTML alternatives."""
    msg = EmailMessage()
    msg["Subject"] = subject(d)
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = format_datetime(d.created_at)
    msg["Message-ID"] = make_msgid(domain="socialaudit.invalid")
    msg.set_content(render_text(d))
    msg.add_alternative(render_html(d), subtype="html")
    return msg
