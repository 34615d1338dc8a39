"""Healthchecks' JSON shapes, field names exactly as its API sends them."""

from datetime import UTC, datetime
from typing import NotRequired, TypedDict

from gateway.domain.channels import Channel
from gateway.domain.checks import Check, CheckKind, Ping
from gateway.domain.checks.naming import unique_key
from gateway.domain.checks.state import display_status, next_ping
from gateway.domain.status import Flip, Status

__all__ = [
    "ChannelOut",
    "CheckOut",
    "FlipOut",
    "PingOut",
    "Urls",
    "channel_out",
    "check_out",
    "flip_out",
    "ping_out",
]


class CheckOut(TypedDict):
    name: str
    slug: str
    tags: str
    desc: str
    grace: int
    n_pings: int
    status: str
    started: bool
    last_ping: str | None
    next_ping: str | None
    manual_resume: bool
    methods: str
    subject: str
    subject_fail: str
    start_kw: str
    success_kw: str
    failure_kw: str
    filter_subject: bool
    filter_body: bool
    filter_http_body: bool
    filter_default_fail: bool
    badge_url: str
    last_duration: NotRequired[int]
    unique_key: NotRequired[str]
    uuid: NotRequired[str]
    ping_url: NotRequired[str]
    update_url: NotRequired[str]
    pause_url: NotRequired[str]
    resume_url: NotRequired[str]
    channels: NotRequired[str]
    timeout: NotRequired[int]
    schedule: NotRequired[str]
    tz: NotRequired[str]


class PingOut(TypedDict):
    type: str
    date: str
    n: int
    scheme: str
    remote_addr: str | None
    method: str
    ua: str
    rid: str | None
    duration: NotRequired[float]
    body_url: str | None


class FlipOut(TypedDict):
    timestamp: str
    up: int


class ChannelOut(TypedDict):
    id: str
    name: str
    kind: str


class Urls:
    """URLs in responses: the site root, and the API version of the request."""

    def __init__(self, site_root: str, version: int) -> None:
        self.root = site_root.rstrip("/")
        self.version = version

    def check(self, check_uuid: str) -> str:
        return f"{self.root}/api/v{self.version}/checks/{check_uuid}"

    def ping(self, check_uuid: str) -> str:
        return f"{self.root}/ping/{check_uuid}"

    def badge(self, badge_key: str) -> str:
        return f"{self.root}/b/2/{badge_key}.svg"


def _iso(value: datetime | None) -> str | None:
    """ISO-8601 in UTC without microseconds, as Healthchecks' ``isostring``."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def check_out(check: Check, *, now: datetime, urls: Urls, readonly: bool) -> CheckOut:
    """A check as ``Check.to_dict``: read-only keys get ``unique_key`` instead of write URLs."""
    out: CheckOut = {
        "name": check.name,
        "slug": check.slug,
        "tags": check.tags,
        "desc": check.desc,
        "grace": check.grace,
        "n_pings": check.n_pings,
        "status": display_status(check, now, v1=urls.version == 1),
        "started": check.last_start is not None,
        "last_ping": _iso(check.last_ping),
        "next_ping": _iso(next_ping(check)),
        "manual_resume": check.manual_resume,
        "methods": check.methods,
        "subject": check.success_kw if check.filter_subject else "",
        "subject_fail": check.failure_kw if check.filter_subject else "",
        "start_kw": check.start_kw,
        "success_kw": check.success_kw,
        "failure_kw": check.failure_kw,
        "filter_subject": check.filter_subject,
        "filter_body": check.filter_body,
        "filter_http_body": check.filter_http_body,
        "filter_default_fail": check.filter_default_fail,
        "badge_url": urls.badge(check.badge_key),
    }
    if check.last_duration:
        out["last_duration"] = int(check.last_duration)
    if readonly:
        out["unique_key"] = unique_key(check.uuid)
    else:
        base = urls.check(check.uuid)
        out["uuid"] = check.uuid
        out["ping_url"] = urls.ping(check.uuid)
        out["update_url"] = base
        out["pause_url"] = base + "/pause"
        out["resume_url"] = base + "/resume"
        out["channels"] = ",".join(sorted(check.channels))
    if check.kind is CheckKind.SIMPLE:
        out["timeout"] = check.timeout
    else:
        out["schedule"] = check.schedule
        out["tz"] = check.tz
    return out


def ping_out(ping: Ping, *, urls: Urls, duration: float | None) -> PingOut:
    out: PingOut = {
        "type": ping.kind.value,
        "date": ping.created.astimezone(UTC).isoformat(),
        "n": ping.n,
        "scheme": ping.scheme,
        "remote_addr": ping.remote_addr,
        "method": ping.method,
        "ua": ping.ua,
        "rid": ping.rid,
        "body_url": f"{urls.check(ping.check)}/pings/{ping.n}/body" if ping.body else None,
    }
    if duration is not None:
        out["duration"] = duration
    return out


def flip_out(flip: Flip) -> FlipOut:
    """``up`` is 1 only for a change to up (pause and resume flips read 0)."""
    return {"timestamp": _iso(flip.at) or "", "up": 1 if flip.to_status is Status.UP else 0}


def channel_out(channel: Channel) -> ChannelOut:
    return {"id": channel.id, "name": channel.name, "kind": channel.kind}
