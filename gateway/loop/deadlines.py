"""The background job that turns overdue checks down."""

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.services import Services

__all__ = ["sweep_deadlines"]

log = logging.getLogger("healthgate.loop")


async def sweep_deadlines(services: "Services") -> None:
    """Sweep overdue checks every ``sweep_interval_seconds`` until cancelled.

    A failing sweep (the database away, a bug on one check) is logged and the
    job carries on with the next round.
    """
    while True:
        # Sleep first: a gateway that starts and stops at once never touches the store here.
        await asyncio.sleep(services.settings.sweep_interval_seconds)
        try:
            flipped = await services.sweeper.sweep_once()
        except Exception:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # A driver turned our cancellation into another error: still stop.
                raise asyncio.CancelledError from None
            log.exception("deadline sweep failed; retrying")
        else:
            if flipped:
                log.info("%d overdue checks went down", flipped)
