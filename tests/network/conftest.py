"""Small carrier configs for the network tests: each carrier gets its own one-line CSV deck, so
a switch is built in microseconds; the shipped sample (~100,000 prefixes) is built once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from callbox.network import NetworkConfig, SoftSwitch, load_config, parse_config
from callbox.network.config import default_config_path
from callbox.network.deck import Route
from callbox.network.prefixes import PrefixTable

HEADER = "prefix,destination,per_minute,connect_fee,increment,per_segment,per_mms\n"


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., NetworkConfig]:
    """``make_config(carriers_toml, routing_toml="", decks={name: "44,GB,0.0100,,,0.0300,"})``."""

    def make(
        carriers: str, routing: str = "", decks: dict[str, str] | None = None
    ) -> NetworkConfig:
        for name, rows in (decks or {}).items():
            (tmp_path / f"{name}.csv").write_text(HEADER + rows.strip() + "\n")
        text = f"{routing}\n{carriers}"
        return parse_config(text, tmp_path / "carriers.toml")

    return make


DEFAULTS = {"asr": "0.5", "final_codes": "{ 480 = 1, 486 = 1 }"}


def carrier_table(name: str, *, extra: str = "") -> str:
    """A carrier table with a CSV deck of its own name, ASR 0.5 and no faults, unless ``extra``
    (more TOML lines for the table) says otherwise."""
    given = {line.split("=")[0].strip() for line in extra.splitlines() if "=" in line}
    defaults = "".join(f"{key} = {value}\n" for key, value in DEFAULTS.items() if key not in given)
    return f'\n[[carriers]]\nname = "{name}"\ndeck = "{name}.csv"\n{defaults}{extra}\n'


@pytest.fixture
def carrier() -> Callable[..., str]:
    """``carrier(name, extra="asr = 0.1")``: the TOML of one carrier (see ``carrier_table``)."""
    return carrier_table


@pytest.fixture(scope="session")
def sample() -> tuple[NetworkConfig, PrefixTable[Route]]:
    config = load_config(default_config_path())
    return config, SoftSwitch(config).routes
