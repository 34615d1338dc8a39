"""IP allow lists and client-address resolution behind trusted proxies."""

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["AddressList", "client_address"]

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SEPARATORS = re.compile(r"[,\n]")


@dataclass(frozen=True)
class AddressList:
    """A list of addresses and CIDR ranges, as mosparo's health allow list.

    Usage: ``AddressList.parse("127.0.0.1,::1,10.0.0.0/8").allows("10.1.2.3")``

    Items are separated by commas or newlines. An item with ``/`` is a subnet
    (its address family must match the client's: ``::ffff:127.0.0.1`` is not
    in ``127.0.0.0/8``); other items are single addresses. Unlike mosparo we
    trim blanks and compare parsed addresses, so ``127.0.0.1, ::1`` allows
    ``::1``. An empty list allows everyone, as mosparo's does.
    """

    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, text: str) -> "AddressList":
        networks: list[IPNetwork] = []
        for raw in _SEPARATORS.split(text):
            item = raw.strip()
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or CIDR range") from None
        return cls(tuple(networks))

    @property
    def is_empty(self) -> bool:
        return not self.networks

    def contains(self, address: str | None) -> bool:
        """Whether ``address`` is in one of the networks (never for junk or None)."""
        ip = _parse_ip(address)
        return ip is not None and any(
            ip.version == net.version and ip in net for net in self.networks
        )

    def allows(self, address: str | None) -> bool:
        """Whether a caller at ``address`` may pass; an empty list allows everyone."""
        return self.is_empty or self.contains(address)


def _parse_ip(address: str | None) -> IPAddress | None:
    if not address:
        return None
    text = address.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:8080"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "1.2.3.4:5678"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted_proxies: AddressList
) -> str | None:
    """The caller's address, honouring ``X-Forwarded-For`` only from trusted proxies.

    Walks the forwarded chain from the right, skipping trusted proxies, and
    returns the first address that is not one (Symfony's ``getClientIps``).
    An empty trusted list trusts nobody here: forwarding headers are then ignored.
    """
    chain = [part.strip() for header in forwarded_for for part in header.split(",")]
    chain = [part for part in chain if part]
    if not chain or peer is None or trusted_proxies.is_empty:
        return peer  # nothing forwarded: no need to parse any address
    if not trusted_proxies.contains(peer):
        return peer
    for hop in reversed(chain):
        if _parse_ip(hop) is None:
            return peer  # a forged or garbled header: fall back to the socket peer
        if not trusted_proxies.contains(hop):
            return str(_parse_ip(hop))
    return str(_parse_ip(chain[0]))
