"""Ping ingestion benchmark: healthgate vs a bare ASGI app, with wrk, 32 connections.

``python -m bench.pings [--seconds 8]`` prints requests/s and p50/p99 latency for
GET and POST ``/ping/<uuid>`` over 1,000 and 100,000 checks, the bare app's
figures from the same run, and the ratios the targets are stated in.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _wrk(port: int, uuids: str, method: str, seconds: int) -> Result:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(HERE / "ping.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            uuids,
            method,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors_match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        print("   wrk:", socket_errors.group(0), file=sys.stderr)
    return Result(rps, p50, p99, int(errors_match.group(1)) if errors_match else 0)


class Server:
    def __init__(self, mode: str, checks: int, uuids: str) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.serve", mode, str(checks), str(self.port), uuids],
            cwd=HERE.parent,
            env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/ping/x", timeout=1)
            except urllib.error.HTTPError:
                return  # the server answers (404 for an unknown check)
            except OSError:
                time.sleep(0.2)
            else:
                return
        raise RuntimeError(f"{mode} server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _line(label: str, result: Result, bare: Result | None = None) -> str:
    text = (
        f"{label:<28} {result.rps:>9.0f} req/s   p50 {result.p50_ms:6.2f} ms"
        f"   p99 {result.p99_ms:6.2f} ms   non-2xx {result.errors}"
    )
    if bare is not None:
        text += f"   = {100 * result.rps / bare.rps:5.1f}% of bare"
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    runs: dict[tuple[str, int], list[Result]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        uuid_files = {0: os.path.join(tmp, "bare.txt")}
        Path(uuid_files[0]).write_text("00000000-0000-4000-8000-000000000000\n")
        servers: dict[int, Server] = {}
        try:
            servers[0] = Server("bare", 0, uuid_files[0])
            for checks in (1_000, 100_000):
                uuid_files[checks] = os.path.join(tmp, f"{checks}.txt")
                servers[checks] = Server("gateway", checks, uuid_files[checks])
            # Interleaved rounds, best of each: the machine is shared, and a
            # neighbour's burst should not decide a comparison.
            for _ in range(args.rounds):
                for method in ("GET", "POST"):
                    for checks, server in servers.items():
                        result = _wrk(server.port, uuid_files[checks], method, args.seconds)
                        runs.setdefault((method, checks), []).append(result)
        finally:
            for server in servers.values():
                server.stop()
    best = {key: max(results, key=lambda r: r.rps) for key, results in runs.items()}
    print(f"wrk -t2 -c32, {args.rounds} interleaved rounds of {args.seconds} s, best round shown")
    for method in ("GET", "POST"):
        bare = best[(method, 0)]
        print(_line(f"bare ASGI {method}", bare))
        for checks in (1_000, 100_000):
            print(_line(f"healthgate {method} {checks:,} checks", best[(method, checks)], bare))
    for method in ("GET", "POST"):
        small, large = best[(method, 1_000)], best[(method, 100_000)]
        slower = 100 * (1 - large.rps / small.rps)
        print(f"{method}: 100,000 checks are {slower:+.1f}% slower than 1,000 (target <= 20%)")


if __name__ == "__main__":
    main()
