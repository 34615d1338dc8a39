"""Per-request DataLoaders, so nested fields cost one query per kind, not per source."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from strawberry.dataloader import DataLoader

from gateway.domain.channels import Channel
from gateway.domain.checks import Check, Ping
from gateway.domain.checks.pings import durations
from gateway.domain.kafka import KafkaConnector
from gateway.domain.probes import ProbeSample
from gateway.domain.status import Flip, SourceRef
from gateway.services import Services

__all__ = ["FlipsKey", "LatencyKey", "Loaders", "PingsPage"]

# A check's kept pings (without bodies) and the durations of its runs.
PingsPage = tuple[list[Ping], dict[int, float]]


@dataclass(frozen=True)
class FlipsKey:
    """The flips of one source within a window (the window is part of the key)."""

    source: SourceRef
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0


@dataclass(frozen=True)
class LatencyKey:
    """The newest ``limit`` probe samples of one source."""

    source: SourceRef
    limit: int


class Loaders:
    """Created for every request (and WebSocket operation); no cache across them.

    ``cache=False``: batching is what removes N+1 queries; caching would serve a
    long-lived subscription stale data.
    """

    def __init__(self, services: Services) -> None:
        self._services = services
        self.flips: DataLoader[FlipsKey, list[Flip]] = DataLoader(
            load_fn=self._load_flips, cache=False
        )
        self.pings: DataLoader[Check, PingsPage] = DataLoader(load_fn=self._load_pings, cache=False)
        self.ping_bodies: DataLoader[tuple[str, int], bytes] = DataLoader(
            load_fn=self._load_bodies, cache=False
        )
        self.channels: DataLoader[str, list[Channel]] = DataLoader(
            load_fn=self._load_channels, cache=False
        )

        self.latency: DataLoader[LatencyKey, list[ProbeSample]] = DataLoader(
            load_fn=self._load_latency, cache=False
        )
        self.kafka_connectors: DataLoader[str, list[KafkaConnector]] = DataLoader(
            load_fn=self._load_kafka_connectors, cache=False
        )

    async def _load_latency(self, keys: Sequence[LatencyKey]) -> list[list[ProbeSample]]:
        """One query per distinct limit asked for, whatever the number of sources."""
        groups: dict[int, list[LatencyKey]] = defaultdict(list)
        for key in keys:
            groups[key.limit].append(key)
        found: dict[LatencyKey, list[ProbeSample]] = {}
        for limit, group in groups.items():
            unique = list(dict.fromkeys(group))
            results = await self._services.store.probe_history.recent_many(
                [key.source for key in unique], limit_each=limit
            )
            found.update(zip(unique, results, strict=True))
        return [found[key] for key in keys]

    async def _load_kafka_connectors(self, clusters: Sequence[str]) -> list[list[KafkaConnector]]:
        unique = list(dict.fromkeys(clusters))
        found = dict(zip(unique, await self._services.kafka.connectors_of(unique), strict=True))
        return [found[cluster] for cluster in clusters]

    async def _load_pings(self, checks: Sequence[Check]) -> list[PingsPage]:
        """The kept pings of many checks in one query (bodies are not loaded)."""
        keep = self._services.settings.ping_log_limit
        above = {check.uuid: max(check.n_pings - keep, 0) for check in checks}
        found = await self._services.store.pings.newest_for_checks(
            above, limit_each=min(keep, 1000)
        )
        return [
            (found.get(check.uuid, []), durations(found.get(check.uuid, []))) for check in checks
        ]

    async def _load_bodies(self, keys: Sequence[tuple[str, int]]) -> list[bytes]:
        found = await self._services.store.pings.bodies(list(keys))
        return [found.get(key, b"") for key in keys]

    async def _load_channels(self, projects: Sequence[str]) -> list[list[Channel]]:
        # Every request is of one project, so this is one query.
        unique = {
            project: await self._services.store.channels.find_all(project)
            for project in set(projects)
        }
        return [unique[project] for project in projects]

    async def _load_flips(self, keys: Sequence[FlipsKey]) -> list[list[Flip]]:
        """One query per distinct window asked for, whatever the number of sources."""
        groups: dict[tuple[datetime | None, datetime | None, int], list[FlipsKey]]
        groups = defaultdict(list)
        for key in keys:
            groups[(key.since, key.until, key.limit)].append(key)
        found: dict[FlipsKey, list[Flip]] = {}
        for (since, until, limit), group in groups.items():
            results = await self._services.store.flips.for_sources(
                [key.source for key in group], since=since, until=until, limit_each=limit
            )
            found.update(zip(group, results, strict=True))
        return [found[key] for key in keys]
