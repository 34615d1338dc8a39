"""Recording flips: stored first, then published to subscribers."""

from gateway.domain.status import Flip
from gateway.services.events import EventBus
from storage import Store

__all__ = ["FlipsService"]


class FlipsService:
    def __init__(self, store: Store, bus: EventBus) -> None:
        self._store = store
        self._bus = bus

    @property
    def bus(self) -> EventBus:
        return self._bus

    async def record(self, flip: Flip, *, notify_channels: list[str] | None = None) -> Flip:
        """Store ``flip`` and publish it on the event bus; returns it with its id.

        With ``notify_channels`` (channel ids) the flip is queued for notification.

        Only a stored flip is published, so a subscriber never sees a change
        that a restart would forget.
        """
        stored = await self._store.flips.insert(flip, notify_channels=notify_channels)
        self._bus.announce(stored)
        return stored
