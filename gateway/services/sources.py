"""The sources file: read, validated and applied idempotently at start-up."""

import asyncio
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gateway.domain.sources import (
    ConnectorSpec,
    KafkaClusterSpec,
    ServiceSpec,
    SourcesSpec,
    SpecError,
    parse_sources,
)
from gateway.errors import ConfigurationError, ConflictError
from gateway.services.connectors import ConnectorsService
from gateway.services.kafka import KafkaService
from gateway.services.services import ServiceSourcesService
from storage import Store

__all__ = ["AppliedSources", "SourcesService", "load_sources_file"]

log = logging.getLogger("healthgate.sources")

FILE = "file"  # the origin of sources declared in the sources file


def load_sources_file(path: Path) -> SourcesSpec:
    """Read and validate a sources file.

    Raises:
        ConfigurationError: one message naming the file, the table and the key.
    """
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise ConfigurationError(f"sources file {path}: cannot be read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"sources file {path}: not valid TOML: {exc}") from None
    try:
        return parse_sources(document)
    except SpecError as exc:
        raise ConfigurationError(f"sources file {path}: {exc}") from None


@dataclass(frozen=True)
class AppliedSources:
    created: int
    updated: int
    removed: int


class SourcesService:
    """Applies a ``SourcesSpec`` through the same functions GraphQL mutations use."""

    def __init__(
        self,
        store: Store,
        connectors: ConnectorsService,
        services: ServiceSourcesService,
        kafka: KafkaService,
    ) -> None:
        self._store = store
        self._connectors = connectors
        self._services = services
        self._kafka = kafka

    async def apply_file(self, path: Path) -> AppliedSources:
        spec = await asyncio.to_thread(load_sources_file, path)
        applied = await self.apply(spec)
        log.info(
            "sources file %s applied: %d created, %d updated, %d removed",
            path,
            applied.created,
            applied.updated,
            applied.removed,
        )
        return applied

    async def apply(self, spec: SourcesSpec) -> AppliedSources:
        """Make the stored file sources match ``spec``; idempotent.

        1. A source whose project and name exist is updated in place (its id,
           state and history stay); one that does not is created.
        2. A source that came from the file and is no longer in it is removed.

        Raises:
            ConfigurationError: a declared source clashes with one created otherwise.
        """
        counts = [0, 0, 0]
        try:
            connectors = {
                (c.spec.project, c.spec.name): c for c in await self._store.connectors.find_all()
            }
            for item in spec.connectors:
                old = connectors.pop((item.project, item.name), None)
                if old is None:
                    await self._connectors.create(item, FILE)
                    counts[0] += 1
                elif _settings(old.spec) != _settings(item):
                    await self._connectors.update(old.id, item)
                    counts[1] += 1
            for gone in connectors.values():
                if gone.origin == FILE:
                    await self._connectors.delete(gone.id)
                    counts[2] += 1

            services = {
                (s.spec.project, s.spec.name): s
                for s in await self._store.service_sources.find_all()
            }
            for svc in spec.services:
                prior = services.pop((svc.project, svc.name), None)
                if prior is None:
                    await self._services.create(svc, FILE)
                    counts[0] += 1
                elif _settings(prior.spec) != _settings(svc):
                    await self._services.update(prior.id, svc)
                    counts[1] += 1
            for left in services.values():
                if left.origin == FILE:
                    await self._services.delete(left.id)
                    counts[2] += 1

            clusters = {
                (k.spec.project, k.spec.name): k
                for k in await self._store.kafka_clusters.find_all()
            }
            for cluster in spec.kafka_clusters:
                was = clusters.pop((cluster.project, cluster.name), None)
                if was is None:
                    await self._kafka.create(cluster, FILE)
                    counts[0] += 1
                elif _settings(was.spec) != _settings(cluster):
                    await self._kafka.update(was.id, cluster)
                    counts[1] += 1
            for dropped in clusters.values():
                if dropped.origin == FILE:
                    await self._kafka.delete(dropped.id)
                    counts[2] += 1
        except ConflictError as exc:
            raise ConfigurationError(f"sources file: {exc.message}") from None
        return AppliedSources(*counts)


def _settings(spec: ConnectorSpec | ServiceSpec | KafkaClusterSpec) -> dict[str, object]:
    values = spec.model_dump()
    if isinstance(spec, KafkaClusterSpec):  # stored with their defaults resolved
        values.update(environment_id=spec.environment, cluster_id=spec.cluster)
    if "expect_status" in values:
        values["expect_status"] = tuple(values["expect_status"])
    return values
