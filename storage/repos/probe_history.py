"""The ``probe_history`` collection: recent probe results, expired by a TTL index."""

from pymongo import ASCENDING, DESCENDING

from gateway.domain.probes import ProbeSample
from gateway.domain.status import SourceRef, Status
from storage.types import Collection, Document

__all__ = ["DEFAULT_RETENTION_SECONDS", "ProbeHistoryRepo"]

DEFAULT_RETENTION_SECONDS = 86_400


class ProbeHistoryRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection
        self._retention = DEFAULT_RETENTION_SECONDS

    async def ensure_indexes(self) -> None:
        await self._c.create_index(
            [("at", ASCENDING)], name="ttl", expireAfterSeconds=self._retention
        )
        await self._c.create_index(
            [("kind", ASCENDING), ("source_id", ASCENDING), ("at", DESCENDING)], name="by_source"
        )

    async def set_retention(self, seconds: int) -> None:
        """Keep samples ``seconds`` long; rebuilds the TTL index when that changed."""
        self._retention = seconds
        info = await self._c.index_information()
        current = info.get("ttl", {}).get("expireAfterSeconds")
        if current is not None and int(current) != seconds:
            await self._c.drop_index("ttl")
        await self.ensure_indexes()

    async def add(self, source: SourceRef, sample: ProbeSample) -> None:
        doc: Document = {
            "kind": source.kind.value,
            "source_id": source.id,
            "at": sample.at,
            "status": sample.status.value,
            "latency_ms": sample.latency_ms,
            "error": sample.error,
        }
        await self._c.insert_one(doc)

    async def recent(self, source: SourceRef, limit: int = 100) -> list[ProbeSample]:
        """The newest ``limit`` samples of one source, newest first."""
        cursor = (
            self._c.find({"kind": source.kind.value, "source_id": source.id})
            .sort("at", DESCENDING)
            .limit(limit)
        )
        return [
            ProbeSample(
                at=doc["at"],
                status=Status(doc["status"]),
                latency_ms=doc.get("latency_ms"),
                error=doc.get("error"),
            )
            async for doc in cursor
        ]

    async def delete_for_source(self, source: SourceRef) -> None:
        await self._c.delete_many({"kind": source.kind.value, "source_id": source.id})
