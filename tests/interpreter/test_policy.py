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


async def test_the_default_policy_allows_loopback_and_public_hosts() -> None:
    policy = FetchPolicy()
    await policy.check("http", "localhost", 80, StubResolver("127.0.0.1", "::1"))
    await policy.check("https", "example.com", 443, StubResolver("93.184.216.34"))
    await policy.check("http", "127.0.0.1", 8000, StubResolver())


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "224.0.0.1", "0.0.0.0"])
async def test_the_default_policy_refuses_special_addresses_a_name_resolves_to(
    address: str,
) -> None:
    with pytest.raises(UrlNotAllowedError, match=address):
        await FetchPolicy().check(
            "http", "sneaky.example", 80, StubResolver("93.184.216.34", address)
        )


async def test_loopback_can_be_refused_and_private_ranges_allowed() -> None:
    strict = FetchPolicy(allow_loopback=False)
    lenient = FetchPolicy(allow_private=True)
    with pytest.raises(UrlNotAllowedError, match="loopback"):
        await strict.check("http", "127.0.0.1", 80, StubResolver())
    await lenient.check("http", "10.1.1.1", 80, StubResolver())
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
