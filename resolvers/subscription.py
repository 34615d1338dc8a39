"""The root ``Subscription``."""

import asyncio
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from gateway.errors import InvalidInputError
from resolvers.context import Context

__all__ = ["Heartbeat", "Subscription"]


@strawberry.type(description="One beat of the heartbeat subscription.")
class Heartbeat:
    sequence: int
    at: datetime


@strawberry.type
class Subscription:
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
