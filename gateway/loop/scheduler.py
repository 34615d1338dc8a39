"""The probe loop: claims due sources with a lease and probes them, boundedly.

``run_due(now)`` probes everything due at ``now`` and returns how many (tests
drive it with an injected clock); ``run_forever()`` is the background job.
"""

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import httpx

from gateway.domain.probes import Fetched, ProbeFailure
from gateway.loop.upstream.kafka import probe_cluster
from gateway.loop.upstream.mosparo import probe_service
from gateway.loop.upstream.proget import probe_connector
from storage.repos.scheduled import Claim

if TYPE_CHECKING:
    from gateway.services import Services

__all__ = ["ProbeScheduler", "probe_loop"]

log = logging.getLogger("healthgate.loop")

Outcome = Fetched | ProbeFailure
_T = TypeVar("_T")
_CLAIM_AHEAD = 16


@dataclass(frozen=True)
class _Kind:
    name: str
    claim: Callable[[datetime, str, float, int], Awaitable[list[Claim]]]
    probe: Callable[[httpx.AsyncClient, Claim, int], Awaitable[Outcome]]
    record: Callable[[Claim, Outcome], Awaitable[None]]


class ProbeScheduler:
    """Probes the due sources of one store; several may share a store (one per process).

    Usage: ``await ProbeScheduler(services).run_due(now)``
    """

    def __init__(self, services: "Services", owner: str | None = None) -> None:
        self._services = services
        settings = services.settings
        self._concurrency = settings.loop_concurrency
        self._lease = settings.loop_lease_seconds
        self._idle = settings.loop_idle_seconds
        self._max_bytes = settings.loop_max_body_bytes
        self._semaphore = asyncio.Semaphore(settings.loop_concurrency)
        self._inflight: set[asyncio.Task[None]] = set()
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        store = services.store
        self._kinds = [
            _Kind(
                "connector",
                store.connectors.claim_due,
                probe_connector,
                services.connectors.record_probe,
            ),
            _Kind(
                "service",
                store.service_sources.claim_due,
                probe_service,
                services.service_sources.record_probe,
            ),
            _Kind(
                "kafka cluster",
                store.kafka_clusters.claim_due,
                probe_cluster,
                services.kafka.record_probe,
            ),
        ]

    async def claim(self, now: datetime, limit: int) -> list[tuple[_Kind, Claim]]:
        """Claim up to ``limit`` due sources across every kind."""
        claimed: list[tuple[_Kind, Claim]] = []
        for kind in self._kinds:
            if len(claimed) >= limit:
                break
            got = await kind.claim(now, self.owner, self._lease, limit - len(claimed))
            claimed += [(kind, claim) for claim in got]
        return claimed

    async def _run(self, kind: _Kind, claim: Claim) -> None:
        """Probe one source and record the result; a failure here never stops the loop
        (the lease then runs out and the source is probed again)."""
        async with self._semaphore:
            if not self._lease_covers(claim):
                # It waited for a seat so long that its lease could run out mid-probe;
                # it is due again and will be claimed afresh (by us or another process).
                log.debug("skipping %s %s: its lease ran short", kind.name, claim.doc.get("name"))
                return
            try:
                outcome = await kind.probe(self._services.http, claim, self._max_bytes)
                await _to_the_end(kind.record(claim, outcome))
            except asyncio.CancelledError:
                raise
            except Exception:
                _raise_if_cancelling()
                log.exception("probing %s %s failed", kind.name, claim.doc.get("name"))

    def _lease_covers(self, claim: Claim) -> bool:
        """Whether the lease outlasts a probe started now, timeout included."""
        lease_until = claim.doc.get("lease_until")
        if not isinstance(lease_until, datetime):
            return True
        timeout = timedelta(seconds=float(claim.doc.get("timeout", 0)))
        return self._services.clock() + timeout < lease_until

    async def run_due(self, now: datetime) -> int:
        """Probe every source due at ``now`` (bounded by the semaphore); returns how many."""
        total = 0
        while True:
            claimed = await self.claim(now, self._concurrency)
            if not claimed:
                return total
            await asyncio.gather(*(self._run(kind, claim) for kind, claim in claimed))
            total += len(claimed)

    async def run_forever(self) -> None:
        """Claim in batches ahead of the semaphore's seats; sleep only when nothing is due.

        A scan for due work is the expensive step, so the loop refills only when
        the probes it holds are down to one round of seats. On cancellation the
        probes in flight are cancelled and awaited: a cancelled probe writes
        nothing, and its lease simply runs out.
        """
        capacity = self._concurrency * _CLAIM_AHEAD
        drained = asyncio.Event()

        def done(task: asyncio.Task[None]) -> None:
            self._inflight.discard(task)
            if len(self._inflight) <= self._concurrency:
                drained.set()

        try:
            while True:
                if len(self._inflight) > self._concurrency:
                    drained.clear()
                    await drained.wait()
                free = capacity - len(self._inflight)
                claimed: list[tuple[_Kind, Claim]] = []
                try:
                    claimed = await _to_the_end(self.claim(self._services.clock(), free))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the database is away: try again later
                    _raise_if_cancelling()
                    log.warning("claiming due probes failed: %s", exc)
                for kind, claim in claimed:
                    task = asyncio.create_task(self._run(kind, claim))
                    self._inflight.add(task)
                    task.add_done_callback(done)
                if len(claimed) < free:
                    await asyncio.sleep(self._idle)
        finally:
            for task in self._inflight:
                task.cancel()
            await asyncio.gather(*self._inflight, return_exceptions=True)


async def _to_the_end(work: Awaitable[_T]) -> _T:
    """Run a database step to its end even when we are cancelled meanwhile, then let
    the cancellation through: a result is stored whole or not at all, and the driver
    is never interrupted mid-operation (pymongo can be left unable to close)."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.gather(task, return_exceptions=True)
        raise


def _raise_if_cancelling() -> None:
    """A driver may turn our cancellation into another error while it cleans up
    (pymongo can raise "Lock is not acquired"); the cancellation still wins."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def probe_loop(services: "Services") -> None:
    """The background job: this process's share of the probing."""
    await ProbeScheduler(services).run_forever()
