"""Pings of the embedded store, kept in process memory per check.

Like the embedded checks, they live only in this process; a list per check
makes storing a ping O(1) instead of mongomock's copying and index upkeep.
"""

import bisect

from gateway.domain.checks import Ping

__all__ = ["MemoryPingsRepo"]


class MemoryPingsRepo:
    """The pings repository of the embedded store (same calls as ``PingsRepo``)."""

    def __init__(self) -> None:
        self._by_check: dict[str, list[Ping]] = {}

    async def ensure_indexes(self) -> None:
        return None

    async def insert_many(self, pings: list[Ping]) -> None:
        for ping in pings:
            kept = self._by_check.setdefault(ping.check, [])
            if kept and kept[-1].n > ping.n:
                bisect.insort(kept, ping, key=lambda p: p.n)
            else:
                kept.append(ping)

    def _newest(self, check: str, above: int, limit: int) -> list[Ping]:
        kept = self._by_check.get(check, [])
        return [ping for ping in reversed(kept) if ping.n > above][:limit]

    def _get(self, check: str, n: int) -> Ping | None:
        for ping in self._by_check.get(check, []):
            if ping.n == n:
                return ping
        return None

    async def newest(self, check: str, *, above: int, limit: int) -> list[Ping]:
        return self._newest(check, above, limit)

    async def newest_for_checks(
        self, checks: dict[str, int], *, limit_each: int
    ) -> dict[str, list[Ping]]:
        """As ``PingsRepo.newest_for_checks`` (bodies included: they are in memory anyway)."""
        return {check: self._newest(check, above, limit_each) for check, above in checks.items()}

    async def bodies(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
        found: dict[tuple[str, int], bytes] = {}
        for check, n in keys:
            ping = self._get(check, n)
            if ping is not None:
                found[(check, n)] = ping.body
        return found

    async def get(self, check: str, n: int) -> Ping | None:
        return self._get(check, n)

    async def trim(self, check: str, *, up_to: int) -> int:
        kept = self._by_check.get(check, [])
        cut = bisect.bisect_right(kept, up_to, key=lambda p: p.n)
        del kept[:cut]
        return cut

    async def delete_for_check(self, check: str) -> int:
        return len(self._by_check.pop(check, []))
