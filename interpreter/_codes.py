"""The code of an error a call meets at run time, by its id: a fetch or a check may report an id
the registry lacks (an application's own), and it is still recorded, as an unregistered error."""

from __future__ import annotations

from callbox.markup import codes
from callbox.markup.codes import Code
from callbox.markup.diagnostics import Severity


def code_of(code_id: str) -> Code:
    try:
        return codes.lookup(code_id)
    except codes.UnknownCodeError:
        return Code(code_id, "unregistered", Severity.ERROR, code_id)
