"""The notification worker: delivers queued flips until cancelled."""

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.services import Services

__all__ = ["notification_worker"]

log = logging.getLogger("healthgate.notify")

_STOP_GRACE_SECONDS = 0.5


def _retrieve(task: "asyncio.Task[int]") -> None:
    if not task.cancelled():
        task.exception()  # a round abandoned on shutdown; its error is not news


async def notification_worker(services: "Services") -> None:
    """Deliver whatever is due; sleep only when nothing was. Never dies on an error.

    Each round runs in its own task that this one waits on: PyMongo (and 3.11's
    ``wait_for``) can lose a cancellation delivered inside a driver call, and
    shutdown must stop this loop all the same. On shutdown the current round
    gets a short grace to finish before it is cancelled.
    """
    idle = services.settings.loop_idle_seconds
    while True:
        round_task = asyncio.create_task(services.notifier.deliver_due(), name="notify-round")
        round_task.add_done_callback(_retrieve)
        try:
            await asyncio.wait({round_task})
        except asyncio.CancelledError:
            # A round usually ends within the grace; cancelling the driver in the
            # middle of connecting can leave its socket open.
            await asyncio.wait({round_task}, timeout=_STOP_GRACE_SECONDS)
            round_task.cancel()
            raise
        handled = 0
        if not round_task.cancelled():
            error = round_task.exception()
            if error is None:
                handled = round_task.result()
            else:
                log.error("notification round failed; retrying", exc_info=error)
        if not handled:
            await asyncio.sleep(idle)
