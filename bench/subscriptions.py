"""Fan-out of status changes to many WebSocket subscribers of one gateway process.

Starts ``healthgate serve`` in a subprocess, opens N ``graphql-transport-ws``
sessions subscribed to ``statusChanged``, then flips one check by pinging it
(``/fail``, then success) and measures, for every subscriber, the time from the
ping request being sent to the status change arriving.

Baseline, measured in the same run over the same N connections: a WebSocket
ping/pong round trip (transport cost alone, no GraphQL, no store).

Usage: ``python -m bench.subscriptions [--subscribers 1000] [--rounds 20]``
Target: p99 under 250 ms with 1,000 subscribers.
"""

import argparse
import asyncio
import json
import time

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.common import free_port, gateway_process, summary

KEY = "hgw_bench_" + "k" * 22
SUBSCRIBE = {
    "id": "1",
    "type": "subscribe",
    "payload": {"query": "subscription { statusChanged { name to at } }"},
}


async def _open(url: str) -> ClientConnection:
    ws = await connect(url, subprotocols=[Subprotocol("graphql-transport-ws")], max_queue=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"apiKey": KEY}}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps(SUBSCRIBE))
    return ws


async def _next_change(ws: ClientConnection) -> float:
    # A substring test, not json.loads: the client's own work on 1,000 frames
    # would otherwise be counted as delivery time of the later subscribers.
    while True:
        message = await ws.recv()
        if '"type":"next"' in message or '"type": "next"' in message:
            return time.perf_counter()


async def run(subscribers: int, rounds: int) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"HEALTHGATE_BOOTSTRAP_KEYS": f"bench:read-write:{KEY}"}
    with gateway_process(env, port):
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            created = await http.post(
                "/api/v3/checks/",
                json={"name": "bench", "timeout": 3600},
                headers={"X-Api-Key": KEY},
            )
            ping_url = created.json()["ping_url"].replace("http://localhost:8000", base)
            sockets: list[ClientConnection] = []
            for start in range(0, subscribers, 100):  # open in batches: a fair accept queue
                batch = range(start, min(start + 100, subscribers))
                sockets += await asyncio.gather(
                    *(_open(f"ws://127.0.0.1:{port}/graphql") for _ in batch)
                )

            suffixes = ["/fail", ""]
            # Warm-up round: proves every subscription is registered before measuring.
            waiters = [asyncio.create_task(_next_change(ws)) for ws in sockets]
            await http.post(ping_url + suffixes[0])
            await asyncio.gather(*waiters)

            deliveries: list[float] = []
            all_received: list[float] = []
            for n in range(rounds):
                waiters = [asyncio.create_task(_next_change(ws)) for ws in sockets]
                sent = time.perf_counter()
                response = await http.post(ping_url + suffixes[(n + 1) % 2])
                assert response.text == "OK", response.text
                received = await asyncio.gather(*waiters)
                deliveries += [t - sent for t in received]
                all_received.append(max(received) - sent)

            pongs: list[float] = []
            for _ in range(rounds):
                sent = time.perf_counter()
                waiters_pong = [await ws.ping() for ws in sockets]
                done = await asyncio.gather(*waiters_pong)
                del done
                pongs.append(time.perf_counter() - sent)
            for ws in sockets:
                await ws.close()

    print(f"statusChanged fan-out to {subscribers} subscribers, {rounds} flips")
    print(f"  flip -> each delivery:      {summary(deliveries)}")
    print(f"  flip -> last subscriber:    {summary(all_received)}")
    print(f"  baseline ws ping/pong, all: {summary(pongs)}")
    print("  per flip, last delivery (ms): " + " ".join(f"{t * 1000:.0f}" for t in all_received))
    ratio = sorted(all_received)[len(all_received) // 2] / sorted(pongs)[len(pongs) // 2]
    print(f"  ratio (median all-delivered / median all-pong): {ratio:.2f}")
    p99 = sorted(deliveries)[min(len(deliveries) - 1, round(0.99 * (len(deliveries) - 1)))]
    print(f"  target p99 < 250 ms: {'met' if p99 < 0.25 else 'NOT met'} ({p99 * 1000:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(run(args.subscribers, args.rounds))


if __name__ == "__main__":
    main()
