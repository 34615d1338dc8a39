"""Channels declared in the channels file, kept in step with the ``channels`` collection."""

import asyncio
import logging
from pathlib import Path

from gateway.domain.channel_config import parse_channels
from gateway.domain.channels import Channel
from gateway.errors import ConfigurationError
from gateway.settings import Settings
from storage import Store

__all__ = ["ChannelsService", "read_channels_file"]

log = logging.getLogger("healthgate.channels")


def read_channels_file(path: Path) -> list[Channel]:
    """Read and validate a channels file (blocking: call it off the event loop).

    Raises:
        ConfigurationError: the file cannot be read or is not a valid channels file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot be read ({type(exc).__name__})") from None
    return parse_channels(text, str(path))


class ChannelsService:
    def __init__(self, settings: Settings, store: Store) -> None:
        self._settings = settings
        self._store = store

    async def sync_from_file(self) -> list[Channel] | None:
        """Store the file's channels and remove the ones it no longer declares.

        Ids derive from project and name, so checks keep their channels across
        restarts. Without ``HEALTHGATE_CHANNELS_FILE`` nothing is changed.

        Raises:
            ConfigurationError: the file is not a valid channels file.
        """
        path = self._settings.channels_file
        if path is None:
            return None
        channels = await asyncio.to_thread(read_channels_file, path)
        for channel in channels:
            await self._store.channels.upsert(channel)
        removed = await self._store.channels.delete_except([c.id for c in channels])
        # Names and kinds only: configurations hold passwords and tokens.
        log.info(
            "channels file %s: %d channels (%s); %d removed",
            path,
            len(channels),
            ", ".join(f"{c.project}/{c.name} [{c.kind}]" for c in channels) or "none",
            removed,
        )
        return channels
