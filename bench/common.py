"""Helpers shared by the benchmarks: run a gateway in a subprocess, percentiles."""

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx

__all__ = ["free_port", "gateway_process", "percentile", "summary"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def gateway_process(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    """``healthgate serve`` on 127.0.0.1:port, waited for, stopped afterwards."""
    full_env = {
        **os.environ,
        "HEALTHGATE_LOG_LEVEL": "warning",
        "HEALTHGATE_CREATE_DEFAULT_PROJECT": "false",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve", "--port", str(port)],
        env=full_env,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/health/check", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the gateway did not start") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: Sequence[float]) -> str:
    """p50/p99/max in milliseconds."""
    ms = [v * 1000 for v in values]
    return (
        f"p50 {percentile(ms, 50):8.2f} ms  p99 {percentile(ms, 99):8.2f} ms  "
        f"max {max(ms):8.2f} ms  mean {statistics.fmean(ms):8.2f} ms  (n={len(ms)})"
    )
