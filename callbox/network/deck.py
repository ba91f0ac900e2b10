"""The rate deck: every destination prefix with each carrier's rate for it, built once per config.

Prefixes come from phonenumbers' real E.164 data (every prefix of up to ``deck.max_length``
digits in its carrier and geocoding tables, plus every country code: about 100,000), or from a
carrier's own CSV deck. Generated rates derive deterministically from the zone base rates, a
per-country factor, the carrier's ``price_factor`` and a per-destination ``spread`` (CRC-32 of
the names, so every run builds the same deck).
"""

from __future__ import annotations

import csv
import re
import zlib
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from callbox.billing.errors import RateError
from callbox.billing.rates import ZERO, Increment, MessageRate, VoiceRate, parse_amount
from callbox.network.carriers import Carrier, Service
from callbox.network.config import DeckSettings, NetworkConfig, ZoneRates
from callbox.network.errors import CarrierConfigError
from callbox.network.prefixes import PrefixTable

RATE_PLACES = Decimal("0.0001")
MAX_DECK_BYTES = 64_000_000


class Destination(NamedTuple):
    """What a deck prefix reaches: ``GB mobile Vodafone``, ``US fixed``, ``BS``."""

    name: str
    group: str  # the key rates are drawn by: country, region, kind and network
    zone: str
    kind: str  # "fixed", "mobile", or "" for a whole country code
    nanp_other: bool


class Option(NamedTuple):
    """One carrier's offer for a destination: its rate, the cost routing compares, and that
    cost relative to the cheapest offer for the same destination (1.0 for the cheapest)."""

    carrier: int  # index in NetworkConfig.carriers
    rate: VoiceRate | MessageRate
    cost: Decimal  # a one-minute answered call, or one SMS segment
    relative: float


class Route(NamedTuple):
    prefix: str
    destination: str
    voice: tuple[Option, ...]  # cheapest first
    messaging: tuple[Option, ...]

    def options(self, service: Service) -> tuple[Option, ...]:
        return self.voice if service is Service.VOICE else self.messaging


@cache
def _leading_digits(region: str) -> re.Pattern[str] | None:
    from phonenumbers import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region(region)
    pattern = metadata.leading_digits if metadata is not None else None
    return re.compile(pattern) if pattern else None


@lru_cache(maxsize=2)
def phonenumbers_destinations(max_length: int) -> dict[str, Destination]:
    """Every prefix of up to ``max_length`` digits in phonenumbers' data, and what it reaches
    (built once per process and length; callers must not change it)."""
    from phonenumbers.carrierdata import CARRIER_DATA
    from phonenumbers.geodata import GEOCODE_DATA
    from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

    country_codes = {str(code): regions for code, regions in COUNTRY_CODE_TO_REGION_CODE.items()}
    prefixes = {p for p in CARRIER_DATA if len(p) <= max_length}
    prefixes |= {p for p in GEOCODE_DATA if len(p) <= max_length}
    prefixes |= {code for code in country_codes if len(code) <= max_length}
    destinations: dict[str, Destination] = {}
    region_cache: dict[str, str] = {}
    for prefix in sorted(prefixes):
        code = next((prefix[:n] for n in (1, 2, 3) if prefix[:n] in country_codes), None)
        if code is None:
            continue
        regions = country_codes[code]
        national = prefix[len(code) :]
        region = regions[0]
        if len(regions) > 1 and national:
            key = code + national[:4]
            if key not in region_cache:
                region_cache[key] = next(
                    (r for r in regions[1:] if _matches(_leading_digits(r), national[:4])),
                    regions[0],
                )
            region = region_cache[key]
        if prefix == code:
            kind, network = "", ""
        elif prefix in CARRIER_DATA:
            kind, network = "mobile", CARRIER_DATA[prefix].get("en", "")
        else:
            kind, network = "fixed", ""
        name = " ".join(part for part in (region, kind, network) if part)
        nanp_other = code == "1" and region not in ("US", "CA")
        group = f"{code}|{region}|{kind}|{network}"
        destinations[prefix] = Destination(name, group, code[0], kind, nanp_other)
    return destinations


def _matches(pattern: re.Pattern[str] | None, national: str) -> bool:
    return pattern is not None and pattern.match(national) is not None


def _unit(text: str) -> float:
    """A deterministic number in [0, 1) from a text."""
    return zlib.crc32(text.encode()) / 2**32


def _rate(amount: Decimal) -> Decimal:
    return amount.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _base(deck: DeckSettings, destination: Destination) -> ZoneRates | None:
    if destination.nanp_other and deck.nanp_other is not None:
        return deck.nanp_other
    return deck.zones.get(destination.zone)


class _GeneratedRates:
    """A carrier's rates for generated destinations, one per destination group."""

    def __init__(self, carrier: Carrier, deck: DeckSettings) -> None:
        self.carrier = carrier
        self.deck = deck
        self.cache: dict[str, tuple[VoiceRate | None, MessageRate | None]] = {}

    def __call__(
        self, prefix: str, destination: Destination
    ) -> tuple[VoiceRate | None, MessageRate | None]:
        found = self.cache.get(destination.group)
        if found is not None:
            return found
        base = _base(self.deck, destination)
        voice: VoiceRate | None = None
        message: MessageRate | None = None
        if base is not None:
            pricing = self.carrier.pricing
            country = destination.group.split("|")[1]
            factor = Decimal(1) if country in ("US", "CA") else Decimal(str(0.6 + _unit(country)))
            swing = Decimal(str(2 * _unit(f"{self.carrier.name}|{destination.group}") - 1))
            vary = (1 + pricing.spread * swing) * factor
            per_minute = base.mobile if destination.kind == "mobile" else base.fixed
            if Service.VOICE in self.carrier.services and per_minute > 0:
                voice = VoiceRate(
                    _rate(per_minute * pricing.price_factor * vary),
                    pricing.connect_fee,
                    pricing.increment,
                )
            if Service.MESSAGING in self.carrier.services and base.sms > 0:
                message = MessageRate(
                    _rate(base.sms * pricing.sms_factor * vary),
                    _rate(base.mms * pricing.sms_factor * vary),
                )
        found = (voice, message)
        self.cache[destination.group] = found
        return found


Offer = tuple[str, VoiceRate | None, MessageRate | None]  # destination name and rates

CSV_COLUMNS = (
    "prefix",
    "destination",
    "per_minute",
    "connect_fee",
    "increment",
    "per_segment",
    "per_mms",
)


def read_csv_deck(path: Path, carrier: Carrier) -> PrefixTable[Offer]:
    """A carrier's own deck: ``prefix,destination,per_minute,connect_fee,increment,per_segment,
    per_mms`` (a header row; blank rates mean the carrier does not offer that service there)."""
    try:
        if path.stat().st_size > MAX_DECK_BYTES:
            raise CarrierConfigError(f"{path}: a deck is at most {MAX_DECK_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CarrierConfigError(
            f"{path}: cannot read carrier {carrier.name!r}'s deck: {exc}"
        ) from None
    rows = csv.DictReader(text.splitlines())
    if rows.fieldnames is None or [f.strip() for f in rows.fieldnames] != list(CSV_COLUMNS):
        raise CarrierConfigError(f"{path}:1: the header must be {','.join(CSV_COLUMNS)}")
    table: PrefixTable[Offer] = PrefixTable()
    for line, row in enumerate(rows, start=2):
        try:
            table[_csv_prefix(row["prefix"])] = _csv_rates(row, carrier)
        except (RateError, ValueError, TypeError) as exc:
            raise CarrierConfigError(f"{path}:{line}: {exc}") from None
    return table


def _csv_prefix(text: str | None) -> str:
    prefix = (text or "").strip().lstrip("+")
    if not prefix.isascii() or not prefix.isdigit() or len(prefix) > 15:
        raise ValueError(f"prefix {text!r} is not digits")
    return prefix


def _csv_rates(row: dict[str, str], carrier: Carrier) -> Offer:
    def amount(column: str) -> Decimal | None:
        text = (row.get(column) or "").strip()
        return parse_amount(text, what=column) if text else None

    per_minute, per_segment = amount("per_minute"), amount("per_segment")
    increment_text = (row.get("increment") or "").strip()
    increment = Increment.parse(increment_text) if increment_text else carrier.pricing.increment
    voice = None
    if per_minute is not None and Service.VOICE in carrier.services:
        voice = VoiceRate(per_minute, amount("connect_fee") or ZERO, increment)
    message = None
    if per_segment is not None and Service.MESSAGING in carrier.services:
        message = MessageRate(per_segment, amount("per_mms") or ZERO)
    return (row.get("destination") or "").strip(), voice, message


def _options(
    offers: list[tuple[int, VoiceRate | MessageRate]], intern: dict[object, tuple[Option, ...]]
) -> tuple[Option, ...]:
    if not offers:
        return ()
    key = tuple(offers)
    found = intern.get(key)
    if found is not None:
        return found
    costs = [
        (
            rate.cost_of_one_minute() if isinstance(rate, VoiceRate) else rate.per_segment,
            index,
            rate,
        )
        for index, rate in offers
    ]
    costs.sort(key=lambda item: (item[0], item[1]))
    cheapest = costs[0][0]
    options = tuple(
        Option(index, rate, cost, float(cost / cheapest) if cheapest > 0 else 1.0 + float(cost))
        for cost, index, rate in costs
    )
    intern[key] = options
    return options


class _GeneratedSource:
    """A carrier priced from the deck's base rates, at the generated destinations."""

    def __init__(self, carrier: Carrier, deck: DeckSettings) -> None:
        self.rates = _GeneratedRates(carrier, deck)

    def __call__(self, prefix: str, destination: Destination | None) -> Offer | None:
        if destination is None:
            return None
        return (destination.name, *self.rates(prefix, destination))


class _CsvSource:
    """A carrier priced by its own deck: the longest of its prefixes that matches."""

    def __init__(self, table: PrefixTable[Offer]) -> None:
        self.table = table

    def __call__(self, prefix: str, destination: Destination | None) -> Offer | None:
        found = self.table.longest(prefix)
        return None if found is None else found[1]


class _Coverage:
    """Which carriers serve a prefix, cached on the few leading digits coverage depends on."""

    def __init__(self, carriers: tuple[Carrier, ...]) -> None:
        self.carriers = carriers
        self.lengths = [max(map(len, c.prefixes + c.exclude), default=0) for c in carriers]
        self.cache: list[dict[str, bool]] = [{} for _ in carriers]

    def serves(self, index: int, prefix: str) -> bool:
        key = prefix[: self.lengths[index]]
        cache = self.cache[index]
        found = cache.get(key)
        if found is None:
            found = cache[key] = self.carriers[index].serves(key)
        return found


def _offers_to_options(
    destination: Destination | None,
    offers: tuple[tuple[int, Offer | None], ...],
    sources: list[_GeneratedSource | _CsvSource],
    prefix: str,
    intern: dict[object, tuple[Option, ...]],
) -> tuple[str, tuple[Option, ...], tuple[Option, ...]]:
    name = destination.name if destination is not None else ""
    voice: list[tuple[int, VoiceRate | MessageRate]] = []
    messaging: list[tuple[int, VoiceRate | MessageRate]] = []
    for index, csv_offer in offers:
        offer = csv_offer if csv_offer is not None else sources[index](prefix, destination)
        if offer is None:
            continue
        name = name or offer[0]
        if offer[1] is not None:
            voice.append((index, offer[1]))
        if offer[2] is not None:
            messaging.append((index, offer[2]))
    return name, _options(voice, intern), _options(messaging, intern)


def build_routes(config: NetworkConfig) -> PrefixTable[Route]:
    """The route table: each deck prefix with every serving carrier's option, cheapest first."""
    generated_needed = any(carrier.pricing.deck is None for carrier in config.carriers)
    destinations = phonenumbers_destinations(config.deck.max_length) if generated_needed else {}
    sources: list[_GeneratedSource | _CsvSource] = []
    prefixes = set(destinations)
    for carrier in config.carriers:
        if carrier.pricing.deck is None:
            sources.append(_GeneratedSource(carrier, config.deck))
        else:
            own = read_csv_deck(carrier.pricing.deck, carrier)
            prefixes.update(own)
            sources.append(_CsvSource(own))
    generated_table = PrefixTable(destinations)
    coverage = _Coverage(config.carriers)
    intern: dict[object, tuple[Option, ...]] = {}
    by_group: dict[tuple[object, ...], tuple[str, tuple[Option, ...], tuple[Option, ...]]] = {}
    entries: dict[str, Route] = {}
    for prefix in sorted(prefixes):
        destination = destinations.get(prefix)
        if destination is None:
            found = generated_table.longest(prefix)
            destination = found[1] if found is not None else None
        offers = tuple(
            (index, source(prefix, destination) if isinstance(source, _CsvSource) else None)
            for index, source in enumerate(sources)
            if coverage.serves(index, prefix)
        )
        key = (destination.group if destination else None, offers)
        built = by_group.get(key)
        if built is None:
            built = _offers_to_options(destination, offers, sources, prefix, intern)
            by_group[key] = built
        name, voice, messaging = built
        if voice or messaging:
            entries[prefix] = Route(prefix, name, voice, messaging)
    return PrefixTable(entries)


_BUILT: dict[str, PrefixTable[Route]] = {}
_KEEP = 2


def cached_routes(config: NetworkConfig) -> PrefixTable[Route]:
    """``build_routes``, remembered for the last two configs that use the generated deck (the
    costly part: ~100,000 prefixes), so that a process building the same one twice pays once."""
    if all(carrier.pricing.deck is not None for carrier in config.carriers):
        return build_routes(config)
    decks = [c.pricing.deck for c in config.carriers if c.pricing.deck is not None]
    key = repr(config) + repr([(str(d), d.stat().st_mtime_ns if d.exists() else 0) for d in decks])
    found = _BUILT.get(key)
    if found is None:
        found = build_routes(config)
        if len(_BUILT) >= _KEEP:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = found
    return found
