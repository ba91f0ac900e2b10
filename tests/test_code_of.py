"""code_of: the code of an error a call meets, including one the registry lacks."""

from __future__ import annotations

from callbox import codes
from callbox.codes import code_of
from callbox.diagnostics import Severity


def test_registered_code_is_the_registry_entry() -> None:
    assert code_of("11200") is codes.lookup("11200")
    assert code_of(codes.CALLBACK_ERROR.id) is codes.CALLBACK_ERROR


def test_unregistered_code_is_still_an_error_with_its_id() -> None:
    code = code_of("98765")
    assert (code.id, code.symbol, code.severity, code.summary) == (
        "98765",
        "unregistered",
        Severity.ERROR,
        "98765",
    )
