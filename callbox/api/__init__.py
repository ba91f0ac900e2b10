"""Twilio's 2010-04-01 REST API over the platform's store: accounts, calls, messages, numbers,
applications, recordings and notifications, in Twilio's JSON shapes, behind HTTP Basic auth.

``create_api(context)`` gives the Starlette routes; ``callbox serve`` mounts them.
"""

from __future__ import annotations

from callbox.api.app import api_routes, create_api
from callbox.api.context import ApiContext, CallControl, MessageHook

__all__ = ["ApiContext", "CallControl", "MessageHook", "api_routes", "create_api"]
