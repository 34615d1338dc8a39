"""Type aliases shared by the repositories; the only place BSON documents are typed."""

from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

__all__ = ["Collection", "Database", "Document", "object_id"]

Document = dict[str, Any]
Collection = AsyncCollection[Document]
Database = AsyncDatabase[Document]


def object_id(text: str) -> ObjectId | None:
    """The ObjectId written as ``text``, or None when it is not one (an unknown id)."""
    try:
        return ObjectId(text)
    except (InvalidId, TypeError):
        return None
