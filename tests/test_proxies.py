"""The web visitor's address behind trusted reverse proxies (bot/proxies.py): X-Forwarded-For
counts only when the TCP peer is a proxy the operator named, and then only its rightmost hop
that is not a trusted proxy; everything left of that is the client's own writing."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from aiohttp.test_utils import make_mocked_request
from multidict import CIMultiDict
from pydantic import ValidationError

from bot.proxies import TrustedProxies
from bot.settings import Settings

PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.168.1.5 ::1")


def _client(peer: str, *forwarded: str, proxies: TrustedProxies = PROXIES) -> str:
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (peer, 443) if name == "peername" else default
    )
    headers = CIMultiDict(("X-Forwarded-For", value) for value in forwarded)
    request = make_mocked_request("GET", "/", headers=headers, transport=transport)
    return proxies.client(request)


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # no proxy in between: the header is the visitor's own writing
        ("203.0.113.7", ("198.51.100.1",), "203.0.113.7"),
        # our proxy: the hop it added
        ("10.0.0.2", ("203.0.113.7",), "203.0.113.7"),
        # a forged hop in front of it changes nothing
        ("10.0.0.2", ("1.2.3.4, 203.0.113.7",), "203.0.113.7"),
        # two of our proxies, the header split over two lines
        ("10.0.0.2", ("1.2.3.4, 203.0.113.7", "192.168.1.5"), "203.0.113.7"),
        # ports and IPv4 in IPv6
        ("10.0.0.2", ("203.0.113.7:51000",), "203.0.113.7"),
        ("::ffff:10.0.0.2", ("::ffff:203.0.113.7",), "203.0.113.7"),
        # an IPv6 visitor counts by the /64 a subscriber is given
        ("::1", ("[2001:db8:1:2:aaaa::5]:443",), "2001:db8:1:2::/64"),
        # nothing forwarded, or only junk: the proxy itself
        ("10.0.0.2", (), "10.0.0.2"),
        ("10.0.0.2", ("unknown",), "10.0.0.2"),
        # junk left of a real hop is ignored
        ("10.0.0.2", ("junk, 203.0.113.7",), "203.0.113.7"),
    ],
)
def test_the_client_is_the_rightmost_untrusted_hop(peer, forwarded, client):
    assert _client(peer, *forwarded) == client


def test_without_trusted_proxies_the_header_is_ignored():
    assert _client("10.0.0.2", "203.0.113.7", proxies=TrustedProxies()) == "10.0.0.2"


def test_a_setting_that_is_not_a_network_is_refused():
    with pytest.raises(ValidationError, match=re.escape("not an IP network: '10.0.0.0/33'")):
        Settings(_env_file=None, trusted_proxies="127.0.0.1, 10.0.0.0/33")  # type: ignore[call-arg]
    settings = Settings(_env_file=None, trusted_proxies="127.0.0.1 10.0.0.0/8")  # type: ignore[call-arg]
    assert [str(network) for network in settings.proxies.networks] == ["127.0.0.1/32", "10.0.0.0/8"]
