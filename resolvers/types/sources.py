"""``Node`` and ``HealthSource``: what every kind of source answers alike."""

from datetime import datetime, timedelta

import strawberry

from gateway.domain.status import SourceRef
from gateway.domain.uptime import uptime_ratio
from gateway.errors import InvalidInputError
from resolvers.context import Context
from resolvers.loaders import FlipsKey
from resolvers.pagination import Connection, paginate
from resolvers.types.status import SourceKind, Status, StatusChange

__all__ = ["HealthSource", "Node"]

_MAX_WINDOW = 366 * 24 * 3600


@strawberry.interface(description="An object with a global id, for node(id).")
class Node:
    id: strawberry.ID


@strawberry.interface(description="Anything whose health healthgate knows.")
class HealthSource(Node):
    kind: SourceKind
    name: str
    project: str
    status: Status
    last_checked_at: datetime | None = strawberry.field(
        description="When the source last reported (a ping) or was probed."
    )
    ref: strawberry.Private[SourceRef]
    created_at: strawberry.Private[datetime | None]

    @strawberry.field(description="Since when the source has had its current status.")
    async def status_since(self, info: strawberry.Info[Context, None]) -> datetime | None:
        flips = await info.context.loaders.flips.load(FlipsKey(self.ref, limit=1))
        return flips[0].at if flips else self.created_at

    @strawberry.field(description="Status changes, newest first; since inclusive, until exclusive.")
    async def flips(
        self,
        info: strawberry.Info[Context, None],
        since: datetime | None = None,
        until: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[StatusChange]:
        found = await info.context.loaders.flips.load(FlipsKey(self.ref, since, until))
        changes = [StatusChange.from_domain(flip) for flip in found]
        maximum = info.context.services.settings.graphql_max_page_size
        return paginate(changes, first, after, maximum=maximum)

    @strawberry.field(
        description="Share of monitored time the source was up in the last windowSeconds "
        "(60 to 31,622,400; default 30 days), from its flips; null if never monitored."
    )
    async def uptime(
        self, info: strawberry.Info[Context, None], window_seconds: int = 30 * 24 * 3600
    ) -> float | None:
        if not 60 <= window_seconds <= _MAX_WINDOW:
            raise InvalidInputError("windowSeconds", f"must be between 60 and {_MAX_WINDOW}")
        now = info.context.services.clock()
        start = now - timedelta(seconds=window_seconds)
        found = await info.context.loaders.flips.load(FlipsKey(self.ref, since=start))
        return uptime_ratio(found, self.status.to_domain(), start, now)
