"""The registry of diagnostic codes: Twilio's numbers where the meaning is the same, ``CF`` ones of ours.

Every diagnostic callbox reports names a code registered here, with a kebab-case symbol, a
severity and a one-line summary. Each code has a one-page explanation in
``callbox/explanations/<CODE>.md`` that ``callbox lint --explain CODE`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from callbox.diagnostics import Diagnostic, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Code:
    """A kind of finding. ``id`` is Twilio's number (``"12200"``) or ours (``"CF101"``)."""

    id: str
    symbol: str
    severity: Severity
    summary: str

    @property
    def is_twilio(self) -> bool:
        return self.id.isdigit()

    def diagnostic(
        self,
        message: str | None = None,
        *,
        line: int = 0,
        column: int = 0,
        path: str = "<string>",
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A finding of this kind; the message defaults to the summary."""
        return Diagnostic(
            code=self.id,
            symbol=self.symbol,
            severity=severity or self.severity,
            message=message or self.summary,
            path=path,
            line=line,
            column=column,
            hint=hint,
        )


class UnknownCodeError(KeyError):
    """A code or symbol that is not in the registry."""


CODES: dict[str, Code] = {}
_BY_SYMBOL: dict[str, Code] = {}


def register(id: str, symbol: str, severity: Severity, summary: str) -> Code:
    """Add a code to the registry; ids and symbols are unique."""
    if id in CODES or symbol in _BY_SYMBOL:
        raise ValueError(f"code {id} [{symbol}] registered twice")
    code = Code(id, symbol, severity, summary)
    CODES[id] = code
    _BY_SYMBOL[symbol] = code
    return code


def lookup(id_or_symbol: str) -> Code:
    """The code with this id (``12200``) or symbol (``schema-validation``)."""
    found = CODES.get(id_or_symbol.upper()) or _BY_SYMBOL.get(id_or_symbol.lower())
    if found is None:
        raise UnknownCodeError(id_or_symbol)
    return found


def code_of(code_id: str) -> Code:
    """The code of an error met at run time, by its id: a fetch or a check may report an id the
    registry lacks (an application's own), and it is still recorded, as an unregistered error."""
    try:
        return lookup(code_id)
    except UnknownCodeError:
        return Code(code_id, "unregistered", Severity.ERROR, code_id)


def explanation(code: Code) -> str:
    """The one-page explanation of a code (Markdown), or a line saying there is none."""
    page = resources.files("callbox.explanations").joinpath(f"{code.id}.md")
    if page.is_file():
        return page.read_text(encoding="utf-8")
    return f"{code.id} [{code.symbol}] ({code.severity}): {code.summary}\n"


# --- HTTP retrieval and the response itself (Twilio 11xxx) ---------------------------------------
INVALID_URL = register("11100", "invalid-url", ERROR, "Invalid URL format")
HTTP_RETRIEVAL_FAILURE = register(
    "11200", "http-retrieval-failure", ERROR, "HTTP retrieval failure"
)
HTTP_CONNECTION_FAILURE = register(
    "11205", "http-connection-failure", ERROR, "HTTP connection failure"
)
HTTP_BAD_HOST_NAME = register("11210", "http-bad-host-name", ERROR, "HTTP bad host name")
HTTP_TOO_MANY_REDIRECTS = register(
    "11215", "http-too-many-redirects", ERROR, "HTTP too many redirects"
)
HTTP_PROTOCOL_VIOLATION = register(
    "11206", "http-protocol-violation", ERROR, "HTTP protocol violation"
)
HTTP_ERROR_RESPONSE = register(
    "11217", "http-error-response", ERROR, "HTTP error response code (4xx or 5xx)"
)
URL_NOT_ALLOWED = register(
    "11230", "url-not-allowed", ERROR, "The URL's host is not one callbox may fetch"
)
RESPONSE_TOO_LARGE = register(
    "11750", "response-too-large", ERROR, "TwiML response body too large (over 64 KB)"
)
EMPTY_RESPONSE = register("11770", "empty-response-body", ERROR, "Empty response body")

# --- The document (Twilio 12xxx) -------------------------------------------------------------------
DOCUMENT_PARSE_FAILURE = register(
    "12100", "document-parse-failure", ERROR, "Document parse failure"
)
INVALID_VERSION = register("12101", "invalid-version", WARNING, "Invalid Twilio Markup XML version")
INVALID_ROOT = register("12102", "invalid-root", ERROR, "The root element must be <Response>")
SCHEMA_VALIDATION = register("12200", "schema-validation", WARNING, "Schema validation warning")
INVALID_CONTENT_TYPE = register("12300", "invalid-content-type", ERROR, "Invalid Content-Type")
INTERNAL_FAILURE = register("12400", "internal-failure", ERROR, "Internal failure")

# --- Verb attributes and nesting (Twilio 13xxx) ----------------------------------------------------
CONFERENCE_MIXED = register(
    "13000",
    "conference-mixed-with-numbers",
    WARNING,
    "<Conference> cannot be mixed with other nouns in one <Dial>",
)
DIAL_IN_WHISPER = register(
    "13201", "dial-in-dial-segment", ERROR, "Cannot <Dial> out from a <Dial> call segment"
)
DIAL_METHOD = register("13210", "dial-invalid-method", WARNING, "Dial: invalid method value")
DIAL_TIMEOUT = register("13212", "dial-invalid-timeout", WARNING, "Dial: invalid timeout value")
DIAL_HANGUP_ON_STAR = register(
    "13213", "dial-invalid-hangup-on-star", WARNING, "Dial: invalid hangupOnStar value"
)
DIAL_CALLER_ID = register(
    "13214", "dial-invalid-caller-id", WARNING, "Dial: invalid callerId value"
)
DIAL_NESTED = register(
    "13215", "dial-invalid-nested-element", WARNING, "Dial: invalid nested element"
)
DIAL_TIME_LIMIT = register(
    "13216", "dial-invalid-time-limit", WARNING, "Dial: invalid timeLimit value"
)
DIAL_RECORD = register("13217", "dial-invalid-record", WARNING, "Dial: invalid record value")
DIAL_SEQUENTIAL = register(
    "13218", "dial-invalid-sequential", WARNING, "Dial: invalid sequential value"
)
DIAL_ANSWER_ON_BRIDGE = register(
    "13219", "dial-invalid-answer-on-bridge", WARNING, "Dial: invalid answerOnBridge value"
)
DIAL_RING_TONE = register(
    "13220", "dial-invalid-ring-tone", WARNING, "Dial: invalid ringTone value"
)
NUMBER_METHOD = register("13221", "number-invalid-method", WARNING, "Dial->Number: invalid method")
NUMBER_SEND_DIGITS = register(
    "13222", "number-invalid-send-digits", WARNING, "Dial->Number: invalid sendDigits value"
)
NUMBER_FORMAT = register(
    "13223", "number-invalid-format", WARNING, "Dial: invalid phone number format"
)
CONFERENCE_MUTED = register(
    "13230", "conference-invalid-muted", WARNING, "Dial->Conference: invalid muted value"
)
CONFERENCE_END_ON_EXIT = register(
    "13231",
    "conference-invalid-end-on-exit",
    WARNING,
    "Dial->Conference: invalid endConferenceOnExit value",
)
CONFERENCE_START_ON_ENTER = register(
    "13232",
    "conference-invalid-start-on-enter",
    WARNING,
    "Dial->Conference: invalid startConferenceOnEnter value",
)
CONFERENCE_WAIT_URL = register(
    "13233", "conference-invalid-wait-url", WARNING, "Dial->Conference: invalid waitUrl"
)
CONFERENCE_WAIT_METHOD = register(
    "13234", "conference-invalid-wait-method", WARNING, "Dial->Conference: invalid waitMethod"
)
CONFERENCE_BEEP = register(
    "13235", "conference-invalid-beep", WARNING, "Dial->Conference: invalid beep value"
)
CONFERENCE_NAME = register(
    "13237", "conference-invalid-name", WARNING, "Dial->Conference: invalid conference name"
)
CONFERENCE_TRIM = register(
    "13239", "conference-invalid-trim", WARNING, "Dial->Conference: invalid trim value"
)
CONFERENCE_WAIT_VERB = register(
    "13238",
    "conference-invalid-wait-verb",
    WARNING,
    "Dial->Conference: the waitUrl TwiML uses a verb other than Play, Say, Pause or Redirect",
)
SIP_METHOD = register("13241", "sip-invalid-method", WARNING, "Dial->Sip: invalid method value")
SIP_URI = register("13243", "sip-invalid-uri", WARNING, "Dial->Sip: invalid SIP URI")
GATHER_FINISH_ON_KEY = register(
    "13310", "gather-invalid-finish-on-key", WARNING, "Gather: invalid finishOnKey value"
)
GATHER_METHOD = register("13312", "gather-invalid-method", WARNING, "Gather: invalid method value")
GATHER_TIMEOUT = register(
    "13313", "gather-invalid-timeout", WARNING, "Gather: invalid timeout value"
)
GATHER_NUM_DIGITS = register(
    "13314", "gather-invalid-num-digits", WARNING, "Gather: invalid numDigits value"
)
GATHER_NESTED = register(
    "13320", "gather-invalid-nested-verb", WARNING, "Gather: invalid nested verb"
)
GATHER_SAY_VOICE = register(
    "13321", "gather-say-invalid-voice", WARNING, "Gather->Say: invalid voice value"
)
GATHER_SAY_LOOP = register(
    "13322", "gather-say-invalid-loop", WARNING, "Gather->Say: invalid loop value"
)
GATHER_PLAY_CONTENT_TYPE = register(
    "13325", "gather-play-invalid-content-type", ERROR, "Gather->Play: invalid Content-Type"
)
GATHER_INPUT = register("13326", "gather-invalid-input", WARNING, "Gather: invalid input value")
GATHER_SPEECH_TIMEOUT = register(
    "13327", "gather-invalid-speech-timeout", WARNING, "Gather: invalid speechTimeout value"
)
GATHER_MAX_SPEECH_TIME = register(
    "13328", "gather-invalid-max-speech-time", WARNING, "Gather: invalid maxSpeechTime value"
)
GATHER_PARTIAL_METHOD = register(
    "13329",
    "gather-invalid-partial-result-callback-method",
    WARNING,
    "Gather: invalid partialResultCallbackMethod value",
)
GATHER_HINTS = register("13330", "gather-invalid-hints", WARNING, "Gather: invalid hints value")
GATHER_LANGUAGE = register(
    "13331", "gather-invalid-language", WARNING, "Gather: invalid language value"
)
GATHER_BARGE_IN = register(
    "13332", "gather-invalid-barge-in", WARNING, "Gather: invalid bargeIn value"
)
GATHER_PROFANITY_FILTER = register(
    "13333", "gather-invalid-profanity-filter", WARNING, "Gather: invalid profanityFilter value"
)
GATHER_SPEECH_MODEL = register(
    "13334", "gather-invalid-speech-model", WARNING, "Gather: invalid speechModel value"
)
GATHER_AUTO_WITH_DEFAULT_MODEL = register(
    "13335",
    "gather-auto-speech-timeout-with-default-model",
    WARNING,
    "Gather: speechTimeout 'auto' cannot be used with speechModel 'default'",
)
GATHER_ACTION_ON_EMPTY = register(
    "13338",
    "gather-invalid-action-on-empty-result",
    ERROR,
    "Gather: invalid actionOnEmptyResult value",
)
PLAY_LOOP = register("13410", "play-invalid-loop", WARNING, "Play: invalid loop value")
PLAY_CONTENT_TYPE = register(
    "13420", "play-invalid-content-type", ERROR, "Play: invalid Content-Type"
)
PLAY_DIGITS = register("13430", "play-invalid-digits", WARNING, "Play: invalid DTMF string")
SAY_LOOP = register("13510", "say-invalid-loop", WARNING, "Say: invalid loop value")
SAY_VOICE = register("13511", "say-invalid-voice", WARNING, "Say: invalid voice value")
SAY_LANGUAGE = register("13512", "say-invalid-language", WARNING, "Say: invalid language value")
SAY_EMPTY = register("13520", "say-invalid-text", WARNING, "Say: invalid text (empty)")
SAY_TOO_LONG = register(
    "13521", "say-text-too-long", WARNING, "Say: text exceeds the 4,096 character limit"
)
RECORD_METHOD = register("13610", "record-invalid-method", WARNING, "Record: invalid method value")
RECORD_TIMEOUT = register(
    "13611", "record-invalid-timeout", WARNING, "Record: invalid timeout value"
)
RECORD_MAX_LENGTH = register(
    "13612", "record-invalid-max-length", WARNING, "Record: invalid maxLength value"
)
RECORD_FINISH_ON_KEY = register(
    "13613", "record-invalid-finish-on-key", WARNING, "Record: invalid finishOnKey value"
)
RECORD_TRANSCRIBE = register(
    "13614", "record-invalid-transcribe", WARNING, "Record: invalid transcribe value"
)
RECORD_TRANSCRIBE_TOO_LONG = register(
    "13615",
    "record-max-length-too-high-for-transcription",
    WARNING,
    "Record: maxLength too high for transcription (over 120 seconds)",
)
RECORD_PLAY_BEEP = register(
    "13616", "record-invalid-play-beep", WARNING, "Record: invalid playBeep value"
)
RECORD_STATUS_EVENT = register(
    "13621",
    "record-invalid-status-callback-event",
    ERROR,
    "Record: invalid recordingStatusCallbackEvent value",
)
RECORD_TRIM = register("13699", "record-invalid-trim", WARNING, "Record: invalid trim value")
REDIRECT_METHOD = register(
    "13710", "redirect-invalid-method", WARNING, "Redirect: invalid method value"
)
VERB_NOT_SUPPORTED = register(
    "13750", "verb-not-supported", ERROR, "TwiML verb not supported by this engine"
)
REJECT_REASON = register("13810", "reject-invalid-reason", WARNING, "Reject: invalid reason value")
PAUSE_LENGTH = register("13910", "pause-invalid-length", WARNING, "Pause: invalid length value")

# --- Messaging (Twilio 14xxx, 21xxx) ---------------------------------------------------------------
MESSAGE_TO = register("14101", "message-invalid-to", WARNING, "Message: invalid 'to' attribute")
MESSAGE_FROM = register(
    "14102", "message-invalid-from", WARNING, "Message: invalid 'from' attribute"
)
MESSAGE_BODY = register("14103", "message-invalid-body", WARNING, "Message: invalid body")
MESSAGE_METHOD = register("14104", "message-invalid-method", WARNING, "Message: invalid method")
MESSAGE_STATUS_CALLBACK = register(
    "14105", "message-invalid-status-callback", WARNING, "Message: invalid statusCallback"
)
MESSAGE_RETRIEVAL_LIMIT = register(
    "14106",
    "message-document-retrieval-limit",
    ERROR,
    "Document retrieval limit reached (50 per reply session)",
)
MESSAGE_SEND_RATE = register(
    "14107",
    "message-send-rate-exceeded",
    ERROR,
    "More than 15 replies between one number pair in 30 seconds (runaway protection)",
)
MESSAGE_TOO_MANY_REPLIES = register(
    "14109", "message-too-many-replies", ERROR, "More than 10 <Message> replies in one response"
)
MESSAGE_INVALID_VERB = register(
    "14110", "messaging-invalid-verb", ERROR, "Invalid verb for a messaging response"
)
ENQUEUE_NAME_TOO_LONG = register(
    "14205", "enqueue-name-too-long", WARNING, "Enqueue: queue name longer than 64 characters"
)
QUEUE_FULL = register("14207", "queue-full", WARNING, "Enqueue: the queue is full")
START_NESTED = register("14300", "start-invalid-nested-noun", ERROR, "Start: invalid nested noun")

# --- Call progress and REST (Twilio 15xxx, 21xxx) --------------------------------------------------
CALLBACK_ERROR = register(
    "15003", "callback-error-response", WARNING, "Callback URL returned an HTTP error"
)
RELATIVE_URL_INLINE = register(
    "15004",
    "relative-url-without-base",
    ERROR,
    "Relative URL in a document that has no URL to resolve it against",
)
CALL_LOOP_LIMIT = register(
    "CF301",
    "call-loop-limit",
    ERROR,
    "The call hit its cap on documents (per call or in a row without caller input): an endless loop",
)
HOLD_VERB_NOT_ALLOWED = register(
    "CF302",
    "hold-verb-not-allowed",
    WARNING,
    "A hold document (an <Enqueue waitUrl>, a <Queue url>) uses a verb it may not use",
)
CONFERENCE_FULL = register(
    "CF303",
    "conference-full",
    WARNING,
    "The conference already has maxParticipants calls: the call could not join",
)
# --- callbox serve's refusals of HTTP requests (CF6xx) --------------------------------------------
SERVE_REQUEST_LIMIT = register("CF601", "request-limit", ERROR, "Request over a size or time limit")
SERVE_UNAUTHORIZED = register("CF602", "unauthorized", ERROR, "HTTP Basic credentials missing")
SERVE_BAD_SIGNATURE = register("CF603", "bad-signature", ERROR, "Bad X-Twilio-Signature")
SERVE_TEMPLATE_LIMIT = register("CF604", "template-limit", ERROR, "Template failed or hit a limit")
MESSAGE_BODY_TOO_LONG = register(
    "21617", "message-body-too-long", ERROR, "Message body exceeds 1,600 characters"
)
MESSAGE_TOO_MANY_MEDIA = register(
    "21623", "message-too-many-media", ERROR, "A message carries more than 10 media URLs"
)

# --- Sending and delivering messages (Twilio 21xxx at creation, 30xxx at delivery) -------------
MESSAGE_INVALID_TO_NUMBER = register(
    "21211",
    "message-to-invalid-number",
    ERROR,
    "The 'To' number is not a valid phone number",
)
MESSAGE_INVALID_FROM_NUMBER = register(
    "21212",
    "message-from-invalid-number",
    ERROR,
    "The 'From' number is not a valid phone number",
)
MESSAGE_REGION_NOT_ENABLED = register(
    "21408",
    "message-region-not-enabled",
    ERROR,
    "Permission to send an SMS to this region is not enabled",
)
MESSAGE_BODY_REQUIRED = register(
    "21602",
    "message-body-required",
    ERROR,
    "Message body is required",
)
MESSAGE_FROM_REQUIRED = register(
    "21603",
    "message-from-required",
    ERROR,
    "A 'From' number or a Messaging Service is required",
)
MESSAGE_TO_REQUIRED = register(
    "21604",
    "message-to-required",
    ERROR,
    "A 'To' number is required",
)
MESSAGE_FROM_NOT_CAPABLE = register(
    "21606",
    "message-from-not-capable",
    ERROR,
    "The 'From' number is not a valid, SMS-capable number",
)
MESSAGE_UNSUBSCRIBED_RECIPIENT = register(
    "21610",
    "message-unsubscribed-recipient",
    ERROR,
    "Attempt to send to an unsubscribed recipient",
)
MESSAGE_QUEUE_FULL = register(
    "21611",
    "message-queue-full",
    ERROR,
    "The sender has exceeded the maximum number of queued messages",
)
MESSAGE_TO_UNREACHABLE = register(
    "21612",
    "message-to-unreachable",
    ERROR,
    "The 'To' number is not currently reachable via SMS",
)
MESSAGE_TO_NOT_MOBILE = register(
    "21614",
    "message-to-not-mobile",
    ERROR,
    "The 'To' number is not a valid mobile number",
)
MESSAGING_SERVICE_NOT_FOUND = register(
    "21701",
    "messaging-service-not-found",
    ERROR,
    "The Messaging Service does not exist",
)
MESSAGE_QUEUE_OVERFLOW = register(
    "30001",
    "message-queue-overflow",
    ERROR,
    "Queue overflow: the message waited longer than its validity period",
)
MESSAGE_UNREACHABLE_HANDSET = register(
    "30003",
    "message-unreachable-handset",
    ERROR,
    "Unreachable destination handset",
)
MESSAGE_BLOCKED = register(
    "30004",
    "message-blocked",
    ERROR,
    "Message blocked",
)
MESSAGE_UNKNOWN_HANDSET = register(
    "30005",
    "message-unknown-handset",
    ERROR,
    "Unknown destination handset",
)
MESSAGE_LANDLINE = register(
    "30006",
    "message-landline",
    ERROR,
    "Landline or unreachable carrier",
)
MESSAGE_FILTERED = register(
    "30007",
    "message-filtered",
    ERROR,
    "Message filtered by the carrier",
)
MESSAGE_UNKNOWN_ERROR = register(
    "30008",
    "message-unknown-error",
    ERROR,
    "Unknown delivery error",
)

# --- callbox's own lint rules (CF) ----------------------------------------------------------------
WRONG_CASE_NAME = register(
    "CF001", "wrong-case-name", ERROR, "Element or attribute name in the wrong case"
)
BYTE_ORDER_MARK = register(
    "CF002", "byte-order-mark", WARNING, "The document starts with a byte-order mark"
)
DIALECT_MISMATCH = register(
    "CF003", "dialect-mismatch", ERROR, "A messaging verb in a voice document, or the reverse"
)
TEMPLATE_ERROR = register(
    "CF004",
    "template-error",
    ERROR,
    "A Jinja2 flow template (*.xml.j2) cannot be rendered: it serves no TwiML",
)
UNREACHABLE_VERB = register("CF101", "unreachable-verb", WARNING, "This verb can never run")
GATHER_WITHOUT_ACTION = register(
    "CF102",
    "gather-without-action",
    WARNING,
    "<Gather> has no action: input is posted to the current URL, which may loop",
)
RECORD_WITHOUT_ACTION = register(
    "CF103",
    "record-without-action",
    WARNING,
    "<Record> has no action: the recording is posted to the current URL, which may loop",
)
EMPTY_REDIRECT = register(
    "CF104",
    "empty-redirect",
    WARNING,
    "<Redirect> has no URL: it re-requests the current URL, which may loop",
)
REJECT_NOT_FIRST = register(
    "CF105",
    "reject-not-first",
    WARNING,
    "<Reject> is not the first verb: the call is already answered (and billed) when it runs",
)
TOO_MANY_DIAL_NOUNS = register(
    "CF201", "too-many-dial-nouns", WARNING, "More than 10 nouns ring in parallel in one <Dial>"
)
PROMPT_OUTSIDE_GATHER = register(
    "CF106",
    "prompt-outside-gather",
    WARNING,
    "An empty <Gather> is followed by the prompt: the caller hears it only after the Gather gave up",
)
FINISH_ON_KEY_INEFFECTIVE = register(
    "CF107",
    "finish-on-key-ineffective",
    WARNING,
    "<Gather numDigits='1'> submits on the first key: finishOnKey can never end an entry",
)
DIAL_TIMEOUT_OUT_OF_RANGE = register(
    "CF108",
    "dial-timeout-out-of-range",
    WARNING,
    "<Dial> timeout outside the 5-600 seconds Twilio accepts",
)
PLAY_NON_AUDIO_URL = register(
    "CF109", "play-non-audio-url", WARNING, "<Play> points at a file that is not audio"
)
REDIRECT_TO_SELF = register(
    "CF110",
    "redirect-to-self",
    WARNING,
    "<Redirect> requests this same document and nothing before it waits for the caller: an endless loop",
)
SMS_VERB_DEPRECATED = register(
    "CF111",
    "sms-verb-deprecated",
    WARNING,
    "<Sms> is deprecated by Twilio: reply with <Message>, or text during a call through the API",
)
PHONE_NUMBER_NOT_E164 = register(
    "CF112",
    "phone-number-not-e164",
    WARNING,
    "A phone number not written in E.164 (+14155550100): a style rule, off by default",
)
