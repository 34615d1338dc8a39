"""MongoDB storage: the client (real or embedded), indexes and one repository per collection."""

from storage.client import Store, open_store

__all__ = ["Store", "open_store"]
