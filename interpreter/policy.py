"""Which hosts a call may fetch: the SSRF rules applied before every request and redirect hop.

A ``FetchPolicy`` checks a URL's scheme and host, resolves the host and checks every address it
resolves to. By default loopback and public addresses are allowed (local development); private
ranges, link-local (cloud metadata), multicast, unspecified and reserved addresses are refused.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Turns (host, port) into the textual IP addresses it resolves to; raises ``OSError`` on failure."""

ALLOWED_SCHEMES = frozenset({"http", "https"})

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


class PolicyError(Exception):
    """Base of the policy's refusals. ``code`` is the Twilio-style code to record on the call."""

    code = "11230"


class UrlNotAllowedError(PolicyError):
    """The URL's scheme, host or one of its addresses is not one callbox may fetch (11230)."""

    code = "11230"


class InvalidUrlError(PolicyError):
    """The URL cannot be requested at all: no host, or a scheme other than http/https (11100)."""

    code = "11100"


class HostResolutionError(PolicyError):
    """The host name does not resolve (11210)."""

    code = "11210"


def address_category(address: IPAddress) -> str:
    """One of ``loopback``, ``private``, ``link-local``, ``multicast``, ``unspecified``,
    ``reserved`` or ``public``; IPv4-mapped IPv6 addresses are judged by their IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_global:
        return "public"
    if address.is_reserved:
        return "reserved"
    if (
        isinstance(address, ipaddress.IPv4Address) and address in _SHARED_ADDRESS_SPACE
    ) or address.is_private:
        return "private"
    return "reserved"


async def resolve_host(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, via ``anyio.getaddrinfo`` (never blocks the loop)."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _host_matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) or host == pattern[2:]
    return host == pattern


@functools.lru_cache(maxsize=64)
def _rules(entries: frozenset[str]) -> tuple[tuple[str, ...], tuple[IPNetwork, ...]]:
    """Host-name patterns and IP networks of an allowed/denied set (parsed once per set)."""
    names: list[str] = []
    networks: list[IPNetwork] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.append(entry.lower())
    return tuple(names), tuple(networks)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Rules for which URLs may be fetched.

    ``allowed_hosts`` and ``denied_hosts`` hold host names (exact, or ``*.example.com`` for a
    domain and its subdomains) and IP networks (``10.1.0.0/16``, ``192.168.1.7``). A host named
    in ``allowed_hosts`` is trusted without resolving it (this is how in-process apps at
    ``http://testserver`` are reached); an address inside an allowed network is allowed whatever
    its category. ``denied_hosts`` wins over everything.
    """

    allow_loopback: bool = True
    allow_private: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    denied_hosts: frozenset[str] = field(default_factory=frozenset)

    def allowing(self, *hosts: str) -> FetchPolicy:
        """A copy of this policy that also trusts ``hosts``."""
        return FetchPolicy(
            allow_loopback=self.allow_loopback,
            allow_private=self.allow_private,
            allowed_hosts=self.allowed_hosts | {host.lower() for host in hosts},
            denied_hosts=self.denied_hosts,
        )

    def check_address(self, host: str, text: str) -> None:
        """Refuse ``text`` (an address ``host`` resolved to) unless the rules allow it."""
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if any(address in net for net in _rules(self.denied_hosts)[1]):
            raise UrlNotAllowedError(f"{host} resolves to {address}, which is denied by the policy")
        if any(address in net for net in _rules(self.allowed_hosts)[1]):
            return
        category = address_category(address)
        if category == "public":
            return
        if category == "loopback" and self.allow_loopback:
            return
        if category == "private" and self.allow_private:
            return
        hint = {
            "loopback": "loopback addresses are refused by this policy",
            "private": "private addresses are refused unless the policy allows them (allow_private)",
            "link-local": "link-local addresses (such as cloud metadata at 169.254.169.254) are never fetched unless listed in allowed_hosts",
        }.get(category, f"{category} addresses are never fetched unless listed in allowed_hosts")
        shown = host if host == str(address) else f"{host} ({address})"
        raise UrlNotAllowedError(f"refusing to fetch {shown}: {hint}")

    async def check(
        self, scheme: str, host: str, port: int, resolve: Resolver = resolve_host
    ) -> None:
        """Check a URL's parts; resolves ``host`` unless it is an address or trusted by name.

        Raises ``InvalidUrlError`` (11100), ``UrlNotAllowedError`` (11230) or
        ``HostResolutionError`` (11210).
        """
        await self.vet(scheme, host, port, resolve)

    async def vet(
        self, scheme: str, host: str, port: int, resolve: Resolver = resolve_host
    ) -> list[str] | None:
        """Like ``check``, and returns the checked addresses to connect to (None for a host
        trusted by name, which is connected to by name)."""
        if scheme not in ALLOWED_SCHEMES:
            raise InvalidUrlError(f"scheme {scheme!r} cannot be fetched (only http and https)")
        if not host:
            raise InvalidUrlError("the URL has no host")
        host = host.lower().rstrip(".")
        if any(_host_matches(host, name) for name in _rules(self.denied_hosts)[0]):
            raise UrlNotAllowedError(f"refusing to fetch {host}: the host is denied by the policy")
        if any(_host_matches(host, name) for name in _rules(self.allowed_hosts)[0]):
            return None
        literal = host.strip("[]")
        try:
            ipaddress.ip_address(literal.split("%", 1)[0])
        except ValueError:
            pass
        else:
            self.check_address(host, literal)
            return [literal]
        try:
            addresses = await resolve(host, port)
        except OSError as exc:
            raise HostResolutionError(f"cannot resolve host {host}: {exc}") from exc
        if not addresses:
            raise HostResolutionError(f"host {host} resolves to no address")
        for address in addresses:
            self.check_address(host, address)
        return addresses


class PolicyNetworkBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the policy allows.

    It resolves the host itself, checks every address, and connects to the checked address, so
    a DNS answer that changes between the check and the connection (DNS rebinding) cannot
    smuggle a refused address in. TLS still verifies the certificate against the host name.
    """

    def __init__(self, policy: FetchPolicy, resolve: Resolver = resolve_host) -> None:
        self.policy = policy
        self.resolve = resolve
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        started = time.monotonic()
        try:
            with anyio.fail_after(timeout):
                vetted = await self.policy.vet("http", host, port, self.resolve)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        addresses = vetted if vetted is not None else [host]
        last: Exception | None = None
        for address in addresses:
            remaining = (
                None if timeout is None else max(timeout - (time.monotonic() - started), 0.001)
            )
            try:
                return await self._backend.connect_tcp(
                    address, port, remaining, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UrlNotAllowedError("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)
