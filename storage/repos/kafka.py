"""The ``kafka_clusters`` and ``kafka_connectors`` collections."""

from datetime import datetime

from pymongo import ASCENDING

from gateway.domain.kafka import KafkaCluster, KafkaConnector, KafkaTask
from gateway.domain.sources import KafkaClusterSpec
from gateway.domain.status import Status
from storage.repos.scheduled import Claim, ScheduledRepo, ms
from storage.types import Collection, Document, object_id

__all__ = ["KafkaClustersRepo", "KafkaConnectorsRepo"]


def _spec_fields(spec: KafkaClusterSpec) -> Document:
    return {
        "project": spec.project,
        "name": spec.name,
        "url": spec.url,
        "interval": spec.interval,
        "timeout": spec.timeout,
        "kind": spec.kind,
        "environment_id": spec.environment,
        "cluster_id": spec.cluster,
        "api_key": spec.api_key,
        "api_secret": spec.api_secret,
    }


def to_cluster(doc: Document) -> KafkaCluster:
    spec = KafkaClusterSpec.model_construct(
        project=doc["project"],
        name=doc["name"],
        url=doc["url"],
        interval=doc["interval"],
        timeout=doc["timeout"],
        kind=doc["kind"],
        environment_id=doc["environment_id"],
        cluster_id=doc["cluster_id"],
        api_key=doc.get("api_key"),
        api_secret=doc.get("api_secret"),
    )
    return KafkaCluster(
        id=str(doc["_id"]),
        spec=spec,
        origin=doc.get("origin", "file"),
        error=doc.get("error"),
        last_checked=doc.get("last_checked"),
        latency_ms=doc.get("latency_ms"),
        failures=int(doc.get("failures", 0)),
    )


class KafkaClustersRepo(ScheduledRepo):
    async def ensure_indexes(self) -> None:
        await self._c.create_index(
            [("project", ASCENDING), ("name", ASCENDING)], unique=True, name="project_name_unique"
        )
        await self._c.create_index(
            [("environment_id", ASCENDING), ("cluster_id", ASCENDING)],
            unique=True,
            name="address_unique",
        )
        await self._ensure_schedule_index()

    async def insert(
        self, spec: KafkaClusterSpec, origin: str, first_probe_at: datetime
    ) -> KafkaCluster | None:
        doc: Document = {
            **_spec_fields(spec),
            "origin": origin,
            "error": None,
            "last_checked": None,
            "latency_ms": None,
            **self._schedule_fields(first_probe_at),
        }
        return to_cluster(stored) if (stored := await self._insert(doc)) else None

    async def update_spec(self, cluster_id: str, spec: KafkaClusterSpec) -> KafkaCluster | None:
        oid = object_id(cluster_id)
        doc = await self._set(oid, _spec_fields(spec)) if oid else None
        return to_cluster(doc) if doc else None

    async def delete(self, cluster_id: str) -> bool:
        oid = object_id(cluster_id)
        return oid is not None and await self._delete(oid)

    async def get(self, cluster_id: str) -> KafkaCluster | None:
        oid = object_id(cluster_id)
        doc = await self._get(oid) if oid else None
        return to_cluster(doc) if doc else None

    async def find_by_address(self, environment_id: str, cluster_id: str) -> KafkaCluster | None:
        doc = await self._c.find_one({"environment_id": environment_id, "cluster_id": cluster_id})
        return to_cluster(doc) if doc else None

    async def find_all(
        self, project: str | None = None, origin: str | None = None
    ) -> list[KafkaCluster]:
        # Sorted here: the embedded store's sort compares BSON values in Python, slowly.
        found = await self._find(project, origin)
        return [to_cluster(doc) for doc in sorted(found, key=lambda d: (d["project"], d["name"]))]

    async def probe_now(self, cluster_id: str, now: datetime) -> bool:
        """Make it due at ``now`` (see ``_make_due``); False for an unknown id."""
        oid = object_id(cluster_id)
        return oid is not None and await self._make_due(oid, now)

    async def record(
        self,
        claim: Claim,
        error: str | None,
        latency_ms: float | None,
        failures: int,
        at: datetime,
        next_at: datetime,
    ) -> bool:
        fields: Document = {
            "error": error,
            "latency_ms": latency_ms,
            "last_checked": ms(at),
            "failures": failures,
        }
        return await self._finish(claim, fields, next_at)


def _connector_doc(connector: KafkaConnector) -> Document:
    return {
        "_id": connector.id,
        "cluster": connector.cluster,
        "project": connector.project,
        "name": connector.name,
        "type": connector.type,
        "state": connector.state,
        "worker_id": connector.worker_id,
        "trace": connector.trace,
        "tasks": [
            {"id": t.id, "state": t.state, "worker_id": t.worker_id, "msg": t.msg}
            for t in connector.tasks
        ],
        "status": connector.status.value,
        "confluent_state": connector.confluent_state,
        "last_checked": ms(connector.last_checked) if connector.last_checked else None,
    }


def to_kafka_connector(doc: Document) -> KafkaConnector:
    return KafkaConnector(
        cluster=doc["cluster"],
        project=doc["project"],
        name=doc["name"],
        type=doc["type"],
        state=doc["state"],
        worker_id=doc["worker_id"],
        trace=doc["trace"],
        tasks=tuple(
            KafkaTask(id=t["id"], state=t["state"], worker_id=t["worker_id"], msg=t["msg"])
            for t in doc["tasks"]
        ),
        status=Status(doc["status"]),
        confluent_state=doc["confluent_state"],
        last_checked=doc.get("last_checked"),
    )


class KafkaConnectorsRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index([("cluster", ASCENDING), ("name", ASCENDING)], name="by_cluster")

    async def for_cluster(self, cluster_id: str) -> list[KafkaConnector]:
        cursor = self._c.find({"cluster": cluster_id}).sort("name", ASCENDING)
        return [to_kafka_connector(doc) async for doc in cursor]

    async def for_clusters(self, cluster_ids: list[str]) -> list[list[KafkaConnector]]:
        """The connectors of many clusters in one round trip, by name within each."""
        if not cluster_ids:
            return []
        grouped: dict[str, list[KafkaConnector]] = {key: [] for key in cluster_ids}
        cursor = self._c.find({"cluster": {"$in": list(grouped)}})
        async for doc in cursor:
            grouped[doc["cluster"]].append(to_kafka_connector(doc))
        for found in grouped.values():
            found.sort(key=lambda connector: connector.name)
        return [grouped[key] for key in cluster_ids]

    async def get(self, cluster_id: str, name: str) -> KafkaConnector | None:
        doc = await self._c.find_one({"_id": f"{cluster_id}/{name}"})
        return to_kafka_connector(doc) if doc else None

    async def put(self, connector: KafkaConnector) -> None:
        await self._c.replace_one({"_id": connector.id}, _connector_doc(connector), upsert=True)

    async def delete(self, connector: KafkaConnector) -> None:
        await self._c.delete_one({"_id": connector.id})

    async def delete_for_cluster(self, cluster_id: str) -> list[KafkaConnector]:
        gone = await self.for_cluster(cluster_id)
        await self._c.delete_many({"cluster": cluster_id})
        return gone
