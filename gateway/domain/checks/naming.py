"""Slugs, unique keys and the other names derived from a check."""

import hashlib
import re
import unicodedata
import uuid

__all__ = ["is_canonical_uuid", "slugify", "unique_key"]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def slugify(value: str) -> str:
    """Django's ``slugify``: ASCII, lower case, runs of blanks and dashes to one dash."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-\s]+", "-", text).strip("-_")


def unique_key(check_uuid: str) -> str:
    """Read-only keys see this instead of the uuid: SHA-1 of the uuid's first 16 hex digits."""
    half = uuid.UUID(check_uuid).hex[:16]
    return hashlib.sha1(half.encode()).hexdigest()


def is_canonical_uuid(text: str) -> bool:
    """Lower-case, hyphenated: the only form Healthchecks' URLs accept."""
    return bool(_UUID.match(text))
