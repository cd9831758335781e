"""Who the web visitor is, behind the reverse proxies the operator trusts (CANBO_TRUSTED_PROXIES).

The TCP peer is the client unless it is one of those proxies; then the client is the rightmost
X-Forwarded-For hop that is not a trusted proxy itself: every hop right of it was written by a
proxy we trust, anything left of it by the client, who may write what they like. With no
trusted proxies (the default) the header is ignored altogether.

An IPv6 client is counted by its /64, the block one subscriber is given: otherwise a single
line could hop through billions of addresses.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_SEPARATORS = re.compile(r"[\s,]+")
IPV6_CLIENT_PREFIX = 64


class TrustedProxies:
    def __init__(self, networks: Sequence[IPNetwork] = ()) -> None:
        self.networks = tuple(networks)

    @classmethod
    def parse(cls, text: str) -> TrustedProxies:
        """CIDRs (or single addresses) separated by commas or spaces: "10.0.0.0/8, ::1".
        Raises ValueError naming the first that is not one."""
        networks: list[IPNetwork] = []
        for part in filter(None, _SEPARATORS.split(text.strip())):
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"not an IP network: {part!r}") from None
        return cls(networks)

    def trusts(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)

    def client(self, request: web.Request) -> str:
        """The client's address as rate limits count it ("203.0.113.7", "2001:db8:1:2::/64");
        "" when the peer is unknown (a Unix socket)."""
        peer = _address(request.remote or "")
        if peer is None:
            return ""
        client = peer
        if self.trusts(peer):
            hops = ",".join(request.headers.getall("X-Forwarded-For", []))
            for hop in reversed([h for h in _SEPARATORS.split(hops) if h]):
                address = _address(hop)
                if address is None:
                    break  # the client's own writing: the last proxy's peer stands
                client = address
                if not self.trusts(address):
                    break
        return _counted(client)


def _address(text: str) -> IPAddress | None:
    """An address as a hop may give it: "203.0.113.7", "203.0.113.7:5050", "[2001:db8::1]:443"."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _counted(address: IPAddress) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)
