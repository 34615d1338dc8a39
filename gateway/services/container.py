"""Building the services once per process, from settings, the store and the HTTP client."""

from dataclasses import dataclass

import httpx

from gateway.domain.clock import Clock, utcnow
from gateway.loop.notify.smtp import EmailSender
from gateway.loop.notify.webhook import WebhookSender
from gateway.services.badges import BadgeService
from gateway.services.channels import ChannelsService
from gateway.services.checks import ChecksService
from gateway.services.connectors import ConnectorsService
from gateway.services.events import ChangeStreamBus, EventBus
from gateway.services.flips import FlipsService
from gateway.services.health import HealthService
from gateway.services.kafka import KafkaService
from gateway.services.keys import KeysService
from gateway.services.notifications import NotifierService
from gateway.services.pings import PingsService
from gateway.services.ports import BadgeChecks
from gateway.services.probing import ProbeBook
from gateway.services.services import ServiceSourcesService
from gateway.services.sources import SourcesService
from gateway.services.sweeper import SweeperService
from gateway.settings import Settings
from storage import Store

__all__ = ["Services", "build_services"]


@dataclass
class Services:
    settings: Settings
    store: Store
    http: httpx.AsyncClient
    clock: Clock
    bus: EventBus
    keys: KeysService
    health: HealthService
    flips: FlipsService
    checks: ChecksService
    pings: PingsService
    sweeper: SweeperService
    badges: BadgeService
    channels: ChannelsService
    notifier: NotifierService
    connectors: ConnectorsService
    service_sources: ServiceSourcesService
    kafka: KafkaService
    sources: SourcesService


def build_services(
    settings: Settings,
    store: Store,
    http: httpx.AsyncClient,
    clock: Clock = utcnow,
    *,
    badge_checks: BadgeChecks | None = None,
) -> Services:
    bus = (
        ChangeStreamBus(store.flips.watch, settings.subscriber_queue_size)
        if settings.event_bus == "changestream"
        else EventBus(settings.subscriber_queue_size)
    )
    flips = FlipsService(store, bus)
    checks = ChecksService(store, flips, settings, clock)
    book = ProbeBook(store, flips, settings)
    connectors = ConnectorsService(store, book, clock)
    service_sources = ServiceSourcesService(store, book, clock)
    kafka = KafkaService(store, book, clock)
    return Services(
        settings=settings,
        store=store,
        http=http,
        clock=clock,
        bus=bus,
        keys=KeysService(store, clock),
        health=HealthService(store, settings.db_timeout),
        flips=flips,
        checks=checks,
        pings=PingsService(store, flips, settings, clock),
        sweeper=SweeperService(store, flips, clock),
        badges=BadgeService(settings, store, badge_checks or checks),
        channels=ChannelsService(settings, store),
        notifier=NotifierService(
            settings,
            store,
            clock,
            {
                "webhook": WebhookSender(http, timeout=settings.notify_timeout_seconds),
                "email": EmailSender(timeout=settings.notify_timeout_seconds),
            },
        ),
        connectors=connectors,
        service_sources=service_sources,
        kafka=kafka,
        sources=SourcesService(store, connectors, service_sources, kafka),
    )
