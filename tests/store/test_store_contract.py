"""The behaviour every store backend shares: records come back as stored, listings are newest first
and page by a cursor that neither repeats nor skips, filters and account scoping hold."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from callbox.records import Call, CallStatus, IncomingPhoneNumber, Record, SidPrefix, new_sid
from callbox.store import (
    Condition,
    CursorError,
    DuplicateRecordError,
    Op,
    Query,
    QueryError,
    RecordNotFoundError,
    Store,
)
from callbox.testing.records import EPOCH, RecordMaker


def all_pages(store: Store, query: Query[Call], page_size: int) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = store.list(query, page_size=page_size, cursor=cursor)
        pages.append([c.sid for c in page.records])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_every_kind_of_record_comes_back_equal_to_what_was_created(
    store: Store, make: RecordMaker
) -> None:
    created: list[Record] = [
        make.account(),
        make.call(),
        make.message(),
        make.number(),
        make.application(),
        make.recording(),
        make.notification(),
    ]
    for record in created:
        assert store.create(record) == record
    for record in created:
        assert store.get(type(record), record.sid) == record
        assert store.get(type(record), record.sid, account_sid=make.account_sid) == record


def test_a_record_of_another_account_is_not_found(store: Store, make: RecordMaker) -> None:
    call = store.create(make.call())
    assert store.get(Call, call.sid, account_sid=new_sid(SidPrefix.ACCOUNT)) is None
    assert not store.delete(Call, call.sid, account_sid=new_sid(SidPrefix.ACCOUNT))
    assert store.get(Call, call.sid) == call


def test_an_unknown_sid_is_not_found(store: Store) -> None:
    assert store.get(Call, new_sid(SidPrefix.CALL)) is None
    assert not store.delete(Call, new_sid(SidPrefix.CALL))


def test_creating_a_sid_twice_is_refused(store: Store, make: RecordMaker) -> None:
    call = store.create(make.call())
    with pytest.raises(DuplicateRecordError):
        store.create(dataclasses.replace(call, to="+15550100002"))
    assert store.get(Call, call.sid) == call


def test_a_phone_number_is_held_by_one_record_only(store: Store, make: RecordMaker) -> None:
    first = store.create(make.number("+15550100001"))
    with pytest.raises(DuplicateRecordError):
        store.create(make.number("+15550100001"))
    second = store.create(make.number("+15550100002"))
    with pytest.raises(DuplicateRecordError):
        store.update(dataclasses.replace(second, phone_number=first.phone_number))
    assert store.get(IncomingPhoneNumber, second.sid) == second


def test_update_replaces_the_record_and_keeps_its_place(store: Store, make: RecordMaker) -> None:
    older = store.create(make.call(at=0))
    newer = store.create(make.call(at=1))
    ended = dataclasses.replace(older, status=CallStatus.CANCELED, duration=None, price=None)
    assert store.update(ended) == ended
    assert store.get(Call, older.sid) == ended
    listed = store.list(Query(Call)).records
    assert [c.sid for c in listed] == [newer.sid, older.sid]


def test_updating_a_record_that_is_not_stored_is_refused(store: Store, make: RecordMaker) -> None:
    with pytest.raises(RecordNotFoundError):
        store.update(make.call())


def test_delete_removes_the_record_and_its_audio(store: Store, make: RecordMaker) -> None:
    recording = store.create(make.recording())
    store.put_recording_audio(recording.sid, b"RIFF....WAVE")
    assert store.delete(type(recording), recording.sid)
    assert store.get(type(recording), recording.sid) is None
    assert store.recording_audio(recording.sid) is None
    assert not store.delete(type(recording), recording.sid)


def test_recording_audio_comes_back_as_put_and_can_be_replaced(
    store: Store, make: RecordMaker
) -> None:
    recording = store.create(make.recording())
    assert store.recording_audio(recording.sid) is None
    store.put_recording_audio(recording.sid, b"RIFF" + bytes(range(256)))
    assert store.recording_audio(recording.sid) == b"RIFF" + bytes(range(256))
    store.put_recording_audio(recording.sid, b"RIFF2")
    assert store.recording_audio(recording.sid) == b"RIFF2"


def test_listing_is_newest_created_first_even_within_one_second(
    store: Store, make: RecordMaker
) -> None:
    sids = [store.create(make.call(at=0)).sid for _ in range(5)]
    assert [c.sid for c in store.list(Query(Call)).records] == sids[::-1]


def test_pages_cover_every_record_once_and_the_last_page_says_so(
    store: Store, make: RecordMaker
) -> None:
    sids = [store.create(make.call(at=i)).sid for i in range(7)]
    pages = all_pages(store, Query(Call), page_size=3)
    assert pages == [sids[6:3:-1], sids[3:0:-1], sids[0:1]]


def test_a_full_last_page_has_no_next_cursor(store: Store, make: RecordMaker) -> None:
    for i in range(4):
        store.create(make.call(at=i))
    assert [len(p) for p in all_pages(store, Query(Call), page_size=2)] == [2, 2]


def test_a_cursor_neither_repeats_nor_skips_when_records_change_between_pages(
    store: Store, make: RecordMaker
) -> None:
    sids = [store.create(make.call(at=i)).sid for i in range(6)]
    first = store.list(Query(Call), page_size=2)
    assert first.next_cursor is not None
    store.create(make.call(at=99))  # newer: belongs before the first page
    store.delete(Call, sids[5])  # already read
    second = store.list(Query(Call), page_size=2, cursor=first.next_cursor)
    assert [c.sid for c in first.records] == [sids[5], sids[4]]
    assert [c.sid for c in second.records] == [sids[3], sids[2]]
    third = store.list(Query(Call), page_size=2, cursor=second.next_cursor)
    assert [c.sid for c in third.records] == [sids[1], sids[0]]
    assert third.next_cursor is None


def test_listing_is_scoped_to_the_account_asked_for(store: Store, make: RecordMaker) -> None:
    other = new_sid(SidPrefix.ACCOUNT)
    mine = store.create(make.call())
    theirs = store.create(make.call(account_sid=other))
    assert [c.sid for c in store.list(Query(Call, make.account_sid)).records] == [mine.sid]
    assert [c.sid for c in store.list(Query(Call, other)).records] == [theirs.sid]
    assert len(store.list(Query(Call)).records) == 2


def test_equality_filters_match_strings_and_enums_by_wire_value(
    store: Store, make: RecordMaker
) -> None:
    to_one = store.create(make.call(to="+15550100001"))
    to_two = store.create(make.call(to="+15550100002"))
    busy = store.create(dataclasses.replace(make.call(), status=CallStatus.BUSY))
    by_to = Query(Call, conditions=(Condition("to", Op.EQ, "+15550100002"),))
    assert [c.sid for c in store.list(by_to).records] == [to_two.sid]
    by_status = Query(Call, conditions=(Condition("status", Op.EQ, "busy"),))
    assert [c.sid for c in store.list(by_status).records] == [busy.sid]
    by_from = Query(Call, conditions=(Condition("from_", Op.EQ, "+15005550006"),))
    assert len(store.list(by_from).records) == 3
    no_parent = Query(Call, conditions=(Condition("parent_call_sid", Op.EQ, None),))
    assert {c.sid for c in store.list(no_parent).records} == {to_one.sid, to_two.sid, busy.sid}


def test_contains_matches_part_of_a_phone_number(store: Store, make: RecordMaker) -> None:
    store.create(make.number("+15550100001"))
    wanted = store.create(make.number("+15550177002"))
    query = Query(IncomingPhoneNumber, conditions=(Condition("phone_number", Op.CONTAINS, "177"),))
    assert [n.sid for n in store.list(query).records] == [wanted.sid]


def test_date_ranges_include_their_start_and_exclude_their_end(
    store: Store, make: RecordMaker
) -> None:
    calls = [store.create(make.call(at=3600 * i)) for i in range(4)]
    unstarted = store.create(dataclasses.replace(make.call(), start_time=None))
    window = (
        Condition("start_time", Op.GE, EPOCH + timedelta(hours=1)),
        Condition("start_time", Op.LT, EPOCH + timedelta(hours=3)),
    )
    found = [c.sid for c in store.list(Query(Call, conditions=window)).records]
    assert found == [calls[2].sid, calls[1].sid]
    after = (Condition("start_time", Op.GT, EPOCH + timedelta(hours=2)),)
    assert [c.sid for c in store.list(Query(Call, conditions=after)).records] == [calls[3].sid]
    upto = (Condition("start_time", Op.LE, EPOCH),)
    assert [c.sid for c in store.list(Query(Call, conditions=upto)).records] == [calls[0].sid]
    assert unstarted.sid not in found


def test_filters_and_paging_combine(store: Store, make: RecordMaker) -> None:
    wanted = [store.create(make.call(at=i, to="+15550100009")).sid for i in range(5)]
    for i in range(5):
        store.create(make.call(at=i, to="+15550100001"))
    query = Query(Call, conditions=(Condition("to", Op.EQ, "+15550100009"),))
    assert all_pages(store, query, page_size=2) == [wanted[4:2:-1], wanted[2:0:-1], wanted[0:1]]


def test_a_cursor_from_nowhere_is_refused(store: Store, make: RecordMaker) -> None:
    store.create(make.call())
    with pytest.raises(CursorError):
        store.list(Query(Call), cursor="not-a-cursor")


def test_a_cursor_for_another_kind_is_refused(store: Store, make: RecordMaker) -> None:
    for _ in range(2):
        store.create(make.number(f"+1555010000{_}"))
    page = store.list(Query(IncomingPhoneNumber), page_size=1)
    assert page.next_cursor is not None
    with pytest.raises(CursorError):
        store.list(Query(Call), cursor=page.next_cursor)


def test_a_condition_on_a_field_the_record_lacks_is_refused(store: Store) -> None:
    with pytest.raises(QueryError):
        store.list(Query(Call, conditions=(Condition("body", Op.EQ, "x"),)))


def test_a_page_size_below_one_is_refused(store: Store) -> None:
    with pytest.raises(QueryError):
        store.list(Query(Call), page_size=0)
