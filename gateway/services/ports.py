"""Interfaces between services that are built separately.

``BadgeChecks`` is what the badge service needs from the checks service; the
checks service implements it (structural typing, no inheritance needed).
"""

from dataclasses import dataclass
from typing import Protocol

from gateway.domain.status import Status

__all__ = ["BadgeCheck", "BadgeChecks"]


@dataclass(frozen=True)
class BadgeCheck:
    """A check as a badge sees it.

    ``status`` is the displayed status at now from Healthchecks' plain
    ``get_status()``: ``NEW`` and ``PAUSED`` count as up, ``GRACE`` is late.
    """

    project: str
    uuid: str
    name: str
    tags: tuple[str, ...]
    status: Status


class BadgeChecks(Protocol):
    async def badge_checks(self, project: str, tag: str | None) -> list[BadgeCheck]:
        """The project's checks, only those carrying ``tag`` (whole-tag match) unless None."""
        ...

    async def badge_check(self, badge_key: str) -> BadgeCheck | None:
        """The check whose per-check badge key (a UUID, not the check's) is ``badge_key``."""
        ...

    async def project_tags(self, project: str) -> list[str]:
        """Every tag used by the project's checks, sorted."""
        ...
