"""Deadline sweep benchmark: 100,000 checks whose deadlines fall in the same second.

``python -m bench.sweep [--checks 100000]`` seeds the embedded store with up
checks that all go down within one second, runs one sweep and reports how long
it took until every check is down with its flip recorded.
"""

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from gateway.domain.checks import Check
from gateway.domain.checks.state import alert_after
from gateway.domain.status import SourceKind, Status
from gateway.services import build_services
from gateway.settings import Settings
from storage import open_store


async def run(count: int) -> None:
    store = open_store(None, "healthgate_bench_sweep")
    await store.ensure_indexes()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(count):
        check = Check(
            uuid=str(uuid.uuid4()),
            project="bench",
            badge_key=str(uuid.uuid4()),
            created=t0,
            timeout=60,
            grace=60,
            status=Status.UP,
            # Last pings spread over one second: every deadline falls in that second.
            last_ping=t0 + timedelta(microseconds=n * 1_000_000 // count),
        )
        await store.checks.insert(Check(**{**check.__dict__, "alert_after": alert_after(check)}))
    now = t0 + timedelta(seconds=121)
    async with httpx.AsyncClient() as http:
        services = build_services(
            Settings(create_default_project=False), store, http, clock=lambda: now
        )
        started = time.perf_counter()
        flipped = await services.sweeper.sweep_once(now)
        elapsed = time.perf_counter() - started
    down = sum(1 for c in await store.checks.find("bench") if c.status is Status.DOWN)
    flips = await store.db["flips"].count_documents(
        {"kind": SourceKind.CHECK.value, "to": Status.DOWN.value}
    )
    print(
        f"deadline sweep: {count:,} checks due in the same second -> {flipped:,} went down, "
        f"{down:,} stored down, {flips:,} flips recorded in {elapsed:.2f} s "
        f"({count / elapsed:,.0f} checks/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=100_000)
    asyncio.run(run(parser.parse_args().checks))


if __name__ == "__main__":
    main()
