import pytest

from gateway.domain.netaddr import AddressList, client_address


@pytest.mark.parametrize(
    ("allow", "address", "allowed"),
    [
        ("127.0.0.1,::1", "127.0.0.1", True),
        ("127.0.0.1,::1", "::1", True),
        ("127.0.0.1, ::1", "::1", True),  # blanks are trimmed (mosparo's are not)
        ("127.0.0.1,::1", "127.0.0.2", False),
        ("10.0.0.0/8", "10.200.3.4", True),
        ("10.0.0.0/8", "11.0.0.1", False),
        ("2001:db8::/32", "2001:db8:1::5", True),
        ("2001:db8::/32", "2001:db9::5", False),
        ("127.0.0.0/8", "::ffff:127.0.0.1", False),  # families must match, as in mosparo
        ("192.168.1.0/24\n::1", "::1", True),  # newlines separate items too
        ("0:0::1", "::1", True),  # addresses compare parsed, not as strings
        ("", "203.0.113.9", True),  # an empty list allows everyone, as mosparo's does
        ("127.0.0.1", None, False),
        ("127.0.0.1", "not-an-ip", False),
    ],
)
def test_allow_list(allow, address, allowed):
    assert AddressList.parse(allow).allows(address) is allowed


def test_it_refuses_a_junk_item():
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300' is not an IP address or CIDR range"):
        AddressList.parse("127.0.0.1,10.0.0.300")


TRUSTED = AddressList.parse("127.0.0.1,10.0.0.0/8")


def test_forwarded_for_counts_from_a_trusted_proxy():
    assert client_address("127.0.0.1", ["203.0.113.7"], TRUSTED) == "203.0.113.7"


def test_forwarded_for_skips_trusted_hops_from_the_right():
    chain = ["198.51.100.1, 203.0.113.7, 10.1.1.1"]
    assert client_address("127.0.0.1", chain, TRUSTED) == "203.0.113.7"


def test_forwarded_for_is_ignored_from_an_untrusted_peer():
    assert client_address("203.0.113.50", ["127.0.0.1"], TRUSTED) == "203.0.113.50"


def test_garbled_forwarded_for_falls_back_to_the_peer():
    assert client_address("127.0.0.1", ["nonsense"], TRUSTED) == "127.0.0.1"


def test_no_trusted_proxies_means_forwarding_is_ignored():
    assert client_address("127.0.0.1", ["203.0.113.7"], AddressList.parse("")) == "127.0.0.1"
