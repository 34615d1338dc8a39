"""Channels: a project's integrations, which notifications are delivered to."""

from dataclasses import dataclass, field

__all__ = ["Channel"]


@dataclass(frozen=True)
class Channel:
    """An integration of a project (``kind`` is e.g. ``webhook`` or ``email``).

    ``id`` is a UUID string, stable across restarts for a channel declared in
    configuration, because checks store the ids of the channels assigned to them.
    ``config`` holds the kind's settings (URL, recipients ...); secrets in it are
    never rendered by any API.
    """

    id: str
    project: str
    name: str
    kind: str
    config: dict[str, object] = field(default_factory=dict, compare=False)
