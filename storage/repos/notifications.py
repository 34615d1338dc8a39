"""The ``notifications`` collection: every delivery attempt of a flip to a channel."""

from pymongo import ASCENDING, DESCENDING

from gateway.domain.notifications import NotificationAttempt
from storage.types import Collection, Document

__all__ = ["NotificationsRepo"]


def _to_domain(doc: Document) -> NotificationAttempt:
    return NotificationAttempt(
        flip_id=doc["flip_id"],
        channel_id=doc["channel_id"],
        project=doc["project"],
        attempt=doc["attempt"],
        ok=doc["ok"],
        error=doc.get("error", ""),
        latency_ms=doc["latency_ms"],
        at=doc["at"],
    )


class NotificationsRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index(
            [("flip_id", ASCENDING), ("channel_id", ASCENDING), ("attempt", ASCENDING)],
            name="by_flip",
        )
        await self._c.create_index(
            [("channel_id", ASCENDING), ("at", DESCENDING)], name="by_channel"
        )

    async def insert_many(self, attempts: list[NotificationAttempt]) -> None:
        if not attempts:
            return
        await self._c.insert_many(
            [
                {
                    "flip_id": a.flip_id,
                    "channel_id": a.channel_id,
                    "project": a.project,
                    "attempt": a.attempt,
                    "ok": a.ok,
                    "error": a.error,
                    "latency_ms": a.latency_ms,
                    "at": a.at,
                }
                for a in attempts
            ]
        )

    async def for_flip(self, flip_id: str) -> list[NotificationAttempt]:
        """Every attempt for one flip, by channel and then attempt number."""
        cursor = self._c.find({"flip_id": flip_id}).sort(
            [("channel_id", ASCENDING), ("attempt", ASCENDING)]
        )
        return [_to_domain(doc) async for doc in cursor]

    async def for_channel(self, channel_id: str, limit: int = 50) -> list[NotificationAttempt]:
        """The newest attempts on one channel, newest first."""
        cursor = (
            self._c.find({"channel_id": channel_id})
            .sort([("at", DESCENDING), ("_id", DESCENDING)])
            .limit(limit)
        )
        return [_to_domain(doc) async for doc in cursor]
