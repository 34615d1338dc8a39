"""The create/update body of the Management API, validated as Healthchecks' ``Spec``.

Validation is strict (no coercion: ``"60"`` is not a number, ``true`` is not a
number) and reports only the first broken field, in alphabetical field order,
with the phrases of one table (``MESSAGES``).
"""

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypedDict, cast

from gateway.domain.checks.model import Check, CheckKind
from gateway.domain.checks.naming import slugify
from gateway.domain.checks.schedule import is_cron, is_valid_schedule, is_valid_tz, normalize_tz
from gateway.domain.checks.state import alert_after
from gateway.errors import InvalidInputError

__all__ = [
    "MESSAGES",
    "MIN_MAX_SECONDS",
    "UNIQUE_FIELDS",
    "CheckSpec",
    "SpecError",
    "apply_spec",
    "matches",
    "parse_spec",
    "unique_lookup",
]

MESSAGES = {
    "too_small": "is too small",
    "too_large": "is too large",
    "too_long": "is too long",
    "string": "is not a string",
    "number": "is not a number",
    "boolean": "is not a boolean",
    "array": "is not an array",
    "literal": "has unexpected value",
    "pattern": "does not match pattern",
    "schedule": "is not a valid cron or OnCalendar expression",
    "tz": "is not a valid timezone",
}

MIN_MAX_SECONDS = (60, 31536000)
UNIQUE_FIELDS = ("name", "slug", "tags", "timeout", "grace")
_SLUG = re.compile(r"^[a-z0-9-_]*$")


class SpecError(InvalidInputError):
    """A body field broke its rule: ``json validation error: <field> <message>``."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(field, reason)
        subject = f"{field} {reason}" if field else reason
        self.message = f"json validation error: {subject}"
        self.args = (self.message,)


class CheckSpec(TypedDict, total=False):
    """The fields a client sent, validated; a missing key means "not given"."""

    channels: str
    desc: str
    failure_kw: str
    filter_body: bool
    filter_default_fail: bool
    filter_http_body: bool
    filter_subject: bool
    grace: int
    manual_resume: bool
    methods: str
    name: str
    schedule: str
    slug: str
    start_kw: str
    subject: str
    subject_fail: str
    success_kw: str
    tags: str
    timeout: int
    tz: str
    unique: list[str]


def _string(max_length: int | None = None, pattern: re.Pattern[str] | None = None) -> Any:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("string")
        if max_length is not None and len(value) > max_length:
            raise ValueError("too_long")
        if pattern is not None and not pattern.match(value):
            raise ValueError("pattern")
        return value

    return check


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("boolean")
    return value


def _seconds(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("number")
    if value < MIN_MAX_SECONDS[0]:
        raise ValueError("too_small")
    if value > MIN_MAX_SECONDS[1]:
        raise ValueError("too_large")
    return value


def _methods(value: object) -> str:
    if value not in ("", "POST") or not isinstance(value, str):
        raise ValueError("literal")
    return value


def _schedule(value: object) -> str:
    text = _string(100)(value)
    if not is_valid_schedule(text):
        raise ValueError("schedule")
    return cast(str, text)


def _tz(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("string")
    name = normalize_tz(value)
    if not is_valid_tz(name):
        raise ValueError("tz")
    return name


def _unique(value: object) -> list[str]:
    if not isinstance(value, list):
        raise ValueError("array")
    for item in value:
        if item not in UNIQUE_FIELDS or not isinstance(item, str):
            raise SpecError(None, f"an item in 'unique' {MESSAGES['literal']}")
    return list(value)


# Alphabetical, the order in which the first error is found.
_RULES: dict[str, Callable[[object], object]] = {
    "channels": _string(),
    "desc": _string(),
    "failure_kw": _string(200),
    "filter_body": _boolean,
    "filter_default_fail": _boolean,
    "filter_http_body": _boolean,
    "filter_subject": _boolean,
    "grace": _seconds,
    "manual_resume": _boolean,
    "methods": _methods,
    "name": _string(100),
    "schedule": _schedule,
    "slug": _string(100, _SLUG),
    "start_kw": _string(200),
    "subject": _string(200),
    "subject_fail": _string(200),
    "success_kw": _string(200),
    "tags": _string(),
    "timeout": _seconds,
    "tz": _tz,
    "unique": _unique,
}


def parse_spec(body: dict[str, object]) -> CheckSpec:
    """Validate a decoded JSON object; unknown keys (``api_key`` too) are ignored.

    Raises:
        SpecError: the first field, alphabetically, that breaks its rule.
    """
    spec: dict[str, object] = {}
    for field, rule in _RULES.items():
        if field not in body:
            continue
        try:
            spec[field] = rule(body[field])
        except ValueError as exc:
            raise SpecError(field, MESSAGES[str(exc)]) from None
    return cast(CheckSpec, spec)


_PLAIN_FIELDS = (
    "name",
    "tags",
    "desc",
    "manual_resume",
    "methods",
    "grace",
    "tz",
)
_AFTER_SUBJECT_FIELDS = (
    "start_kw",
    "success_kw",
    "failure_kw",
    "filter_subject",
    "filter_body",
    "filter_http_body",
    "filter_default_fail",
)


def apply_spec(
    check: Check, spec: CheckSpec, *, version: int, channels: tuple[str, ...] | None
) -> Check:
    """``check`` with the given fields written (Healthchecks' ``_update``).

    1. Plain fields; v1/v2 derive the slug from a given name, an explicit slug wins.
    2. The deprecated subject/subject_fail set success_kw/failure_kw and
       filter_subject; explicit keyword and filter fields win over them.
    3. A schedule makes a cron check (timeout ignored); else a timeout makes a simple one.
    4. ``channels`` (already resolved) replaces the assignment unless None.
    5. The deadline is recomputed.
    """
    data: dict[str, Any] = {key: spec[key] for key in _PLAIN_FIELDS if key in spec}  # type: ignore[literal-required]
    if "name" in spec and version < 3:
        data["slug"] = slugify(spec["name"])
    if "slug" in spec:
        data["slug"] = spec["slug"]
    success_kw = check.success_kw
    failure_kw = check.failure_kw
    if "subject" in spec:
        success_kw = data["success_kw"] = spec["subject"]
        data["filter_subject"] = bool(success_kw or failure_kw)
    if "subject_fail" in spec:
        failure_kw = data["failure_kw"] = spec["subject_fail"]
        data["filter_subject"] = bool(success_kw or failure_kw)
    data.update({key: spec[key] for key in _AFTER_SUBJECT_FIELDS if key in spec})  # type: ignore[literal-required]
    if "schedule" in spec:
        data["schedule"] = spec["schedule"]
        data["kind"] = CheckKind.CRON if is_cron(spec["schedule"]) else CheckKind.ONCALENDAR
    elif "timeout" in spec:
        data["timeout"] = spec["timeout"]
        data["kind"] = CheckKind.SIMPLE
    if channels is not None:
        data["channels"] = channels
    updated = dataclasses.replace(check, **data)
    return dataclasses.replace(updated, alert_after=alert_after(updated))


def unique_lookup(spec: CheckSpec) -> dict[str, object] | None:
    """The field values an upsert looks a check up by, or None when it must create.

    ``unique`` absent or empty, or naming a field the body does not give: no lookup.
    """
    fields = spec.get("unique") or []
    if not fields or any(field not in spec for field in fields):
        return None
    return {field: spec[field] for field in fields}  # type: ignore[literal-required]


def matches(check: Check, lookup: dict[str, object]) -> bool:
    return all(getattr(check, field) == value for field, value in lookup.items())
