"""Badges: serving a signed tag badge or a per-check badge, and listing a project's URLs."""

from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import quote

from gateway.domain.badges import (
    BadgeFormat,
    badge_signature,
    render,
    summarize,
    verify_signature,
)
from gateway.errors import NotFoundError
from gateway.services.ports import BadgeCheck, BadgeChecks
from gateway.settings import Settings
from storage import Store

__all__ = ["ALL_TAGS", "BadgeService", "BadgeUrls", "NoBadgeChecks", "RenderedBadge"]

ALL_TAGS = "*"


class BadgeUrls(TypedDict):
    svg: str
    svg3: str
    json: str
    json3: str
    shields: str
    shields3: str


@dataclass(frozen=True)
class RenderedBadge:
    body: str
    media_type: str


class NoBadgeChecks:
    """The checks of a gateway that has no checks service: none at all."""

    async def badge_checks(self, project: str, tag: str | None) -> list[BadgeCheck]:
        return []

    async def badge_check(self, badge_key: str) -> BadgeCheck | None:
        return None

    async def project_tags(self, project: str) -> list[str]:
        return []


def _format(fmt: str) -> BadgeFormat:
    try:
        return BadgeFormat(fmt)
    except ValueError:
        raise NotFoundError("not found") from None


class BadgeService:
    """Usage: ``await BadgeService(settings, store, checks).tag_badge(key, sig, "db", "svg")``"""

    def __init__(self, settings: Settings, store: Store, checks: BadgeChecks) -> None:
        self._settings = settings
        self._store = store
        self._checks = checks

    @property
    def _secret(self) -> str:
        return self._settings.secret_key.get_secret_value()

    async def tag_badge(self, badge_key: str, sig: str, tag: str, fmt: str) -> RenderedBadge:
        """The badge of a project's checks carrying ``tag`` (``*``: every check).

        Raises:
            NotFoundError: unknown format, a signature healthgate did not issue
                for this key and tag, or an unknown badge key.
        """
        badge_format = _format(fmt)
        three_state = verify_signature(self._secret, badge_key, tag, sig)
        if three_state is None:
            raise NotFoundError("not found")
        project = await self._store.projects.get_by_badge_key(badge_key)
        if project is None:
            raise NotFoundError("not found")
        checks = await self._checks.badge_checks(project.name, None if tag == ALL_TAGS else tag)
        summary = summarize((check.status for check in checks), three_state=three_state)
        label = self._settings.badge_label if tag == ALL_TAGS else tag
        body, media_type = render(badge_format, label, summary)
        return RenderedBadge(body, media_type)

    async def check_badge(self, states: int, badge_key: str, fmt: str) -> RenderedBadge:
        """One check's badge; only ``states == 3`` can show late, as in Healthchecks.

        Raises:
            NotFoundError: unknown format or badge key.
        """
        badge_format = _format(fmt)
        check = await self._checks.badge_check(badge_key)
        if check is None:
            raise NotFoundError("not found")
        summary = summarize([check.status], three_state=states == 3)
        body, media_type = render(badge_format, check.name or check.uuid, summary)
        return RenderedBadge(body, media_type)

    async def badge_urls(self, project: str) -> dict[str, BadgeUrls]:
        """Every tag of the project plus ``*``, each with its six badge URLs.

        Raises:
            NotFoundError: the project does not exist.
        """
        found = await self._store.projects.get(project)
        if found is None:
            raise NotFoundError("project not found")
        tags = [*await self._checks.project_tags(project), ALL_TAGS]
        return {tag: self._urls(found.badge_key, tag) for tag in tags}

    def _urls(self, badge_key: str, tag: str) -> BadgeUrls:
        def url(fmt: BadgeFormat, three_state: bool) -> str:
            sig = badge_signature(self._secret, badge_key, tag, three_state=three_state)
            base = f"{self._settings.site_root.rstrip('/')}/badge/{badge_key}/{sig}"
            if tag == ALL_TAGS:
                return f"{base}.{fmt.value}"
            return f"{base}/{quote(tag, safe='')}.{fmt.value}"

        return {
            "svg": url(BadgeFormat.SVG, False),
            "svg3": url(BadgeFormat.SVG, True),
            "json": url(BadgeFormat.JSON, False),
            "json3": url(BadgeFormat.JSON, True),
            "shields": url(BadgeFormat.SHIELDS, False),
            "shields3": url(BadgeFormat.SHIELDS, True),
        }
