"""The ``projects`` collection: one document per project, keyed by its name."""

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from gateway.domain.projects import Project
from storage.types import Collection, Document

__all__ = ["ProjectsRepo"]


def _to_domain(doc: Document) -> Project:
    return Project(
        name=doc["_id"],
        created_at=doc["created_at"],
        ping_key=doc["ping_key"],
        badge_key=doc["badge_key"],
    )


class ProjectsRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("ping_key", unique=True, name="ping_key_unique")
        await self._c.create_index("badge_key", unique=True, name="badge_key_unique")

    async def insert(self, project: Project) -> bool:
        """Store a new project; False when one with that name exists already."""
        doc = {
            "_id": project.name,
            "created_at": project.created_at,
            "ping_key": project.ping_key,
            "badge_key": project.badge_key,
        }
        try:
            await self._c.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, name: str) -> Project | None:
        doc = await self._c.find_one({"_id": name})
        return _to_domain(doc) if doc else None

    async def get_by_ping_key(self, ping_key: str) -> Project | None:
        doc = await self._c.find_one({"ping_key": ping_key})
        return _to_domain(doc) if doc else None

    async def get_by_badge_key(self, badge_key: str) -> Project | None:
        doc = await self._c.find_one({"badge_key": badge_key})
        return _to_domain(doc) if doc else None

    async def any_exists(self) -> bool:
        return await self._c.find_one({}, projection={"_id": 1}) is not None

    async def find_all(self) -> list[Project]:
        return [_to_domain(doc) async for doc in self._c.find({}).sort("_id", 1)]

    async def created_since(self, since: datetime) -> int:
        return await self._c.count_documents({"created_at": {"$gte": since}})
