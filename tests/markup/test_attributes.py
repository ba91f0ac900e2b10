"""The attribute coercers: each turns good text into a typed value and bad text into a Problem."""

from __future__ import annotations

from typing import Any

import pytest

from callbox.markup import attributes as a
from callbox.markup.model import AUTO, CardType, GatherInput, HttpMethod, RecordingEvent, Trim


def refused(value: object) -> bool:
    return isinstance(value, a.Problem)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("false", False), ("TRUE", True)])
def test_boolean_reads_true_and_false(raw: str, expected: bool) -> None:
    assert a.boolean(raw) is expected


@pytest.mark.parametrize("raw", ["yes", "1", "", "truthy"])
def test_boolean_refuses_anything_else_and_says_what_it_expects(raw: str) -> None:
    problem = a.boolean(raw)
    assert isinstance(problem, a.Problem)
    assert "true or false" in problem.expected


def test_integer_reads_whole_numbers_within_bounds() -> None:
    coerce = a.integer(2, 250)
    assert coerce("2") == 2
    assert coerce(" 250 ") == 250
    assert [refused(coerce(raw)) for raw in ("1", "251", "abc", "2.5", "")] == [True] * 5


def test_integer_problem_names_the_bounds() -> None:
    problem = a.integer(2, 250)("900")
    assert isinstance(problem, a.Problem)
    assert "2" in problem.expected and "250" in problem.expected


@pytest.mark.parametrize("raw", ["9" * 16, "9" * 400, "9" * 5000, "-" + "9" * 5000])
def test_integer_refuses_more_digits_than_any_twiml_value_has(raw: str) -> None:
    problem = a.seconds(0)(raw)
    assert isinstance(problem, a.Problem)
    assert "at most 15 digits" in problem.expected
    assert a.seconds(0)("0" * 30 + "7") == 7  # leading zeros are not digits of the value


def test_seconds_names_the_unit_and_the_minimum() -> None:
    coerce = a.seconds(1)
    assert coerce("30") == 30
    problem = coerce("0")
    assert isinstance(problem, a.Problem)
    assert "seconds" in problem.expected and "at least 1" in problem.expected


def test_decimal_reads_numbers_in_range_and_refuses_nan() -> None:
    coerce = a.decimal(0.3, 0.9)
    assert coerce("0.5") == pytest.approx(0.5)
    assert [refused(coerce(raw)) for raw in ("0.1", "1", "nan", "inf", "x")] == [True] * 5


def test_auto_or_seconds_reads_auto_and_numbers() -> None:
    coerce = a.auto_or_seconds(0)
    assert coerce("auto") == AUTO
    assert coerce("3") == 3
    problem = coerce("soon")
    assert isinstance(problem, a.Problem) and "auto" in problem.expected


def test_choice_reads_wire_strings_into_enum_members() -> None:
    coerce = a.choice(Trim)
    assert coerce("do-not-trim") is Trim.DO_NOT_TRIM
    problem = coerce("Trim-Silence")
    assert isinstance(problem, a.Problem)
    assert "'trim-silence'" in problem.expected and "'do-not-trim'" in problem.expected


def test_choice_accepts_declared_legacy_aliases() -> None:
    coerce = a.choice(Trim, {"none": Trim.DO_NOT_TRIM})
    assert coerce("none") is Trim.DO_NOT_TRIM


def test_method_is_get_or_post_in_capitals() -> None:
    assert a.method("GET") is HttpMethod.GET
    assert a.method("POST") == "POST"
    assert refused(a.method("PUT"))
    assert refused(a.method("get"))


def test_choices_reads_a_space_separated_list_into_a_frozenset() -> None:
    coerce = a.choices(GatherInput)
    assert coerce("dtmf speech") == frozenset({GatherInput.DTMF, GatherInput.SPEECH})
    assert coerce("  speech ") == frozenset({GatherInput.SPEECH})


@pytest.mark.parametrize("raw", ["", "dtmf,speech", "dtmf voice"])
def test_choices_refuses_empty_lists_and_unknown_words(raw: str) -> None:
    assert refused(a.choices(RecordingEvent)(raw))


def test_integers_reads_a_list_of_whole_numbers() -> None:
    coerce = a.integers(1)
    assert coerce("1 2 3") == frozenset({1, 2, 3})
    assert refused(coerce("1 two"))
    assert refused(coerce("0"))


def test_digits_checks_alphabet_and_length() -> None:
    one_key = a.digits("0123456789*#", max_length=1, describe="one key")
    assert one_key("#") == "#"
    assert one_key("") == ""
    assert refused(one_key("12"))
    assert refused(one_key("a"))
    tones = a.digits("0123456789wW*#", min_length=1, describe="tones")
    assert tones("1234ww#") == "1234ww#"
    assert refused(tones(""))


def test_pattern_matches_the_whole_stripped_value() -> None:
    coerce = a.pattern(r"[0-9]+ms", "milliseconds")
    assert coerce(" 500ms ") == "500ms"
    assert refused(coerce("500ms later"))


@pytest.mark.parametrize(
    "raw", ["/menu", "menu?step=2", "https://example.com/a%20b", "", "http://x"]
)
def test_url_accepts_relative_and_http_urls(raw: str) -> None:
    assert a.url()(raw) == raw


@pytest.mark.parametrize("raw", ["ftp://example.com/a", "javascript:alert(1)", "http://x/a b"])
def test_url_refuses_other_schemes_and_blanks_inside(raw: str) -> None:
    assert refused(a.url()(raw))


def test_url_strips_surrounding_blanks() -> None:
    assert a.url()("\n  http://example.com/a.mp3\n") == "http://example.com/a.mp3"


def test_absolute_websocket_url_refuses_relative_and_http() -> None:
    coerce = a.url(("wss",), absolute=True)
    assert coerce("wss://example.com/stream") == "wss://example.com/stream"
    assert refused(coerce("/stream"))
    assert refused(coerce("https://example.com/stream"))


@pytest.mark.parametrize(
    "raw", ["+14155550100", "415-555-0100", "(415) 555 0100", "+44 20 7946 0958"]
)
def test_phone_number_accepts_e164_ish_numbers(raw: str) -> None:
    assert a.phone_number(raw) == raw


@pytest.mark.parametrize("raw", ["", "+", "call me", "+1234567890123456", "12", "sip:a@b"])
def test_phone_number_refuses_what_is_not_a_number(raw: str) -> None:
    problem = a.phone_number(raw)
    assert isinstance(problem, a.Problem) and "E.164" in problem.expected


def test_caller_id_accepts_client_identities() -> None:
    assert a.caller_id("client:alice") == "client:alice"
    assert a.caller_id("+14155550100") == "+14155550100"
    assert refused(a.caller_id("client:"))
    assert refused(a.caller_id("alice"))


def test_sip_caller_id_also_accepts_sip_users_and_uris() -> None:
    assert a.sip_caller_id("frontdesk") == "frontdesk"
    assert a.sip_caller_id("sip:desk@example.com") == "sip:desk@example.com"
    assert a.sip_caller_id("client:bob") == "client:bob"
    assert refused(a.sip_caller_id("front desk"))


def test_sip_uri_is_a_sip_or_sips_uri_or_a_user_at_host_address() -> None:
    assert a.sip_uri(" sip:alice@example.com ") == "sip:alice@example.com"
    assert a.sip_uri("sips:bob@example.com;transport=tls") == "sips:bob@example.com;transport=tls"
    assert a.sip_uri("kate@example.com") == "sip:kate@example.com"
    assert refused(a.sip_uri("https://pbx.example.com/alice"))
    assert refused(a.sip_uri("example.com"))
    assert refused(a.sip_uri("tel:+14155550100"))


def test_bool_or_text_keeps_fixed_values() -> None:
    assert a.bool_or_text("false") is False
    assert a.bool_or_text("94105") == "94105"
    assert refused(a.bool_or_text("  "))


def test_amount_is_a_non_negative_decimal() -> None:
    assert a.amount("10.50") == "10.50"
    assert refused(a.amount("-1"))
    assert refused(a.amount("ten"))


def test_non_empty_refuses_blank_values() -> None:
    assert a.non_empty(" phone_call ") == "phone_call"
    assert refused(a.non_empty(""))


@pytest.mark.parametrize(
    ("coerce", "raw"),
    [
        (a.language_tag, "en-US"),
        (a.language_tag, "cmn-Hans-CN"),
        (a.voice_name, "Polly.Joanna-Neural"),
        (a.voice_name, "Google.en-US-Chirp3-HD-Aoede"),
        (a.voice_name, "alice"),
    ],
)
def test_language_and_voice_accept_real_values(coerce: a.Coercer[Any], raw: str) -> None:
    assert coerce(raw) == raw


@pytest.mark.parametrize(
    ("coerce", "raw"),
    [(a.language_tag, "english"), (a.language_tag, "e"), (a.voice_name, "robot voice")],
)
def test_language_and_voice_refuse_nonsense(coerce: a.Coercer[Any], raw: str) -> None:
    assert refused(coerce(raw))


def test_coercers_never_fall_back_to_a_default_silently() -> None:
    samples: list[a.Coercer[Any]] = [
        a.boolean,
        a.integer(1),
        a.seconds(1),
        a.choice(CardType),
        a.choices(CardType),
        a.method,
        a.phone_number,
    ]
    assert all(refused(coerce("%%%")) for coerce in samples)
