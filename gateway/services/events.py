"""Event buses that subscriptions read from.

``EventBus`` is in-process: what this process records, its subscribers see.
``ChangeStreamBus`` reads the flips collection's MongoDB change stream, so every
replica's subscribers see every replica's flips (it needs a replica set).

Publishing never blocks: every subscriber has a bounded queue, and a subscriber
that falls behind is told (``SubscriberOverflowError``) and dropped instead of
slowing the others or the loop.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

__all__ = ["ChangeStreamBus", "EventBus", "SubscriberOverflowError", "Subscription"]

log = logging.getLogger("healthgate.events")


class SubscriberOverflowError(Exception):
    """The subscriber fell more than its queue size behind and was dropped."""


class Subscription:
    def __init__(self, maxsize: int) -> None:
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize)
        self._overflow = asyncio.Event()

    @property
    def overflowed(self) -> bool:
        return self._overflow.is_set()

    def offer(self, event: Any) -> bool:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._overflow.set()
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

    def announce(self, event: Any) -> None:
        """Called by whoever stored ``event``; in-process, that is the publication."""
        self.publish(event)

    def publish(self, event: Any) -> None:
        """Hand ``event`` to every local subscriber, dropping those that are full."""
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


# A change stream: entered as a context manager, iterated for events. The
# argument is the resume token of the last event seen (None at first).
StreamFactory = Callable[[Any], AbstractAsyncContextManager[AsyncIterator[tuple[Any, Any]]]]

_RETRY_SECONDS = (0.5, 1, 2, 5, 10)


class ChangeStreamBus(EventBus):
    """Publishes what the database's change stream reports, for every replica alike."""

    def __init__(self, stream: StreamFactory, queue_size: int = 1000) -> None:
        super().__init__(queue_size)
        self._stream = stream
        self._resume_token: Any = None

    def announce(self, event: Any) -> None:
        """Nothing to do: the change stream will deliver ``event`` to every replica."""

    async def run(self) -> None:
        """Follow the stream until cancelled, resuming after errors where it left off."""
        failures = 0
        while True:
            try:
                async with self._stream(self._resume_token) as events:
                    async for token, event in events:
                        self._resume_token = token
                        failures = 0
                        self.publish(event)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the stream broke: resume, never stop
                delay = _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)]
                failures += 1
                log.warning("change stream interrupted (%s); resuming in %s s", exc, delay)
                await asyncio.sleep(delay)
            else:
                failures = 0
