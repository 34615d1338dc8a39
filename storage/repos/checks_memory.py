"""Checks of the embedded store, kept in process memory with hash indexes.

The embedded store lives in this one process, so a dictionary is as durable
as mongomock and, unlike mongomock's linear scans, answers a ping's lookup
and compare-and-set in O(1) whatever the number of checks.
"""

import heapq
from collections.abc import Iterable
from datetime import datetime

from gateway.domain.checks import Check
from gateway.domain.checks.evolve import evolve
from gateway.domain.checks.naming import unique_key
from gateway.domain.status import Status

__all__ = ["MemoryChecksRepo"]


class MemoryChecksRepo:
    """The ``ChecksRepo`` of the embedded store.

    Usage: ``repo = MemoryChecksRepo(); await repo.insert(check)``
    """

    def __init__(self) -> None:
        self._by_uuid: dict[str, Check] = {}
        self._by_unique_key: dict[str, str] = {}
        self._by_badge_key: dict[str, str] = {}
        # Project -> its uuids in insertion order; (project, slug) -> uuids.
        self._by_project: dict[str, dict[str, None]] = {}
        self._by_slug: dict[tuple[str, str], set[str]] = {}
        # Checks with a deadline, and a heap of (deadline, uuid) over them for the
        # sweeper; entries whose check moved on are dropped when they surface.
        self._with_deadline: dict[str, datetime] = {}
        self._deadlines: list[tuple[datetime, str]] = []

    async def ensure_indexes(self) -> None:
        return None  # the dictionaries are the indexes

    def _index(self, check: Check) -> None:
        previous = self._by_uuid.get(check.uuid)
        if previous is not None and previous.slug != check.slug:
            self._by_slug[(previous.project, previous.slug)].discard(check.uuid)
        self._by_slug.setdefault((check.project, check.slug), set()).add(check.uuid)
        self._by_uuid[check.uuid] = check
        if check.alert_after is None:
            self._with_deadline.pop(check.uuid, None)
        elif self._with_deadline.get(check.uuid) != check.alert_after:
            self._with_deadline[check.uuid] = check.alert_after
            heapq.heappush(self._deadlines, (check.alert_after, check.uuid))
            if len(self._deadlines) > 2 * len(self._with_deadline) + 1024:
                self._compact()

    def _compact(self) -> None:
        self._deadlines = [(when, uuid) for uuid, when in self._with_deadline.items()]
        heapq.heapify(self._deadlines)

    async def insert(self, check: Check) -> None:
        if check.uuid in self._by_uuid or check.badge_key in self._by_badge_key:
            raise ValueError("duplicate check")
        self._by_unique_key[unique_key(check.uuid)] = check.uuid
        self._by_badge_key[check.badge_key] = check.uuid
        self._by_project.setdefault(check.project, {})[check.uuid] = None
        self._index(check)

    async def get(self, uuid: str) -> Check | None:
        return self._by_uuid.get(uuid)

    async def get_by_unique_key(self, key: str) -> Check | None:
        uuid = self._by_unique_key.get(key)
        return self._by_uuid.get(uuid) if uuid else None

    async def get_by_badge_key(self, badge_key: str) -> Check | None:
        uuid = self._by_badge_key.get(badge_key)
        return self._by_uuid.get(uuid) if uuid else None

    async def find(self, project: str, *, slug: str | None = None) -> list[Check]:
        if slug is None:
            uuids: Iterable[str] = self._by_project.get(project, {})
        else:
            uuids = self._by_slug.get((project, slug), set())
        found = [self._by_uuid[uuid] for uuid in uuids]
        return sorted(found, key=lambda check: (check.created, check.uuid))

    async def count(self, project: str) -> int:
        return len(self._by_project.get(project, {}))

    async def compare_and_set(self, check: Check) -> Check | None:
        # No await between the read and the write: atomic on the event loop.
        current = self._by_uuid.get(check.uuid)
        if current is None or current.rev != check.rev:
            return None
        stored = evolve(check, rev=check.rev + 1)
        self._index(stored)
        return stored

    async def delete(self, uuid: str) -> Check | None:
        check = self._by_uuid.pop(uuid, None)
        if check is not None:
            self._by_project[check.project].pop(uuid, None)
            self._by_slug[(check.project, check.slug)].discard(uuid)
            self._by_unique_key.pop(unique_key(uuid), None)
            self._by_badge_key.pop(check.badge_key, None)
            self._with_deadline.pop(uuid, None)
        return check

    async def due(self, now: datetime, limit: int) -> list[Check]:
        taken: list[tuple[datetime, str]] = []
        found: list[Check] = []
        seen: set[str] = set()
        while self._deadlines and len(found) < limit and self._deadlines[0][0] < now:
            when, uuid = heapq.heappop(self._deadlines)
            check = self._by_uuid.get(uuid)
            if check is None or check.alert_after != when or self._with_deadline.get(uuid) != when:
                continue  # a stale entry: the check was deleted or its deadline moved
            taken.append((when, uuid))
            if check.status is not Status.DOWN and uuid not in seen:
                seen.add(uuid)
                found.append(check)
        for entry in taken:
            # Only claimed by a compare-and-set later; until then they stay due.
            heapq.heappush(self._deadlines, entry)
        return found
