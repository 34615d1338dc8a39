"""Notifications: what a flip becomes on each channel, delivery outcomes and retry timing.

Placeholders, in Healthchecks' style, are replaced in webhook URLs (URL-encoded),
header values and bodies, and in nothing else:

=========== ===============================================
``$CODE``    the check's UUID
``$NAME``    the check's name
``$STATUS``  the new status: ``down`` or ``up``
``$NOW``     when the notification is sent (ISO 8601, UTC, seconds)
``$PROJECT`` the project
``$REASON``  why the status changed (e.g. ``timeout``), may be empty
``$JSON``    healthgate's JSON document of the notification
=========== ===============================================
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import TypedDict
from urllib.parse import quote

from gateway.domain.channel_config import EmailConfig, WebhookConfig
from gateway.domain.status import Flip

__all__ = [
    "DeliveryOutcome",
    "NotificationAttempt",
    "NotificationJson",
    "WebhookRequest",
    "backoff_delay",
    "email_message",
    "notification_json",
    "render_template",
    "webhook_request",
]

_PLACEHOLDER = re.compile(r"\$(PROJECT|REASON|STATUS|CODE|NAME|JSON|NOW)")


class NotificationJson(TypedDict):
    project: str
    code: str
    name: str
    status: str
    previous_status: str
    at: str
    reason: str
    now: str


@dataclass(frozen=True)
class DeliveryOutcome:
    """One attempt's result; ``error`` is empty when it succeeded."""

    ok: bool
    error: str = ""
    latency_ms: float = 0.0


@dataclass(frozen=True)
class NotificationAttempt:
    """A stored delivery attempt of one flip to one channel."""

    flip_id: str
    channel_id: str
    project: str
    attempt: int
    ok: bool
    error: str
    latency_ms: float
    at: datetime


@dataclass(frozen=True)
class WebhookRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def notification_json(flip: Flip, now: datetime) -> NotificationJson:
    return {
        "project": flip.project,
        "code": flip.source.id,
        "name": flip.name,
        "status": flip.to_status.value,
        "previous_status": flip.from_status.value,
        "at": _iso(flip.at),
        "reason": flip.reason,
        "now": _iso(now),
    }


def _values(flip: Flip, now: datetime) -> dict[str, str]:
    return {
        "CODE": flip.source.id,
        "NAME": flip.name,
        "STATUS": flip.to_status.value,
        "NOW": _iso(now),
        "PROJECT": flip.project,
        "REASON": flip.reason,
        "JSON": json.dumps(notification_json(flip, now)),
    }


def render_template(template: str, flip: Flip, now: datetime, *, url: bool = False) -> str:
    """``template`` with its placeholders replaced; URL-encoded values when ``url``."""
    values = _values(flip, now)

    def replace(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        return quote(value, safe="") if url else value

    return _PLACEHOLDER.sub(replace, template)


def webhook_request(config: WebhookConfig, flip: Flip, now: datetime) -> WebhookRequest:
    """The HTTP request a webhook channel sends for ``flip``."""
    headers = {
        # A placeholder must not smuggle a second header in through a line break.
        name: " ".join(render_template(value, flip, now).splitlines())
        for name, value in config.headers.items()
    }
    if config.body is None:
        body = json.dumps(notification_json(flip, now)).encode()
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = "application/json"
    else:
        body = render_template(config.body, flip, now).encode()
    if config.method == "GET":
        body = b""
    return WebhookRequest(
        config.method, render_template(config.url, flip, now, url=True), headers, body
    )


def email_message(config: EmailConfig, flip: Flip, now: datetime) -> EmailMessage:
    """The e-mail an e-mail channel sends for ``flip``."""
    status = flip.to_status.value.upper()
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = ", ".join(config.to)
    message["Subject"] = f"{flip.name or flip.source.id} is {status}"
    lines = [
        f'The check "{flip.name or flip.source.id}" in project {flip.project} is {status}.',
        "",
        f"Check:    {flip.source.id}",
        f"Changed:  {_iso(flip.at)} ({flip.from_status.value} -> {flip.to_status.value})",
    ]
    if flip.reason:
        lines.append(f"Reason:   {flip.reason}")
    lines += [f"Sent:     {_iso(now)}", "", "-- healthgate"]
    message.set_content("\n".join(lines) + "\n")
    return message


def backoff_delay(attempt: int, base_seconds: float, max_seconds: float) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1-based): doubling, capped."""
    return timedelta(seconds=min(base_seconds * 2 ** (attempt - 1), max_seconds))
