"""Where the secrets of connected accounts are kept: the OS keyring, else a file only the user
can read. Never in the workspace (its database, config or logs), never in a message.

`keyring` talks to the system's credential store (Secret Service on Linux desktops, macOS
Keychain, Windows Credential Locker). Where there is none (a server, a container), the secret
goes to a JSON file outside the workspace, created with mode 0600 in a 0700 folder:
`$SOCIALAUDIT_CREDENTIALS_FILE`, else `$XDG_CONFIG_HOME/socialaudit/credentials.json`, else
`~/.config/socialaudit/credentials.json`. `SOCIALAUDIT_KEYRING=off` skips the keyring.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SocialauditError

SERVICE = "socialaudit"
KEYRING, FILE = "keyring", "file"


class CredentialError(SocialauditError):
    """A secret cannot be stored or found."""


@dataclass(frozen=True)
class Stored:
    where: str  # keyring or file
    description: str  # for `status`: the keyring backend's name, or the file's path


def credential_key(platform: str, service: str, handle: str) -> str:
    """The name a secret is stored under: one per account and server."""
    return f"{platform}:{service.rstrip('/')}:{handle.lower()}"


def credentials_file() -> Path:
    explicit = os.environ.get("SOCIALAUDIT_CREDENTIALS_FILE")
    if explicit:
        return Path(explicit).expanduser().resolve()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return (Path(base).expanduser() / "socialaudit" / "credentials.json").resolve()


def _keyring() -> Any:
    """The system keyring when one really stores secrets, else None."""
    if os.environ.get("SOCIALAUDIT_KEYRING", "").lower() in ("off", "0", "no", "false"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - a dependency, but keep the file fallback working
        return None
    backend = keyring.get_keyring()
    # The fail backend (no store at all) and the chainer with nothing behind it have priority
    # below 1; such a "keyring" raises on every call.
    try:
        usable = not isinstance(backend, fail.Keyring) and backend.priority >= 1
    except Exception:
        usable = False
    return backend if usable else None


def keyring_name() -> str | None:
    backend = _keyring()
    return None if backend is None else type(backend).__name__


def store(key: str, secret: str, workspace_root: Path) -> Stored:
    """Keep `secret` under `key`, in the keyring when there is one, else in the file."""
    backend = _keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, key, secret)
            return Stored(KEYRING, f"the OS keyring ({type(backend).__name__})")
        except Exception as exc:  # a locked or broken keyring: fall back to the file
            reason = type(exc).__name__
            _write_file(key, secret, workspace_root)
            return Stored(FILE, f"{credentials_file()} (mode 0600; the keyring failed: {reason})")
    _write_file(key, secret, workspace_root)
    return Stored(FILE, f"{credentials_file()} (mode 0600; no OS keyring here)")


def load(key: str, where: str) -> str:
    """The secret stored under `key` (`where` says which store `connect` used)."""
    if where == KEYRING:
        backend = _keyring()
        secret = None
        if backend is not None:
            try:
                secret = backend.get_password(SERVICE, key)
            except Exception:
                secret = None
        if secret is None:
            raise CredentialError(
                f"no credential for {key} in the OS keyring; run `socialaudit connect` again"
            )
        return secret
    secret = _read_file().get(key)
    if not isinstance(secret, str):
        raise CredentialError(
            f"no credential for {key} in {credentials_file()}; run `socialaudit connect` again"
        )
    return secret


def forget(key: str, where: str) -> None:
    if where == KEYRING:
        backend = _keyring()
        if backend is not None:
            with contextlib.suppress(Exception):
                backend.delete_password(SERVICE, key)
        return
    data = _read_file()
    if data.pop(key, None) is not None:
        _dump(data)


def describe(where: str) -> str:
    """Where a connection's secret is, for `status` (never the secret)."""
    if where == KEYRING:
        return f"the OS keyring ({keyring_name() or 'not reachable now'})"
    return f"the file {credentials_file()} (readable by you only)"


def _read_file() -> dict[str, str]:
    path = credentials_file()
    if not path.exists():
        return {}
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CredentialError(
            f"{path}: readable by other users (mode {mode:o}); run `chmod 600 {path}`"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CredentialError(f"{path}: not a readable credentials file ({exc})") from exc
    if not isinstance(data, dict):
        raise CredentialError(f"{path}: expected a JSON object of credentials")
    return data


def _write_file(key: str, secret: str, workspace_root: Path) -> None:
    path = credentials_file()
    root = workspace_root.resolve()
    if path == root or root in path.parents:
        raise CredentialError(
            f"{path} is inside the workspace {root}: credentials are never kept there; "
            "set SOCIALAUDIT_CREDENTIALS_FILE to a path outside it"
        )
    data = _read_file()
    data[key] = secret
    _dump(data)


def _dump(data: dict[str, str]) -> None:
    path = credentials_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    # Created 0600 from the start (no window where another user could read it), then renamed.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
