"""Records survive the trip to JSON-safe dictionaries and back unchanged."""

from __future__ import annotations

import dataclasses
import json

import pytest

from callbox.records import Call, Record
from callbox.store.codec import CodecError, from_dict, to_dict
from callbox.testing.records import RecordMaker


@pytest.mark.parametrize(
    "build", ["account", "call", "message", "number", "application", "recording", "notification"]
)
def test_every_kind_of_record_round_trips_through_json(build: str) -> None:
    record: Record = getattr(RecordMaker(), build)()
    data = json.loads(json.dumps(to_dict(record)))
    assert from_dict(type(record), data) == record


def test_unset_optional_fields_round_trip_as_null() -> None:
    call = dataclasses.replace(RecordMaker().call(), start_time=None, price=None, answered_by=None)
    assert from_dict(Call, to_dict(call)) == call


def test_stored_data_that_does_not_fit_the_record_is_a_codec_error() -> None:
    data = to_dict(RecordMaker().call())
    data["status"] = "exploded"
    with pytest.raises(CodecError):
        from_dict(Call, data)
