"""The in-process event bus that subscriptions read from.

Publishing never blocks: every subscriber has a bounded queue, and a subscriber
that falls behind is marked overflowed and dropped instead of slowing the others.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

__all__ = ["EventBus", "SubscriberOverflowError", "Subscription"]


class SubscriberOverflowError(Exception):
    """The subscriber fell more than its queue size behind and was dropped."""


class Subscription:
    def __init__(self, maxsize: int) -> None:
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize)
        self.overflowed = False

    def offer(self, event: Any) -> bool:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            return False
        return True

    def __aiter__(self) -> "Subscription":
        return self

    async def __anext__(self) -> Any:
        if self.overflowed:  # events were lost: say so rather than skip silently
            raise SubscriberOverflowError("subscriber fell behind and was disconnected")
        return await self._queue.get()


class EventBus:
    """Usage: ``async with bus.subscribe() as events: async for event in events: ...``"""

    def __init__(self, queue_size: int = 1000) -> None:
        self._queue_size = queue_size
        self._subscribers: set[Subscription] = set()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def publish(self, event: Any) -> None:
        for subscriber in list(self._subscribers):
            if not subscriber.offer(event):
                self._subscribers.discard(subscriber)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        subscription = Subscription(self._queue_size)
        self._subscribers.add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)
