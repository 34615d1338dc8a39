"""Reading API keys off requests, in every way the vendors document."""

from collections.abc import Mapping

__all__ = ["api_key_from_headers"]


def api_key_from_headers(headers: Mapping[str, str]) -> str | None:
    """``X-Api-Key`` (Healthchecks), ``X-ApiKey`` (ProGet) or ``Authorization: Bearer``."""
    for name in ("x-api-key", "x-apikey"):
        value = headers.get(name)
        if value:
            return value.strip()
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None
