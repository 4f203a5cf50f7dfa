"""Organisers added in the bot, beyond ADMIN_IDS."""
