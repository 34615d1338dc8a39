"""A programmable HTTP upstream on 127.0.0.1 for probe tests (raw asyncio, one
response per connection), and helpers to build the gateway's services over a store."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from gateway.services import Services, build_services
from gateway.settings import Settings
from storage import Store


@dataclass
class Reply:
    status: int = 200
    reason: str = "OK"
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    hang_before_headers: bool = False
    hang_after_bytes: int | None = None  # send this much of the body, then stall
    close_without_reply: bool = False


class FakeUpstream:
    """Usage: ``async with FakeUpstream.running() as up: up.set("/x", Reply(503, ...))``."""

    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.hits: dict[str, int] = {}
        self.auth: dict[str, str | None] = {}
        self._stall = asyncio.Event()  # never set: a stalled reply waits until shutdown
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._arrived: dict[str, asyncio.Event] = {}
        self.port = 0

    async def reached(self, path: str) -> None:
        """Wait until a request for ``path`` has arrived (readiness, not time)."""
        await self._arrived.setdefault(path, asyncio.Event()).wait()

    def set(self, path: str, reply: Reply) -> str:
        self.replies[path] = reply
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            self.hits[path] = self.hits.get(path, 0) + 1
            self.auth[path] = headers.get("authorization")
            self._arrived.setdefault(path, asyncio.Event()).set()
            reply = self.replies.get(path, Reply(404, "Not Found", b"no such path"))
            if reply.close_without_reply:
                return
            if reply.hang_before_headers:
                await self._stall.wait()
            extra = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items())
            writer.write(
                f"HTTP/1.1 {reply.status} {reply.reason}\r\n"
                f"Content-Length: {len(reply.body)}\r\nConnection: close\r\n{extra}\r\n".encode()
            )
            if reply.hang_after_bytes is not None:
                writer.write(reply.body[: reply.hang_after_bytes])
                await writer.drain()
                await self._stall.wait()
            writer.write(reply.body)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    @classmethod
    @asynccontextmanager
    async def running(cls) -> AsyncIterator["FakeUpstream"]:
        upstream = cls()
        server = await asyncio.start_server(upstream._handle, "127.0.0.1", 0)
        upstream._server = server
        upstream.port = server.sockets[0].getsockname()[1]
        try:
            yield upstream
        finally:
            for writer in list(upstream._writers):
                writer.close()
            server.close()
            await server.wait_closed()


def refused_url() -> str:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@asynccontextmanager
async def gateway_services(settings: Settings, store: Store, clock) -> AsyncIterator[Services]:
    """The services a gateway process builds, over ``store``, with a real HTTP client."""
    await store.ensure_indexes()
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
        yield build_services(settings, store, http, clock)
