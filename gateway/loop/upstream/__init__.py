"""Upstream calls: each turns one httpx request into a domain result; httpx stays here."""
