"""API keys: scopes, generation, hashing and the bootstrap string format."""

import enum
import hashlib
import re
import secrets
from dataclasses import dataclass

__all__ = [
    "KEY_LENGTH",
    "BootstrapKey",
    "Scope",
    "generate_key",
    "hash_key",
    "key_prefix",
    "parse_bootstrap_keys",
    "valid_project_name",
]

# Healthchecks keys are 32 characters, and its clients check the length.
KEY_LENGTH = 32
_KEY_CHARS = re.compile(r"^[A-Za-z0-9_\-]{32}$")
_PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,62}$")


class Scope(enum.StrEnum):
    """What a key may do.

    ``read-write`` may do everything in its project; ``read-only`` may read;
    ``connector-health`` may only read the ProGet connector-health routes.
    """

    READ_WRITE = "read-write"
    READ_ONLY = "read-only"
    CONNECTOR_HEALTH = "connector-health"

    @property
    def key_tag(self) -> str:
        """The 4-character prefix of generated keys, as Healthchecks' ``hcw_``/``hcr_``."""
        return {"read-write": "hgw_", "read-only": "hgr_", "connector-health": "hgc_"}[self.value]


def generate_key(scope: Scope) -> str:
    """A new random 32-character key: a scope tag and 28 URL-safe characters."""
    body = secrets.token_urlsafe(21)  # 21 bytes -> exactly 28 characters
    return scope.key_tag + body


def hash_key(key: str) -> str:
    """The stored form of a key.

    Keys are 168 random bits, so a plain SHA-256 cannot be reversed by guessing;
    a slow password hash would only slow down every request.
    """
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    """The part of a key that may be shown and logged to tell keys apart."""
    return key[:8]


def valid_project_name(name: str) -> bool:
    return bool(_PROJECT_NAME.match(name))


@dataclass(frozen=True)
class BootstrapKey:
    project: str
    scope: Scope
    key: str

    def __repr__(self) -> str:  # never let a key reach a log through repr()
        hidden = key_prefix(self.key) + "…"
        return f"BootstrapKey(project={self.project!r}, scope={self.scope}, key={hidden})"


def parse_bootstrap_keys(text: str) -> list[BootstrapKey]:
    """Parse ``"<project>:<scope>:<key>,..."``.

    Raises:
        ValueError: naming the item (by position, never echoing the key) and what is wrong.
    """
    result: list[BootstrapKey] = []
    for position, raw in enumerate(text.split(","), start=1):
        item = raw.strip()
        if not item:
            continue
        parts = item.split(":")
        if len(parts) != 3:
            raise ValueError(f"item {position} is not <project>:<scope>:<key>")
        project, scope_text, key = (part.strip() for part in parts)
        if not valid_project_name(project):
            raise ValueError(
                f"item {position}: project {project!r} must be 1-63 lowercase letters, "
                "digits, '.', '_' or '-'"
            )
        try:
            scope = Scope(scope_text)
        except ValueError:
            allowed = ", ".join(s.value for s in Scope)
            raise ValueError(
                f"item {position}: scope {scope_text!r} is not one of {allowed}"
            ) from None
        if not _KEY_CHARS.match(key):
            raise ValueError(
                f"item {position}: the key must be {KEY_LENGTH} characters "
                "of A-Z, a-z, 0-9, '_' or '-'"
            )
        result.append(BootstrapKey(project, scope, key))
    return result
