"""Probing a service's health endpoint (mosparo's ``/api/v1/health/check`` or any other)."""

import httpx

from gateway.domain.probes import Fetched, ProbeFailure
from gateway.loop.upstream.fetch import fetch
from storage.repos.scheduled import Claim
from storage.repos.service_sources import to_service

__all__ = ["probe_service"]


async def probe_service(
    client: httpx.AsyncClient, claim: Claim, max_bytes: int
) -> Fetched | ProbeFailure:
    spec = to_service(claim.doc).spec
    return await fetch(client, spec.url, seconds=spec.timeout, max_bytes=max_bytes)
