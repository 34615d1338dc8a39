"""mosparo-style health: the gateway's own ``GET /api/v1/health/check``."""
