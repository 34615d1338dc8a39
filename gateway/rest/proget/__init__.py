"""ProGet-style connector health: ``GET``/``HEAD /api/connector-health[/<id>]``."""
