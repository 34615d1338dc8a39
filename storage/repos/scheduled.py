"""What the probed collections share: claiming due work with a lease, and results.

Each probed document carries ``next_probe_at``, ``lease_until`` (the epoch when
free) and ``lease_owner``. A claim is a ``find_one_and_update`` filtered on
``next_probe_at <= now`` that moves ``next_probe_at`` to the end of the lease: of
several processes sharing one database exactly one wins each source, nobody
claims it again while the lease lasts, and if its owner dies the source is due
again when the lease ends. Recording a result needs the lease (owner and date).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from storage.types import Collection, Document

__all__ = ["FREE", "Claim", "ScheduledRepo", "ms"]

FREE = datetime(1970, 1, 1, tzinfo=UTC)


def ms(moment: datetime) -> datetime:
    """``moment`` at MongoDB's millisecond precision, so what is read equals what was written."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class Claim:
    """A claimed document; ``owner`` must be shown to record its result."""

    doc: Document
    owner: str


class ScheduledRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def _insert(self, doc: Document) -> Document | None:
        """Store ``doc`` (its ``_id`` set on it); None when a unique index refuses it."""
        try:
            result = await self._c.insert_one(doc)
        except DuplicateKeyError:
            return None
        doc["_id"] = result.inserted_id
        return doc

    async def _set(self, key: object, fields: Document) -> Document | None:
        """Write ``fields`` into the document ``key``; the document after, or None."""
        return await self._c.find_one_and_update(
            {"_id": key}, {"$set": fields}, return_document=ReturnDocument.AFTER
        )

    async def _get(self, key: object) -> Document | None:
        return await self._c.find_one({"_id": key})

    async def _delete(self, key: object) -> bool:
        return (await self._c.delete_one({"_id": key})).deleted_count == 1

    async def _find(self, project: str | None, origin: str | None) -> list[Document]:
        """Documents of ``project`` and ``origin`` (either may be None: any)."""
        query: Document = {}
        if project is not None:
            query["project"] = project
        if origin is not None:
            query["origin"] = origin
        return [doc async for doc in self._c.find(query)]

    async def _ensure_schedule_index(self) -> None:
        await self._c.create_index([("next_probe_at", ASCENDING)], name="due")

    @staticmethod
    def _schedule_fields(first_probe_at: datetime) -> Document:
        return {
            "next_probe_at": ms(first_probe_at),
            "lease_until": FREE,
            "lease_owner": None,
            "failures": 0,
        }

    async def claim_due(
        self, now: datetime, owner: str, lease_seconds: float, limit: int
    ) -> list[Claim]:
        """Claim up to ``limit`` sources due at ``now``.

        Each lease lasts the source's timeout plus ``lease_seconds``, so a probe
        still in flight is never started again by anyone.
        """
        due: Document = {"next_probe_at": {"$lte": now}}
        # No sort: MongoDB walks the `due` index in next_probe_at order anyway, and
        # the embedded store would sort every due document to return a few.
        cursor = self._c.find(due, {"_id": 1, "timeout": 1}).limit(limit)
        claims: list[Claim] = []
        async for candidate in cursor:
            lease = now + timedelta(seconds=float(candidate.get("timeout", 0)) + lease_seconds)
            won = await self._c.find_one_and_update(
                {"_id": candidate["_id"], **due},
                {
                    "$set": {
                        "next_probe_at": ms(lease),
                        "lease_until": ms(lease),
                        "lease_owner": owner,
                    }
                },
                return_document=ReturnDocument.AFTER,
            )
            if won is not None:
                claims.append(Claim(won, owner))
        return claims

    async def _make_due(self, key: object, now: datetime) -> bool:
        """Move a source's next probe to ``now``; False when it is unknown, already due
        or being probed (a probe in flight is not started twice)."""
        result = await self._c.update_one(
            {"_id": key, "next_probe_at": {"$gt": now}, "lease_owner": None},
            {"$set": {"next_probe_at": ms(now)}},
        )
        return result.modified_count == 1

    async def _finish(
        self, claim: Claim, fields: Document, next_probe_at: datetime, extra: Document | None = None
    ) -> bool:
        """Store a result and release the lease; False when the lease was lost
        (the source was deleted, or its lease ran out and another process took it)."""
        update: dict[str, Any] = {
            "$set": {
                **fields,
                "next_probe_at": ms(next_probe_at),
                "lease_until": FREE,
                "lease_owner": None,
            }
        }
        if extra:
            update.update(extra)
        result = await self._c.update_one(
            {"_id": claim.doc["_id"], "lease_owner": claim.owner}, update
        )
        return result.matched_count == 1

    async def count(self) -> int:
        return await self._c.count_documents({})
