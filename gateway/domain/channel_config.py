"""The channels file: webhook and e-mail channels per project, in TOML, strictly validated.

Usage::

    channels = parse_channels(path.read_text(), source=str(path))

Every problem raises ``ConfigurationError`` naming the file, the ``[[channels]]``
table (counted from 1) and the key. Values are never echoed: some are secrets.
"""

import re
import tomllib
import uuid
from dataclasses import dataclass, field
from typing import TypeGuard
from urllib.parse import urlsplit

from gateway.domain.channels import Channel
from gateway.domain.keys import valid_project_name
from gateway.errors import ConfigurationError

__all__ = [
    "WEBHOOK_METHODS",
    "EmailConfig",
    "WebhookConfig",
    "channel_id",
    "parse_channels",
]

# Fixed forever: channel ids derive from it, and checks store those ids.
_NAMESPACE = uuid.UUID("5d0b7a8e-0f57-4f0e-9a8e-6c1f4b7d2e31")

WEBHOOK_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_COMMON_KEYS = frozenset({"project", "name", "kind"})
_WEBHOOK_KEYS = frozenset({"url", "method", "headers", "body"})
_EMAIL_KEYS = frozenset(
    {
        "to",
        "from",
        "smtp_host",
        "smtp_port",
        "smtp_username",
        "smtp_password",
        "smtp_starttls",
        "smtp_tls",
    }
)


def channel_id(project: str, name: str) -> str:
    """The channel's UUID: the same for the same project and name on every start."""
    return str(uuid.uuid5(_NAMESPACE, f"{project}\n{name}"))


@dataclass(frozen=True)
class WebhookConfig:
    """A webhook channel. ``body`` None sends healthgate's JSON document."""

    url: str
    method: str = "POST"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None

    def to_config(self) -> dict[str, object]:
        return {"url": self.url, "method": self.method, "headers": self.headers, "body": self.body}

    @classmethod
    def from_config(cls, config: dict[str, object]) -> "WebhookConfig":
        headers = config.get("headers")
        body = config.get("body")
        return cls(
            url=str(config["url"]),
            method=str(config.get("method", "POST")),
            headers=dict(headers) if isinstance(headers, dict) else {},
            body=body if isinstance(body, str) else None,
        )


@dataclass(frozen=True)
class EmailConfig:
    """An e-mail channel. ``smtp_starttls`` None upgrades when the server offers it."""

    to: tuple[str, ...]
    sender: str
    smtp_host: str
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool | None = None
    smtp_tls: bool = False

    def to_config(self) -> dict[str, object]:
        return {
            "to": list(self.to),
            "from": self.sender,
            "smtp_host": self.smtp_host,
            "smtp_port": self.smtp_port,
            "smtp_username": self.smtp_username,
            "smtp_password": self.smtp_password,
            "smtp_starttls": self.smtp_starttls,
            "smtp_tls": self.smtp_tls,
        }

    @classmethod
    def from_config(cls, config: dict[str, object]) -> "EmailConfig":
        to = config.get("to")
        port = config.get("smtp_port", 25)
        starttls = config.get("smtp_starttls")
        return cls(
            to=tuple(str(item) for item in to) if isinstance(to, list) else (),
            sender=str(config["from"]),
            smtp_host=str(config["smtp_host"]),
            smtp_port=port if isinstance(port, int) else 25,
            smtp_username=_optional_str(config.get("smtp_username")),
            smtp_password=_optional_str(config.get("smtp_password")),
            smtp_starttls=starttls if isinstance(starttls, bool) else None,
            smtp_tls=config.get("smtp_tls") is True,
        )


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


class _Table:
    """One ``[[channels]]`` table being read; errors name the file, table and key."""

    def __init__(self, source: str, number: int, data: dict[str, object]) -> None:
        self._source = source
        self._number = number
        self._data = data

    def error(self, key: str | None, reason: str) -> ConfigurationError:
        where = f"{self._source}: [[channels]] table {self._number}"
        return ConfigurationError(
            f"{where}, key {key!r}: {reason}" if key else f"{where}: {reason}"
        )

    def has(self, key: str) -> bool:
        return key in self._data

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        if key not in self._data:
            if required:
                raise self.error(key, "is required")
            return default
        value = self._data[key]
        if not isinstance(value, str):
            raise self.error(key, "must be a string")
        return value

    def nonempty(self, key: str, *, required: bool = True) -> str | None:
        if not required and key not in self._data:
            return None
        value = self.text(key)
        if not value.strip():
            raise self.error(key, "must not be empty")
        return value

    def flag(self, key: str) -> bool | None:
        if key not in self._data:
            return None
        value = self._data[key]
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self._data.get(key, default)
        # bool is an int in Python; `smtp_port = true` is a mistake.
        if type(value) is not int or not low <= value <= high:
            raise self.error(key, f"must be an integer from {low} to {high}")
        return value

    def value(self, key: str) -> object:
        return self._data.get(key)


def _string_list(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _webhook(table: _Table) -> dict[str, object]:
    url = table.nonempty("url")
    assert url is not None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise table.error("url", "must be an http:// or https:// URL")
    method = table.text("method", required=False, default="POST")
    if method not in WEBHOOK_METHODS:
        raise table.error("method", f"must be one of {', '.join(WEBHOOK_METHODS)}")
    headers = table.value("headers") if table.has("headers") else {}
    if not isinstance(headers, dict):
        raise table.error("headers", "must be a table of header names and string values")
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            raise table.error("headers", f"{name!r} is not a valid header name")
        if not isinstance(value, str) or "\r" in value or "\n" in value:
            raise table.error("headers", f"the value of {name!r} must be a one-line string")
    body = table.text("body", required=False) if table.has("body") else None
    return WebhookConfig(url, method, dict(headers), body).to_config()


def _email(table: _Table) -> dict[str, object]:
    to = table.value("to")
    if not table.has("to"):
        raise table.error("to", "is required")
    if not _string_list(to) or not to:
        raise table.error("to", "must be a non-empty list of e-mail addresses")
    if not all(_EMAIL.match(address) for address in to):
        raise table.error("to", "must hold e-mail addresses only")
    sender = table.nonempty("from")
    assert sender is not None
    if not _EMAIL.match(sender.strip().rsplit("<", 1)[-1].rstrip(">")):
        raise table.error("from", "must be an e-mail address")
    host = table.nonempty("smtp_host")
    assert host is not None
    tls = table.flag("smtp_tls") or False
    starttls = table.flag("smtp_starttls")
    if tls and starttls:
        raise table.error("smtp_starttls", "cannot be true together with smtp_tls")
    username = table.nonempty("smtp_username", required=False)
    password = table.nonempty("smtp_password", required=False)
    if (username is None) != (password is None):
        missing = "smtp_password" if password is None else "smtp_username"
        raise table.error(missing, "is required when the other SMTP credential is set")
    return EmailConfig(
        to=tuple(to),
        sender=sender,
        smtp_host=host,
        smtp_port=table.integer("smtp_port", 465 if tls else 25, 1, 65535),
        smtp_username=username,
        smtp_password=password,
        smtp_starttls=starttls,
        smtp_tls=tls,
    ).to_config()


_KIND_KEYS = {"webhook": _WEBHOOK_KEYS, "email": _EMAIL_KEYS}


def _channel(table: _Table, data: dict[str, object]) -> Channel:
    project = table.nonempty("project")
    assert project is not None
    if not valid_project_name(project):
        raise table.error("project", "must be 1-63 lowercase letters, digits, '.', '_' or '-'")
    name = table.nonempty("name")
    assert name is not None
    if len(name) > 100:
        raise table.error("name", "must be at most 100 characters")
    kind = table.text("kind")
    if kind not in _KIND_KEYS:
        raise table.error("kind", "must be 'webhook' or 'email'")
    allowed = _COMMON_KEYS | _KIND_KEYS[kind]
    for key in data:
        if key not in allowed:
            raise table.error(key, f"is not a key of {kind} channels")
    config = _webhook(table) if kind == "webhook" else _email(table)
    return Channel(channel_id(project, name), project, name, kind, config)


def parse_channels(text: str, source: str) -> list[Channel]:
    """Every channel the file declares, in file order.

    Raises:
        ConfigurationError: not TOML, an unknown key, a wrong type or value, or
            the same (project, name) twice.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{source}: not valid TOML: {exc}") from None
    for key in document:
        if key != "channels":
            raise ConfigurationError(f"{source}: unknown top-level key {key!r}")
    tables = document.get("channels", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigurationError(f"{source}: 'channels' must be an array of tables")
    channels: list[Channel] = []
    seen: dict[tuple[str, str], int] = {}
    for number, data in enumerate(tables, start=1):
        table = _Table(source, number, data)
        channel = _channel(table, data)
        first = seen.setdefault((channel.project, channel.name), number)
        if first != number:
            raise table.error("name", f"duplicates table {first} (same project and name)")
        channels.append(channel)
    return channels
