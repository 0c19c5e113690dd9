"""Encrypted customer fields: AES-256-GCM at rest, key rotation, blind indexes, masks, reveal."""

import base64
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldError, PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.http import Http404

from forecourt.core.config import ConfigError, load_config, parse_field_keys
from forecourt.core.models import AuditEntry
from forecourt.core.security import actions as security_actions
from forecourt.core.security import encryption, masking, pii
from forecourt.core.security.fields import BlindIndexField
from forecourt.core.security.tests.encryption_app.models import Applicant

KEY_OLD = bytes(range(32))
KEY_NEW = bytes(range(32, 64))


@pytest.fixture
def keys(settings):
    def use(**keys: bytes) -> None:
        settings.FIELD_ENCRYPTION_KEYS = dict(keys)

    return use


@pytest.fixture
def applicant(rooftop):
    return Applicant.objects.create(
        rooftop=rooftop,
        name="Pat Buyer",
        ssn="123-45-6789",
        drivers_licence="D1234-5678-9012",
        date_of_birth=dt.date(1987, 6, 5),
        income=Decimal("85250.50"),
    )


def raw_columns(pk: int) -> dict[str, str | None]:
    columns = ["ssn", "drivers_licence", "date_of_birth", "income"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM security_testapp_applicant WHERE id = %s",  # noqa: S608 - fixed names
            [pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_values_round_trip_and_each_encryption_differs():
    first, second = encryption.encrypt("123-45-6789"), encryption.encrypt("123-45-6789")
    assert first != second  # a fresh nonce every time
    assert first.startswith(f"fc1:{encryption.current_key_id()}:")
    assert encryption.decrypt(first) == encryption.decrypt(second) == "123-45-6789"


def test_tampering_and_key_id_swaps_are_detected(keys):
    keys(new=KEY_NEW, old=KEY_OLD)
    token = encryption.encrypt("secret")
    version, kid, body = token.split(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(encryption.DecryptionError, match="tampered"):
        encryption.decrypt(f"{version}:{kid}:{base64.urlsafe_b64encode(bytes(raw)).decode()}")
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(f"{version}:old:{body}")  # the key id is authenticated too
    with pytest.raises(encryption.DecryptionError, match="not configured"):
        encryption.decrypt(f"{version}:gone:{body}")
    with pytest.raises(encryption.DecryptionError, match="not an encrypted value"):
        encryption.decrypt("123-45-6789")


def test_the_database_holds_only_ciphertext_and_python_sees_typed_values(applicant):
    stored = raw_columns(applicant.pk)
    for column, value in stored.items():
        assert value.startswith("fc1:"), column
    assert "6789" not in "".join(stored.values())
    assert "1987" not in "".join(stored.values())
    fresh = Applicant.objects.get(pk=applicant.pk)
    assert fresh.ssn == "123-45-6789"
    assert fresh.date_of_birth == dt.date(1987, 6, 5)
    assert fresh.income == Decimal("85250.50")


def test_empty_and_null_values_stay_empty(rooftop):
    blank = Applicant.objects.create(rooftop=rooftop, name="No data")
    assert raw_columns(blank.pk) == {
        "ssn": "",
        "drivers_licence": "",
        "date_of_birth": None,
        "income": None,
    }
    assert blank.ssn_index == ""
    assert Applicant.objects.filter(date_of_birth__isnull=True).get() == blank


def test_encrypted_columns_refuse_lookups_that_would_silently_miss(applicant):
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Applicant.objects.filter(ssn__exact="123-45-6789"))
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Applicant.objects.filter(income__gt=10))


def test_blind_indexes_find_exact_values_and_last_four(applicant, rooftop):
    other = Applicant.objects.create(rooftop=rooftop, name="Other", ssn="987-65-4321")
    by_full = BlindIndexField.lookup_value(Applicant, "ssn_index", "123 45 6789")
    by_last4 = BlindIndexField.lookup_value(Applicant, "ssn_last4_index", "6789")
    assert list(Applicant.objects.filter(ssn_index=by_full)) == [applicant]
    assert list(Applicant.objects.filter(ssn_last4_index=by_last4)) == [applicant]
    assert Applicant.objects.filter(ssn_index=by_full).exclude(pk=other.pk).count() == 1
    # A keyed hash: not the plain SHA-256 of the value; separate per index.
    assert len(applicant.ssn_index) == 64
    assert applicant.ssn_index != applicant.ssn_last4_index
    assert "6789" not in applicant.ssn_last4_index
    # Editing the value moves the index with it.
    applicant.ssn = "111-22-3333"
    applicant.save()
    assert not Applicant.objects.filter(ssn_index=by_full).exists()


def test_blind_index_depends_on_the_hash_key(applicant, settings):
    before = BlindIndexField.lookup_value(Applicant, "ssn_index", "123-45-6789")
    settings.FIELD_HASH_KEY = KEY_NEW
    assert BlindIndexField.lookup_value(Applicant, "ssn_index", "123-45-6789") != before


def test_masks_show_only_what_identifies():
    assert masking.mask_ssn("123-45-6789") == "***-**-6789"
    assert masking.mask_ssn("") == "***-**-****"
    assert masking.mask_tail("D1234-5678-9012") == "***********9012"
    assert masking.mask_tail("12") == "**"
    assert masking.mask_date(dt.date(1987, 6, 5)) == "**/**/1987"
    assert masking.mask_amount(Decimal("85250.50")) == "*****"
    assert masking.last_digits(4)("123-45-6789") == "6789"


def test_masked_display_uses_each_fields_mask(applicant):
    assert pii.masked(applicant, "ssn") == "***-**-6789"
    assert pii.masked(applicant, "drivers_licence") == "***********9012"
    assert pii.masked(applicant, "date_of_birth") == "**/**/1987"
    assert pii.masked(applicant, "income") == "*****"
    with pytest.raises(ValueError, match="not an encrypted field"):
        pii.masked(applicant, "name")


def test_reveal_is_permission_checked_and_audited(applicant, owner, salesperson):
    assert security_actions.reveal_field(owner, applicant, "ssn") == "123-45-6789"
    entry = AuditEntry.objects.get(action="reveal_field")
    assert entry.actor == owner
    assert entry.object_id == str(applicant.pk)
    assert entry.object_type == "security_testapp.applicant"
    assert entry.changes == {"ssn": ["(masked)", "(revealed)"]}
    assert "6789" not in str(entry.changes)
    with pytest.raises(PermissionDenied):
        security_actions.reveal_field(salesperson, applicant, "ssn")
    assert AuditEntry.objects.filter(action="reveal_field").count() == 1


def test_reveal_of_another_rooftops_customer_is_not_found(applicant, make_user, other_rooftop):
    outsider = make_user(rooftops=[other_rooftop])
    outsider.user_permissions.add(Permission.objects.get(codename="reveal_applicant"))
    with pytest.raises(Http404):
        security_actions.reveal_field(outsider, applicant, "ssn")
    assert not AuditEntry.objects.filter(action="reveal_field").exists()


def test_rotate_keys_re_encrypts_every_value_in_batches(keys, rooftop):
    keys(old=KEY_OLD)
    people = [
        Applicant.objects.create(
            rooftop=rooftop, name=f"P{n}", ssn=f"123-45-000{n}", income=Decimal(n)
        )
        for n in range(5)
    ]
    Applicant.objects.create(rooftop=rooftop, name="Blank")  # nothing to rotate
    keys(new=KEY_NEW, old=KEY_OLD)

    dry = io.StringIO()
    call_command("rotate_keys", "--dry-run", stdout=dry)
    assert "would re-encrypt 10 value(s)" in dry.getvalue()
    assert raw_columns(people[0].pk)["ssn"].startswith("fc1:old:")

    out = io.StringIO()
    call_command("rotate_keys", "--batch-size", "2", stdout=out)
    assert "security_testapp.Applicant: 6 row(s), re-encrypted 10 value(s)" in out.getvalue()
    for person in people:
        assert raw_columns(person.pk)["ssn"].startswith("fc1:new:")
        assert raw_columns(person.pk)["income"].startswith("fc1:new:")
    keys(new=KEY_NEW)  # the old key can now be dropped
    assert [p.ssn for p in Applicant.objects.exclude(name="Blank")] == [
        f"123-45-000{n}" for n in range(5)
    ]
    again = io.StringIO()
    call_command("rotate_keys", stdout=again)
    assert "re-encrypted 0 value(s)" in again.getvalue()


def test_dropping_a_key_before_rotating_is_an_error_not_silent_data(keys, rooftop):
    keys(old=KEY_OLD)
    person = Applicant.objects.create(rooftop=rooftop, name="P", ssn="123-45-6789")
    keys(new=KEY_NEW)
    with pytest.raises(encryption.DecryptionError, match="not configured"):
        Applicant.objects.get(pk=person.pk)


def test_new_field_key_prints_a_usable_key():
    out = io.StringIO()
    call_command("new_field_key", stdout=out)
    key = out.getvalue().strip()
    assert parse_field_keys(f"k1:{key}") == {"k1": base64.b64decode(key)}
    assert len(base64.b64decode(key)) == 32


def test_key_configuration_is_validated(monkeypatch):
    monkeypatch.setenv("FORECOURT_ENV", "development")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", "k1:" + base64.b64encode(b"short").decode())
    with pytest.raises(ConfigError, match="must decode to 32 bytes"):
        load_config()
    key = base64.b64encode(KEY_NEW).decode()
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", f"k1:{key},k1:{key}")
    with pytest.raises(ConfigError, match="appears twice"):
        load_config()
    monkeypatch.setenv(
        "FIELD_ENCRYPTION_KEYS", f"k2:{key}, k1:{base64.b64encode(KEY_OLD).decode()}"
    )
    config = load_config()
    assert list(config.effective_field_encryption_keys) == ["k2", "k1"]
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS")
    # The development default is stable across restarts (derived, not random).
    assert (
        load_config().effective_field_encryption_keys
        == load_config().effective_field_encryption_keys
    )


def test_production_refuses_to_start_without_keys(monkeypatch):
    monkeypatch.setenv("FORECOURT_ENV", "production")
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("FIELD_HASH_KEY", raising=False)
    with pytest.raises(ConfigError) as caught:
        load_config()
    problems = {variable for variable, _message, _example in caught.value.problems}
    assert {"FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY"} <= problems


def test_the_reveal_log_line_names_the_user(applicant, owner, caplog):
    caplog.set_level("INFO", logger="forecourt.security")
    security_actions.reveal_field(owner, applicant, "ssn")
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "pii_reveal"]
    assert record.user_id == owner.pk
    assert record.field == "ssn"
    assert record.object_id == str(applicant.pk)
