"""The background loop: jobs the lifespan starts, owns and cancels on shutdown."""

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from gateway.settings import Settings

if TYPE_CHECKING:
    from gateway.services import Services

__all__ = ["BackgroundJob", "default_jobs"]

BackgroundJob = Callable[["Services"], Coroutine[Any, Any, None]]


def default_jobs(settings: Settings) -> list[BackgroundJob]:
    """The jobs a gateway runs unless the caller of ``create_app`` passes its own.

    Each job runs until cancelled and never lets one bad source stop it.
    """
    if not settings.loop_enabled:
        return []
    from gateway.loop.scheduler import probe_loop

    return [probe_loop]
