"""Global ids for ``node(id)``: base64 of ``<Type>:<id>``, opaque to clients."""

import base64
import binascii

from gateway.domain.checks.naming import unique_key
from gateway.domain.status import SourceKind, SourceRef
from gateway.errors import InvalidInputError

__all__ = [
    "TYPE_NAMES",
    "decode_global_id",
    "decode_source_id",
    "encode_global_id",
    "source_global_id",
]

TYPE_NAMES: dict[SourceKind, str] = {
    SourceKind.CHECK: "Check",
    SourceKind.CONNECTOR: "Connector",
    SourceKind.SERVICE: "Service",
    SourceKind.KAFKA_CONNECTOR: "KafkaConnector",
}
_KINDS = {name: kind for kind, name in TYPE_NAMES.items()}


def encode_global_id(type_name: str, local_id: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{local_id}".encode()).decode().rstrip("=")


def source_global_id(ref: SourceRef) -> str:
    """A source's global id. A check's carries its unique_key, never its uuid:
    the uuid is the ping URL's secret, which read-only keys must not learn."""
    local = unique_key(ref.id) if ref.kind is SourceKind.CHECK else ref.id
    return encode_global_id(TYPE_NAMES[ref.kind], local)


def decode_global_id(global_id: str) -> tuple[str, str]:
    """``(type name, local id)``.

    Raises:
        InvalidInputError: the id is not one healthgate issued.
    """
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInputError("id", "is not a valid id") from None
    type_name, sep, local_id = text.partition(":")
    if not sep or not local_id:
        raise InvalidInputError("id", "is not a valid id")
    return type_name, local_id


def decode_source_id(global_id: str) -> SourceRef:
    """The kind and local id (a check's unique_key, other sources' ids) of a global id."""
    type_name, local_id = decode_global_id(global_id)
    kind = _KINDS.get(type_name)
    if kind is None:
        raise InvalidInputError("id", "is not the id of a health source")
    return SourceRef(kind, local_id)
