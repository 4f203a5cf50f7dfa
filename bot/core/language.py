"""Which language to speak with a user."""

from __future__ import annotations

from bot.programme.model import Language


def resolve_language(chosen: str | None, telegram_code: str | None, default: Language) -> Language:
    """The user's explicit choice, else their Telegram app language (de…/en…), else the default."""
    if chosen in ("de", "en"):
        return chosen  # type: ignore[return-value]
    code = (telegram_code or "").lower()
    if code.startswith("de"):
        return "de"
    if code.startswith("en"):
        return "en"
    return default
