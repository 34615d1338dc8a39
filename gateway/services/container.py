"""Building the services once per process, from settings, the store and the HTTP client."""

from dataclasses import dataclass

import httpx

from gateway.domain.clock import Clock, utcnow
from gateway.services.checks import ChecksService
from gateway.services.events import EventBus
from gateway.services.flips import FlipsService
from gateway.services.health import HealthService
from gateway.services.keys import KeysService
from gateway.services.pings import PingsService
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


def build_services(
    settings: Settings, store: Store, http: httpx.AsyncClient, clock: Clock = utcnow
) -> Services:
    bus = EventBus()
    flips = FlipsService(store, bus)
    return Services(
        settings=settings,
        store=store,
        http=http,
        clock=clock,
        bus=bus,
        keys=KeysService(store, clock),
        health=HealthService(store, settings.db_timeout),
        flips=flips,
        checks=ChecksService(store, flips, settings, clock),
        pings=PingsService(store, flips, settings, clock),
        sweeper=SweeperService(store, flips, clock),
    )
