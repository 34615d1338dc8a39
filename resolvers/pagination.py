"""Relay-style connections with opaque offset cursors and a bounded page size."""

import base64
import binascii
from collections.abc import Sequence
from typing import Generic, TypeVar

import strawberry

from gateway.errors import InvalidInputError

__all__ = [
    "Connection",
    "Edge",
    "PageInfo",
    "check_page_size",
    "decode_cursor",
    "encode_cursor",
    "paginate",
]

T = TypeVar("T")

_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The offset a cursor points at.

    Raises:
        InvalidInputError: the cursor is not one this API issued.
    """
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        offset = int(text.removeprefix(_PREFIX))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInputError("after", "is not a valid cursor") from None
    if offset < 0:
        raise InvalidInputError("after", "is not a valid cursor")
    return offset


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="The nodes of the edges, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def check_page_size(first: int | None, maximum: int, default: int) -> int:
    """``first`` validated against the configured maximum page size."""
    if first is None:
        return min(default, maximum)
    if first < 0:
        raise InvalidInputError("first", "must not be negative")
    if first > maximum:
        raise InvalidInputError("first", f"must be at most {maximum}")
    return first


def paginate(
    items: Sequence[T], first: int | None, after: str | None, *, maximum: int, default: int = 50
) -> Connection[T]:
    """One page of ``items`` after the cursor ``after``."""
    size = check_page_size(first, maximum, default)
    start = decode_cursor(after) + 1 if after else 0
    page = items[start : start + size]
    edges = [Edge(node=item, cursor=encode_cursor(start + i)) for i, item in enumerate(page)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(page) < len(items),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(items),
    )
