"""Delivery of queued flips: webhooks through httpx.MockTransport, e-mail to a local SMTP server."""

import asyncio
import base64
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest

from gateway.domain.channel_config import EmailConfig, WebhookConfig, channel_id
from gateway.domain.channels import Channel
from gateway.domain.status import Flip, SourceKind, SourceRef, Status
from gateway.loop.notify.smtp import EmailSender
from gateway.loop.notify.webhook import WebhookSender
from gateway.services.notifications import NotifierService
from gateway.settings import Settings

CODE = "7c1d2c43-1c9e-4f5b-9d55-2f6a4b1e0d3a"


@dataclass
class FakeHooks:
    """Answers webhook requests per host with a scripted list of statuses (last one repeats)."""

    script: dict[str, list[int]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        statuses = self.script.get(request.url.host, [200])
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        if status == 0:
            raise httpx.ConnectError("refused", request=request)
        if status == -1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(status, text="ok")

    def to(self, host: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.host == host]


@pytest.fixture
def hooks():
    return FakeHooks()


@pytest.fixture
async def http(hooks) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(hooks.handler)) as client:
        yield client


@pytest.fixture
def notify_settings():
    return Settings(
        notify_backoff_seconds=30, notify_backoff_max_seconds=600, notify_max_attempts=3
    )


def _notifier(settings, store, clock, http):
    return NotifierService(
        settings,
        store,
        clock,
        {"webhook": WebhookSender(http, timeout=5), "email": EmailSender(timeout=5)},
    )


@pytest.fixture
async def notifier(notify_settings, store, clock, http):
    await store.ensure_indexes()
    return _notifier(notify_settings, store, clock, http)


async def _hook(store, name, url, project="alpha", **options) -> Channel:
    channel = Channel(
        channel_id(project, name),
        project,
        name,
        "webhook",
        WebhookConfig(url, **options).to_config(),
    )
    await store.channels.upsert(channel)
    return channel


async def _queue(store, clock, channels, name="backup", code=CODE, to=Status.DOWN):
    flip = Flip("alpha", SourceRef(SourceKind.CHECK, code), name, Status.UP, to, clock(), "timeout")
    return await store.flips.insert(flip, notify_channels=[c.id for c in channels])


async def test_a_webhook_gets_the_rendered_request(notifier, store, clock, hooks):
    channel = await _hook(
        store,
        "ops",
        "https://ops.test/hook/$CODE",
        method="PUT",
        headers={"Authorization": "Bearer t0k", "X-Status": "$STATUS"},
        body="$NAME went $STATUS at $NOW",
    )
    flip = await _queue(store, clock, [channel])
    assert await notifier.deliver_due() == 1
    (request,) = hooks.requests
    assert request.method == "PUT"
    assert str(request.url) == f"https://ops.test/hook/{CODE}"
    assert request.headers["authorization"] == "Bearer t0k"
    assert request.headers["x-status"] == "down"
    assert request.content == b"backup went down at 2026-01-15T12:00:00+00:00"
    (attempt,) = await store.notifications.for_flip(flip.id)
    assert (attempt.channel_id, attempt.attempt, attempt.ok, attempt.error) == (
        channel.id,
        1,
        True,
        "",
    )
    assert attempt.at == clock()
    assert attempt.latency_ms >= 0
    assert await store.flips.notify_state(flip.id) == "done"
    assert await notifier.deliver_due() == 0


async def test_the_default_body_is_the_json_document(notifier, store, clock, hooks):
    await _queue(store, clock, [await _hook(store, "ops", "https://ops.test/")], to=Status.UP)
    await notifier.deliver_due()
    (request,) = hooks.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content)["status"] == "up"


async def test_a_failing_webhook_is_retried_after_the_backoff(notifier, store, clock, hooks):
    hooks.script["ops.test"] = [500, 200]
    flip = await _queue(store, clock, [await _hook(store, "ops", "https://ops.test/")])
    assert await notifier.deliver_due() == 1
    assert await notifier.deliver_due() == 0  # waiting out the backoff
    clock.advance(29)
    assert await notifier.deliver_due() == 0
    clock.advance(1)
    assert await notifier.deliver_due() == 1
    assert len(hooks.requests) == 2
    attempts = await store.notifications.for_flip(flip.id)
    assert [(a.attempt, a.ok, a.error) for a in attempts] == [
        (1, False, "received status code 500"),
        (2, True, ""),
    ]
    assert await store.flips.notify_state(flip.id) == "done"


async def test_the_backoff_doubles_and_delivery_gives_up(notifier, store, clock, hooks):
    hooks.script["dead.test"] = [0]
    flip = await _queue(store, clock, [await _hook(store, "dead", "https://dead.test/")])
    assert await notifier.deliver_due() == 1
    clock.advance(30)
    assert await notifier.deliver_due() == 1
    clock.advance(59)
    assert await notifier.deliver_due() == 0
    clock.advance(1)
    assert await notifier.deliver_due() == 1  # third and last attempt
    clock.advance(3600)
    assert await notifier.deliver_due() == 0
    attempts = await store.notifications.for_flip(flip.id)
    assert [(a.attempt, a.error) for a in attempts] == [
        (1, "connection failed (ConnectError)"),
        (2, "connection failed (ConnectError)"),
        (3, "connection failed (ConnectError)"),
    ]
    assert await store.flips.notify_state(flip.id) == "failed"


async def test_a_dead_channel_does_not_block_a_healthy_one(notifier, store, clock, hooks):
    hooks.script["dead.test"] = [-1]
    dead = await _hook(store, "dead", "https://dead.test/")
    healthy = await _hook(store, "healthy", "https://healthy.test/")
    first = await _queue(store, clock, [dead, healthy], code="c1")
    assert await notifier.deliver_due() == 1
    second = await _queue(store, clock, [healthy], code="c2")
    assert await notifier.deliver_due() == 1  # the second flip, while the first waits
    assert [r.url.path for r in hooks.to("healthy.test")] == ["/", "/"]
    clock.advance(30)
    assert await notifier.deliver_due() == 1
    assert len(hooks.to("healthy.test")) == 2  # reached once per flip, never again
    assert len(hooks.to("dead.test")) == 2
    attempts = await store.notifications.for_flip(first.id)
    assert sorted((a.channel_id == healthy.id, a.attempt, a.error) for a in attempts) == [
        (False, 1, "timed out"),
        (False, 2, "timed out"),
        (True, 1, ""),
    ]
    assert await store.flips.notify_state(second.id) == "done"


async def test_a_hanging_channel_is_cut_off_by_the_time_limit(store, clock, http):
    settings = Settings(notify_timeout_seconds=0.05)

    class Hanging:
        async def send(self, channel, flip, now):
            await asyncio.Event().wait()

    notifier = NotifierService(settings, store, clock, {"webhook": Hanging()})
    flip = await _queue(store, clock, [await _hook(store, "slow", "https://slow.test/")])
    assert await notifier.deliver_due() == 1
    (attempt,) = await store.notifications.for_flip(flip.id)
    assert (attempt.ok, attempt.error, attempt.latency_ms) == (False, "timed out", 50.0)


async def test_a_channel_that_no_longer_exists_is_skipped(notifier, store, clock, hooks):
    gone = Channel(channel_id("alpha", "gone"), "alpha", "gone", "webhook")
    flip = await _queue(store, clock, [gone])
    assert await notifier.deliver_due() == 1
    assert hooks.requests == []
    assert await store.notifications.for_flip(flip.id) == []
    assert await store.flips.notify_state(flip.id) == "done"


async def test_a_channel_of_another_project_is_never_notified(notifier, store, clock, hooks):
    other = await _hook(store, "theirs", "https://theirs.test/", project="beta")
    await _queue(store, clock, [other])
    assert await notifier.deliver_due() == 1
    assert hooks.requests == []


async def test_two_workers_deliver_each_flip_once(notify_settings, store, clock, http, hooks):
    await store.ensure_indexes()
    channels = [await _hook(store, f"h{n}", f"https://h{n}.test/") for n in range(2)]
    for n in range(10):
        await _queue(store, clock, channels, code=f"check-{n}")
    first = _notifier(notify_settings, store, clock, http)
    second = _notifier(notify_settings, store, clock, http)
    handled = await asyncio.gather(first.deliver_due(), second.deliver_due())
    assert sum(handled) == 10
    seen = [(r.url.host, json.loads(r.content)["code"]) for r in hooks.requests]
    assert len(seen) == 20
    assert len(set(seen)) == 20


class SmtpServer:
    """A minimal SMTP responder on 127.0.0.1: accepts one or more messages, AUTH PLAIN."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[str, str]] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        sender, recipients = "", list[str]()
        await reply("220 test ESMTP")
        try:
            while line := (await reader.readline()).decode().rstrip("\r\n"):
                verb = line.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    await reply("250-test\r\n250-AUTH PLAIN\r\n250 8BITMIME")
                elif verb == "AUTH":
                    _, user, password = base64.b64decode(line.split()[2]).decode().split("\0")
                    self.logins.append((user, password))
                    await reply("235 ok")
                elif verb == "MAIL":
                    sender, recipients = line[10:].split(">")[0].lstrip("<"), []
                    await reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(line[8:].split(">")[0].lstrip("<"))
                    await reply("250 ok")
                elif verb == "DATA":
                    await reply("354 go on")
                    data = b""
                    while (chunk := await reader.readline()) != b".\r\n":
                        data += chunk
                    self.messages.append((sender, recipients, data))
                    await reply("250 queued")
                elif verb == "QUIT":
                    await reply("221 bye")
                    break
                else:
                    await reply("250 ok")
        finally:
            writer.close()
            await writer.wait_closed()


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpServer]:
    server = SmtpServer()
    await server.start()
    yield server
    await server.stop()


async def test_an_email_reaches_the_smtp_server(notifier, store, clock, smtp):
    config = EmailConfig(
        ("ops@example.com", "oncall@example.com"),
        "hg@example.com",
        "127.0.0.1",
        smtp_port=smtp.port,
        smtp_username="hg",
        smtp_password="pw",
    )
    channel = Channel(channel_id("alpha", "mail"), "alpha", "mail", "email", config.to_config())
    await store.channels.upsert(channel)
    flip = await _queue(store, clock, [channel])
    assert await notifier.deliver_due() == 1
    ((sender, recipients, data),) = smtp.messages
    assert sender == "hg@example.com"
    assert recipients == ["ops@example.com", "oncall@example.com"]
    assert b"Subject: backup is DOWN" in data
    assert b'The check "backup" in project alpha is DOWN.' in data
    assert smtp.logins == [("hg", "pw")]
    (attempt,) = await store.notifications.for_flip(flip.id)
    assert (attempt.ok, attempt.error) == (True, "")


async def test_an_unreachable_smtp_server_is_an_error(notifier, store, clock):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = EmailConfig(("a@example.com",), "hg@example.com", "127.0.0.1", smtp_port=port)
    channel = Channel(channel_id("alpha", "mail"), "alpha", "mail", "email", config.to_config())
    await store.channels.upsert(channel)
    flip = await _queue(store, clock, [channel])
    assert await notifier.deliver_due() == 1
    (attempt,) = await store.notifications.for_flip(flip.id)
    assert attempt.ok is False
    assert attempt.error.startswith("SMTP connection failed (")


async def test_the_next_attempt_waits_in_the_store(notifier, store, clock, hooks):
    hooks.script["ops.test"] = [503]
    await _queue(store, clock, [await _hook(store, "ops", "https://ops.test/")])
    await notifier.deliver_due()
    lease = clock() + timedelta(hours=1)
    assert await store.flips.claim_pending(clock() + timedelta(seconds=29), lease) is None
    pending = await store.flips.claim_pending(clock() + timedelta(seconds=30), lease)
    assert pending is not None
    assert (pending.attempts, pending.delivered) == (1, [])
