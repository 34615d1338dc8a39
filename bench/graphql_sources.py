"""``sources`` over 1,000 checks with their last 10 pings: latency and round trips.

Runs the real app in process (httpx ASGITransport, lifespan entered) on the
embedded store, seeds N checks with P pings each through the public routes,
then times the dashboard query. Round trips are counted as calls to the store's
repositories (each is one database round trip on a real MongoDB).

Baseline, in the same run: ``{ viewer { project } }`` (auth + GraphQL overhead).

Usage: ``python -m bench.graphql_sources [--checks 1000] [--pings 10] [--requests 30]``
"""

import argparse
import asyncio
import inspect
import statistics
import time
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from bench.common import summary
from gateway.app import create_app
from gateway.settings import Settings
from storage import open_store

KEY = "hgw_bench_" + "k" * 22
QUERY = """query ($first: Int!) { sources(first: $first) { totalCount nodes {
  id name status statusSince lastCheckedAt
  ... on Check { tags nextPing pings(first: 10) { nodes { n kind at duration } } } } } }"""
BASELINE = "{ viewer { project } }"


def _count_repo_calls(store: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, repo in store.repositories.items():
        for method in dir(repo):
            original = getattr(repo, method)
            if method.startswith("_") or not inspect.iscoroutinefunction(original):
                continue

            async def counting(*args: Any, _o: Any = original, _n: str = name, **kw: Any) -> Any:
                counts[_n] = counts.get(_n, 0) + 1
                return await _o(*args, **kw)

            setattr(repo, method, counting)
    return counts


async def run(checks: int, pings: int, requests: int) -> None:
    settings = Settings(
        bootstrap_keys=f"bench:read-write:{KEY}",
        create_default_project=False,
        graphql_max_page_size=max(checks, 100),
        loop_enabled=False,
    )
    store = open_store(None, "bench")
    app = create_app(settings, store=store, background=[])
    headers = {"X-Api-Key": KEY}
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://b", timeout=120) as http:
            started = time.perf_counter()
            for n in range(checks):
                made = await http.post(
                    "/api/v3/checks/", json={"name": f"c{n:05}", "tags": "bench"}, headers=headers
                )
                uuid = made.json()["uuid"]
                for p in range(pings):
                    suffix = "/start" if p % 2 == 0 else ""
                    await http.post(f"/ping/{uuid}{suffix}", content=b"log line")
            print(
                f"seeded {checks} checks x {pings} pings in {time.perf_counter() - started:.1f} s"
            )

            async def timed(query: str, variables: dict[str, Any]) -> float:
                t0 = time.perf_counter()
                response = await http.post(
                    "/graphql", json={"query": query, "variables": variables}, headers=headers
                )
                elapsed = time.perf_counter() - t0
                body = response.json()
                assert "errors" not in body, body["errors"][:1]
                return elapsed

            await timed(QUERY, {"first": checks})  # warm-up
            counts = _count_repo_calls(store)
            sources: list[float] = []
            baseline: list[float] = []
            trips: list[int] = []
            per_kind: dict[str, int] = {}
            for _ in range(requests):  # interleaved, so both see the same machine
                counts.clear()
                sources.append(await timed(QUERY, {"first": checks}))
                trips.append(sum(counts.values()))
                per_kind = dict(counts)
                baseline.append(await timed(BASELINE, {}))

    print(f"sources(first: {checks}) with pings(first: 10), {requests} requests")
    print(f"  sources:  {summary(sources)}")
    print(f"  baseline: {summary(baseline)}   ({BASELINE})")
    ratio = statistics.median(sources) / statistics.median(baseline)
    print(f"  ratio p50 sources / baseline: {ratio:.1f}")
    print(f"  database round trips per request: {sorted(set(trips))} {per_kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--pings", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(run(args.checks, args.pings, args.requests))


if __name__ == "__main__":
    main()
