"""Healthchecks.io-compatible routes: the ping API and the Management API v1, v2 and v3."""
