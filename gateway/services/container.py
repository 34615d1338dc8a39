"""Building the services once per process, from settings, the store and the HTTP client."""

from dataclasses import dataclass

import httpx

from gateway.domain.clock import Clock, utcnow
from gateway.services.connectors import ConnectorsService
from gateway.services.events import EventBus
from gateway.services.flips import FlipsService
from gateway.services.health import HealthService
from gateway.services.kafka import KafkaService
from gateway.services.keys import KeysService
from gateway.services.probing import ProbeBook
from gateway.services.services import ServiceSourcesService
from gateway.services.sources import SourcesService
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
    connectors: ConnectorsService
    service_sources: ServiceSourcesService
    kafka: KafkaService
    sources: SourcesService


def build_services(
    settings: Settings, store: Store, http: httpx.AsyncClient, clock: Clock = utcnow
) -> Services:
    bus = EventBus()
    flips = FlipsService(store, bus)
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
        connectors=connectors,
        service_sources=service_sources,
        kafka=kafka,
        sources=SourcesService(store, connectors, service_sources, kafka),
    )
