"""The ``counters`` collection: sequences for stable integer ids (ProGet connector ids)."""

from pymongo import ReturnDocument

from storage.types import Collection

__all__ = ["CountersRepo"]


class CountersRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def next(self, name: str) -> int:
        """The next value of sequence ``name`` (1, 2, ...); never returned twice."""
        doc = await self._c.find_one_and_update(
            {"_id": name}, {"$inc": {"value": 1}}, upsert=True, return_document=ReturnDocument.AFTER
        )
        assert doc is not None
        return int(doc["value"])
