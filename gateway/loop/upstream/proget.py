"""Probing a ProGet-style connector: a plain GET of its URL."""

import httpx

from gateway.domain.probes import Fetched, ProbeFailure
from gateway.loop.upstream.fetch import fetch
from storage.repos.connectors import to_connector
from storage.repos.scheduled import Claim

__all__ = ["probe_connector"]


async def probe_connector(
    client: httpx.AsyncClient, claim: Claim, max_bytes: int
) -> Fetched | ProbeFailure:
    spec = to_connector(claim.doc).spec
    return await fetch(client, spec.url, seconds=spec.timeout, max_bytes=max_bytes)
