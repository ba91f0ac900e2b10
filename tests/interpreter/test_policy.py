"""FetchPolicy: which hosts a call may fetch (checked without any network traffic)."""

from __future__ import annotations

import ipaddress

import pytest

from callbox.interpreter.policy import (
    FetchPolicy,
    HostResolutionError,
    InvalidUrlError,
    UrlNotAllowedError,
    address_category,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class StubResolver:
    """A ``Resolver`` answering ``addresses`` for any host; ``calls`` are the hosts it was asked."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return list(self.addresses)


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.10", "private"),
        ("100.64.0.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:169.254.169.254", "link-local"),
        ("8.8.8.8", "public"),
        ("2001:4860:4860::8888", "public"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_addresses_are_put_in_the_right_category(address: str, category: str) -> None:
    assert address_category(ipaddress.ip_address(address)) == category


async def test_the_default_policy_allows_public_hosts_and_refuses_loopback() -> None:
    policy = FetchPolicy()
    await policy.check("https", "example.com", 443, StubResolver("93.184.216.34"))
    for host, resolver in [
        ("localhost", StubResolver("127.0.0.1", "::1")),
        ("127.0.0.1", StubResolver()),
        ("[::1]", StubResolver()),
    ]:
        with pytest.raises(UrlNotAllowedError, match="loopback"):
            await policy.check("http", host, 8000, resolver)


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of the metadata address
        ("64:ff9b::a00:1", "private"),
        ("64:ff9b::808:808", "public"),
        ("64:ff9b:1::7f00:1", "loopback"),  # local-use NAT64
        ("64:ff9b:1::808:808", "private"),  # a local translator is never "public"
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", "link-local"),
        ("2002:808:808::1", "public"),
        ("::127.0.0.1", "loopback"),  # IPv4-compatible
        ("::169.254.169.254", "link-local"),
        ("::ffff:0:127.0.0.1", "loopback"),  # IPv4-translated
        ("::ffff:0:a9fe:a9fe", "link-local"),
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("192.0.0.8", "reserved"),  # the IPv4 dummy address
        ("192.0.0.170", "reserved"),
        ("192.0.2.1", "reserved"),
        ("198.18.0.1", "reserved"),
        ("fec0::1", "reserved"),  # site-local
        ("2001:db8::1", "reserved"),
        ("2001::1", "reserved"),  # Teredo
        ("100::1", "reserved"),
        ("4000::1", "reserved"),  # outside global unicast 2000::/3
    ],
)
def test_ipv4_inside_ipv6_is_judged_by_the_ipv4_address_and_special_ranges_are_not_public(
    address: str, category: str
) -> None:
    assert address_category(ipaddress.ip_address(address)) == category


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "2002:7f00:1::", "::ffff:0:127.0.0.1"])
async def test_a_name_resolving_to_loopback_wrapped_in_ipv6_is_refused(address: str) -> None:
    with pytest.raises(UrlNotAllowedError, match=r"carries 127\.0\.0\.1.*loopback"):
        await FetchPolicy().check("http", "wrapped.example", 80, StubResolver(address))


@pytest.mark.parametrize("address", ["64:ff9b::a9fe:a9fe", "::169.254.169.254", "fec0::1"])
async def test_wrapped_metadata_and_site_local_addresses_are_refused_even_for_a_local_app(
    address: str,
) -> None:
    local_app = FetchPolicy(allow_private=True).for_first_url("http://localhost:5000/voice")
    with pytest.raises(UrlNotAllowedError, match="never fetched"):
        await local_app.check("http", "wrapped.example", 80, StubResolver(address))


@pytest.mark.parametrize(
    "first_url",
    [
        "http://localhost:5000/voice",
        "http://127.0.0.1:8000/voice",
        "http://[::1]:8000/voice",
        "http://app.localhost/voice",
    ],
)
async def test_a_call_whose_own_url_is_on_loopback_may_fetch_loopback(first_url: str) -> None:
    policy = FetchPolicy().for_first_url(first_url)
    await policy.check("http", "127.0.0.1", 9000, StubResolver())
    await policy.check("http", "localhost", 9000, StubResolver("127.0.0.1"))


@pytest.mark.parametrize(
    "first_url", ["https://voice.example.com/voice", None, "http://10.0.0.1/voice", "not a url"]
)
async def test_a_public_app_or_inline_twiml_may_not_fetch_loopback(first_url: str | None) -> None:
    policy = FetchPolicy().for_first_url(first_url)
    with pytest.raises(UrlNotAllowedError, match="--allow-loopback"):
        await policy.check("http", "127.0.0.1", 9000, StubResolver())


async def test_allow_loopback_allows_it_whatever_the_first_url() -> None:
    policy = FetchPolicy(allow_loopback=True).for_first_url("https://voice.example.com/voice")
    await policy.check("http", "127.0.0.1", 9000, StubResolver())


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "224.0.0.1", "0.0.0.0"])
async def test_the_default_policy_refuses_special_addresses_a_name_resolves_to(
    address: str,
) -> None:
    with pytest.raises(UrlNotAllowedError, match=address):
        await FetchPolicy().check(
            "http", "sneaky.example", 80, StubResolver("93.184.216.34", address)
        )


async def test_private_ranges_can_be_allowed_but_not_link_local_or_reserved() -> None:
    lenient = FetchPolicy(allow_private=True)
    await lenient.check("http", "10.1.1.1", 80, StubResolver())
    for reserved in ("192.0.0.8", "fec0::1", "2001:db8::1"):
        with pytest.raises(UrlNotAllowedError, match="reserved"):
            await lenient.check("http", "x.example", 80, StubResolver(reserved))
    with pytest.raises(UrlNotAllowedError, match="link-local"):
        await lenient.check("http", "169.254.169.254", 80, StubResolver())


async def test_allowed_hosts_are_trusted_without_resolving_and_networks_by_address() -> None:
    resolve = StubResolver("10.9.9.9")
    policy = FetchPolicy(allowed_hosts=frozenset({"testserver", "*.corp.example", "10.9.0.0/16"}))
    await policy.check("http", "testserver", 80, resolve)
    await policy.check("http", "voice.corp.example", 80, resolve)
    assert resolve.calls == []
    await policy.check("http", "other.example", 80, resolve)  # resolves into the allowed network


async def test_denied_hosts_win_over_everything() -> None:
    policy = FetchPolicy(
        allowed_hosts=frozenset({"api.example"}),
        denied_hosts=frozenset({"api.example", "127.0.0.0/8"}),
    )
    with pytest.raises(UrlNotAllowedError, match="denied"):
        await policy.check("http", "api.example", 80, StubResolver("8.8.8.8"))
    with pytest.raises(UrlNotAllowedError, match="denied"):
        await policy.check("http", "localhost", 80, StubResolver("127.0.0.1"))


async def test_bad_schemes_and_unresolvable_hosts_are_reported_with_their_codes() -> None:
    async def fail(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(InvalidUrlError) as bad_scheme:
        await FetchPolicy().check("file", "x", 0, fail)
    with pytest.raises(HostResolutionError) as unresolved:
        await FetchPolicy().check("http", "nowhere.example", 80, fail)
    assert (bad_scheme.value.code, unresolved.value.code) == ("11100", "11210")
