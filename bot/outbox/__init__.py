"""Bulk sending within Telegram's limits: queued messages, sent by one sender."""
