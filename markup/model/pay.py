"""``<Pay>`` and its ``<Prompt>``, with the enumerations of card and bank payments."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from callbox.markup.model.common import NOWHERE, HttpMethod, Parameter
from callbox.markup.model.voice import GatherChild
from callbox.markup.source import Position


class PayInput(StrEnum):
    DTMF = "dtmf"


class PaymentMethod(StrEnum):
    CREDIT_CARD = "credit-card"
    ACH_DEBIT = "ach-debit"


class BankAccountType(StrEnum):
    CONSUMER_CHECKING = "consumer-checking"
    CONSUMER_SAVINGS = "consumer-savings"
    COMMERCIAL_CHECKING = "commercial-checking"
    COMMERCIAL_SAVINGS = "commercial-savings"


class TokenType(StrEnum):
    ONE_TIME = "one-time"
    REUSABLE = "reusable"
    PAYMENT_METHOD = "payment-method"


class CardType(StrEnum):
    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    MAESTRO = "maestro"
    DISCOVER = "discover"
    OPTIMA = "optima"
    JCB = "jcb"
    DINERS_CLUB = "diners-club"
    ENROUTE = "enroute"


class PromptFor(StrEnum):
    PAYMENT_CARD_NUMBER = "payment-card-number"
    EXPIRATION_DATE = "expiration-date"
    SECURITY_CODE = "security-code"
    POSTAL_CODE = "postal-code"
    PAYMENT_PROCESSING = "payment-processing"
    BANK_ACCOUNT_NUMBER = "bank-account-number"
    BANK_ROUTING_NUMBER = "bank-routing-number"


class PromptErrorType(StrEnum):
    TIMEOUT = "timeout"
    INVALID_CARD_NUMBER = "invalid-card-number"
    INVALID_CARD_TYPE = "invalid-card-type"
    INVALID_DATE = "invalid-date"
    INVALID_SECURITY_CODE = "invalid-security-code"
    INVALID_POSTAL_CODE = "invalid-postal-code"
    INVALID_BANK_ROUTING_NUMBER = "invalid-bank-routing-number"
    INVALID_BANK_ACCOUNT_NUMBER = "invalid-bank-account-number"
    INTERNAL_ERROR = "internal-error"
    INPUT_MATCHING_FAILED = "input-matching-failed"


_DEFAULT_CARDS = frozenset({CardType.VISA, CardType.MASTERCARD, CardType.AMEX})


# --- Pay ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prompt:
    """``<Prompt>`` of ``<Pay>``: what to play for one step (``for_``) and outcome."""

    for_: PromptFor | None = None
    error_type: frozenset[PromptErrorType] = frozenset()
    card_type: frozenset[CardType] = frozenset()
    attempt: frozenset[int] = frozenset()
    require_matching_inputs: bool | None = None
    children: tuple[GatherChild, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Pay:
    """``<Pay>``: collect a payment. ``postal_code`` is a bool or a fixed postal code;
    ``token_type`` None lets Twilio choose from ``charge_amount``."""

    input: PayInput = PayInput.DTMF
    action: str | None = None
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    timeout: int = 5
    max_attempts: int = 1
    security_code: bool = True
    postal_code: bool | str = True
    min_postal_code_length: int | None = None
    payment_connector: str = "Default"
    payment_method: PaymentMethod = PaymentMethod.CREDIT_CARD
    bank_account_type: BankAccountType = BankAccountType.CONSUMER_CHECKING
    token_type: TokenType | None = None
    charge_amount: str | None = None
    currency: str = "usd"
    description: str | None = None
    valid_card_types: frozenset[CardType] = _DEFAULT_CARDS
    language: str = "en-US"
    prompts: tuple[Prompt, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)
