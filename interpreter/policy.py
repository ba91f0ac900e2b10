"""Which hosts a call may fetch: the SSRF rules applied before every request and redirect hop.

A ``FetchPolicy`` checks a URL's scheme and host, resolves the host and checks every address it
resolves to. Only globally routable addresses are allowed by default, judged from IANA's
special-purpose registries (not from the running Python's tables); an IPv4 address inside an IPv6
one (IPv4-mapped and -translated, IPv4-compatible, NAT64, 6to4) is judged by that IPv4 address.
Loopback is allowed when the call's own first URL is on loopback (``for_first_url``), or by
option; private ranges by option; link-local (cloud metadata), multicast and reserved never.
"""

from __future__ import annotations

import contextvars
import functools
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Turns (host, port) into the textual IP addresses it resolves to; raises ``OSError`` on failure."""

ALLOWED_SCHEMES = frozenset({"http", "https"})


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


def _table(*rows: tuple[str, str]) -> tuple[tuple[IPNetwork, str], ...]:
    return tuple((ipaddress.ip_network(network), category) for network, category in rows)


_IPV4_SPECIAL = _table(
    ("0.0.0.0/32", "unspecified"),
    ("0.0.0.0/8", "reserved"),  # "this network"
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "private"),  # carrier-grade NAT (shared address space)
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),  # cloud metadata lives at 169.254.169.254
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved"),  # IETF protocol assignments (192.0.0.8: the dummy address)
    ("192.0.2.0/24", "reserved"),  # documentation (TEST-NET-1)
    ("192.88.99.0/24", "reserved"),  # the retired 6to4 relay anycast
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "reserved"),  # benchmarking
    ("198.51.100.0/24", "reserved"),  # documentation (TEST-NET-2)
    ("203.0.113.0/24", "reserved"),  # documentation (TEST-NET-3)
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),  # future use, and the broadcast address
)
"""IANA's IPv4 special-purpose ranges that are not globally reachable, by category."""

_IPV6_SPECIAL = _table(
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("100::/64", "reserved"),  # discard-only
    ("2001::/23", "reserved"),  # IETF protocol assignments (Teredo, ORCHID, benchmarking...)
    ("2001:db8::/32", "reserved"),  # documentation
    ("3fff::/20", "reserved"),  # documentation
    ("5f00::/16", "reserved"),  # segment routing (SRv6) identifiers
    ("fc00::/7", "private"),  # unique local addresses
    ("fe80::/10", "link-local"),
    ("fec0::/10", "reserved"),  # site-local, deprecated (RFC 3879)
    ("ff00::/8", "multicast"),
)
"""IANA's IPv6 special-purpose ranges that are not globally reachable, by category."""

_IPV6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
"""Outside this block IPv6 has nothing allocated to be reached (apart from the special ranges)."""

_IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # RFC 2765's ::ffff:0:a.b.c.d
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # the well-known prefix (RFC 6052)
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # local-use translators (RFC 8215)
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
"""Host names that are loopback by definition (RFC 6761: and every name under ``localhost``)."""


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to its destination, if it carries one: an
    IPv4-mapped, -translated or -compatible address, a NAT64 address (the well-known prefix and
    the local-use /48, whose common /96 layout ends in the IPv4 address) or a 6to4 address."""
    if address in _IPV4_MAPPED or address in _IPV4_TRANSLATED or address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _LOCAL_NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR:
        return ipaddress.IPv4Address((int(address) >> 80) & 0xFFFFFFFF)
    return None


def address_category(address: IPAddress) -> str:
    """One of ``loopback``, ``private``, ``link-local``, ``multicast``, ``unspecified``,
    ``reserved`` or ``public`` (globally routable). An IPv6 address that carries an IPv4 address
    is judged by the IPv4 address; through a local-use NAT64 translator even a public one counts
    as private."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            category = address_category(inner)
            return "private" if category == "public" and address in _LOCAL_NAT64 else category
        special = _IPV6_SPECIAL
        if address not in _IPV6_GLOBAL_UNICAST and not any(address in n for n, _ in special):
            return "reserved"
    else:
        special = _IPV4_SPECIAL
    # the most specific range decides (0.0.0.0/32 within 0.0.0.0/8, 2001:db8::/32 within 2001::/23)
    found = [(network.prefixlen, category) for network, category in special if address in network]
    return max(found)[1] if found else "public"


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


_ENFORCED: contextvars.ContextVar[FetchPolicy | None] = contextvars.ContextVar(
    "callbox_enforced_policy", default=None
)
"""The policy of the call whose request is being sent (see ``FetchPolicy.enforced``)."""


class Enforced:
    """The block of ``FetchPolicy.enforced``: a class, not a generator (a fetch enters one per
    request, and a generator-based context manager costs three times as much)."""

    __slots__ = ("_policy", "_token")

    def __init__(self, policy: FetchPolicy) -> None:
        self._policy = policy
        self._token: contextvars.Token[FetchPolicy | None] | None = None

    def __enter__(self) -> None:
        self._token = _ENFORCED.set(self._policy)

    def __exit__(self, *exc_info: object) -> None:
        assert self._token is not None
        _ENFORCED.reset(self._token)


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a name or an address, with or without brackets) is loopback by itself,
    without asking DNS: ``localhost`` and names under it, ``127.0.0.0/8``, ``::1``."""
    host = host.lower().strip("[]").rstrip(".")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return address_category(ipaddress.ip_address(host.split("%", 1)[0])) == "loopback"
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Rules for which URLs may be fetched.

    ``allowed_hosts`` and ``denied_hosts`` hold host names (exact, or ``*.example.com`` for a
    domain and its subdomains) and IP networks (``10.1.0.0/16``, ``192.168.1.7``). A host named
    in ``allowed_hosts`` is trusted without resolving it (this is how in-process apps at
    ``http://testserver`` are reached); an address inside an allowed network is allowed whatever
    its category. ``denied_hosts`` wins over everything. Loopback is refused unless
    ``allow_loopback``: a call whose own first URL is on loopback gets it (``for_first_url``).
    """

    allow_loopback: bool = False
    allow_private: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    denied_hosts: frozenset[str] = field(default_factory=frozenset)

    def allowing(self, *hosts: str) -> FetchPolicy:
        """A copy of this policy that also trusts ``hosts``."""
        return replace(self, allowed_hosts=self.allowed_hosts | {host.lower() for host in hosts})

    def for_first_url(self, url: str | None) -> FetchPolicy:
        """The policy for a call whose first document is at ``url``: a developer's app on
        loopback (``http://localhost:5000/voice``) may send its call on to loopback URLs; a
        public app may not (its ``<Redirect>``, ``<Play>`` and callbacks would reach local
        ports), nor may inline TwiML (``url`` None)."""
        if self.allow_loopback or not url:
            return self
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return self
        if host and is_loopback_host(host):
            return replace(self, allow_loopback=True)
        return self

    def enforced(self) -> Enforced:
        """Within this block, the shared transport's connect-time check (``PolicyNetworkBackend``)
        applies this policy instead of its own: one client serves calls with different rules."""
        return Enforced(self)

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
            "loopback": "loopback addresses are fetched only when the call's own URL is on "
            "loopback, or with --allow-loopback (FetchPolicy(allow_loopback=True))",
            "private": "private addresses are refused unless the policy allows them (allow_private)",
            "link-local": "link-local addresses (such as cloud metadata at 169.254.169.254) are never fetched unless listed in allowed_hosts",
        }.get(category, f"{category} addresses are never fetched unless listed in allowed_hosts")
        shown = host if host.strip("[]") == str(address) else f"{host} ({address})"
        inner = embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else None
        if inner is not None:
            shown = (
                f"{shown[:-1]}, which carries {inner})" if shown != host else f"{host} ({inner})"
            )
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
    """An httpcore network backend that connects only to addresses the policy allows: the
    policy of the call sending the request (``FetchPolicy.enforced``), else its own.

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
        policy = _ENFORCED.get() or self.policy
        try:
            with anyio.fail_after(timeout):
                vetted = await policy.vet("http", host, port, self.resolve)
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
