"""Group commit for pings: concurrent pings are stored in one batched write.

Each caller waits until the batch holding its ping is written, so a ping is
acknowledged only once it is stored, and a failed write fails every caller in
the batch (they answer 5xx, never 200).
"""

import asyncio

from gateway.domain.checks import Ping
from storage.repos.pings import PingsRepo
from storage.repos.pings_memory import MemoryPingsRepo

__all__ = ["PingWriter"]


class PingWriter:
    """Usage: ``await writer.write(ping)`` returns once ``ping`` is stored."""

    def __init__(self, repo: PingsRepo | MemoryPingsRepo, max_batch: int = 1000) -> None:
        self._repo = repo
        self._max_batch = max_batch
        self._pending: list[tuple[Ping, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def write(self, ping: Ping) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((ping, future))
        if self._flusher is None or self._flusher.done():
            # The flush runs once the event loop has let other requests queue theirs.
            self._flusher = asyncio.create_task(self._flush(), name="ping-writer")
        await future

    async def _flush(self) -> None:
        while self._pending:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            try:
                await self._repo.insert_many([ping for ping, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
