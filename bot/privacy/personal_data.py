"""A person's stored data as one JSON document (/mydata): complete, readable, times in UTC.

The rows come from `storage.privacy`, table by table; this module only decides how they
read. Left out are two organisers' internals that say nothing about the person (`LEFT_OUT`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

SCHEMA_VERSION = 1

LEFT_OUT: Mapping[str, frozenset[str]] = {
    # Where a relayed question sits in the organisers' chat: ids of their group, not the asker's.
    "question_relays": frozenset({"organiser_chat_id", "organiser_message_id"}),
    # A sender's lease on a delivery, a moment of bookkeeping between bot processes.
    "outbox": frozenset({"claimed_until"}),
}
# Columns that hold JSON text: exported as the structure they hold, so they can be read.
JSON_COLUMNS: Mapping[str, frozenset[str]] = {
    "bot_state": frozenset({"data"}),
    "outbox": frozenset({"payload"}),
}


def plain(value: object) -> object:
    """A stored value as JSON can hold it: times as ISO 8601 in UTC, unknown types as text."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # stored naive means stored in UTC (storage.models.UTCDateTime)
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _decoded(value: object) -> object:
    if not isinstance(value, str):
        return plain(value)
    try:
        return json.loads(value)
    except ValueError:
        return value


def readable_row(table: str, row: Mapping[str, object]) -> dict[str, object]:
    left_out = LEFT_OUT.get(table, frozenset())
    json_columns = JSON_COLUMNS.get(table, frozenset())
    return {
        column: _decoded(value) if column in json_columns else plain(value)
        for column, value in row.items()
        if column not in left_out
    }


def build_export(
    user_id: int,
    tables: Mapping[str, Sequence[Mapping[str, object]]],
    exported_at: datetime,
    *,
    linked_organisation: str | None = None,
) -> dict[str, Any]:
    """The document: who, when, and every table's rows; empty tables show what could be there."""
    return {
        "schema_version": SCHEMA_VERSION,
        "telegram_user_id": user_id,
        "exported_at": plain(exported_at),
        "linked_organisation": linked_organisation,
        "tables": {
            table: [readable_row(table, row) for row in rows] for table, rows in tables.items()
        },
    }


def serialise(document: Mapping[str, Any]) -> bytes:
    """Pretty UTF-8 JSON: umlauts stay umlauts, so the file reads well in any text editor."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_filename(exported_at: datetime) -> str:
    return f"partnerbot-data-{exported_at.astimezone(UTC).date().isoformat()}.json"
