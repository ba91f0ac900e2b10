"""Builders of ``<Pay>`` and its ``<Prompt>``."""

from __future__ import annotations

from callbox.markup import attributes as a
from callbox.markup import model as m
from callbox.markup.build.common import (
    BOOL,
    METHOD,
    PARAMETERS,
    TEXT,
    URL,
    ChildRule,
    element_builder,
    register,
)
from callbox.markup.build.voice import build_pause, build_play, build_say

PROMPT_CHILDREN = {
    "Say": ChildRule("children", build_say),
    "Play": ChildRule("children", build_play),
    "Pause": ChildRule("children", build_pause),
}
build_prompt = element_builder(
    m.Prompt,
    register(
        m.Prompt,
        {
            "for": a.choice(m.PromptFor),
            "errorType": a.choices(m.PromptErrorType),
            "cardType": a.choices(m.CardType),
            "attempt": a.integers(1),
            "requireMatchingInputs": BOOL,
        },
    ),
    children=PROMPT_CHILDREN,
    unknown_into="children",
)
build_pay = element_builder(
    m.Pay,
    register(
        m.Pay,
        {
            "input": a.choice(m.PayInput),
            "action": URL,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
            "timeout": a.seconds(1),
            "maxAttempts": a.integer(1),
            "securityCode": BOOL,
            "postalCode": a.bool_or_text,
            "minPostalCodeLength": a.integer(1),
            "paymentConnector": TEXT,
            "paymentMethod": a.choice(m.PaymentMethod),
            "bankAccountType": a.choice(m.BankAccountType),
            "tokenType": a.choice(m.TokenType),
            "chargeAmount": a.amount,
            "currency": TEXT,
            "description": TEXT,
            "validCardTypes": a.choices(m.CardType),
            "language": a.language_tag,
        },
    ),
    children={**PARAMETERS, "Prompt": ChildRule("prompts", build_prompt)},
)
