"""Use cases: the only thing the edges (REST, GraphQL, the loop, the CLI) call."""

from gateway.services.container import Services, build_services

__all__ = ["Services", "build_services"]
