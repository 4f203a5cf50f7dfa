"""The /mydata document: complete, readable JSON, times in UTC, organisers' internals left out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from bot.privacy.personal_data import build_export, export_filename, serialise

BERLIN_SUMMER = timezone(timedelta(hours=2))
NOW = datetime(2025, 6, 2, 11, 30, tzinfo=BERLIN_SUMMER)


def export(tables: dict) -> dict:
    document = build_export(42, tables, NOW, linked_organisation="Stadtwerke Leipzig")
    return json.loads(serialise(document).decode("utf-8"))


def test_times_are_iso_8601_in_utc() -> None:
    document = export(
        {"users": [{"id": 42, "first_seen": datetime(2025, 6, 1, 12, 0, tzinfo=BERLIN_SUMMER)}]}
    )
    assert document["exported_at"] == "2025-06-02T09:30:00+00:00"
    assert document["tables"]["users"][0]["first_seen"] == "2025-06-01T10:00:00+00:00"


def test_every_table_is_there_even_when_empty() -> None:
    document = export({"users": [{"id": 42}], "registrations": [], "question_relays": []})
    assert document["telegram_user_id"] == 42
    assert document["linked_organisation"] == "Stadtwerke Leipzig"
    assert document["tables"] == {
        "users": [{"id": 42}],
        "registrations": [],
        "question_relays": [],
    }


def test_stored_json_is_exported_as_structure_and_broken_json_as_text() -> None:
    document = export(
        {
            "bot_state": [{"kind": "user_data", "data": '{"rsvp":{"name":"Jürgen"}}'}],
            "outbox": [{"id": 1, "payload": "not json"}, {"id": 2, "payload": None}],
        }
    )
    assert document["tables"]["bot_state"][0]["data"] == {"rsvp": {"name": "Jürgen"}}
    assert [row["payload"] for row in document["tables"]["outbox"]] == ["not json", None]


def test_text_columns_that_look_like_json_stay_text() -> None:
    document = export({"registrations": [{"name": "[1, 2]", "accessibility": "{}"}]})
    assert document["tables"]["registrations"][0] == {"name": "[1, 2]", "accessibility": "{}"}


def test_organisers_internals_are_left_out() -> None:
    document = export(
        {
            "question_relays": [
                {
                    "id": 3,
                    "question": "WLAN?",
                    "organiser_chat_id": -100,
                    "organiser_message_id": 7,
                }
            ],
            "outbox": [{"id": 1, "claimed_until": NOW, "state": "sent"}],
        }
    )
    assert document["tables"]["question_relays"] == [{"id": 3, "question": "WLAN?"}]
    assert document["tables"]["outbox"] == [{"id": 1, "state": "sent"}]


def test_the_file_is_pretty_utf_8_and_named_by_date() -> None:
    data = serialise(build_export(42, {"users": [{"first_name": "Jörg"}]}, NOW))
    assert "Jörg".encode() in data
    assert b'\n  "tables": {' in data
    assert export_filename(NOW) == "partnerbot-data-2025-06-02.json"
    assert export_filename(datetime(2025, 6, 2, 23, 30, tzinfo=UTC)) == (
        "partnerbot-data-2025-06-02.json"
    )
