"""Launch data signed as Telegram signs it, for the dashboard's sign-in tests and browser tests."""

from __future__ import annotations

from datetime import datetime

from bot.dashboard.signin import launch_url, sign_launch_data

TEST_SIGNATURE = "a" * 86  # Telegram's Ed25519 `signature` field; part of the signed data

__all__ = ["TEST_SIGNATURE", "launch_url", "sign_init_data"]


def sign_init_data(
    bot_token: str,
    *,
    user_id: int,
    auth_date: datetime,
    first_name: str = "Olga",
    language_code: str | None = "de",
    with_signature: bool = True,
    extra: dict[str, str] | None = None,
) -> str:
    """`initData` as Telegram passes it to a Mini App opened by this user at `auth_date`."""
    return sign_launch_data(
        bot_token,
        user_id=user_id,
        first_name=first_name,
        language_code=language_code,
        auth_date=auth_date,
        signature=TEST_SIGNATURE if with_signature else None,
        extra={"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", **(extra or {})},
    )
