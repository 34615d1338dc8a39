"""Delivering queued flips to their channels: at-least-once, retried with backoff.

Usage: ``delivered = await notifier.deliver_due()`` (the worker calls it in a loop).

A round sends one flip to every assigned channel it has not reached yet, all at
once, each inside the attempt time limit. Each attempt is stored. Channels that
failed are tried again in a later round, after a doubling wait, until the
attempt limit; a failing channel never holds up the others, other flips, or pings.
"""

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Protocol

from gateway.domain.channels import Channel
from gateway.domain.clock import Clock
from gateway.domain.notifications import DeliveryOutcome, NotificationAttempt, backoff_delay
from gateway.domain.status import Flip
from gateway.settings import Settings
from storage import Store
from storage.repos.flips import PendingNotification

__all__ = ["ChannelSender", "NotifierService"]

log = logging.getLogger("healthgate.notify")


class ChannelSender(Protocol):
    async def send(self, channel: Channel, flip: Flip, now: datetime) -> DeliveryOutcome:
        """Deliver ``flip`` to ``channel`` once; failures are returned, never raised."""
        ...


class NotifierService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        senders: Mapping[str, ChannelSender],
    ) -> None:
        self._settings = settings
        self._store = store
        self._clock = clock
        self._senders = dict(senders)

    async def deliver_due(self) -> int:
        """Run one round for every flip that is due now; returns how many were handled."""
        seats = asyncio.Semaphore(self._settings.notify_concurrency)
        handled = 0
        async with asyncio.TaskGroup() as group:
            while True:
                await seats.acquire()
                now = self._clock()
                lease = timedelta(
                    seconds=self._settings.notify_timeout_seconds
                    + self._settings.loop_lease_seconds
                )
                pending = await self._store.flips.claim_pending(now, now + lease)
                if pending is None:
                    seats.release()
                    break
                handled += 1
                group.create_task(self._round_then_release(pending, seats))
        return handled

    async def _round_then_release(
        self, pending: PendingNotification, seats: asyncio.Semaphore
    ) -> None:
        try:
            await self._round(pending)
        except Exception:
            # The lease runs out and another round retries it: at-least-once.
            log.exception("notification round for flip %s failed", pending.flip.id)
        finally:
            seats.release()

    async def _round(self, pending: PendingNotification) -> None:
        flip = pending.flip
        assert flip.id is not None
        remaining = [cid for cid in pending.channels if cid not in pending.delivered]
        found = {c.id: c for c in await self._store.channels.get_many(remaining)}
        # A channel removed from configuration (or of another project) cannot be reached.
        channels = [found[cid] for cid in remaining if cid in found]
        channels = [c for c in channels if c.project == flip.project]
        attempt = pending.attempts + 1
        now = self._clock()
        outcomes = await asyncio.gather(*(self._send(c, flip, now) for c in channels))
        at = self._clock()
        await self._store.notifications.insert_many(
            [
                NotificationAttempt(
                    flip.id, c.id, flip.project, attempt, o.ok, o.error, o.latency_ms, at
                )
                for c, o in zip(channels, outcomes, strict=True)
            ]
        )
        failed = [c for c, o in zip(channels, outcomes, strict=True) if not o.ok]
        delivered = [c.id for c, o in zip(channels, outcomes, strict=True) if o.ok]
        if not failed:
            await self._store.flips.mark_notified(flip.id, at)
        elif attempt >= self._settings.notify_max_attempts:
            log.warning(
                "giving up notifying flip %s after %d attempts; failing channels: %s",
                flip.id,
                attempt,
                ", ".join(c.name for c in failed),
            )
            await self._store.flips.mark_failed(flip.id, attempts=attempt, now=at)
        else:
            wait = backoff_delay(
                attempt,
                self._settings.notify_backoff_seconds,
                self._settings.notify_backoff_max_seconds,
            )
            await self._store.flips.record_round(
                flip.id, delivered=delivered, attempts=attempt, next_attempt_at=at + wait
            )

    async def _send(self, channel: Channel, flip: Flip, now: datetime) -> DeliveryOutcome:
        sender = self._senders.get(channel.kind)
        if sender is None:
            return DeliveryOutcome(False, f"channel kind {channel.kind!r} cannot be delivered")
        try:
            async with asyncio.timeout(self._settings.notify_timeout_seconds):
                return await sender.send(channel, flip, now)
        except TimeoutError:
            return DeliveryOutcome(False, "timed out", self._settings.notify_timeout_seconds * 1000)
        except Exception as exc:
            log.exception("channel %s (%s) raised", channel.name, channel.kind)
            return DeliveryOutcome(False, f"unexpected error ({type(exc).__name__})")
