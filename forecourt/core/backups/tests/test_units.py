"""Encryption format, retention policy and schedules: pure functions, no database."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

import pytest

from forecourt.core.backups import crypto
from forecourt.core.backups.retention import backups_to_keep
from forecourt.core.backups.storage import backup_time
from forecourt.core.schedules import parse_schedule

KEY = b"k" * 40


def encrypt(data: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    crypto.encrypt_stream(io.BytesIO(data), out, key)
    return out.getvalue()


def decrypt(data: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    crypto.decrypt_stream(io.BytesIO(data), out, key)
    return out.getvalue()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(crypto, "CHUNK_BYTES", 1000)


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000, 7777])
def test_encryption_round_trips_any_size_across_chunks(small_chunks, size):
    data = bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    sealed = encrypt(data)
    assert decrypt(sealed) == data
    assert size < 16 or data[:64] not in sealed


def test_each_archive_gets_its_own_salt():
    assert encrypt(b"same") != encrypt(b"same")


def test_wrong_key_fails():
    with pytest.raises(crypto.DecryptionError, match="BACKUP_ENCRYPTION_KEY"):
        decrypt(encrypt(b"secret data"), key=b"x" * 40)


def test_flipped_bit_fails(small_chunks):
    sealed = bytearray(encrypt(b"a" * 3000))
    sealed[1500] ^= 0x80
    with pytest.raises(crypto.DecryptionError):
        decrypt(bytes(sealed))


def test_dropping_the_last_chunk_is_detected(small_chunks):
    sealed = encrypt(b"b" * 2500)  # chunks of 1000, 1000, 500
    last_chunk = 4 + 500 + crypto.TAG_BYTES
    with pytest.raises(crypto.DecryptionError, match="truncated"):
        decrypt(sealed[:-last_chunk])


def test_reordered_chunks_are_detected(small_chunks):
    sealed = encrypt(b"c" * 1000 + b"d" * 1000 + b"e" * 10)
    header = len(crypto.MAGIC) + crypto.SALT_BYTES + 4
    chunk = 4 + 1000 + crypto.TAG_BYTES
    first, second = sealed[header : header + chunk], sealed[header + chunk : header + 2 * chunk]
    swapped = sealed[:header] + second + first + sealed[header + 2 * chunk :]
    with pytest.raises(crypto.DecryptionError):
        decrypt(swapped)


def test_appended_data_is_detected():
    with pytest.raises(crypto.DecryptionError, match="after its final chunk"):
        decrypt(encrypt(b"data") + b"junk")


def test_not_an_archive():
    with pytest.raises(crypto.DecryptionError, match="bad header"):
        decrypt(b"PK\x03\x04 a zip file")


def test_retention_keeps_newest_per_day_week_and_month(settings):
    settings.TIME_ZONE = "UTC"
    start = datetime(2027, 1, 1, 2, tzinfo=UTC)
    # Two backups a day (02:00 and 14:00) for 400 days.
    moments = [start + timedelta(hours=12 * n) for n in range(800)]
    keep = backups_to_keep(moments, daily=7, weekly=4, monthly=12)

    newest = max(moments)
    days = {m.date() for m in keep}
    assert newest in keep
    # 7 newest days, each by its newest (14:00) backup:
    assert sorted(days)[-7:] == [newest.date() - timedelta(days=d) for d in range(6, -1, -1)]
    assert all(m.time() == time(14) for m in keep)
    months = {(m.year, m.month) for m in keep}
    assert len(months) == 12
    weeks = {m.isocalendar()[:2] for m in keep}
    assert len(weeks) >= 4
    assert len(keep) <= 7 + 4 + 12
    # Everything older than the 12th month back is gone.
    assert min(keep) >= datetime(newest.year - 1, newest.month, 1, tzinfo=UTC)


def test_retention_with_fewer_backups_than_slots_keeps_them_all():
    moments = [datetime(2027, 5, d, 2, tzinfo=UTC) for d in (1, 2, 3)]
    assert backups_to_keep(moments, daily=7, weekly=4, monthly=12) == set(moments)


def test_backup_names_carry_their_time():
    assert backup_time("forecourt-20270102T030405Z-9f0e") == datetime(
        2027, 1, 2, 3, 4, 5, tzinfo=UTC
    )
    assert backup_time("notes.txt") is None
    assert backup_time("forecourt-2027-01-02") is None


def test_schedules_parse_and_find_their_slot(settings):
    settings.TIME_ZONE = "America/Chicago"
    daily = parse_schedule("02:30")
    # 07:00 UTC on 10 Mar 2027 is 01:00 in Chicago: the slot is the previous day's 02:30.
    slot = daily.latest_due(datetime(2027, 3, 10, 7, tzinfo=UTC))
    assert slot.isoformat() == "2027-03-09T02:30:00-06:00"
    slot = daily.latest_due(datetime(2027, 3, 10, 9, tzinfo=UTC))  # 03:00 local
    assert slot.isoformat() == "2027-03-10T02:30:00-06:00"

    every = parse_schedule("every 6h")
    assert every.latest_due(datetime(2027, 3, 10, 13, 59, tzinfo=UTC)) == datetime(
        2027, 3, 10, 12, tzinfo=UTC
    )
    assert parse_schedule("EVERY 15m").every == timedelta(minutes=15)


@pytest.mark.parametrize("text", ["", "daily", "25:00", "12:60", "every 0h", "every 5 weeks"])
def test_bad_schedules_are_refused(text):
    with pytest.raises(ValueError, match=r"schedule|time of day|at least 1"):
        parse_schedule(text)


def test_configuration_requires_a_backup_key_in_production_and_validates_the_schedule(monkeypatch):
    from forecourt.core.config import ConfigError, load_config

    monkeypatch.setenv("FORECOURT_ENV", "production")
    monkeypatch.setenv("BACKUP_SCHEDULE", "sometimes")
    monkeypatch.delenv("BACKUP_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ConfigError) as caught:
        load_config()
    problems = {variable: message for variable, message, _ in caught.value.problems}
    assert (
        problems["BACKUP_ENCRYPTION_KEY"]
        == "is required in production (backups are encrypted with it)"
    )
    assert "not a schedule" in problems["BACKUP_SCHEDULE"]

    monkeypatch.setenv("FORECOURT_ENV", "development")
    monkeypatch.setenv("BACKUP_SCHEDULE", "every 6h")
    monkeypatch.setenv("BACKUP_ENCRYPTION_KEY", "too-short")
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert [v for v, _, _ in caught.value.problems] == ["BACKUP_ENCRYPTION_KEY"]
