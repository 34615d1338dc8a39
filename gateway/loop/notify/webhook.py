"""Webhook channels: one HTTP request through the shared client."""

import time
from datetime import datetime

import httpx

from gateway.domain.channel_config import WebhookConfig
from gateway.domain.channels import Channel
from gateway.domain.notifications import DeliveryOutcome, webhook_request
from gateway.domain.status import Flip

__all__ = ["WebhookSender"]


class WebhookSender:
    """Usage: ``await WebhookSender(http, timeout=10).send(channel, flip, now)``"""

    def __init__(self, http: httpx.AsyncClient, *, timeout: float) -> None:
        self._http = http
        self._timeout = httpx.Timeout(timeout)

    async def send(self, channel: Channel, flip: Flip, now: datetime) -> DeliveryOutcome:
        request = webhook_request(WebhookConfig.from_config(channel.config), flip, now)
        started = time.perf_counter()
        try:
            # Streamed and never read: the answer's status is all that matters.
            async with self._http.stream(
                request.method,
                request.url,
                headers=request.headers,
                content=request.body,
                timeout=self._timeout,
            ) as response:
                status = response.status_code
        except httpx.TimeoutException:
            return DeliveryOutcome(False, "timed out", _ms_since(started))
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # The exception's text may quote the URL, which may carry a token.
            return DeliveryOutcome(
                False, f"connection failed ({type(exc).__name__})", _ms_since(started)
            )
        if 200 <= status < 300:
            return DeliveryOutcome(True, "", _ms_since(started))
        return DeliveryOutcome(False, f"received status code {status}", _ms_since(started))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
