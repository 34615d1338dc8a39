"""Declared pulled sources: connectors, services and Kafka clusters, validated strictly.

The same specs come from the sources file and (later) from GraphQL mutations, so
every rule about a source's settings lives here.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gateway.domain.keys import valid_project_name

__all__ = [
    "ConnectorSpec",
    "KafkaClusterSpec",
    "ServiceSpec",
    "SourcesSpec",
    "SpecError",
    "parse_sources",
    "validate_spec",
]

INTERVAL_MIN, INTERVAL_MAX = 1.0, 86_400.0
TIMEOUT_MIN, TIMEOUT_MAX = 0.1, 3_600.0

Interval = Annotated[float, Field(ge=INTERVAL_MIN, le=INTERVAL_MAX)]
Timeout = Annotated[float, Field(ge=TIMEOUT_MIN, le=TIMEOUT_MAX)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Url = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"^https?://\S+$")]
KafkaKind = Literal["kafka-connect", "confluent-cloud"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    project: Name = "default"
    name: Name
    url: Url
    interval: Interval = 60.0
    timeout: Timeout = 10.0

    @field_validator("project")
    @classmethod
    def _project(cls, value: str) -> str:
        if not valid_project_name(value):
            raise ValueError("must be 1-63 lowercase letters, digits, '.', '_' or '-'")
        return value


class ConnectorSpec(_Spec):
    """A URL probed ProGet style: healthy when the status is in ``expect_status``
    (and the body contains ``expect_keyword``, when given)."""

    expect_status: tuple[int, int] = (200, 299)
    expect_keyword: Annotated[str, Field(min_length=1, max_length=200)] | None = None

    @field_validator("expect_status", mode="before")
    @classmethod
    def _status_list(cls, value: Any) -> Any:
        # TOML gives a list; strict mode would refuse it for a tuple.
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise ValueError("must be an array [low, high]")
        return tuple(value)

    @field_validator("expect_status")
    @classmethod
    def _status_range(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not (100 <= low <= high <= 599):
            raise ValueError("must be [low, high] with 100 <= low <= high <= 599")
        return value


class ServiceSpec(_Spec):
    """A health endpoint: mosparo's body is understood, otherwise 2xx is up."""

    interval: Interval = 30.0


class KafkaClusterSpec(_Spec):
    """A Kafka Connect cluster (self-managed or Confluent Cloud) whose connectors are read.

    ``environment_id`` and ``cluster_id`` address it on the Confluent route; they
    default to the project and the name.
    """

    interval: Interval = 30.0
    kind: KafkaKind = "kafka-connect"
    environment_id: Name | None = None
    cluster_id: Name | None = None
    api_key: Annotated[str, Field(max_length=500)] | None = None
    api_secret: Annotated[str, Field(max_length=500)] | None = None

    @property
    def environment(self) -> str:
        return self.environment_id or self.project

    @property
    def cluster(self) -> str:
        return self.cluster_id or self.name


@dataclass(frozen=True)
class SourcesSpec:
    connectors: list[ConnectorSpec]
    services: list[ServiceSpec]
    kafka_clusters: list[KafkaClusterSpec]


class SpecError(ValueError):
    """One problem, placed: the table, the entry (1-based) and the key."""

    def __init__(self, table: str, entry: int | None, key: str | None, reason: str) -> None:
        where = f"[[{table}]]" if entry is None else f"[[{table}]] entry {entry}"
        text = f"{where}: key '{key}' {reason}" if key else f"{where}: {reason}"
        super().__init__(text)
        self.table = table
        self.entry = entry
        self.key = key
        self.reason = reason


_TABLES: dict[str, type[_Spec]] = {
    "connectors": ConnectorSpec,
    "services": ServiceSpec,
    "kafka_clusters": KafkaClusterSpec,
}

# One phrasing table for pydantic's error types (as HC's CUSTOM_ERRORS).
_REASONS = {
    "extra_forbidden": "is not a known key",
    "missing": "is required",
    "string_type": "must be a string",
    "float_type": "must be a number",
    "int_type": "must be an integer",
    "tuple_type": "must be an array [low, high]",
    "too_short": "must be an array [low, high]",
    "too_long": "must be an array [low, high]",
    "literal_error": "must be one of 'kafka-connect', 'confluent-cloud'",
    "string_pattern_mismatch": "must be an http:// or https:// URL",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
}


def _reason(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "less_than_equal"):
        key = str(error["loc"][0])
        low, high = (
            (INTERVAL_MIN, INTERVAL_MAX) if key == "interval" else (TIMEOUT_MIN, TIMEOUT_MAX)
        )
        return f"must be between {low:g} and {high:g} (got {error['input']!r})"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return _REASONS.get(kind, str(error["msg"]))


SpecT = TypeVar("SpecT", bound=_Spec)


def validate_spec(model: type[SpecT], raw: dict[str, Any], entry: int | None = None) -> SpecT:
    """One source's spec from a mapping (a sources-file table or a GraphQL input).

    Raises:
        SpecError: the first problem, naming the key (``entry`` places it in a file).
    """
    table = next(name for name, spec in _TABLES.items() if spec is model)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else None
        raise SpecError(table, entry, key, _reason(first)) from None


def _spec(table: str, entry: int, raw: Any) -> _Spec:
    if not isinstance(raw, dict):
        raise SpecError(table, entry, None, "must be a table")
    return validate_spec(_TABLES[table], raw, entry)


def parse_sources(document: dict[str, Any]) -> SourcesSpec:
    """Validate a parsed sources document (TOML's arrays of tables).

    Raises:
        SpecError: the first problem, naming the table, the entry and the key.
    """
    for table in document:
        if table not in _TABLES:
            known = ", ".join(_TABLES)
            raise SpecError(table, None, None, f"is not a known table (known: {known})")
    parsed: dict[str, list[Any]] = {}
    for table in _TABLES:
        raw = document.get(table, [])
        if not isinstance(raw, list):
            raise SpecError(table, None, None, f"must be an array of tables: [[{table}]]")
        specs = [_spec(table, entry, item) for entry, item in enumerate(raw, start=1)]
        seen: set[tuple[str, str]] = set()
        for entry, spec in enumerate(specs, start=1):
            if (spec.project, spec.name) in seen:
                raise SpecError(
                    table,
                    entry,
                    "name",
                    f"duplicates {spec.name!r} in project {spec.project!r}",
                )
            seen.add((spec.project, spec.name))
        addresses: set[tuple[str, str]] = set()
        for entry, spec in enumerate(specs, start=1):
            if isinstance(spec, KafkaClusterSpec):
                address = (spec.environment, spec.cluster)
                if address in addresses:
                    raise SpecError(
                        table,
                        entry,
                        "cluster_id",
                        f"duplicates cluster {spec.cluster!r} in environment {spec.environment!r}",
                    )
                addresses.add(address)
        parsed[table] = specs
    return SourcesSpec(parsed["connectors"], parsed["services"], parsed["kafka_clusters"])
