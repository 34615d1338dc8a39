"""``Check``, ``Ping`` and ``Channel``: a heartbeat check with every field the
Management API returns, in GraphQL naming."""

from datetime import datetime
from enum import Enum

import strawberry

from gateway.domain.channels import Channel as DomainChannel
from gateway.domain.checks import Check as DomainCheck
from gateway.domain.checks import CheckKind as DomainCheckKind
from gateway.domain.checks import Ping as DomainPing
from gateway.domain.checks.naming import unique_key
from gateway.domain.checks.state import display_status, next_ping
from gateway.domain.projects import Principal
from gateway.domain.status import SourceKind as DomainSourceKind
from gateway.domain.status import SourceRef
from gateway.domain.status import Status as DomainStatus
from gateway.errors import ForbiddenError
from resolvers.context import Context
from resolvers.ids import source_global_id
from resolvers.pagination import Connection, paginate
from resolvers.types.sources import HealthSource
from resolvers.types.status import SourceKind, Status

__all__ = ["Channel", "Check", "CheckKind", "Ping", "PingKind"]


@strawberry.enum(description="How a check's deadline is computed.")
class CheckKind(Enum):
    SIMPLE = "simple"
    CRON = "cron"
    ONCALENDAR = "oncalendar"


@strawberry.enum(description="What a ping meant; IGN pings were stored but changed nothing.")
class PingKind(Enum):
    SUCCESS = "success"
    START = "start"
    FAIL = "fail"
    LOG = "log"
    IGN = "ign"


@strawberry.type(description="An integration of the project that notifications go to.")
class Channel:
    id: str
    name: str
    kind: str

    @classmethod
    def from_domain(cls, channel: DomainChannel) -> "Channel":
        return cls(id=channel.id, name=channel.name, kind=channel.kind)


@strawberry.type(description="One ping of a check.")
class Ping:
    n: int
    kind: PingKind
    at: datetime
    scheme: str
    method: str
    remote_address: str | None
    user_agent: str
    run_id: str | None
    exit_status: int | None
    duration: float | None = strawberry.field(
        description="Seconds since the matching start ping (same run id), if known."
    )
    check_uuid: strawberry.Private[str]

    @strawberry.field(
        description="The request body as text, invalid UTF-8 replaced (fetched only when asked)."
    )
    async def body(self, info: strawberry.Info[Context, None]) -> str | None:
        data = await info.context.loaders.ping_bodies.load((self.check_uuid, self.n))
        return data.decode("utf-8", errors="replace") if data else None

    @classmethod
    def from_domain(cls, ping: DomainPing, duration: float | None) -> "Ping":
        return cls(
            n=ping.n,
            kind=PingKind(ping.kind.value),
            at=ping.created,
            scheme=ping.scheme,
            method=ping.method,
            remote_address=ping.remote_addr,
            user_agent=ping.ua,
            run_id=ping.rid,
            exit_status=ping.exit_status,
            duration=duration,
            check_uuid=ping.check,
        )


def _writer(principal: Principal | None) -> bool:
    return principal is not None and principal.can_write


@strawberry.type(description="A heartbeat check that cron jobs and daemons ping.")
class Check(HealthSource):
    slug: str
    tags: list[str]
    desc: str
    check_kind: CheckKind
    timeout: int | None = strawberry.field(description="Seconds; simple checks only.")
    schedule: str | None = strawberry.field(description="Cron or OnCalendar; not simple checks.")
    tz: str | None
    grace: int
    n_pings: int
    started: bool = strawberry.field(description="A run is in progress (a start ping came).")
    last_ping: datetime | None
    next_ping: datetime | None
    last_duration: int | None
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
    unique_key: str
    badge_url: str
    domain: strawberry.Private[DomainCheck]
    site_root: strawberry.Private[str]

    @strawberry.field(
        description="The check's uuid; null for read-only keys (it is the ping secret)."
    )
    def uuid(self, info: strawberry.Info[Context, None]) -> str | None:
        return self.domain.uuid if _writer(info.context.principal) else None

    @strawberry.field(description="Where to ping; null for read-only keys.")
    def ping_url(self, info: strawberry.Info[Context, None]) -> str | None:
        if not _writer(info.context.principal):
            return None
        return f"{self.site_root}/ping/{self.domain.uuid}"

    @strawberry.field(description="The channels notified of this check; null for read-only keys.")
    async def channels(self, info: strawberry.Info[Context, None]) -> list[Channel] | None:
        if not _writer(info.context.principal):
            return None
        found = await info.context.loaders.channels.load(self.domain.project)
        assigned = set(self.domain.channels)
        return [Channel.from_domain(channel) for channel in found if channel.id in assigned]

    @strawberry.field(description="Pings, newest first (read-write keys only, as the REST API).")
    async def pings(
        self,
        info: strawberry.Info[Context, None],
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Ping]:
        if not _writer(info.context.principal):
            raise ForbiddenError("pings need a read-write key")
        found, durations = await info.context.loaders.pings.load(self.domain)
        pings = [Ping.from_domain(ping, durations.get(ping.n)) for ping in found]
        maximum = info.context.services.settings.graphql_max_page_size
        return paginate(pings, first, after, maximum=maximum, default=10)

    @classmethod
    def from_domain(cls, check: DomainCheck, now: datetime, site_root: str) -> "Check":
        simple = check.kind is DomainCheckKind.SIMPLE
        return cls(
            id=strawberry.ID(source_global_id(SourceRef(DomainSourceKind.CHECK, check.uuid))),
            kind=SourceKind.CHECK,
            name=check.name,
            project=check.project,
            status=Status.from_domain(DomainStatus(display_status(check, now))),
            last_checked_at=check.last_ping,
            ref=SourceRef(DomainSourceKind.CHECK, check.uuid),
            created_at=check.created,
            slug=check.slug,
            tags=check.tag_list,
            desc=check.desc,
            check_kind=CheckKind(check.kind.value),
            timeout=check.timeout if simple else None,
            schedule=None if simple else check.schedule,
            tz=None if simple else check.tz,
            grace=check.grace,
            n_pings=check.n_pings,
            started=check.last_start is not None,
            last_ping=check.last_ping,
            next_ping=next_ping(check),
            last_duration=int(check.last_duration) if check.last_duration else None,
            manual_resume=check.manual_resume,
            methods=check.methods,
            subject=check.success_kw if check.filter_subject else "",
            subject_fail=check.failure_kw if check.filter_subject else "",
            start_kw=check.start_kw,
            success_kw=check.success_kw,
            failure_kw=check.failure_kw,
            filter_subject=check.filter_subject,
            filter_body=check.filter_body,
            filter_http_body=check.filter_http_body,
            filter_default_fail=check.filter_default_fail,
            unique_key=unique_key(check.uuid),
            badge_url=f"{site_root}/b/2/{check.badge_key}.svg",
            domain=check,
            site_root=site_root,
        )
