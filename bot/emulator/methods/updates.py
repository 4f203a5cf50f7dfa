"""The Bot API methods that hand updates to the bot: getUpdates and the webhook.

Why: how updates reach the bot decides ordering and redelivery - a long poll confirms
updates through its offset, a webhook only by a 2xx answer - and Telegram refuses to mix
the two (409). Both are served here from the one update queue of the state.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
from functools import partial
from urllib.parse import urlsplit

from bot.emulator.model import ApiError, JSONDict, MethodTable, bad_request
from bot.emulator.server import deliver_to_webhook
from bot.emulator.state import EmulatorState

_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def register(table: MethodTable, state: EmulatorState) -> None:
    """Add getUpdates and the webhook methods to the method table."""
    table.update(
        getUpdates=partial(get_updates, state),
        setWebhook=partial(set_webhook, state),
        deleteWebhook=partial(delete_webhook, state),
        getWebhookInfo=partial(get_webhook_info, state),
    )


async def get_updates(state: EmulatorState, p: JSONDict) -> list[JSONDict]:
    if state.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = int(p.get("offset") or 0)
    limit = min(max(int(p.get("limit") or 100), 1), 100)
    timeout = max(float(p.get("timeout") or 0), 0.0)
    if p.get("allowed_updates") is not None:
        allowed = p["allowed_updates"]
        state.allowed_updates = frozenset(allowed) if allowed else None
    queue = state.update_queue
    if offset > 0:
        while queue and queue[0]["update_id"] < offset:
            queue.popleft()
    elif offset < 0:
        while len(queue) > -offset:
            queue.popleft()

    # A new poll supersedes older ones (Telegram answers those with 409; we return []).
    state.poll_generation += 1
    generation = state.poll_generation
    state.wake_pollers()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if queue:
            return list(itertools.islice(queue, limit))
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0 or state.closing or generation != state.poll_generation:
            return []
        event = state.updates_arrived
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(remaining):
                await event.wait()


def set_webhook(state: EmulatorState, p: JSONDict) -> bool:
    url = str(p.get("url") or "")
    parsed = urlsplit(url)
    # Telegram only calls HTTPS; plain HTTP is allowed to loopback, where the tests run.
    local = parsed.scheme == "http" and parsed.hostname in _LOOPBACK
    if url and not (parsed.scheme == "https" or local):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get("secret_token")
    if secret is not None and not _SECRET_TOKEN_RE.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if p.get("allowed_updates") is not None:
        allowed = p["allowed_updates"]
        state.allowed_updates = frozenset(allowed) if allowed else None
    if p.get("drop_pending_updates"):
        state.update_queue.clear()
    if not url:
        return delete_webhook(state, {})
    state.webhook = {"url": url, "secret_token": secret}
    if state.webhook_task is None or state.webhook_task.done():
        state.webhook_task = asyncio.get_running_loop().create_task(deliver_to_webhook(state))
    state.wake_pollers()
    return True


def delete_webhook(state: EmulatorState, p: JSONDict) -> bool:
    state.webhook = None
    if p.get("drop_pending_updates"):
        state.update_queue.clear()
    state.wake_pollers()  # the delivery task notices and ends
    return True


def get_webhook_info(state: EmulatorState, p: JSONDict) -> JSONDict:
    info: JSONDict = {
        "url": (state.webhook or {}).get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(state.update_queue),
    }
    if state.allowed_updates is not None:
        info["allowed_updates"] = sorted(state.allowed_updates)
    return info
