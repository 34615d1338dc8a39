"""The deadline sweeper: turns overdue checks down, safely from several processes at once."""

import logging
from datetime import datetime, timedelta

from gateway.domain.checks import Check
from gateway.domain.checks.evolve import evolve
from gateway.domain.checks.state import alert_after, display_status, going_down_after
from gateway.domain.clock import Clock
from gateway.domain.status import Status
from gateway.services.check_flips import record_check_flip
from gateway.services.flips import FlipsService
from storage import Store

__all__ = ["SweeperService"]

log = logging.getLogger("healthgate.sweeper")

_RETRY_LATER = timedelta(hours=1)


class SweeperService:
    """Usage: ``flipped = await sweeper.sweep_once(now)``."""

    def __init__(self, store: Store, flips: FlipsService, clock: Clock, batch: int = 1000) -> None:
        self._store = store
        self._flips = flips
        self._clock = clock
        self._batch = batch

    async def sweep_once(self, now: datetime | None = None) -> int:
        """Handle every check whose deadline passed before ``now``; returns how many went down.

        Stops when a round changes nothing, so checks another process keeps
        changing cannot hold it forever.
        """
        at = now or self._clock()
        flipped = 0
        while True:
            due = await self._store.checks.due(at, self._batch)
            changed = 0
            for check in due:
                try:
                    outcome = await self._handle(check, at)
                except Exception:
                    # One bad check must not stop the sweep: look at it again later.
                    log.exception("could not sweep check %s", check.uuid)
                    outcome = await self._postpone(check, at + _RETRY_LATER)
                if outcome is not None:
                    changed += 1
                    flipped += outcome
            if not due or not changed:
                return flipped

    async def _handle(self, check: Check, now: datetime) -> int | None:
        """1 when it went down, 0 when its deadline moved, None when another process won."""
        if display_status(check, now) != Status.DOWN.value:
            deadline = alert_after(check)
            if deadline is not None and deadline <= now:
                deadline = now + _RETRY_LATER
            return await self._postpone(check, deadline)
        went_down_at = going_down_after(check) or check.alert_after or now
        stored = await self._store.checks.compare_and_set(
            evolve(check, status=Status.DOWN, alert_after=None)
        )
        if stored is None:
            return None
        await record_check_flip(
            self._flips, stored, check.status, Status.DOWN, went_down_at, "timeout"
        )
        return 1

    async def _postpone(self, check: Check, deadline: datetime | None) -> int | None:
        stored = await self._store.checks.compare_and_set(evolve(check, alert_after=deadline))
        return None if stored is None else 0
