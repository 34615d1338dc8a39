"""The ``pings`` collection: the newest pings of each check, with their bodies."""

from pymongo import ASCENDING, DESCENDING

from gateway.domain.checks import Ping, PingKind
from storage.types import Collection, Document

__all__ = ["PingsRepo"]


def _to_document(ping: Ping) -> Document:
    return {
        "check": ping.check,
        "n": ping.n,
        "kind": ping.kind.value,
        "created": ping.created,
        "scheme": ping.scheme,
        "remote_addr": ping.remote_addr,
        "method": ping.method,
        "ua": ping.ua,
        "rid": ping.rid,
        "exit_status": ping.exit_status,
        "body": ping.body,
    }


def _to_domain(doc: Document) -> Ping:
    return Ping(
        check=doc["check"],
        n=doc["n"],
        kind=PingKind(doc["kind"]),
        created=doc["created"],
        scheme=doc["scheme"],
        remote_addr=doc["remote_addr"],
        method=doc["method"],
        ua=doc["ua"],
        rid=doc["rid"],
        exit_status=doc["exit_status"],
        body=bytes(doc["body"]),
    )


class PingsRepo:
    def __init__(self, collection: Collection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        # Not unique: a unique index would make every embedded insert scan the collection.
        await self._c.create_index([("check", ASCENDING), ("n", DESCENDING)], name="check_n")

    async def insert_many(self, pings: list[Ping]) -> None:
        """Store pings in one write (the ingestion path batches concurrent pings)."""
        if pings:
            await self._c.insert_many([_to_document(ping) for ping in pings], ordered=False)

    async def newest(self, check: str, *, above: int, limit: int) -> list[Ping]:
        """The check's pings numbered above ``above``, newest first, at most ``limit``."""
        cursor = (
            self._c.find({"check": check, "n": {"$gt": above}})
            .sort([("n", DESCENDING)])
            .limit(limit)
        )
        return [_to_domain(doc) async for doc in cursor]

    async def get(self, check: str, n: int) -> Ping | None:
        doc = await self._c.find_one({"check": check, "n": n})
        return _to_domain(doc) if doc else None

    async def trim(self, check: str, *, up_to: int) -> int:
        """Drop the check's pings numbered ``up_to`` or below."""
        result = await self._c.delete_many({"check": check, "n": {"$lte": up_to}})
        return result.deleted_count

    async def delete_for_check(self, check: str) -> int:
        result = await self._c.delete_many({"check": check})
        return result.deleted_count
