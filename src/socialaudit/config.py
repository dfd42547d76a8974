"""The workspace's config file, `socialaudit.toml`, read into validated settings.

Unknown top-level sections and wrong types are errors (one line, exit 2), because a typo in a
threshold that is silently ignored gives a wrong verdict. Per-check options are validated by the
check registry, which knows each check's option specs.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BrandConfig(_Strict):
    name: str | None = None
    # Brand accounts as "platform:handle" (or a bare handle on any platform). When empty, the
    # accounts the imports found (accounts table) are the brand's.
    accounts: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    currency: str | None = None
    # Optional: social media's share of the marketing budget is computed against this (SA505).
    marketing_budget: float | None = None

    def names(self, platform: str, handle: str | None) -> bool:
        """Whether `accounts` names this account ("platform:handle", or a bare handle on any
        platform; case and a leading @ do not matter). True for every account when it is empty:
        then the accounts the imports found are the brand's."""
        if not self.accounts:
            return True
        if handle is None:
            return False
        for entry in self.accounts:
            p, _, h = entry.rpartition(":")
            if h.lstrip("@").lower() == handle.lower() and (not p or p == platform):
                return True
        return False

    @field_validator("domains")
    @classmethod
    def _lower_domains(cls, v: list[str]) -> list[str]:
        return [d.strip().lower().removeprefix("www.") for d in v if d.strip()]

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = v.strip().upper()
        if len(v) != 3 or not v.isalpha():
            raise ValueError("expected a three-letter ISO 4217 code such as EUR or USD")
        return v


class ChecksConfig(BaseModel):
    """`[checks]`: selection, the audit date, plus one `[checks.CODE]` table of options per check."""

    model_config = ConfigDict(extra="allow")
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    # The day every check judges from (end of that day, UTC); unset: the newest message in the
    # workspace (an export is a snapshot: its audit judges the period it covers).
    as_of: date | None = None

    def options_for(self, code: str) -> dict[str, Any]:
        extra = self.model_extra or {}
        value = extra.get(code, {})
        if not isinstance(value, dict):
            raise ConfigError(f"[checks.{code}] must be a table of options, not {value!r}")
        return value

    def option_tables(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Goal(_Strict):
    metric: str
    target: float
    by: date
    platform: str | None = None


class BrandEntry(BrandConfig):
    """`[brands.NAME]`: one brand of a workspace that holds several (an agency's clients).

    Its accounts (required), and optionally its own name, domains, currency, budget and goals;
    what it leaves out comes from `[brand]` and `[[goals]]`. `socialaudit audit --brand NAME`
    audits it alone, `socialaudit portfolio audit` audits every brand (docs/agency.md).
    """

    goals: list[Goal] | None = None

    @field_validator("accounts")
    @classmethod
    def _some_accounts(cls, v: list[str]) -> list[str]:
        if not [a for a in v if a.strip()]:
            raise ValueError('expected the brand\'s accounts, e.g. accounts = ["x:acme"]')
        return v


class Connection(_Strict):
    """`[[connect]]`: an account `socialaudit connect` checked, which `sync` pulls from.

    Never holds the credential: that is in the OS keyring or the user's credentials file
    (`socialaudit.credentials`), under a key made of the platform, service and handle.
    """

    platform: str
    handle: str
    service: str  # the API's base URL (a PDS, a Mastodon instance, the X API)
    account_id: str | None = None
    credential: str = "keyring"  # where the secret was stored: keyring or file


class EngineConfig(_Strict):
    """`[engine]`: what runs the audit (docs/scale.md). DuckDB on this machine by default; Spark
    (the extra `socialaudit[spark]`) reads the workspace's tables as Parquet in `warehouse`."""

    name: Literal["duckdb", "spark"] = "duckdb"
    # local[N] (this machine, N cores), a cluster's master URL, or Spark Connect sc://host:port
    master: str = "local[2]"
    # a folder or an object store path (s3a://bucket/path); default: <workspace>/warehouse
    warehouse: str | None = None
    # more Spark settings, passed to the session as they are (spark.executor.memory = "4g")
    conf: dict[str, str] = Field(default_factory=dict)


class Config(_Strict):
    brand: BrandConfig = Field(default_factory=BrandConfig)
    # Several brands in one workspace, each a named set of accounts (see BrandEntry).
    brands: dict[str, BrandEntry] = Field(default_factory=dict)
    checks: ChecksConfig = Field(default_factory=ChecksConfig)
    # SA601-SA603: answers to the self-assessment (true = yes). A missing answer is `unknown`.
    self_assessment: dict[str, bool] = Field(default_factory=dict)
    goals: list[Goal] = Field(default_factory=list)
    # The draft linter's options, validated by the linter ([lint] and [lint.SL1xx]).
    lint: dict[str, Any] = Field(default_factory=dict)
    # Text understanding: which backend, where the trained model lives.
    text: dict[str, Any] = Field(default_factory=dict)
    # Live accounts (`socialaudit connect`), written by that command.
    connect: list[Connection] = Field(default_factory=list)
    engine: EngineConfig = Field(default_factory=EngineConfig)

    def for_brand(self, name: str) -> Config:
        """The config of one brand of `[brands]`: its entry over `[brand]` (the keys it sets
        replace those of `[brand]`; its goals, when it has any, replace `[[goals]]`)."""
        entry = self.brands.get(name)
        if entry is None:
            known = ", ".join(sorted(self.brands)) or "none: add [brands.NAME] accounts = [...]"
            raise ConfigError(f"no brand {name!r} in [brands] (known: {known})")
        given = entry.model_dump(include=entry.model_fields_set - {"goals"})
        brand = self.brand.model_copy(update={"name": name, **given})
        goals = self.goals if entry.goals is None else entry.goals
        return self.model_copy(update={"brand": brand, "brands": {}, "goals": goals})


def load_config(path: Path) -> Config:
    """Read and validate a config file; a missing file is the default config."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc})") from exc
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], where: str = "socialaudit.toml") -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        raise ConfigError(f"{where}: [{loc}] {msg}") from exc
