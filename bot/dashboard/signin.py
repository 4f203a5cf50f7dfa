"""Checking the launch data Telegram hands a Mini App (`initData`), as Telegram specifies it.

Telegram signs the launch data with a key derived from the bot token:
`secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)` and
`hash = hex(HMAC_SHA256(key=secret_key, msg=data_check_string))`, where the data-check string
is every field except `hash` (the newer `signature` included), sorted by name, as `name=value`
lines. This is a few lines of the standard library; python-telegram-bot has no such check and
no well-kept library is needed for it. Pure: the caller passes the token and the time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl, quote, urlencode

MAX_INIT_DATA = 4096  # characters; Telegram's launch data is far shorter


class Refusal(StrEnum):
    """Why launch data was refused; for the log only, never shown to the user."""

    MALFORMED = "malformed"
    MISSING_HASH = "missing_hash"
    BAD_SIGNATURE = "bad_signature"
    STALE = "stale"


class SigninError(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class LaunchUser:
    """Who opened the Mini App, as Telegram vouches for it."""

    id: int
    first_name: str
    language_code: str | None
    auth_date: datetime


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{name}={fields[name]}" for name in sorted(fields) if name != "hash")


def signature_of(fields: dict[str, str], bot_token: str) -> str:
    """The `hash` Telegram puts into launch data with these fields."""
    check = data_check_string(fields).encode()
    return hmac.new(secret_key(bot_token), check, hashlib.sha256).hexdigest()


def _fields(init_data: str) -> dict[str, str]:
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise SigninError(Refusal.MALFORMED)
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise SigninError(Refusal.MALFORMED) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):  # a field twice: which one was signed?
        raise SigninError(Refusal.MALFORMED)
    return fields


def check_init_data(
    init_data: str, bot_token: str, now: datetime, max_age: timedelta
) -> LaunchUser:
    """The user of genuine, recent launch data; SigninError for anything else."""
    fields = _fields(init_data)
    given = fields.get("hash")
    if not given:
        raise SigninError(Refusal.MISSING_HASH)
    # compare_digest: the time taken must not tell how much of a forged hash was right.
    if not hmac.compare_digest(given.encode(), signature_of(fields, bot_token).encode()):
        raise SigninError(Refusal.BAD_SIGNATURE)
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        user_id = user["id"]
        first_name = str(user.get("first_name") or "")
        language_code = user.get("language_code")
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise SigninError(Refusal.MALFORMED) from None
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise SigninError(Refusal.MALFORMED)
    age = now - auth_date
    # A launch from the future by more than a clock's drift is as suspect as an old one.
    if age > max_age or age < -timedelta(minutes=5):
        raise SigninError(Refusal.STALE)
    return LaunchUser(
        id=user_id,
        first_name=first_name,
        language_code=language_code if isinstance(language_code, str) else None,
        auth_date=auth_date,
    )


def language_hint(init_data: str) -> str | None:
    """The language code launch data claims, unchecked: only to word a refusal."""
    try:
        user = json.loads(dict(parse_qsl(init_data[:MAX_INIT_DATA])).get("user", ""))
        code = user.get("language_code") if isinstance(user, dict) else None
    except ValueError:
        return None
    return code if isinstance(code, str) else None


def sign_launch_data(
    bot_token: str,
    *,
    user_id: int,
    first_name: str,
    language_code: str | None,
    auth_date: datetime,
    signature: str | None = None,
    extra: dict[str, str] | None = None,
) -> str:
    """Launch data as Telegram signs it: for the console's local link, where no Telegram is."""
    user: dict[str, object] = {"id": user_id, "first_name": first_name, "is_bot": False}
    if language_code is not None:
        user["language_code"] = language_code
    fields = {
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(auth_date.timestamp())),
        **(extra or {}),
    }
    if signature is not None:
        fields["signature"] = signature
    fields["hash"] = signature_of(fields, bot_token)
    return urlencode(fields, quote_via=quote)


def launch_url(page_url: str, init_data: str, theme: dict[str, str] | None = None) -> str:
    """The page's address as Telegram opens it: `#tgWebAppData=…&tgWebAppVersion=…`."""
    params = {"tgWebAppData": init_data, "tgWebAppVersion": "8.0", "tgWebAppPlatform": "web"}
    if theme is not None:
        params["tgWebAppThemeParams"] = json.dumps(theme, separators=(",", ":"))
    return page_url + "#" + urlencode(params, quote_via=quote)
