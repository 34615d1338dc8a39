"""Two speed-ups for the embedded store (mongomock), with MongoDB's semantics kept.

mongomock scans every document for every query, and rescans a collection with a
TTL index on each access to expire documents. With thousands of probed sources
that costs more than the probes. So, once per process:

1. a filter with a plain ``_id`` value reads that one document (as MongoDB's
   ``_id`` index does) and then applies the whole filter to it;
2. TTL expiry runs at most once per second per collection (MongoDB's own TTL
   monitor runs once a minute, so this is still faster than the real thing).
"""

import time
from collections.abc import Iterator
from typing import Any

from bson import ObjectId

__all__ = ["speed_up_embedded_store"]

_TTL_EVERY_SECONDS = 1.0
_applied = False


def speed_up_embedded_store() -> None:
    global _applied
    if _applied:
        return
    from mongomock import collection, filtering, store

    filter_applies: Any = filtering.filter_applies
    scan: Any = collection.Collection._iter_documents
    expire: Any = store.CollectionStore._remove_expired_documents

    def iter_documents(self: Any, filter: Any) -> Iterator[Any]:
        key = filter.get("_id") if isinstance(filter, dict) else None
        if isinstance(key, str | int | ObjectId) and not isinstance(key, bool):
            documents = self._store._documents
            document = documents.get(key)
            if document is None:
                return iter(())
            return iter([document] if filter_applies(filter, document) else [])
        result: Iterator[Any] = scan(self, filter)
        return result

    def remove_expired(self: Any) -> None:
        if not self._ttl_indexes:
            return
        now = time.monotonic()
        if now - getattr(self, "_healthgate_expired_at", -_TTL_EVERY_SECONDS) < _TTL_EVERY_SECONDS:
            return
        self._healthgate_expired_at = now
        expire(self)

    setattr(collection.Collection, "_iter_documents", iter_documents)  # noqa: B010
    setattr(store.CollectionStore, "_remove_expired_documents", remove_expired)  # noqa: B010
    _applied = True
