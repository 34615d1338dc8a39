"""Confluent Cloud ``connect/v1`` connector status, served from stored cluster reads."""
