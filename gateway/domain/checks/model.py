"""Checks and pings as the status engine sees them (no I/O, no clock)."""

import enum
from dataclasses import dataclass, field
from datetime import datetime

from gateway.domain.status import Status

__all__ = ["Check", "CheckKind", "Ping", "PingKind"]


class CheckKind(enum.StrEnum):
    SIMPLE = "simple"
    CRON = "cron"
    ONCALENDAR = "oncalendar"


class PingKind(enum.StrEnum):
    """What a ping means; ``IGN`` pings are stored but change nothing."""

    SUCCESS = "success"
    START = "start"
    FAIL = "fail"
    LOG = "log"
    IGN = "ign"


@dataclass(frozen=True)
class Check:
    """A heartbeat check (Healthchecks' ``Check``).

    ``status`` is the stored status (new, up, down or paused); the displayed
    one is computed at a given time by ``gateway.domain.checks.state``.
    ``rev`` counts stored changes, so updates can be compare-and-set.
    """

    uuid: str
    project: str
    badge_key: str
    created: datetime
    name: str = ""
    slug: str = ""
    tags: str = ""
    desc: str = ""
    kind: CheckKind = CheckKind.SIMPLE
    timeout: int = 86400
    grace: int = 3600
    schedule: str = "* * * * *"
    tz: str = "UTC"
    manual_resume: bool = False
    methods: str = ""
    start_kw: str = ""
    success_kw: str = ""
    failure_kw: str = ""
    filter_subject: bool = False
    filter_body: bool = False
    filter_http_body: bool = False
    filter_default_fail: bool = False
    channels: tuple[str, ...] = ()
    status: Status = Status.NEW
    n_pings: int = 0
    last_ping: datetime | None = None
    last_start: datetime | None = None
    last_start_rid: str | None = None
    last_duration: float | None = None
    alert_after: datetime | None = None
    rev: int = field(default=0, compare=False)

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


@dataclass(frozen=True)
class Ping:
    """One stored ping; ``n`` numbers a check's pings from 1."""

    check: str
    n: int
    kind: PingKind
    created: datetime
    scheme: str = "http"
    remote_addr: str | None = None
    method: str = ""
    ua: str = ""
    rid: str | None = None
    exit_status: int | None = None
    body: bytes = b""
