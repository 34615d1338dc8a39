"""The ``connectors`` collection: ProGet-style connectors, keyed by their integer id.

Names are unique per project through a second collection, ``connector_names``,
keyed by project and name: MongoDB's ``_id`` index enforces it, and the
connectors themselves carry no unique secondary index, which the embedded store
would re-check with a full scan on every probe result.
"""

from datetime import datetime

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from gateway.domain.connectors import Connector, ProbeResult
from gateway.domain.sources import ConnectorSpec
from gateway.domain.status import Status
from storage.repos.scheduled import Claim, ScheduledRepo, ms
from storage.types import Collection, Document

__all__ = ["ConnectorsRepo"]


def _spec_fields(spec: ConnectorSpec) -> Document:
    return {
        "project": spec.project,
        "name": spec.name,
        "url": spec.url,
        "interval": spec.interval,
        "timeout": spec.timeout,
        "expect_status": list(spec.expect_status),
        "expect_keyword": spec.expect_keyword,
    }


def to_connector(doc: Document) -> Connector:
    spec = ConnectorSpec.model_construct(
        project=doc["project"],
        name=doc["name"],
        url=doc["url"],
        interval=doc["interval"],
        timeout=doc["timeout"],
        expect_status=tuple(doc["expect_status"]),
        expect_keyword=doc.get("expect_keyword"),
    )
    return Connector(
        id=int(doc["_id"]),
        spec=spec,
        origin=doc.get("origin", "file"),
        status=Status(doc.get("status", Status.UNKNOWN.value)),
        error=doc.get("error"),
        last_checked=doc.get("last_checked"),
        latency_ms=doc.get("latency_ms"),
        failures=int(doc.get("failures", 0)),
    )


def _name_key(project: str, name: str) -> str:
    return f"{project}\x00{name}"


class ConnectorsRepo(ScheduledRepo):
    def __init__(self, collection: Collection, names: Collection) -> None:
        super().__init__(collection)
        self._names = names

    async def ensure_indexes(self) -> None:
        await self._c.create_index([("project", ASCENDING), ("name", ASCENDING)], name="by_name")
        await self._ensure_schedule_index()

    async def _take_name(self, project: str, name: str, connector_id: int) -> bool:
        try:
            await self._names.insert_one({"_id": _name_key(project, name), "id": connector_id})
        except DuplicateKeyError:
            return False
        return True

    async def _free_name(self, project: str, name: str, connector_id: int) -> None:
        await self._names.delete_one({"_id": _name_key(project, name), "id": connector_id})

    async def insert(
        self, connector_id: int, spec: ConnectorSpec, origin: str, first_probe_at: datetime
    ) -> Connector | None:
        """Store a new connector; None when its project already has one of that name."""
        doc: Document = {
            "_id": connector_id,
            **_spec_fields(spec),
            "origin": origin,
            "status": Status.UNKNOWN.value,
            "error": None,
            "last_checked": None,
            "latency_ms": None,
            **self._schedule_fields(first_probe_at),
        }
        if not await self._take_name(spec.project, spec.name, connector_id):
            return None
        await self._c.insert_one(doc)
        return to_connector(doc)

    async def update_spec(self, connector_id: int, spec: ConnectorSpec) -> Connector | None:
        """Change a connector's settings; None when it is gone.

        Raises:
            DuplicateKeyError: the new name is taken in the new project.
        """
        current = await self.get(connector_id)
        if current is None:
            return None
        old = current.spec
        renamed = (old.project, old.name) != (spec.project, spec.name)
        if renamed and not await self._take_name(spec.project, spec.name, connector_id):
            raise DuplicateKeyError("connector name taken")
        doc = await self._c.find_one_and_update(
            {"_id": connector_id}, {"$set": _spec_fields(spec)}, return_document=True
        )
        if renamed:
            await self._free_name(old.project, old.name, connector_id)
        return to_connector(doc) if doc else None

    async def delete(self, connector_id: int) -> bool:
        doc = await self._c.find_one_and_delete({"_id": connector_id})
        if doc is None:
            return False
        await self._free_name(doc["project"], doc["name"], connector_id)
        return True

    async def get(self, connector_id: int) -> Connector | None:
        doc = await self._get(connector_id)
        return to_connector(doc) if doc else None

    async def find_all(
        self, project: str | None = None, origin: str | None = None
    ) -> list[Connector]:
        # Sorted here: the embedded store's sort compares BSON values in Python, slowly.
        found = [to_connector(doc) for doc in await self._find(project, origin)]
        return sorted(found, key=lambda connector: connector.id)

    async def probe_now(self, connector_id: int, now: datetime) -> bool:
        """Make the connector due at ``now`` (see ``_make_due``)."""
        return await self._make_due(connector_id, now)

    async def record(
        self, claim: Claim, result: ProbeResult, failures: int, at: datetime, next_at: datetime
    ) -> bool:
        fields: Document = {
            "status": result.status.value,
            "error": result.error,
            "latency_ms": result.latency_ms,
            "last_checked": ms(at),
            "failures": failures,
        }
        return await self._finish(claim, fields, next_at)
