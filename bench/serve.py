"""A server for the ping benchmark.

``python -m bench.serve {bare|gateway} <checks> <port> <uuids-file>``

``bare`` is a plain ASGI app answering ``OK``; ``gateway`` is healthgate on the
embedded store, seeded with ``<checks>`` checks whose uuids go to ``<uuids-file>``.
"""

import asyncio
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

import uvicorn

from gateway.app import create_app
from gateway.cli import tune_garbage_collector
from gateway.domain.checks import Check
from gateway.domain.checks.evolve import evolve
from gateway.domain.checks.state import alert_after
from gateway.domain.status import Status
from gateway.settings import Settings
from storage import open_store

BENCH_KEY = "hgw_bench_" + "k" * 22


async def bare(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"OK"})


async def _seed(count: int) -> tuple[Any, list[str]]:
    store = open_store(None, "healthgate_bench")
    created = datetime.now(UTC)
    codes = [str(uuid.uuid4()) for _ in range(count)]
    for code in codes:
        # Steady state: checks that are up already (a first ping also records a flip).
        check = Check(
            uuid=code,
            project="bench",
            badge_key=str(uuid.uuid4()),
            created=created,
            status=Status.UP,
            last_ping=created,
            n_pings=1,
        )
        await store.checks.insert(evolve(check, alert_after=alert_after(check)))
    return store, codes


def main() -> None:
    mode, count, port, uuids_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    app: Any
    if mode == "bare":
        app = bare
    else:
        store, codes = asyncio.run(_seed(count))
        # As `healthgate serve` does at start-up; here the seeded checks are frozen
        # too, as a long-running gateway's old objects mostly are.
        tune_garbage_collector()
        with open(uuids_file, "w") as out:
            out.write("\n".join(codes) + "\n")
        settings = Settings(
            bootstrap_keys=f"bench:read-write:{BENCH_KEY}",
            create_default_project=False,
            log_level="warning",
        )
        app = create_app(settings, store=store, background=[])
    # The same server options as `healthgate serve`.
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
