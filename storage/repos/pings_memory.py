"""Pings of the embedded store, kept in process memory per check.

Like the embedded checks, they live only in this process; a list per check
makes storing a ping O(1) instead of mongomock's copying and index upkeep.

Each ping is kept as a tuple of plain values (the kind as its string), not as
a ``Ping``: CPython stops tracking such tuples in its garbage collector, so a
store holding millions of pings does not make every full collection walk them.
"""

import bisect
from datetime import datetime

from gateway.domain.checks import Ping, PingKind

__all__ = ["MemoryPingsRepo"]

# check, n, kind, created, scheme, remote_addr, method, ua, rid, exit_status, body
_Row = tuple[str, int, str, datetime, str, str | None, str, str, str | None, int | None, bytes]


def _row(ping: Ping) -> _Row:
    return (
        ping.check,
        ping.n,
        ping.kind.value,
        ping.created,
        ping.scheme,
        ping.remote_addr,
        ping.method,
        ping.ua,
        ping.rid,
        ping.exit_status,
        ping.body,
    )


def _ping(row: _Row) -> Ping:
    check, n, kind, created, scheme, remote_addr, method, ua, rid, exit_status, body = row
    return Ping(
        check=check,
        n=n,
        kind=PingKind(kind),
        created=created,
        scheme=scheme,
        remote_addr=remote_addr,
        method=method,
        ua=ua,
        rid=rid,
        exit_status=exit_status,
        body=body,
    )


def _n(row: _Row) -> int:
    return row[1]


class MemoryPingsRepo:
    """The pings repository of the embedded store (same calls as ``PingsRepo``)."""

    def __init__(self) -> None:
        self._by_check: dict[str, list[_Row]] = {}

    async def ensure_indexes(self) -> None:
        return None

    async def insert_many(self, pings: list[Ping]) -> None:
        for ping in pings:
            kept = self._by_check.setdefault(ping.check, [])
            row = _row(ping)
            if kept and _n(kept[-1]) > ping.n:
                bisect.insort(kept, row, key=_n)
            else:
                kept.append(row)

    def _newest(self, check: str, above: int, limit: int) -> list[Ping]:
        kept = self._by_check.get(check, [])
        return [_ping(row) for row in reversed(kept) if _n(row) > above][:limit]

    def _get(self, check: str, n: int) -> Ping | None:
        for row in self._by_check.get(check, []):
            if _n(row) == n:
                return _ping(row)
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
        cut = bisect.bisect_right(kept, up_to, key=_n)
        del kept[:cut]
        return cut

    async def delete_for_check(self, check: str) -> int:
        return len(self._by_check.pop(check, []))
