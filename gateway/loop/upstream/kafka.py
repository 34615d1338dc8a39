"""Reading a Kafka Connect cluster: self-managed REST or Confluent Cloud ``connect/v1``."""

from urllib.parse import quote

import httpx

from gateway.domain.probes import Fetched, ProbeFailure
from gateway.domain.sources import KafkaClusterSpec
from gateway.loop.upstream.fetch import fetch
from storage.repos.kafka import to_cluster
from storage.repos.scheduled import Claim

__all__ = ["connectors_url", "probe_cluster"]


def connectors_url(spec: KafkaClusterSpec) -> str:
    base = spec.url.rstrip("/")
    if spec.kind == "confluent-cloud":
        env, cluster = quote(spec.environment, safe=""), quote(spec.cluster, safe="")
        return f"{base}/connect/v1/environments/{env}/clusters/{cluster}/connectors?expand=status"
    return f"{base}/connectors?expand=status"


async def probe_cluster(
    client: httpx.AsyncClient, claim: Claim, max_bytes: int
) -> Fetched | ProbeFailure:
    spec = to_cluster(claim.doc).spec
    auth = (spec.api_key or "", spec.api_secret or "") if spec.api_key else None
    return await fetch(
        client, connectors_url(spec), seconds=spec.timeout, max_bytes=max_bytes, auth=auth
    )
