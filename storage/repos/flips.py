"""The ``flips`` collection: every status change of every source."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, ReturnDocument

from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from storage.types import Collection, Document

__all__ = ["FlipsRepo", "PendingNotification"]


@dataclass(frozen=True)
class PendingNotification:
    """A flip claimed for notification, with the channel ids it must reach.

    ``delivered``: channels an earlier attempt reached; ``attempts``: rounds made so far.
    """

    flip: Flip
    channels: list[str]
    delivered: list[str] = field(default_factory=list)
    attempts: int = 0


def _to_domain(doc: Document) -> Flip:
    return Flip(
        id=str(doc["_id"]),
        project=doc["project"],
        source=SourceRef(SourceKind(doc["kind"]), doc["source_id"]),
        name=doc.get("name", ""),
        from_status=Status(doc["from"]),
        to_status=Status(doc["to"]),
        at=doc["at"],
        reason=doc.get("reason", ""),
    )


def _window(since: datetime | None, until: datetime | None) -> Document:
    """The filter on ``at``: ``since`` inclusive, ``until`` exclusive (empty for neither)."""
    window: Document = {}
    if since is not None:
        window["$gte"] = since
    if until is not None:
        window["$lt"] = until
    return {"at": window} if window else {}


class FlipsRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index(
            [("kind", ASCENDING), ("source_id", ASCENDING), ("at", DESCENDING)], name="by_source"
        )
        await self._c.create_index([("project", ASCENDING), ("at", DESCENDING)], name="by_project")
        await self._c.create_index(
            [("notify_state", ASCENDING), ("at", ASCENDING)],
            name="to_notify",
            partialFilterExpression={"notify_state": "pending"},
        )

    async def insert(self, flip: Flip, *, notify_channels: list[str] | None = None) -> Flip:
        """Store a flip; with ``notify_channels`` it is queued for the notification worker."""
        doc: Document = {
            "project": flip.project,
            "kind": flip.source.kind.value,
            "source_id": flip.source.id,
            "name": flip.name,
            "from": flip.from_status.value,
            "to": flip.to_status.value,
            "at": flip.at,
            "reason": flip.reason,
        }
        if notify_channels:
            doc["notify_state"] = "pending"
            doc["notify_channels"] = list(notify_channels)
        result = await self._c.insert_one(doc)
        doc["_id"] = result.inserted_id
        return _to_domain(doc)

    async def for_source(
        self,
        source: SourceRef,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 0,
    ) -> list[Flip]:
        """Flips of one source, newest first; ``since`` inclusive, ``until`` exclusive."""
        query: Document = {"kind": source.kind.value, "source_id": source.id}
        query.update(_window(since, until))
        cursor = self._c.find(query).sort([("at", DESCENDING), ("_id", DESCENDING)])
        if limit:
            cursor = cursor.limit(limit)
        return [_to_domain(doc) async for doc in cursor]

    async def for_sources(
        self,
        sources: list[SourceRef],
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit_each: int = 0,
    ) -> list[list[Flip]]:
        """Flips of many sources in one round trip (for DataLoaders), newest first each."""
        if not sources:
            return []
        ids_by_kind: dict[str, list[str]] = {}
        for ref in sources:
            ids_by_kind.setdefault(ref.kind.value, []).append(ref.id)
        # One $in per kind: served by the by_source index, and cheap for the embedded store.
        clauses = [{"kind": kind, "source_id": {"$in": ids}} for kind, ids in ids_by_kind.items()]
        query: Document = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        query.update(_window(since, until))
        grouped: dict[SourceRef, list[Flip]] = {ref: [] for ref in sources}
        # Every match is read anyway, so sorting here costs what the server's sort
        # would, and the embedded store's sort is far slower than Python's.
        docs = [doc async for doc in self._c.find(query)]
        docs.sort(key=lambda doc: (doc["at"], doc["_id"]), reverse=True)
        for doc in docs:
            flip = _to_domain(doc)
            bucket = grouped.get(flip.source)
            if bucket is not None and (not limit_each or len(bucket) < limit_each):
                bucket.append(flip)
        return [grouped[ref] for ref in sources]

    @asynccontextmanager
    async def watch(
        self, resume_after: Any = None
    ) -> AsyncIterator[AsyncIterator[tuple[Any, Flip]]]:
        """The change stream of inserted flips, as (resume token, flip) pairs.

        Needs a replica set; the embedded store has no change streams.
        """
        stream = await self._c.watch(
            [{"$match": {"operationType": "insert"}}], resume_after=resume_after
        )

        async def events() -> AsyncIterator[tuple[Any, Flip]]:
            async for change in stream:
                yield change["_id"], _to_domain(change["fullDocument"])

        try:
            yield events()
        finally:
            await stream.close()

    async def delete_for_source(self, source: SourceRef) -> int:
        result = await self._c.delete_many({"kind": source.kind.value, "source_id": source.id})
        return result.deleted_count

    async def claim_pending(
        self, now: datetime, lease_until: datetime
    ) -> PendingNotification | None:
        """Claim the oldest flip waiting for notification, for ``lease_until``.

        A claim whose lease ran out (a worker died) can be claimed again, so each
        flip is notified at least once.
        """
        doc = await self._c.find_one_and_update(
            {
                "notify_state": "pending",
                "$and": [
                    {"$or": [{"notify_lease": None}, {"notify_lease": {"$lt": now}}]},
                    # A flip waiting out its retry backoff is not due yet.
                    {"$or": [{"notify_next_at": None}, {"notify_next_at": {"$lte": now}}]},
                ],
            },
            {"$set": {"notify_lease": lease_until}},
            sort=[("at", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            return None
        return PendingNotification(
            _to_domain(doc),
            list(doc.get("notify_channels", [])),
            list(doc.get("notify_delivered", [])),
            int(doc.get("notify_attempts", 0)),
        )

    async def mark_notified(self, flip_id: str, now: datetime) -> None:
        await self._c.update_one(
            {"_id": ObjectId(flip_id)},
            {"$set": {"notify_state": "done", "notified_at": now}, "$unset": {"notify_lease": ""}},
        )

    async def record_round(
        self, flip_id: str, *, delivered: list[str], attempts: int, next_attempt_at: datetime
    ) -> None:
        """After a round with failures: keep who was reached, wait until ``next_attempt_at``."""
        update: Document = {
            "$set": {"notify_attempts": attempts, "notify_next_at": next_attempt_at},
            "$unset": {"notify_lease": ""},
        }
        if delivered:
            update["$addToSet"] = {"notify_delivered": {"$each": list(delivered)}}
        await self._c.update_one({"_id": ObjectId(flip_id)}, update)

    async def mark_failed(self, flip_id: str, *, attempts: int, now: datetime) -> None:
        """Give up: the last allowed attempt failed on some channel."""
        await self._c.update_one(
            {"_id": ObjectId(flip_id)},
            {
                "$set": {"notify_state": "failed", "notify_attempts": attempts, "notified_at": now},
                "$unset": {"notify_lease": "", "notify_next_at": ""},
            },
        )

    async def notify_state(self, flip_id: str) -> str | None:
        """``pending``, ``done`` or ``failed``; None for a flip never queued."""
        doc = await self._c.find_one({"_id": ObjectId(flip_id)}, projection={"notify_state": 1})
        return doc.get("notify_state") if doc else None
