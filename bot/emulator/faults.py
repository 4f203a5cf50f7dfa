"""Fault injection: make the next calls of a Bot API method fail as Telegram's may.

Why: the bot's handling of 429 with ``retry_after``, 403 from a blocked user, a 400 on a
message, or a 5xx from Telegram can only be tested if the emulator fails on demand, for one
method and optionally one chat, a set number of times.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.emulator.model import ApiError, JSONDict, Stats, chat_key

_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class _Fault:
    method: str  # lower case, "*" for any
    chat_id: int | str | None
    error: ApiError
    remaining: int


class Faults:
    """The failures still to come, checked before every Bot API call."""

    def __init__(self, stats: Stats) -> None:
        self._stats = stats
        self._faults: list[_Fault] = []

    def add(
        self,
        method: str,
        *,
        chat_id: int | None,
        error_code: int,
        description: str | None,
        retry_after: int | None,
        times: int,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` ("*" = any), for ``chat_id`` only if
        given. 429 gets ``retry_after`` (default 1)."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = _DESCRIPTIONS.get(error_code, f"Error {error_code}")
        error = ApiError(error_code, description, retry_after=retry_after)
        self._faults.append(_Fault(method.lower(), chat_id, error, times))

    def raise_if_due(self, method: str, params: JSONDict) -> None:
        """Raise the first fault that matches this call, and count it off."""
        if not self._faults:
            return
        lowered = method.lower()
        chat = chat_key(params.get("chat_id"))
        for fault in self._faults:
            if fault.method not in ("*", lowered):
                continue
            if fault.chat_id is not None and fault.chat_id != chat:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            self._stats.injected_failures += 1
            raise ApiError(
                fault.error.error_code, fault.error.description, retry_after=fault.error.retry_after
            )
