"""Per-request DataLoaders, so nested fields cost one query per kind, not per source."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from strawberry.dataloader import DataLoader

from gateway.domain.status import Flip, SourceRef
from gateway.services import Services

__all__ = ["FlipsKey", "Loaders"]


@dataclass(frozen=True)
class FlipsKey:
    """The flips of one source within a window (the window is part of the key)."""

    source: SourceRef
    since: datetime | None = None
    until: datetime | None = None


class Loaders:
    """Created for every request (and WebSocket operation); no cache across them.

    ``cache=False``: batching is what removes N+1 queries; caching would serve a
    long-lived subscription stale data.
    """

    def __init__(self, services: Services) -> None:
        self._services = services
        self.flips: DataLoader[FlipsKey, list[Flip]] = DataLoader(
            load_fn=self._load_flips, cache=False
        )

    async def _load_flips(self, keys: Sequence[FlipsKey]) -> list[list[Flip]]:
        by_window: dict[tuple[datetime | None, datetime | None], list[FlipsKey]] = defaultdict(list)
        for key in keys:
            by_window[(key.since, key.until)].append(key)
        found: dict[FlipsKey, list[Flip]] = {}
        for (since, until), group in by_window.items():
            refs = [key.source for key in group]
            results = await self._services.store.flips.for_sources(refs, since=since, until=until)
            found.update(zip(group, results, strict=True))
        return [found[key] for key in keys]
