"""What every probe result goes through: history, flips and the next probe time."""

import random
from datetime import datetime, timedelta

from gateway.domain.connectors import ProbeResult
from gateway.domain.probes import ProbeSample, next_probe_at
from gateway.domain.status import Flip, SourceRef, Status
from gateway.services.flips import FlipsService
from gateway.settings import Settings
from storage import Store

__all__ = ["ProbeBook"]


class ProbeBook:
    """Records probe outcomes; shared by the connector, service and Kafka services."""

    def __init__(self, store: Store, flips: FlipsService, settings: Settings) -> None:
        self._store = store
        self._flips = flips
        self._jitter = settings.loop_jitter_seconds

    def first_probe_at(self, now: datetime, interval: float) -> datetime:
        """A new source is probed soon: within the jitter, so a file of many sources
        does not probe them all in the same instant."""
        spread = min(self._jitter, interval * 0.05)
        return now + timedelta(seconds=random.uniform(0, spread) if spread > 0 else 0)

    def next_at(self, now: datetime, interval: float, failures: int) -> datetime:
        return next_probe_at(now, interval, failures, self._jitter)

    async def note(
        self,
        project: str,
        source: SourceRef,
        name: str,
        before: Status,
        result: ProbeResult,
        at: datetime,
    ) -> None:
        """Keep the sample in the history and record a flip when the status changed."""
        await self._store.probe_history.add(
            source, ProbeSample(at, result.status, result.latency_ms, result.error)
        )
        await self.flip(project, source, name, before, result.status, at, result.error or "")

    async def flip(
        self,
        project: str,
        source: SourceRef,
        name: str,
        before: Status,
        after: Status,
        at: datetime,
        reason: str = "",
    ) -> None:
        if before is not after:
            await self._flips.record(Flip(project, source, name, before, after, at, reason))
