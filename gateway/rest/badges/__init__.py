"""Healthchecks-style badges: ``/badge/<key>/<sig>[/<tag>].<fmt>`` and ``/b/<n>/<key>.<fmt>``."""
