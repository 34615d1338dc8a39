"""The ``channels`` collection: each project's integrations."""

from pymongo import ASCENDING

from gateway.domain.channels import Channel
from storage.types import Collection, Document

__all__ = ["ChannelsRepo"]


def _to_domain(doc: Document) -> Channel:
    return Channel(
        id=doc["_id"],
        project=doc["project"],
        name=doc["name"],
        kind=doc["kind"],
        config=dict(doc.get("config", {})),
    )


class ChannelsRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index(
            [("project", ASCENDING), ("name", ASCENDING)], name="project_name"
        )

    async def upsert(self, channel: Channel) -> None:
        await self._c.replace_one(
            {"_id": channel.id},
            {
                "_id": channel.id,
                "project": channel.project,
                "name": channel.name,
                "kind": channel.kind,
                "config": channel.config,
            },
            upsert=True,
        )

    async def find_all(self, project: str) -> list[Channel]:
        cursor = self._c.find({"project": project}).sort([("name", ASCENDING), ("_id", ASCENDING)])
        return [_to_domain(doc) async for doc in cursor]

    async def get_many(self, ids: list[str]) -> list[Channel]:
        if not ids:
            return []
        return [_to_domain(doc) async for doc in self._c.find({"_id": {"$in": list(ids)}})]

    async def delete_except(self, keep_ids: list[str]) -> int:
        """Remove every channel whose id is not in ``keep_ids`` (configuration removed it)."""
        result = await self._c.delete_many({"_id": {"$nin": list(keep_ids)}})
        return result.deleted_count
