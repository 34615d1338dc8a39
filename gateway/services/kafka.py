"""Kafka Connect clusters and their connectors: manage clusters, record their probes."""

from dataclasses import replace
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from gateway.domain.clock import Clock
from gateway.domain.connectors import ProbeResult
from gateway.domain.kafka import KafkaCluster, KafkaConnector, parse_connectors
from gateway.domain.probes import Fetched, ProbeFailure
from gateway.domain.sources import KafkaClusterSpec
from gateway.domain.status import SourceKind, SourceRef, Status
from gateway.errors import ConflictError, NotFoundError
from gateway.services.probing import ProbeBook
from storage import Store
from storage.repos.kafka import to_cluster
from storage.repos.scheduled import Claim

__all__ = ["KafkaService"]


class KafkaService:
    def __init__(self, store: Store, book: ProbeBook, clock: Clock) -> None:
        self._store = store
        self._book = book
        self._clock = clock

    async def create(self, spec: KafkaClusterSpec, origin: str = "api") -> KafkaCluster:
        """Raises: ConflictError: the name, or the environment and cluster id, are taken."""
        first = self._book.first_probe_at(self._clock(), spec.interval)
        created = await self._store.kafka_clusters.insert(spec, origin, first)
        if created is None:
            raise ConflictError(_taken(spec))
        return created

    async def update(self, cluster_id: str, spec: KafkaClusterSpec) -> KafkaCluster:
        """Raises: NotFoundError, ConflictError."""
        try:
            updated = await self._store.kafka_clusters.update_spec(cluster_id, spec)
        except DuplicateKeyError:
            raise ConflictError(_taken(spec)) from None
        if updated is None:
            raise NotFoundError("Kafka cluster not found")
        return updated

    async def delete(self, cluster_id: str) -> None:
        """Delete a cluster and its connectors (and their history)."""
        if not await self._store.kafka_clusters.delete(cluster_id):
            raise NotFoundError("Kafka cluster not found")
        for gone in await self._store.kafka_connectors.delete_for_cluster(cluster_id):
            await self._store.probe_history.delete_for_source(self.ref(gone))

    async def in_project(self, project: str) -> list[KafkaCluster]:
        return await self._store.kafka_clusters.find_all(project)

    async def connectors(self, cluster_id: str) -> list[KafkaConnector]:
        return await self._store.kafka_connectors.for_cluster(cluster_id)

    async def connectors_of(self, cluster_ids: list[str]) -> list[list[KafkaConnector]]:
        """The connectors of each cluster, in one round trip (none for no clusters)."""
        if not cluster_ids:
            return []
        return await self._store.kafka_connectors.for_clusters(cluster_ids)

    async def get(self, project: str, cluster_id: str) -> KafkaCluster:
        """One cluster of ``project``; another project's is reported as not found."""
        found = await self._store.kafka_clusters.get(cluster_id)
        if found is None or found.spec.project != project:
            raise NotFoundError("Kafka cluster not found")
        return found

    async def connector(self, project: str, connector_id: str) -> KafkaConnector:
        """One Kafka connector of ``project`` by its id (``<cluster id>/<name>``).

        Raises:
            NotFoundError: no such connector in ``project``.
        """
        cluster_id, _, name = connector_id.partition("/")
        found = await self._store.kafka_connectors.get(cluster_id, name) if name else None
        if found is None or found.project != project:
            raise NotFoundError("Kafka connector not found")
        return found

    async def probe_now(self, project: str, cluster_id: str) -> KafkaCluster:
        """Make one cluster of ``project`` due now: its connectors are read again.

        Raises:
            NotFoundError: no such cluster in ``project``.
        """
        found = await self.get(project, cluster_id)
        await self._store.kafka_clusters.probe_now(cluster_id, self._clock())
        return found

    async def connector_status(
        self, project: str, environment_id: str, cluster_id: str, name: str
    ) -> KafkaConnector:
        """A connector's last known state, for a caller of ``project``.

        Raises:
            NotFoundError: naming what is unknown (another project's is unknown too).
        """
        cluster = await self._store.kafka_clusters.find_by_address(environment_id, cluster_id)
        if cluster is None or cluster.spec.project != project:
            raise NotFoundError(
                f"environment {environment_id!r} or cluster {cluster_id!r} not found"
            )
        connector = await self._store.kafka_connectors.get(cluster.id, name)
        if connector is None:
            raise NotFoundError(f"connector {name!r} not found")
        return connector

    @staticmethod
    def ref(connector: KafkaConnector) -> SourceRef:
        return SourceRef(SourceKind.KAFKA_CONNECTOR, connector.id)

    async def record_probe(self, claim: Claim, outcome: Fetched | ProbeFailure) -> None:
        """Store the cluster's connectors as read; each change of a connector's status
        is a flip. A cluster that cannot be read leaves its connectors ``unknown``."""
        cluster = to_cluster(claim.doc)
        at = self._clock()
        error, found = _read(cluster, outcome, at)
        failures = cluster.failures + 1 if error else 0
        next_at = self._book.next_at(at, cluster.spec.interval, failures)
        if not await self._store.kafka_clusters.record(
            claim, error, outcome.latency_ms, failures, at, next_at
        ):
            return
        before = {c.name: c for c in await self._store.kafka_connectors.for_cluster(cluster.id)}
        if found is None:  # the cluster could not be read: what we knew is no longer known
            found = [
                replace(c, status=Status.UNKNOWN, confluent_state="NONE", trace=error or "")
                for c in before.values()
            ]
        for connector in found:
            old = before.pop(connector.name, None)
            await self._store.kafka_connectors.put(connector)
            result = ProbeResult(
                connector.status, error or connector.trace or None, outcome.latency_ms
            )
            previous = old.status if old else Status.UNKNOWN
            await self._book.note(
                cluster.spec.project, self.ref(connector), connector.name, previous, result, at
            )
        for vanished in before.values():  # removed from the cluster
            await self._store.kafka_connectors.delete(vanished)
            await self._book.flip(
                cluster.spec.project,
                self.ref(vanished),
                vanished.name,
                vanished.status,
                Status.UNKNOWN,
                at,
                "the connector no longer exists in its cluster",
            )


def _read(
    cluster: KafkaCluster, outcome: Fetched | ProbeFailure, at: datetime
) -> tuple[str | None, list[KafkaConnector] | None]:
    if isinstance(outcome, ProbeFailure):
        return outcome.message, None
    if not 200 <= outcome.status_code < 300:
        return f"HTTP {outcome.status_code} {outcome.reason}".rstrip(), None
    try:
        return None, parse_connectors(cluster, outcome.body, at)
    except ValueError as exc:
        return str(exc), None


def _taken(spec: KafkaClusterSpec) -> str:
    return (
        f"project {spec.project!r} has a Kafka cluster named {spec.name!r}, or environment "
        f"{spec.environment!r} has a cluster {spec.cluster!r}"
    )
