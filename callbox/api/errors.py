"""The API's errors: one ``ApiError`` carrying Twilio's code, message and HTTP status, and the
JSON body Twilio answers with (``{code, message, more_info, status}``)."""

from __future__ import annotations

from starlette.responses import JSONResponse

from callbox.records import more_info_url

# Twilio's REST error codes the API answers with, by meaning.
UNKNOWN_PARAMETER = 20001
"""An invalid value for a parameter without a code of its own."""
AUTHENTICATE = 20003
METHOD_NOT_ALLOWED = 20004
ACCOUNT_NOT_ACTIVE = 20005
NOT_FOUND = 20404
TO_REQUIRED = 21201
URL_REQUIRED = 21205
INVALID_URL = 21205
FROM_NOT_VERIFIED = 21210
INVALID_TO = 21211
INVALID_FROM = 21212
FROM_REQUIRED = 21213
TO_CANNOT_BE_REACHED = 21214
NO_INTERNATIONAL_PERMISSION = 21215
TO_BLOCKED = 21216
TO_NOT_VALID = 21217
INVALID_APPLICATION_SID = 21218
CALL_NOT_IN_PROGRESS = 21220
INVALID_PHONE_NUMBER = 21421
PHONE_NUMBER_NOT_AVAILABLE = 21422
NO_NUMBERS_IN_AREA_CODE = 21452
BODY_REQUIRED = 21602
MESSAGE_FROM_REQUIRED = 21603
MESSAGE_TO_REQUIRED = 21604
MESSAGE_FROM_NOT_CAPABLE = 21606
MESSAGE_QUEUE_FULL = 21611
MESSAGE_TO_CANNOT_BE_REACHED = 21612
MESSAGE_TO_NOT_MOBILE = 21614
MESSAGE_TO_UNSUBSCRIBED = 21610
MESSAGE_NO_INTERNATIONAL_PERMISSION = 21408
BODY_TOO_LONG = 21617
INVALID_MEDIA_URL = 21620
TOO_MANY_MEDIA = 21623
INLINE_TWIML_TOO_LONG = 32018


class ApiError(Exception):
    """A request the API refuses: Twilio's ``code``, a message, and the HTTP ``status``."""

    def __init__(self, code: int, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": more_info_url(self.code),
            "status": self.status,
        }

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if self.status == 401 else None
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


def not_found(path: str) -> ApiError:
    """Twilio's 404 for a resource that does not exist (or that these credentials cannot see)."""
    return ApiError(NOT_FOUND, f"The requested resource {path} was not found", 404)


def invalid(parameter: str, detail: str, code: int = UNKNOWN_PARAMETER) -> ApiError:
    """A 400 for one parameter's value."""
    return ApiError(code, f"Invalid {parameter}: {detail}", 400)
