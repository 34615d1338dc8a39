"""The ``checks`` collection: Healthchecks-style heartbeat checks.

Every change is compare-and-set on ``rev``: a writer reads a check, computes
the new state with the pure status engine and stores it only if nobody else
changed the check in between (``find_one_and_update`` filtered on ``rev``).
"""

from datetime import datetime
from typing import Protocol

from pymongo import ASCENDING, ReturnDocument

from gateway.domain.checks import Check, CheckKind
from gateway.domain.checks.naming import unique_key
from gateway.domain.status import Status
from storage.types import Collection, Document

__all__ = ["ChecksRepo", "MongoChecksRepo"]

_FIELDS = (
    "project",
    "badge_key",
    "created",
    "name",
    "slug",
    "tags",
    "desc",
    "timeout",
    "grace",
    "schedule",
    "tz",
    "manual_resume",
    "methods",
    "start_kw",
    "success_kw",
    "failure_kw",
    "filter_subject",
    "filter_body",
    "filter_http_body",
    "filter_default_fail",
    "n_pings",
    "last_ping",
    "last_start",
    "last_start_rid",
    "last_duration",
    "alert_after",
)


class ChecksRepo(Protocol):
    """What the checks service needs from storage; two implementations keep it."""

    async def ensure_indexes(self) -> None: ...

    async def insert(self, check: Check) -> None: ...

    async def get(self, uuid: str) -> Check | None: ...

    async def get_by_unique_key(self, key: str) -> Check | None: ...

    async def get_by_badge_key(self, badge_key: str) -> Check | None: ...

    async def find(self, project: str, *, slug: str | None = None) -> list[Check]:
        """The project's checks in creation order, only those with ``slug`` unless None."""
        ...

    async def count(self, project: str) -> int: ...

    async def compare_and_set(self, check: Check) -> Check | None:
        """Store ``check`` if the stored one still has ``check.rev``; the stored check, or None."""
        ...

    async def delete(self, uuid: str) -> Check | None: ...

    async def due(self, now: datetime, limit: int) -> list[Check]:
        """Checks not stored down whose ``alert_after`` is before ``now``, earliest first."""
        ...


def to_document(check: Check) -> Document:
    doc: Document = {name: getattr(check, name) for name in _FIELDS}
    doc.update(
        _id=check.uuid,
        unique_key=unique_key(check.uuid),
        kind=check.kind.value,
        status=check.status.value,
        channels=list(check.channels),
        rev=check.rev,
    )
    return doc


def to_domain(doc: Document) -> Check:
    values = {name: doc.get(name) for name in _FIELDS}
    return Check(
        uuid=doc["_id"],
        kind=CheckKind(doc["kind"]),
        status=Status(doc["status"]),
        channels=tuple(doc.get("channels", ())),
        rev=doc["rev"],
        **values,  # type: ignore[arg-type]
    )


class MongoChecksRepo:
    """Checks in a MongoDB collection, with an index for each query."""

    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index(
            [("project", ASCENDING), ("slug", ASCENDING)], name="project_slug"
        )
        await self._c.create_index("unique_key", name="unique_key")
        await self._c.create_index("badge_key", unique=True, name="badge_key_unique")
        await self._c.create_index(
            [("alert_after", ASCENDING)],
            name="due",
            partialFilterExpression={"alert_after": {"$type": "date"}},
        )

    async def insert(self, check: Check) -> None:
        await self._c.insert_one(to_document(check))

    async def get(self, uuid: str) -> Check | None:
        doc = await self._c.find_one({"_id": uuid})
        return to_domain(doc) if doc else None

    async def get_by_unique_key(self, key: str) -> Check | None:
        doc = await self._c.find_one({"unique_key": key})
        return to_domain(doc) if doc else None

    async def get_by_badge_key(self, badge_key: str) -> Check | None:
        doc = await self._c.find_one({"badge_key": badge_key})
        return to_domain(doc) if doc else None

    async def find(self, project: str, *, slug: str | None = None) -> list[Check]:
        query: Document = {"project": project}
        if slug is not None:
            query["slug"] = slug
        cursor = self._c.find(query).sort([("created", ASCENDING), ("_id", ASCENDING)])
        return [to_domain(doc) async for doc in cursor]

    async def count(self, project: str) -> int:
        return await self._c.count_documents({"project": project})

    async def compare_and_set(self, check: Check) -> Check | None:
        doc = to_document(check)
        del doc["_id"], doc["rev"]
        stored = await self._c.find_one_and_update(
            {"_id": check.uuid, "rev": check.rev},
            {"$set": doc, "$inc": {"rev": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return to_domain(stored) if stored else None

    async def delete(self, uuid: str) -> Check | None:
        doc = await self._c.find_one_and_delete({"_id": uuid})
        return to_domain(doc) if doc else None

    async def due(self, now: datetime, limit: int) -> list[Check]:
        cursor = (
            self._c.find({"alert_after": {"$lt": now}, "status": {"$ne": Status.DOWN.value}})
            .sort([("alert_after", ASCENDING)])
            .limit(limit)
        )
        return [to_domain(doc) async for doc in cursor]
