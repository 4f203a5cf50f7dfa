"""The Bot API method that answers a button press: answerCallbackQuery.

Why: Telegram shows a spinner on the pressed button until the bot answers; an unanswered
press, a second answer or an answer text over 200 characters are bugs the tests must see.
"""

from __future__ import annotations

import time
from functools import partial

from bot.emulator.limits import MAX_CALLBACK_ANSWER_LENGTH
from bot.emulator.model import AnsweredCallback, JSONDict, MethodTable, bad_request
from bot.emulator.state import EmulatorState


def register(table: MethodTable, state: EmulatorState) -> None:
    """Add answerCallbackQuery to the method table."""
    table.update(answerCallbackQuery=partial(answer_callback_query, state))


def answer_callback_query(state: EmulatorState, p: JSONDict) -> bool:
    query_id = str(p.get("callback_query_id") or "")
    if query_id not in state.pending_callbacks:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = p.get("text")
    if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")
    del state.pending_callbacks[query_id]
    answer = AnsweredCallback(
        callback_query_id=query_id,
        text=None if text is None else str(text),
        show_alert=bool(p.get("show_alert")),
        url=p.get("url"),
        cache_time=p.get("cache_time"),
        time=time.time(),
    )
    state.answered_callbacks.append(answer)
    state.callback_answers[query_id] = answer
    state.stats.callback_answers += 1
    state.notify(("callback", query_id))
    state.emit("callback_answer", answer)
    return True
