"""The ``services`` collection: probed service health endpoints and their last answer."""

from datetime import datetime

from pymongo import ASCENDING

from gateway.domain.service_health import ServiceResult, ServiceSource
from gateway.domain.sources import ServiceSpec
from gateway.domain.status import Status
from storage.repos.scheduled import Claim, ScheduledRepo, ms
from storage.types import Document, object_id

__all__ = ["ServiceSourcesRepo"]


def _spec_fields(spec: ServiceSpec) -> Document:
    return {
        "project": spec.project,
        "name": spec.name,
        "url": spec.url,
        "interval": spec.interval,
        "timeout": spec.timeout,
    }


def to_service(doc: Document) -> ServiceSource:
    spec = ServiceSpec.model_construct(
        project=doc["project"],
        name=doc["name"],
        url=doc["url"],
        interval=doc["interval"],
        timeout=doc["timeout"],
    )
    return ServiceSource(
        id=str(doc["_id"]),
        spec=spec,
        origin=doc.get("origin", "file"),
        status=Status(doc.get("status", Status.UNKNOWN.value)),
        error=doc.get("error"),
        healthy=doc.get("healthy"),
        database_status=doc.get("database_status"),
        last_checked=doc.get("last_checked"),
        latency_ms=doc.get("latency_ms"),
        failures=int(doc.get("failures", 0)),
    )


class ServiceSourcesRepo(ScheduledRepo):
    async def ensure_indexes(self) -> None:
        await self._c.create_index(
            [("project", ASCENDING), ("name", ASCENDING)], unique=True, name="project_name_unique"
        )
        await self._ensure_schedule_index()

    async def insert(
        self, spec: ServiceSpec, origin: str, first_probe_at: datetime
    ) -> ServiceSource | None:
        doc: Document = {
            **_spec_fields(spec),
            "origin": origin,
            "status": Status.UNKNOWN.value,
            "error": None,
            "healthy": None,
            "database_status": None,
            "last_checked": None,
            "latency_ms": None,
            **self._schedule_fields(first_probe_at),
        }
        return to_service(stored) if (stored := await self._insert(doc)) else None

    async def update_spec(self, source_id: str, spec: ServiceSpec) -> ServiceSource | None:
        oid = object_id(source_id)
        doc = await self._set(oid, _spec_fields(spec)) if oid else None
        return to_service(doc) if doc else None

    async def delete(self, source_id: str) -> bool:
        oid = object_id(source_id)
        return oid is not None and await self._delete(oid)

    async def get(self, source_id: str) -> ServiceSource | None:
        oid = object_id(source_id)
        doc = await self._get(oid) if oid else None
        return to_service(doc) if doc else None

    async def find_all(
        self, project: str | None = None, origin: str | None = None
    ) -> list[ServiceSource]:
        # Sorted here: the embedded store's sort compares BSON values in Python, slowly.
        found = await self._find(project, origin)
        return [to_service(doc) for doc in sorted(found, key=lambda d: (d["project"], d["name"]))]

    async def probe_now(self, source_id: str, now: datetime) -> bool:
        """Make it due at ``now`` (see ``_make_due``); False for an unknown id."""
        oid = object_id(source_id)
        return oid is not None and await self._make_due(oid, now)

    async def record(
        self, claim: Claim, outcome: ServiceResult, failures: int, at: datetime, next_at: datetime
    ) -> bool:
        fields: Document = {
            "status": outcome.result.status.value,
            "error": outcome.result.error,
            "latency_ms": outcome.result.latency_ms,
            "healthy": outcome.healthy,
            "database_status": outcome.database_status,
            "last_checked": ms(at),
            "failures": failures,
        }
        return await self._finish(claim, fields, next_at)
