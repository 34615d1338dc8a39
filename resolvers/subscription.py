"""The root ``Subscription``."""

import asyncio
import functools
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from gateway.domain.status import Flip
from gateway.errors import InvalidInputError, LimitExceededError
from gateway.services.events import SubscriberOverflowError
from gateway.services.pings import PingEvent
from resolvers.context import Context
from resolvers.ids import decode_source_id, source_global_id
from resolvers.types.checks import Ping
from resolvers.types.status import SourceKind, StatusChange

__all__ = ["Heartbeat", "StatusChangeFilter", "Subscription"]


@functools.lru_cache(maxsize=256)
def _status_change(flip: Flip) -> StatusChange:
    """One ``StatusChange`` per flip, shared by every subscriber that receives it."""
    return StatusChange.from_domain(flip)


@strawberry.type(description="One beat of the heartbeat subscription.")
class Heartbeat:
    sequence: int
    at: datetime


@strawberry.input(description="Which status changes to receive; empty lists mean all.")
class StatusChangeFilter:
    kinds: list[SourceKind] | None = None
    source_ids: list[strawberry.ID] | None = None


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Each ping of one check (uuid, unique_key or global id) as it is stored. "
        "Pings are seen by subscribers of the gateway process that received them."
    )
    async def pinged(
        self, info: strawberry.Info[Context, None], check_id: str
    ) -> AsyncGenerator[Ping, None]:
        from resolvers.checks import check_for

        principal = info.context.require_reader()
        check = await check_for(info.context, principal, check_id)
        async with info.context.services.bus.subscribe() as events:
            try:
                async for event in events:
                    if isinstance(event, PingEvent) and event.check.uuid == check.uuid:
                        yield Ping.from_domain(event.ping, None)
            except SubscriberOverflowError:
                raise LimitExceededError(
                    "this subscriber fell too far behind and was disconnected; resubscribe"
                ) from None

    @strawberry.subscription(
        description="Beats every intervalSeconds (0.01 to 3600), count times or until "
        "the client stops: a liveness probe for the WebSocket path."
    )
    async def heartbeat(
        self,
        info: strawberry.Info[Context, None],
        interval_seconds: float = 1.0,
        count: int | None = None,
    ) -> AsyncGenerator[Heartbeat, None]:
        info.context.require_reader()
        if not 0.01 <= interval_seconds <= 3600:
            raise InvalidInputError("intervalSeconds", "must be between 0.01 and 3600")
        if count is not None and count < 1:
            raise InvalidInputError("count", "must be at least 1")
        clock = info.context.services.clock
        sequence = 0
        while count is None or sequence < count:
            sequence += 1
            yield Heartbeat(sequence=sequence, at=clock())
            if count is None or sequence < count:
                await asyncio.sleep(interval_seconds)

    @strawberry.subscription(
        description="Every change of status of the caller's project's sources, as it is "
        "recorded: checks missing their deadline as much as probes that start failing."
    )
    async def status_changed(
        self, info: strawberry.Info[Context, None], filter: StatusChangeFilter | None = None
    ) -> AsyncGenerator[StatusChange, None]:
        principal = info.context.require_reader()
        kinds = {kind.value for kind in filter.kinds} if filter and filter.kinds else None
        wanted = None
        if filter and filter.source_ids:
            for source_id in filter.source_ids:
                decode_source_id(source_id)  # refuse ids this API did not issue
            wanted = set(filter.source_ids)
        async with info.context.services.bus.subscribe() as events:
            try:
                async for event in events:
                    if not isinstance(event, Flip) or event.project != principal.project:
                        continue
                    if kinds is not None and event.source.kind.value not in kinds:
                        continue
                    if wanted is not None and source_global_id(event.source) not in wanted:
                        continue
                    yield _status_change(event)
            except SubscriberOverflowError:
                raise LimitExceededError(
                    "this subscriber fell too far behind and was disconnected; resubscribe"
                ) from None
