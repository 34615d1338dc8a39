"""The background loop: jobs the lifespan starts, owns and cancels on shutdown."""

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from gateway.loop.deadlines import sweep_deadlines
from gateway.loop.notifier import notification_worker
from gateway.loop.scheduler import probe_loop
from gateway.settings import Settings

if TYPE_CHECKING:
    from gateway.services import Services

__all__ = ["BackgroundJob", "default_jobs"]

BackgroundJob = Callable[["Services"], Coroutine[Any, Any, None]]


def default_jobs(settings: Settings) -> list[BackgroundJob]:
    """The jobs a gateway runs unless the caller of ``create_app`` passes its own.

    Each job runs until cancelled and never lets one bad source stop it.
    """
    jobs: list[BackgroundJob] = []
    if settings.event_bus == "changestream":
        jobs.append(follow_change_stream)
    if not settings.loop_enabled:
        return jobs
    jobs.append(sweep_deadlines)
    jobs.append(notification_worker)
    jobs.append(probe_loop)
    return jobs


async def follow_change_stream(services: "Services") -> None:
    """Feed the change-stream bus (only started when ``HEALTHGATE_EVENT_BUS=changestream``)."""
    from gateway.services.events import ChangeStreamBus

    if isinstance(services.bus, ChangeStreamBus):
        await services.bus.run()
