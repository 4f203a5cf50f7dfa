"""Telegram's launch data is taken only when genuine and recent, with or without `signature`."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.dashboard.signin import Refusal, SigninError, check_init_data, signature_of
from tests.dashboard_signing import sign_init_data

TOKEN = "123456:" + "A" * 35
NOW = datetime(2025, 6, 10, 15, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def refusal_of(init_data: str, now: datetime = NOW) -> Refusal:
    with pytest.raises(SigninError) as error:
        check_init_data(init_data, TOKEN, now, HOUR)
    return error.value.refusal


def resigned(init_data: str, **changes: str) -> str:
    """The fields changed but the old hash kept, as a forger would."""
    return urlencode({**dict(parse_qsl(init_data)), **changes})


@pytest.mark.parametrize("with_signature", [True, False])
def test_genuine_recent_launch_data_names_the_user(with_signature: bool) -> None:
    init_data = sign_init_data(
        TOKEN, user_id=4343, auth_date=NOW - timedelta(minutes=59), with_signature=with_signature
    )
    user = check_init_data(init_data, TOKEN, NOW, HOUR)
    assert (user.id, user.first_name, user.language_code) == (4343, "Olga", "de")


def test_the_hash_is_the_one_telegram_specifies() -> None:
    """Computed here from Telegram's description, not with the code under test."""
    fields = {"auth_date": "1749567600", "user": '{"id":1,"first_name":"A"}', "signature": "x"}
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields)).encode()
    key = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(key, check, hashlib.sha256).hexdigest()
    user = check_init_data(urlencode(fields), TOKEN, NOW, HOUR)
    assert user.id == 1


def test_tampered_fields_another_token_or_dropped_signature_are_refused() -> None:
    init_data = sign_init_data(TOKEN, user_id=4343, auth_date=NOW)
    assert refusal_of(resigned(init_data, user='{"id":1,"first_name":"Olga"}')) is (
        Refusal.BAD_SIGNATURE
    )
    assert refusal_of(resigned(init_data, auth_date=str(int(NOW.timestamp()) + 1))) is (
        Refusal.BAD_SIGNATURE
    )
    fields = dict(parse_qsl(init_data))
    del fields["signature"]  # `signature` is signed like every field but `hash`
    assert refusal_of(urlencode(fields)) is Refusal.BAD_SIGNATURE
    other = sign_init_data("654321:" + "B" * 35, user_id=4343, auth_date=NOW)
    assert refusal_of(other) is Refusal.BAD_SIGNATURE


def test_stale_and_future_launch_data_are_refused() -> None:
    assert (
        refusal_of(sign_init_data(TOKEN, user_id=1, auth_date=NOW - HOUR - timedelta(seconds=1)))
        is Refusal.STALE
    )
    assert (
        refusal_of(sign_init_data(TOKEN, user_id=1, auth_date=NOW + timedelta(hours=2)))
        is Refusal.STALE
    )


def test_a_missing_hash_is_refused() -> None:
    fields = dict(parse_qsl(sign_init_data(TOKEN, user_id=1, auth_date=NOW)))
    del fields["hash"]
    assert refusal_of(urlencode(fields)) is Refusal.MISSING_HASH


@pytest.mark.parametrize(
    "extra",
    [
        {"user": "not json"},
        {"user": '{"first_name":"no id"}'},
        {"user": '{"id":"7"}'},
        {"auth_date": "yesterday"},
    ],
)
def test_malformed_but_correctly_signed_fields_are_refused(extra: dict[str, str]) -> None:
    init_data = sign_init_data(TOKEN, user_id=1, auth_date=NOW, extra=extra)
    assert refusal_of(init_data) is Refusal.MALFORMED


@pytest.mark.parametrize("init_data", ["", "no-equals-sign", "a=1&a=2", "x" * 5000])
def test_garbage_is_malformed(init_data: str) -> None:
    assert refusal_of(init_data) is Refusal.MALFORMED


def test_missing_auth_date_is_malformed() -> None:
    fields = dict(parse_qsl(sign_init_data(TOKEN, user_id=1, auth_date=NOW)))
    del fields["auth_date"]
    fields["hash"] = signature_of(fields, TOKEN)
    assert refusal_of(urlencode(fields)) is Refusal.MALFORMED
