"""The ``api_keys`` collection: key hashes with their project and scope."""

from datetime import datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from gateway.domain.keys import Scope
from gateway.domain.projects import ApiKey
from storage.types import Collection, Document, object_id

__all__ = ["KeysRepo"]


def _to_domain(doc: Document) -> ApiKey:
    return ApiKey(
        id=str(doc["_id"]),
        project=doc["project"],
        scope=Scope(doc["scope"]),
        key_hash=doc["key_hash"],
        prefix=doc["prefix"],
        label=doc.get("label", ""),
        created_at=doc["created_at"],
        revoked_at=doc.get("revoked_at"),
    )


class KeysRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("key_hash", unique=True, name="key_hash_unique")
        await self._c.create_index("project", name="project")

    async def insert(
        self, *, project: str, scope: Scope, key_hash: str, prefix: str, label: str, now: datetime
    ) -> ApiKey | None:
        """Store a key; None when a key with that hash exists already."""
        doc: Document = {
            "project": project,
            "scope": scope.value,
            "key_hash": key_hash,
            "prefix": prefix,
            "label": label,
            "created_at": now,
            "revoked_at": None,
        }
        try:
            result = await self._c.insert_one(doc)
        except DuplicateKeyError:
            return None
        doc["_id"] = result.inserted_id
        return _to_domain(doc)

    async def find_by_hash(self, key_hash: str) -> ApiKey | None:
        doc = await self._c.find_one({"key_hash": key_hash})
        return _to_domain(doc) if doc else None

    async def get(self, key_id: str) -> ApiKey | None:
        oid = object_id(key_id)
        doc = await self._c.find_one({"_id": oid}) if oid else None
        return _to_domain(doc) if doc else None

    async def find_all(self, project: str | None = None) -> list[ApiKey]:
        query: Document = {} if project is None else {"project": project}
        cursor = self._c.find(query).sort([("project", 1), ("created_at", 1)])
        return [_to_domain(doc) async for doc in cursor]

    async def revoke(self, key_id: str, now: datetime) -> ApiKey | None:
        """Mark a key revoked; None when there is no such active key."""
        oid = object_id(key_id)
        if oid is None:
            return None
        doc = await self._c.find_one_and_update(
            {"_id": oid, "revoked_at": None},
            {"$set": {"revoked_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return _to_domain(doc) if doc else None
