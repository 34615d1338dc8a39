"""Benchmark: N connectors at one interval against a local fake upstream.

Starts a fake upstream (its own process) and ``healthgate serve`` (embedded store)
with a sources file of N connectors, waits one interval to warm up, then for at
least three intervals samples ``GET /api/connector-health`` and reports:

- staleness (now - lastChecked) of every connector: the largest and the 99th percentile
- probes per second (counted by the upstream)
- CPU of the gateway process (user + system seconds / wall seconds, 1.0 = one core)
- its peak RSS (VmHWM)

Target: staleness <= interval + 5 s, CPU <= 1 core, peak RSS <= 300 MB.

Usage: ``python -m bench.probes [--connectors 10000] [--interval 60] [--intervals 3]``
"""

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

KEY = "hgc_bench_" + "k" * 22
TICKS = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _status_kb(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def _sources(path: Path, count: int, interval: float, upstream: int) -> None:
    with path.open("w") as out:
        for n in range(count):
            out.write(
                f'[[connectors]]\nproject = "bench"\nname = "c{n:05d}"\n'
                f'url = "http://127.0.0.1:{upstream}/c{n:05d}"\n'
                f"interval = {interval:g}\ntimeout = 5\n\n"
            )


async def _wait_ready(http: httpx.AsyncClient, url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            response = await http.get(url, headers={"X-ApiKey": KEY})
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.5)
    raise SystemExit("the gateway did not start in time")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(count: int, interval: float, intervals: int, concurrency: int, idle: float) -> int:
    upstream_port, gateway_port = _free_port(), _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="healthgate-bench-"))
    sources = workdir / "sources.toml"
    _sources(sources, count, interval, upstream_port)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HEALTHGATE_SOURCES_FILE": str(sources),
        "HEALTHGATE_BOOTSTRAP_KEYS": f"bench:connector-health:{KEY}",
        "HEALTHGATE_LOOP_CONCURRENCY": str(concurrency),
        "HEALTHGATE_LOOP_IDLE_SECONDS": str(idle),
        "HEALTHGATE_LOG_LEVEL": "warning",
        "HEALTHGATE_PORT": str(gateway_port),
    }
    upstream = subprocess.Popen([sys.executable, "-m", "bench.fake_upstream", str(upstream_port)])
    gateway = subprocess.Popen([sys.executable, "-m", "gateway", "serve"], env=env)
    try:
        return asyncio.run(
            _measure(gateway, gateway_port, upstream_port, count, interval, intervals)
        )
    finally:
        gateway.send_signal(signal.SIGINT)  # a clean shutdown, as an operator would do
        upstream.terminate()
        for process in (gateway, upstream):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


async def _measure(
    gateway: subprocess.Popen[bytes],
    gateway_port: int,
    upstream_port: int,
    count: int,
    interval: float,
    intervals: int,
) -> int:
    base = f"http://127.0.0.1:{gateway_port}"
    async with httpx.AsyncClient(timeout=60) as http:
        started = time.monotonic()
        await _wait_ready(http, f"{base}/api/connector-health/1", started + 300)
        print(f"gateway up with {count} connectors after {time.monotonic() - started:.1f} s")
        await asyncio.sleep(interval + 5)  # warm-up: every connector probed once
        cpu0, wall0 = _cpu_seconds(gateway.pid), time.monotonic()
        probes0 = int((await http.get(f"http://127.0.0.1:{upstream_port}/__stats")).text)
        worst: list[float] = []
        all_staleness: list[float] = []
        unknown = 0
        end = wall0 + intervals * interval
        while time.monotonic() < end:
            await asyncio.sleep(min(10.0, interval / 3))
            # "now" is when the request leaves: the gateway reads its connectors first
            # thing, while rendering 10,000 of them and parsing them here takes a while.
            now = datetime.now(UTC)
            response = await http.get(f"{base}/api/connector-health", headers={"X-ApiKey": KEY})
            body = response.json()
            stale = [
                (now - datetime.fromisoformat(c["lastChecked"])).total_seconds()
                for c in body
                if c["lastChecked"]
            ]
            unknown = max(unknown, len(body) - len(stale))
            worst.append(max(stale))
            all_staleness += stale
        wall = time.monotonic() - wall0
        cpu = (_cpu_seconds(gateway.pid) - cpu0) / wall
        probes = int((await http.get(f"http://127.0.0.1:{upstream_port}/__stats")).text)
        peak_rss_mb = _status_kb(gateway.pid, "VmHWM") / 1024
        ok = max(worst) <= interval + 5 and cpu <= 1.0 and peak_rss_mb <= 300 and unknown == 0
    print(f"connectors            {count}")
    print(f"interval              {interval:g} s, measured over {wall:.0f} s")
    print(f"samples               {len(worst)} (GET /api/connector-health, all connectors)")
    print(f"staleness max         {max(worst):.2f} s  (target <= {interval + 5:g} s)")
    print(f"staleness p99         {_percentile(all_staleness, 0.99):.2f} s")
    print(f"never probed          {unknown}")
    rate = (probes - probes0) / wall
    print(f"probes/s              {rate:.1f}  (expected {count / interval:.1f})")
    print(f"gateway CPU           {cpu:.2f} cores  (target <= 1)")
    print(f"gateway peak RSS      {peak_rss_mb:.0f} MB  (target <= 300)")
    print("result                " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connectors", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=60.0)
    parser.add_argument("--intervals", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument(
        "--idle", type=float, default=1.0, help="HEALTHGATE_LOOP_IDLE_SECONDS for the gateway"
    )
    args = parser.parse_args()
    if args.intervals < 3:
        parser.error("--intervals must be at least 3")
    print(f"loop concurrency {args.concurrency}, idle {args.idle:g} s, embedded store")
    sys.exit(run(args.connectors, args.interval, args.intervals, args.concurrency, args.idle))


if __name__ == "__main__":
    main()
