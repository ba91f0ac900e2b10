"""The carrier config file (TOML): billing settings, routing policy, the rate deck's source and
base rates, and the carriers. ``load_config(path)`` checks every key and value and names the
file and key of the first problem in a ``CarrierConfigError``; docs/routing.md lists every key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from callbox.billing.errors import RateError
from callbox.billing.pricing import BillingMode
from callbox.billing.rates import ZERO, Increment, Tier, parse_amount
from callbox.network.carriers import (
    Capacity,
    Carrier,
    CodeMix,
    Delay,
    Outage,
    Pricing,
    Service,
)
from callbox.network.errors import CarrierConfigError
from callbox.network.policy import Learning, RoutingPolicy, Thresholds, Weights

MAX_CONFIG_BYTES = 1_000_000
CARRIERS_VARIABLE = "CALLBOX_CARRIERS"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BillingSettings:
    mode: BillingMode = BillingMode.TWILIO
    markup: Decimal = ZERO
    inbound_per_minute: Decimal = Decimal("0.0085")
    inbound_per_segment: Decimal = Decimal("0.0079")
    inbound_per_mms: Decimal = Decimal("0.0200")
    recording_per_minute: Decimal = Decimal("0.0025")


@dataclass(frozen=True, slots=True)
class ZoneRates:
    fixed: Decimal
    mobile: Decimal
    sms: Decimal
    mms: Decimal


@dataclass(frozen=True, slots=True)
class DeckSettings:
    """Where the deck's prefixes come from and the base rates carriers' prices derive from."""

    source: str = "phonenumbers"
    max_length: int = 7
    zones: dict[str, ZoneRates] = field(default_factory=dict)
    nanp_other: ZoneRates | None = None  # NANP destinations outside the US and Canada


@dataclass(frozen=True, slots=True)
class NetworkConfig:
    path: Path
    billing: BillingSettings
    policy: RoutingPolicy
    deck: DeckSettings
    carriers: tuple[Carrier, ...]

    def carrier(self, name: str) -> Carrier:
        for carrier in self.carriers:
            if carrier.name == name:
                return carrier
        raise KeyError(name)


class _Table:
    """A TOML table read key by key; every error names the file and the dotted key."""

    def __init__(self, data: dict[str, Any], where: str, file: str) -> None:
        self.data = data
        self.where = where
        self.file = file
        self.used: set[str] = set()

    def error(self, key: str, message: str) -> CarrierConfigError:
        dotted = f"{self.where}.{key}" if self.where else key
        return CarrierConfigError(f"{self.file}: {dotted}: {message}")

    def get(self, key: str, kind: type[T] | tuple[type, ...], default: T) -> T:
        self.used.add(key)
        if key not in self.data:
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.error(key, f"expected {_kind_names(kinds)}, got {value!r}")
        if not isinstance(value, kinds):
            raise self.error(key, f"expected {_kind_names(kinds)}, got {value!r}")
        if float in kinds and isinstance(value, int):
            return float(value)  # type: ignore[return-value]
        return value  # type: ignore[return-value]

    def number(self, key: str, default: float, *, low: float, high: float) -> float:
        value = self.get(key, (int, float), default)
        if not low <= value <= high:
            raise self.error(key, f"{value:g} is outside {low:g}..{high:g}")
        return float(value)

    def optional_number(self, key: str, *, low: float, high: float) -> float | None:
        if key not in self.data:
            self.used.add(key)
            return None
        return self.number(key, low, low=low, high=high)

    def amount(self, key: str, default: Decimal) -> Decimal:
        self.used.add(key)
        if key not in self.data:
            return default
        try:
            return parse_amount(self.data[key], what="amount")
        except RateError as exc:
            raise self.error(key, exc.message.removeprefix("amount: ")) from None

    def table(self, key: str) -> _Table:
        value = self.get(key, dict, {})
        return _Table(value, f"{self.where}.{key}" if self.where else key, self.file)

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "unknown key (docs/routing.md lists the keys)")


def _kind_names(kinds: tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}
    names.update({dict: "a table", list: "a list", datetime: "a date-time"})
    return " or ".join(
        names.get(kind, kind.__name__) for kind in kinds if kind is not int or float not in kinds
    )


def _delay(table: _Table, key: str, default: Delay) -> Delay:
    if key not in table.data:
        table.used.add(key)
        return default
    sub = table.table(key)
    median = sub.number("median", default.median, low=0.001, high=600)
    p95 = sub.number("p95", max(default.p95, median), low=0.001, high=3600)
    sub.finish()
    if p95 < median:
        raise sub.error("p95", f"{p95:g} is below the median {median:g}")
    if p95 == median:
        p95 = median * 1.0001
    return Delay(median, p95)


def _code_mix(table: _Table, key: str, default: CodeMix, *, low: int, high: int) -> CodeMix:
    if key not in table.data:
        table.used.add(key)
        return default
    sub = table.table(key)
    weights: dict[int, float] = {}
    for code_text in list(sub.data):
        if not code_text.isascii() or not code_text.isdigit() or not low <= int(code_text) <= high:
            raise sub.error(code_text, f"codes are numbers from {low} to {high}")
        weights[int(code_text)] = sub.number(code_text, 0, low=0, high=1e9)
    if not weights or sum(weights.values()) <= 0:
        raise table.error(key, "give at least one code a weight above 0")
    return CodeMix.of(weights)


def _timestamp(table: _Table, key: str) -> float:
    value = table.get(key, datetime, datetime.min)
    if key not in table.data:
        raise table.error(key, "required (an RFC 3339 date-time such as 2026-12-03T12:00:00Z)")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _prefix_list(table: _Table, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    values = table.get(key, list, ["*" if p == "" else p for p in default])
    prefixes = []
    for value in values:
        if value == "*":
            prefixes.append("")
        elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 15:
            prefixes.append(value)
        else:
            raise table.error(key, f'{value!r} is not a digit prefix (or "*" for everything)')
    return tuple(prefixes)


def _each(table: _Table, key: str, read: Callable[[_Table], T]) -> list[T]:
    values = table.get(key, list, [])
    result = []
    for index, value in enumerate(values):
        if not isinstance(value, dict):
            raise table.error(f"{key}[{index}]", "expected a table")
        where = f"{table.where}.{key}" if table.where else key
        sub = _Table(value, f"{where}[{index}]", table.file)
        result.append(read(sub))
        sub.finish()
    return result


def _outage(table: _Table) -> Outage:
    start = _timestamp(table, "start")
    end = _timestamp(table, "end")
    if end <= start:
        raise table.error("end", "must be after start")
    code = int(table.number("code", 503, low=400, high=699))
    return Outage(start, end, code, table.get("announced", bool, False))


def _tier(table: _Table) -> Tier:
    from_units = int(table.number("from_units", 0, low=0, high=1e12))
    discount = table.amount("discount", ZERO)
    if discount >= 1:
        raise table.error("discount", "is a fraction below 1 (0.10 is 10 % off)")
    return Tier(from_units, discount)


def _carrier(table: _Table, base: Path) -> Carrier:
    name = table.get("name", str, "")
    if not name or not name.replace("-", "").replace("_", "").isalnum() or not name.isascii():
        raise table.error("name", "required: letters, digits, '-' or '_'")
    services_list = table.get("services", list, ["voice", "messaging"])
    try:
        services = frozenset(Service(service) for service in services_list)
    except ValueError:
        raise table.error(
            "services", f'{services_list!r}: use "voice" and/or "messaging"'
        ) from None
    increment_text = table.get("increment", str, "60/60")
    try:
        increment = Increment.parse(increment_text)
    except RateError as exc:
        raise table.error("increment", exc.message) from None
    deck_name = table.get("deck", str, "")
    pricing = Pricing(
        price_factor=table.amount("price_factor", Decimal(1)),
        sms_factor=table.amount("sms_factor", Decimal(1)),
        spread=table.amount("spread", ZERO),
        increment=increment,
        connect_fee=table.amount("connect_fee", ZERO),
        tiers=tuple(sorted(_each(table, "tiers", _tier), key=lambda tier: tier.from_units)),
        deck=(base / deck_name) if deck_name else None,
    )
    if pricing.spread >= 1:
        raise table.error("spread", "is a fraction below 1")
    capacity = table.table("capacity")
    carrier = Carrier(
        name=name,
        description=table.get("description", str, ""),
        services=services,
        prefixes=_prefix_list(table, "prefixes", ("",)),
        exclude=_prefix_list(table, "exclude", ()),
        asr=table.number("asr", 0.5, low=0, high=1),
        acd=table.number("acd", 120, low=1, high=86400),
        pdd=_delay(table, "pdd", Delay(2.0, 6.0)),
        early_media=table.number("early_media", 0.0, low=0, high=1),
        final_codes=_code_mix(table, "final_codes", CodeMix.of({480: 1.0}), low=200, high=699),
        deliverability=table.number("deliverability", 0.98, low=0, high=1),
        delivery_latency=_delay(table, "delivery_latency", Delay(2.0, 8.0)),
        message_errors=_code_mix(
            table, "message_errors", CodeMix.of({30008: 1.0}), low=30000, high=30999
        ),
        capacity=Capacity(
            cps=capacity.optional_number("cps", low=0.001, high=1e6),
            concurrent=_whole(capacity.optional_number("concurrent", low=1, high=1e9)),
            mps=capacity.optional_number("mps", low=0.001, high=1e6),
        ),
        outages=tuple(_each(table, "outages", _outage)),
        pricing=pricing,
    )
    capacity.finish()
    if 200 in carrier.final_codes.codes:
        raise table.error("final_codes", "lists the codes of unanswered seizures: 200 is `asr`")
    return carrier


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def _zone(table: _Table) -> ZoneRates:
    rates = ZoneRates(
        fixed=table.amount("fixed", ZERO),
        mobile=table.amount("mobile", ZERO),
        sms=table.amount("sms", ZERO),
        mms=table.amount("mms", ZERO),
    )
    table.finish()
    return rates


def _deck(table: _Table) -> DeckSettings:
    source = table.get("source", str, "phonenumbers")
    if source != "phonenumbers":
        raise table.error("source", f'{source!r}: the only generated source is "phonenumbers"')
    max_length = int(table.number("max_length", 7, low=1, high=15))
    zones_table = table.table("zones")
    zones = {}
    for zone in list(zones_table.data):
        if zone not in "123456789" or len(zone) != 1:
            raise zones_table.error(zone, "zones are the digits 1 to 9 (ITU world zones)")
        zones[zone] = _zone(zones_table.table(zone))
    zones_table.finish()
    nanp_other = _zone(table.table("nanp_other")) if "nanp_other" in table.data else None
    table.used.add("nanp_other")
    return DeckSettings(source, max_length, zones, nanp_other)


def _policy(table: _Table) -> RoutingPolicy:
    t = table.table("thresholds")
    thresholds = Thresholds(
        min_asr=t.number("min_asr", 0.30, low=0, high=1),
        min_ccr=t.number("min_ccr", 0.90, low=0, high=1),
        max_pdd=t.number("max_pdd", 8.0, low=0, high=600),
        min_acd=t.number("min_acd", 20.0, low=0, high=86400),
        min_deliverability=t.number("min_deliverability", 0.90, low=0, high=1),
        max_delivery_latency=t.number("max_delivery_latency", 30.0, low=0, high=86400),
    )
    t.finish()
    w = table.table("weights")
    weights = Weights(
        cost=w.number("cost", 1.0, low=0, high=1e6),
        asr=w.number("asr", 0.5, low=0, high=1e6),
        ccr=w.number("ccr", 2.0, low=0, high=1e6),
        pdd=w.number("pdd", 0.02, low=0, high=1e6),
        acd=w.number("acd", 0.2, low=0, high=1e6),
        acd_target=w.number("acd_target", 120.0, low=1, high=86400),
        deliverability=w.number("deliverability", 2.0, low=0, high=1e6),
        delivery_latency=w.number("delivery_latency", 0.005, low=0, high=1e6),
    )
    w.finish()
    window = table.number("window", 300.0, low=1, high=86400 * 7)
    min_samples = int(table.number("min_samples", 20, low=1, high=1e6))
    learning = Learning(
        window=window,
        max_samples=int(table.number("max_samples", 1000, low=1, high=1e7)),
        min_samples=min_samples,
        probe_interval=table.number("probe_interval", window / min_samples, low=0.001, high=86400),
    )
    if learning.max_samples < learning.min_samples:
        raise table.error("max_samples", "is below min_samples")
    max_attempts = int(table.number("max_attempts", 3, low=1, high=10))
    return RoutingPolicy(thresholds, weights, learning, max_attempts)


def _billing(table: _Table) -> BillingSettings:
    mode = table.get("mode", str, "twilio")
    if mode not in ("twilio", "carrier"):
        raise table.error("mode", f'{mode!r}: use "twilio" or "carrier"')
    return BillingSettings(
        mode=BillingMode(mode),
        markup=table.amount("markup", ZERO),
        inbound_per_minute=table.amount("inbound_per_minute", Decimal("0.0085")),
        inbound_per_segment=table.amount("inbound_per_segment", Decimal("0.0079")),
        inbound_per_mms=table.amount("inbound_per_mms", Decimal("0.0200")),
        recording_per_minute=table.amount("recording_per_minute", Decimal("0.0025")),
    )


def parse_config(text: str, path: Path) -> NetworkConfig:
    """A config from TOML text; relative deck paths are relative to ``path``'s directory."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CarrierConfigError(f"{path.name}: not valid TOML: {exc}") from None
    root = _Table(data, "", path.name)
    billing = root.table("billing")
    billing_settings = _billing(billing)
    billing.finish()
    routing = root.table("routing")
    policy = _policy(routing)
    routing.finish()
    deck_table = root.table("deck")
    deck = _deck(deck_table)
    deck_table.finish()
    carriers = _each(root, "carriers", lambda table: _carrier(table, path.parent))
    root.finish()
    if not carriers:
        raise root.error("carriers", "list at least one carrier ([[carriers]] tables)")
    names = [carrier.name for carrier in carriers]
    duplicate = next((name for name in names if names.count(name) > 1), None)
    if duplicate:
        raise root.error("carriers", f"two carriers are named {duplicate!r}")
    for carrier in carriers:
        if carrier.pricing.deck is None and not deck.zones:
            raise root.error("deck.zones", f"carrier {carrier.name!r} has no deck: give base rates")
    return NetworkConfig(path, billing_settings, policy, deck, tuple(carriers))


def load_config(path: str | Path) -> NetworkConfig:
    """Read and check a carrier config file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise CarrierConfigError(
            f"{path}: cannot read the carrier config: {exc.strerror}"
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise CarrierConfigError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CarrierConfigError(f"{path}: not UTF-8 text") from None
    return parse_config(text, path)


def default_config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """``$CALLBOX_CARRIERS``, else the sample config shipped with callbox."""
    chosen = environ.get(CARRIERS_VARIABLE, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    return Path(str(resources.files("callbox.network").joinpath("carriers.toml")))
