"""The store every contract test runs against: embedded, or ``MONGODB_URI`` when set."""

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from storage import Store, open_store

REAL_URI = os.environ.get("MONGODB_URI")


@pytest.fixture
async def contract_store() -> AsyncIterator[Store]:
    name = f"healthgate_contract_{uuid.uuid4().hex[:8]}"
    store = open_store(REAL_URI, name)
    await store.ensure_indexes()
    try:
        yield store
    finally:
        if not store.embedded:
            await store.db.client.drop_database(name)
        await store.close()
