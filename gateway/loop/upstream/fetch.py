"""One bounded GET: every way it can fail becomes a short human message."""

import asyncio
import ssl
import time

import httpx

from gateway.domain.probes import Fetched, ProbeFailure

__all__ = ["fetch"]


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _transport_message(exc: httpx.TransportError) -> str:
    """Name the cause the way an operator would: refused, DNS, TLS, reset."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            reason = getattr(cause, "reason", None) or type(cause).__name__
            return f"TLS error: {str(reason).lower().replace('_', ' ')}"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, OSError) and cause.__class__.__name__ == "gaierror":
            return "DNS lookup failed"
    text = str(exc)
    lowered = text.lower()
    if "refused" in lowered or "errno 111" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return "DNS lookup failed"
    if "ssl" in lowered or "certificate" in lowered:
        return "TLS error: " + (text[:120] or "handshake failed")
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection closed unexpectedly"
    return (text[:120] or type(exc).__name__).strip()


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    seconds: float,
    max_bytes: int,
    auth: tuple[str, str] | None = None,
) -> Fetched | ProbeFailure:
    """GET ``url`` and read at most ``max_bytes`` of its body, all within ``seconds``.

    Never raises for anything the upstream does; cancellation propagates.
    """
    started = time.perf_counter()

    def elapsed() -> float:
        return round((time.perf_counter() - started) * 1000, 1)

    try:
        async with asyncio.timeout(seconds):
            request = client.build_request("GET", url, timeout=httpx.Timeout(seconds))
            response = await client.send(
                request, stream=True, auth=auth or httpx.USE_CLIENT_DEFAULT
            )
            try:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        return ProbeFailure(
                            f"response body larger than {max_bytes} bytes", elapsed()
                        )
            finally:
                await response.aclose()
    except (TimeoutError, httpx.TimeoutException):
        return ProbeFailure(f"timed out after {_seconds(seconds)}", elapsed())
    except httpx.TransportError as exc:
        return ProbeFailure(_transport_message(exc), elapsed())
    except httpx.InvalidURL as exc:
        return ProbeFailure(f"invalid URL: {exc}", elapsed())
    return Fetched(response.status_code, response.reason_phrase, bytes(body), elapsed())
