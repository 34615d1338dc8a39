"""The ``probe_history`` collection: recent probe results, expired by a TTL index."""

from pymongo import ASCENDING, DESCENDING

from gateway.domain.probes import ProbeSample
from gateway.domain.status import SourceKind, SourceRef, Status
from storage.types import Collection, Document

__all__ = ["DEFAULT_RETENTION_SECONDS", "ProbeHistoryRepo"]

DEFAULT_RETENTION_SECONDS = 86_400


def _sample(doc: Document) -> ProbeSample:
    return ProbeSample(
        at=doc["at"],
        status=Status(doc["status"]),
        latency_ms=doc.get("latency_ms"),
        error=doc.get("error"),
    )


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
        return [_sample(doc) async for doc in cursor]

    async def recent_many(
        self, sources: list[SourceRef], limit_each: int
    ) -> list[list[ProbeSample]]:
        """The newest ``limit_each`` samples of each source, newest first, in one round
        trip (for DataLoaders); the cursor stops once every source has its share."""
        if not sources:
            return []
        grouped: dict[SourceRef, list[ProbeSample]] = {ref: [] for ref in sources}
        if limit_each <= 0:
            return [grouped[ref] for ref in sources]
        query: Document = {
            "$or": [{"kind": ref.kind.value, "source_id": ref.id} for ref in grouped]
        }
        full = 0
        cursor = self._c.find(query).sort([("at", DESCENDING), ("_id", DESCENDING)])
        async for doc in cursor:
            bucket = grouped.get(SourceRef(SourceKind(doc["kind"]), doc["source_id"]))
            if bucket is None or len(bucket) >= limit_each:
                continue
            bucket.append(_sample(doc))
            if len(bucket) == limit_each:
                full += 1
                if full == len(grouped):
                    break
        return [grouped[ref] for ref in sources]

    async def delete_for_source(self, source: SourceRef) -> None:
        await self._c.delete_many({"kind": source.kind.value, "source_id": source.id})
