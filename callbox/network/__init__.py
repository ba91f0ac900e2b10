"""The simulated network: carriers from a config, a rate deck of real E.164 prefixes, routing
by cost among the carriers good enough (pure functions in ``routing``), and the soft-switch
that runs calls and messages over them, learning each carrier's quality from outcomes. The
platform's call ``exchange`` runs REST-created and inbound calls and records them; how an outbound
call's far end behaves by number is in ``destinations``.
"""

from __future__ import annotations

from callbox.network.carriers import Carrier, Service
from callbox.network.config import NetworkConfig, default_config_path, load_config, parse_config
from callbox.network.deck import Route, build_routes
from callbox.network.errors import CarrierConfigError, NetworkError, NoRouteError, NumberError
from callbox.network.routing import Candidate, Decision
from callbox.network.switch import CallRouting, MessageRouting, SoftSwitch

__all__ = [
    "CallRouting",
    "Candidate",
    "Carrier",
    "CarrierConfigError",
    "Decision",
    "MessageRouting",
    "NetworkConfig",
    "NetworkError",
    "NoRouteError",
    "NumberError",
    "Route",
    "Service",
    "SoftSwitch",
    "build_routes",
    "default_config_path",
    "load_config",
    "parse_config",
]
