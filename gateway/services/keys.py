"""Projects and API keys: creation, authentication, revocation and bootstrap."""

import logging
import secrets
import uuid
from dataclasses import dataclass

from gateway.domain.clock import Clock
from gateway.domain.keys import (
    KEY_LENGTH,
    BootstrapKey,
    Scope,
    generate_key,
    hash_key,
    key_prefix,
    valid_project_name,
)
from gateway.domain.projects import ApiKey, Principal, Project
from gateway.errors import AuthError, ConfigurationError, InvalidInputError, NotFoundError
from storage import Store

__all__ = ["CreatedKey", "KeysService"]

log = logging.getLogger("healthgate.keys")


@dataclass(frozen=True)
class CreatedKey:
    """A key just made: the only moment its plain text exists outside the caller."""

    key: str
    record: ApiKey


class KeysService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def ensure_project(self, name: str) -> Project:
        """The project called ``name``, created if missing (safe under concurrency)."""
        if not valid_project_name(name):
            raise InvalidInputError(
                "project", "must be 1-63 lowercase letters, digits, '.', '_' or '-'"
            )
        existing = await self._store.projects.get(name)
        if existing:
            return existing
        project = Project(
            name=name,
            created_at=self._clock(),
            ping_key=secrets.token_urlsafe(16),
            badge_key=str(uuid.uuid4()),
        )
        if not await self._store.projects.insert(project):
            # Another process created it between our read and our insert.
            found = await self._store.projects.get(name)
            assert found is not None
            return found
        log.info("created project %s", name)
        return project

    async def create(self, project: str, scope: Scope, label: str = "") -> CreatedKey:
        await self.ensure_project(project)
        for _ in range(3):  # a collision of 168 random bits will not happen; be exact anyway
            key = generate_key(scope)
            record = await self._store.keys.insert(
                project=project,
                scope=scope,
                key_hash=hash_key(key),
                prefix=key_prefix(key),
                label=label,
                now=self._clock(),
            )
            if record is not None:
                log.info("created %s key %s… for project %s", scope, record.prefix, project)
                return CreatedKey(key, record)
        raise RuntimeError("could not generate a unique key")

    async def authenticate(self, key: str | None) -> Principal:
        """The principal behind ``key``.

        Raises:
            AuthError: "missing api key" for no key or one of the wrong length
                (as Healthchecks reports it), "wrong api key" for an unknown or
                revoked one.
        """
        if not key or len(key) != KEY_LENGTH:
            raise AuthError("missing api key")
        record = await self._store.keys.find_by_hash(hash_key(key))
        if record is None or not record.active:
            raise AuthError("wrong api key")
        return Principal(
            project=record.project, scope=record.scope, key_id=record.id, key_prefix=record.prefix
        )

    async def list_keys(self, project: str | None = None) -> list[ApiKey]:
        return await self._store.keys.find_all(project)

    async def revoke(self, key_id_or_key: str) -> ApiKey:
        """Revoke a key given its id (from ``keys list``) or the key itself."""
        if len(key_id_or_key) == KEY_LENGTH:
            found = await self._store.keys.find_by_hash(hash_key(key_id_or_key))
            key_id = found.id if found else ""
        else:
            key_id = key_id_or_key
        revoked = await self._store.keys.revoke(key_id, self._clock())
        if revoked is None:
            raise NotFoundError("no active key with that id")
        log.info("revoked key %s… of project %s", revoked.prefix, revoked.project)
        return revoked

    async def bootstrap(self, keys: list[BootstrapKey]) -> None:
        """Create the projects and keys named in ``HEALTHGATE_BOOTSTRAP_KEYS``; idempotent.

        Raises:
            ConfigurationError: a key is already stored for another project or scope.
        """
        for item in keys:
            await self.ensure_project(item.project)
            record = await self._store.keys.insert(
                project=item.project,
                scope=item.scope,
                key_hash=hash_key(item.key),
                prefix=key_prefix(item.key),
                label="bootstrap",
                now=self._clock(),
            )
            if record is not None:
                continue
            stored = await self._store.keys.find_by_hash(hash_key(item.key))
            assert stored is not None
            if (stored.project, stored.scope) != (item.project, item.scope):
                raise ConfigurationError(
                    f"HEALTHGATE_BOOTSTRAP_KEYS: key {stored.prefix}… is already stored "
                    f"for project {stored.project!r} with scope {stored.scope}"
                )
            if not stored.active:
                log.warning(
                    "bootstrap key %s… of project %s was revoked; it stays revoked",
                    stored.prefix,
                    stored.project,
                )

    async def create_default_project(self) -> list[CreatedKey] | None:
        """On an empty store: project ``default`` with a read-write and a read-only key.

        Returns the new keys, or None when some project already exists (or another
        process made ``default`` first).
        """
        if await self._store.projects.any_exists():
            return None
        project = Project(
            name="default",
            created_at=self._clock(),
            ping_key=secrets.token_urlsafe(16),
            badge_key=str(uuid.uuid4()),
        )
        if not await self._store.projects.insert(project):
            return None
        return [
            await self.create("default", Scope.READ_WRITE, "first run"),
            await self.create("default", Scope.READ_ONLY, "first run"),
        ]
