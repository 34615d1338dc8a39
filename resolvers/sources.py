"""Every source of the caller's project as ``HealthSource`` objects, and the overview."""

from collections import Counter
from enum import Enum

import strawberry

from gateway.domain.projects import Principal
from resolvers.context import Context
from resolvers.types.sources import HealthSource
from resolvers.types.status import SourceKind, Status

__all__ = [
    "KindCount",
    "Overview",
    "SourceFilter",
    "SourceOrder",
    "StatusCount",
    "TagStatus",
    "filter_sources",
    "load_sources",
    "overview",
]

# Worst first: what a dashboard header shows for a group.
SEVERITY = [
    Status.DOWN,
    Status.DEGRADED,
    Status.GRACE,
    Status.UNKNOWN,
    Status.NEW,
    Status.PAUSED,
    Status.UP,
]
_RANK = {status: rank for rank, status in enumerate(SEVERITY)}


@strawberry.input(description="Which sources to list; every given condition must hold.")
class SourceFilter:
    kinds: list[SourceKind] | None = None
    statuses: list[Status] | None = None
    tags: list[str] | None = strawberry.field(
        default=None,
        description="Whole tags, all of which the source must carry (only checks have tags).",
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive part of the name."
    )


@strawberry.enum
class SourceOrder(Enum):
    NAME = "name"
    STATUS = "status"
    KIND = "kind"
    LAST_CHECKED = "last_checked"


def tags_of(source: HealthSource) -> list[str]:
    tags = getattr(source, "tags", None)
    return list(tags) if isinstance(tags, list) else []


async def load_sources(context: Context, principal: Principal) -> list[HealthSource]:
    """Every source of the project, each kind loaded with one query."""
    from resolvers.checks import render
    from resolvers.pulled import load_pulled

    checks = await context.services.checks.find(principal.project, tags=[], slug=None)
    sources: list[HealthSource] = [render(context, check) for check in checks]
    return sources + await load_pulled(context, principal)


def filter_sources(
    sources: list[HealthSource], where: SourceFilter | None, order: SourceOrder
) -> list[HealthSource]:
    chosen = sources
    if where is not None:
        if where.kinds:
            chosen = [s for s in chosen if s.kind in where.kinds]
        if where.statuses:
            chosen = [s for s in chosen if s.status in where.statuses]
        if where.tags:
            wanted = where.tags
            chosen = [s for s in chosen if all(tag in tags_of(s) for tag in wanted)]
        if where.search:
            needle = where.search.casefold()
            chosen = [s for s in chosen if needle in s.name.casefold()]
    keys = {
        SourceOrder.NAME: lambda s: (s.name.casefold(), s.id),
        SourceOrder.STATUS: lambda s: (_RANK[s.status], s.name.casefold(), s.id),
        SourceOrder.KIND: lambda s: (s.kind.value, s.name.casefold(), s.id),
        SourceOrder.LAST_CHECKED: lambda s: (
            -(s.last_checked_at.timestamp() if s.last_checked_at else 0),
            s.id,
        ),
    }
    return sorted(chosen, key=keys[order])


@strawberry.type
class StatusCount:
    status: Status
    count: int


@strawberry.type
class KindCount:
    kind: SourceKind
    count: int


@strawberry.type(description="The worst status among the sources carrying a tag.")
class TagStatus:
    tag: str
    status: Status
    count: int


@strawberry.type(description="Everything a dashboard header needs, in one query.")
class Overview:
    total: int
    worst: Status | None
    by_status: list[StatusCount]
    by_kind: list[KindCount]
    by_tag: list[TagStatus]


def overview(sources: list[HealthSource]) -> Overview:
    statuses = Counter(source.status for source in sources)
    kinds = Counter(source.kind for source in sources)
    tags: dict[str, list[Status]] = {}
    for source in sources:
        for tag in tags_of(source):
            tags.setdefault(tag, []).append(source.status)
    return Overview(
        total=len(sources),
        worst=min(statuses, key=_RANK.__getitem__) if statuses else None,
        by_status=[StatusCount(status=s, count=statuses[s]) for s in SEVERITY if statuses[s]],
        by_kind=[KindCount(kind=k, count=kinds[k]) for k in SourceKind if kinds[k]],
        by_tag=[
            TagStatus(tag=tag, status=min(found, key=_RANK.__getitem__), count=len(found))
            for tag, found in sorted(tags.items())
        ],
    )
