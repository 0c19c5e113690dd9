"""OFAC: the SDN file formats, name matching, the import command and screening records."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.compliance import actions, ofac
from forecourt.customers.models import Customer, OfacEntry, OfacList, OfacScreening, OfacStatus
from forecourt.customers.tests.compliance_factories import make_customer

FIXTURES = Path(__file__).parent / "fixtures"
SDN = FIXTURES / "sdn.csv"
ALIASES = FIXTURES / "alt.csv"


def _lines(text: str) -> list[str]:
    return io.StringIO(text).readlines()


# --- parsing -----------------------------------------------------------------------------


def test_parser_reads_quotes_empty_markers_and_the_end_of_file_character():
    records = list(ofac.parse_sdn(SDN.read_text(encoding="utf-8").splitlines(keepends=True)))
    assert [r.ent_num for r in records] == list(range(1001, 1011))
    first = records[0]
    assert first.name == "KARIMOV, Rustam Aliyevich"
    assert first.sdn_type == "individual"
    assert first.program == "SDGT"
    entity = records[3]
    assert entity.name == "NORTHWIND MARITIME TRADING CO., LTD."  # comma inside quotes
    assert entity.sdn_type == ""  # "-0- " is no value
    assert records[6].remarks == 'a.k.a. "Big Chidi" (invented test entry).'  # doubled quotes


def test_alias_parser_reads_the_five_columns():
    aliases = list(ofac.parse_aliases(ALIASES.read_text().splitlines(keepends=True)))
    assert [(a.ent_num, a.alt_type, a.name) for a in aliases[:2]] == [
        (1001, "aka", "KARIMOV, Rustam"),
        (1002, "aka", "LOPEZ, Majo"),
    ]
    assert aliases[0].remarks == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('1,"SMITH, John","individual"\n', "line 1: expected 12 columns, found 3"),
        ('x1,"SMITH, John",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n', "'x1' is not a number"),
        ("1,-0- ,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n", r"the name \(column 2\) is empty"),
        ('1,"SMITH, John,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n', "sdn.csv, line"),
    ],
)
def test_malformed_sdn_rows_are_refused_with_the_line(text, message):
    with pytest.raises(ofac.OfacFileError, match=message):
        list(ofac.parse_sdn(_lines(text)))


def test_malformed_alias_rows_are_refused():
    with pytest.raises(ofac.OfacFileError, match=r"alt.csv, line 2: expected 5 columns"):
        list(ofac.parse_aliases(_lines('1,1,"aka","A B","-0-"\n1,2,"aka"\n')))


# --- matching ------------------------------------------------------------------------------


def test_normalisation_ignores_case_accents_punctuation_order_and_company_forms():
    assert ofac.normalize_name("MÜLLER, Jürgen") == ofac.normalize_name("jurgen muller")
    assert ofac.normalize_name("GARCIA-LOPEZ, María José") == "garcia jose lopez maria"
    assert ofac.normalize_name("Northwind Maritime Trading Co., Ltd.") == (
        "maritime northwind trading"
    )
    assert ofac.normalize_name("Dr. Ivan Petrov") == "ivan petrov"


@pytest.mark.parametrize(
    ("customer_name", "sdn_name"),
    [
        ("Rustam Karimov", "KARIMOV, Rustam"),  # word order
        ("Jurgen Muller", "MÜLLER, Jürgen"),  # accents
        ("Muhammad Abdel Al Rahman", "AL-RAHMAN, Mohammed Abdel"),  # transliteration
        ("Ivan Petrov", "PETROV, Ivan Sergeyevich"),  # patronymic missing
        ("Maria Jose Garcia Lopes", "GARCIA LOPEZ, Maria Jose"),  # typo
        ("Chidi Okonkwo", "OKONKWO, Chidi Emmanuel"),  # middle name missing
    ],
)
def test_variants_of_a_listed_name_score_at_or_above_the_threshold(customer_name, sdn_name):
    score = ofac.score_names(ofac.normalize_name(customer_name), ofac.normalize_name(sdn_name))
    assert score >= ofac.MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("customer_name", "sdn_name"),
    [
        ("Jose Garcia", "GARCIA LOPEZ, Maria Jose"),  # shares surname and a first name only
        ("Ivan Smith", "PETROV, Ivan Sergeyevich"),  # same first name
        ("Wei Chen", "ZHANG, Wei"),
        ("Rosa Karimova Jones", "KARIMOV, Rustam Aliyevich"),
    ],
)
def test_different_people_score_below_the_threshold(customer_name, sdn_name):
    score = ofac.score_names(ofac.normalize_name(customer_name), ofac.normalize_name(sdn_name))
    assert score < ofac.MATCH_THRESHOLD


# --- import ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_loads_entries_and_aliases_and_makes_the_list_current():
    out = io.StringIO()
    call_command(
        "ofac_import", str(SDN), aliases=str(ALIASES), list_version="2026-11-20", stdout=out
    )
    sdn_list = OfacList.objects.get()
    assert sdn_list.version == "2026-11-20"
    assert sdn_list.is_current
    assert sdn_list.entry_count == 15  # 10 names + 5 aliases
    assert "15 names" in out.getvalue()
    alias = OfacEntry.objects.get(name="ABDELRAHMAN, Muhammad")
    assert alias.is_alias
    assert alias.ent_num == 1003
    assert alias.program == "SDGT] [IRGC"  # the primary's program
    assert alias.normalized_name == "abdelrahman muhammad"
    entry = AuditEntry.objects.get(action="customers.ofac_import")
    assert entry.actor_label == "system"
    assert entry.changes["entry_count"] == [None, 15]


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(tmp_path):
    call_command("ofac_import", str(SDN), stdout=io.StringIO())
    out = io.StringIO()
    call_command("ofac_import", str(SDN), stdout=out)
    assert OfacList.objects.count() == 1
    assert OfacEntry.objects.count() == 10
    assert "nothing changed" in out.getvalue()


@pytest.mark.django_db
def test_a_newer_list_replaces_the_current_one_and_the_old_one_stays(tmp_path):
    call_command("ofac_import", str(SDN), list_version="old", stdout=io.StringIO())
    newer = tmp_path / "sdn.csv"
    newer.write_text(
        SDN.read_text(encoding="utf-8").replace("ZHANG, Wei", "ZHANG, Wei Ming"), encoding="utf-8"
    )
    call_command("ofac_import", str(newer), list_version="new", stdout=io.StringIO())
    assert list(OfacList.objects.order_by("version").values_list("version", "is_current")) == [
        ("new", True),
        ("old", False),
    ]
    assert OfacEntry.objects.filter(sdn_list__version="old").count() == 10
    # Re-importing the old file makes it the list in force again, without a copy.
    call_command("ofac_import", str(SDN), stdout=io.StringIO())
    assert OfacList.objects.get(is_current=True).version == "old"
    assert OfacList.objects.count() == 2


@pytest.mark.django_db
def test_a_malformed_file_imports_nothing(tmp_path):
    bad = tmp_path / "sdn.csv"
    good_line = SDN.read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(good_line + '\n1002,"ONLY, Three",individual\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"Nothing imported: sdn.csv, line 2: expected 12"):
        call_command("ofac_import", str(bad), stdout=io.StringIO())
    assert not OfacList.objects.exists()
    assert not OfacEntry.objects.exists()


@pytest.mark.django_db
def test_an_alias_of_an_unknown_entry_is_refused(tmp_path):
    aliases = tmp_path / "alt.csv"
    aliases.write_text('4242,1,"aka","NOBODY, Known","-0- "\n', encoding="utf-8")
    with pytest.raises(CommandError, match="alias of ent_num 4242"):
        call_command("ofac_import", str(SDN), aliases=str(aliases), stdout=io.StringIO())
    assert not OfacList.objects.exists()


@pytest.mark.django_db
def test_a_windows_1252_file_is_read(tmp_path):
    legacy = tmp_path / "sdn.csv"
    legacy.write_bytes(SDN.read_text(encoding="utf-8").encode("cp1252"))
    call_command("ofac_import", str(legacy), stdout=io.StringIO())
    assert OfacEntry.objects.filter(name="MÜLLER, Jürgen").exists()


@pytest.mark.django_db
def test_a_binary_file_is_a_clear_error(tmp_path):
    binary = tmp_path / "sdn.csv"
    binary.write_bytes(b"1,\x81\x8d\xff\n")
    with pytest.raises(CommandError, match="not text in UTF-8 or Windows-1252"):
        call_command("ofac_import", str(binary), stdout=io.StringIO())
    assert not OfacList.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="no such file"):
        call_command("ofac_import", "/nonexistent/sdn.csv", stdout=io.StringIO())


# --- screening -------------------------------------------------------------------------------


@pytest.fixture
def sdn_list(db):
    ofac_list = actions.import_sdn_list(None, SDN, aliases_path=ALIASES, version="test").sdn_list
    return ofac_list


@pytest.mark.django_db
def test_screening_a_listed_name_records_a_possible_match(sdn_list, salesperson, rooftop):
    customer = make_customer(rooftop, first_name="Rustam", last_name="Karimov")
    screening = actions.screen_customer(salesperson, customer)
    customer.refresh_from_db()
    assert customer.ofac_status == OfacStatus.POSSIBLE_MATCH
    assert customer.ofac_list_version == "test"
    assert customer.ofac_screened_at == screening.screened_at
    assert ofac.delivery_blocked(customer)
    assert screening.result == OfacStatus.POSSIBLE_MATCH
    assert screening.best_score == Decimal("100.00")
    assert screening.sdn_list == sdn_list
    assert screening.screened_by == salesperson
    assert screening.matches[0]["ent_num"] == 1001
    assert screening.matches[0]["name"] in {"KARIMOV, Rustam", "KARIMOV, Rustam Aliyevich"}
    entry = AuditEntry.objects.get(action="customers.ofac_screen")
    assert entry.changes["ofac_status"] == ["not_screened", "possible_match"]
    assert entry.changes["matched_ent_nums"] == [None, [1001]]


@pytest.mark.django_db
def test_screening_an_unlisted_name_is_clear_with_its_best_score(sdn_list, salesperson, rooftop):
    customer = make_customer(rooftop, first_name="Dorothy", last_name="Vaughan")
    screening = actions.screen_customer(salesperson, customer)
    customer.refresh_from_db()
    assert customer.ofac_status == OfacStatus.CLEAR
    assert screening.matches == []
    assert screening.best_score < ofac.MATCH_THRESHOLD
    assert not ofac.delivery_blocked(customer)


@pytest.mark.django_db
def test_businesses_are_screened_by_name_and_vessels_are_never_matched(
    sdn_list, salesperson, rooftop
):
    business = make_customer(rooftop, kind="business", business_name="Northwind Shipping, L.L.C.")
    assert actions.screen_customer(salesperson, business).result == OfacStatus.POSSIBLE_MATCH
    named_like_a_ship = make_customer(rooftop, first_name="Sea", last_name="Harmony")
    assert actions.screen_customer(salesperson, named_like_a_ship).result == OfacStatus.CLEAR


@pytest.mark.django_db
def test_screening_without_a_list_is_refused(salesperson, rooftop):
    customer = make_customer(rooftop, first_name="Ada", last_name="Lovelace")
    with pytest.raises(ValidationError, match="No OFAC list"):
        actions.screen_customer(salesperson, customer)
    assert actions.screen_after_change(salesperson, customer) is None


@pytest.mark.django_db
def test_screening_needs_the_change_permission_and_the_rooftop(
    sdn_list, make_user, rooftop, other_rooftop
):
    customer = make_customer(rooftop, first_name="Ada", last_name="Lovelace")
    with pytest.raises(PermissionDenied):
        actions.screen_customer(make_user(Role.READ_ONLY), customer)
    with pytest.raises(PermissionDenied):
        actions.screen_customer(make_user(Role.SALESPERSON, rooftops=[other_rooftop]), customer)
    assert not OfacScreening.objects.exists()


@pytest.mark.django_db
def test_a_manager_clears_a_possible_match_with_a_reason(sdn_list, salesperson, make_user, rooftop):
    customer = make_customer(rooftop, first_name="Ivan", last_name="Petrov")
    actions.screen_customer(salesperson, customer)
    with pytest.raises(PermissionDenied):
        actions.clear_ofac_match(salesperson, customer, reason="Different date of birth.")
    manager = make_user(Role.SALES_MANAGER)
    with pytest.raises(ValidationError) as missing:
        actions.clear_ofac_match(manager, customer, reason="")
    assert "reason" in missing.value.message_dict
    cleared = actions.clear_ofac_match(manager, customer, reason="DOB 1990, SDN entry born 1965.")
    assert cleared.ofac_status == OfacStatus.CLEARED
    assert cleared.ofac_cleared_by == manager
    assert cleared.ofac_cleared_at is not None
    assert not ofac.delivery_blocked(cleared)
    entry = AuditEntry.objects.get(action="customers.ofac_clear")
    assert entry.actor == manager
    assert entry.changes == {
        "ofac_status": ["possible_match", "cleared"],
        "reason": [None, "DOB 1990, SDN entry born 1965."],
    }
    with pytest.raises(ValidationError, match="Only a possible"):
        actions.clear_ofac_match(manager, customer, reason="Cleared twice.")


@pytest.mark.django_db
def test_a_clearance_survives_rescreening_until_a_new_record_matches(
    sdn_list, salesperson, make_user, rooftop
):
    customer = make_customer(rooftop, first_name="Ivan", last_name="Petrov")
    actions.screen_customer(salesperson, customer)
    actions.clear_ofac_match(make_user(Role.SALES_MANAGER), customer, reason="Different person.")
    again = actions.screen_customer(salesperson, customer)
    customer.refresh_from_db()
    assert again.result == OfacStatus.POSSIBLE_MATCH  # the record says what was found
    assert customer.ofac_status == OfacStatus.CLEARED  # the manager's decision stands
    Customer.objects.filter(pk=customer.pk).update(first_name="Wei", last_name="Zhang")
    customer.refresh_from_db()
    actions.screen_customer(salesperson, customer)
    customer.refresh_from_db()
    assert customer.ofac_status == OfacStatus.POSSIBLE_MATCH


@pytest.mark.django_db
def test_screen_after_change_updates_the_callers_instance(sdn_list, salesperson, rooftop):
    customer = make_customer(rooftop, first_name="Jurgen", last_name="Muller")
    version = customer.version
    screening = actions.screen_after_change(salesperson, customer)
    assert screening is not None
    assert customer.ofac_status == OfacStatus.POSSIBLE_MATCH
    assert customer.version == version + 1


@pytest.mark.django_db
def test_a_new_list_is_used_without_restarting(sdn_list, salesperson, rooftop, tmp_path):
    customer = make_customer(rooftop, first_name="Dorothy", last_name="Vaughan")
    assert actions.screen_customer(salesperson, customer).result == OfacStatus.CLEAR
    newer = tmp_path / "sdn.csv"
    newer.write_text(
        SDN.read_text(encoding="utf-8").replace("ZHANG, Wei", "VAUGHAN, Dorothy"),
        encoding="utf-8",
    )
    actions.import_sdn_list(None, newer, version="newer")
    screening = actions.screen_customer(salesperson, customer)
    assert screening.result == OfacStatus.POSSIBLE_MATCH
    assert screening.sdn_list.version == "newer"


@pytest.mark.django_db
def test_screening_a_12k_list_scores_only_the_prefiltered_candidates(salesperson, rooftop):
    sdn_list = OfacList.objects.create(version="big", source_name="x", sha256="0", is_current=True)
    first = ["Amir", "Boris", "Carlos", "Dmitri", "Elena", "Farid", "Gustavo", "Hana"]
    last = ["Abbasi", "Borisov", "Castro", "Demir", "Esfahani", "Fuentes", "Gomez", "Haddad"]
    OfacEntry.objects.bulk_create(
        OfacEntry(
            sdn_list=sdn_list,
            ent_num=n,
            name=f"{last[n % 8]}{n}, {first[(n // 8) % 8]}",
            normalized_name=ofac.normalize_name(f"{last[n % 8]}{n}, {first[(n // 8) % 8]}"),
            sdn_type="individual",
        )
        for n in range(1, 12001)
    )
    index = ofac._load_index(sdn_list)
    candidates = index.candidates(ofac.normalize_name("Zoe Quinn"))
    assert candidates == set()  # no word starts with z or q: nothing to score
    customer = make_customer(rooftop, first_name="Farid", last_name="Castro42")
    screening = actions.screen_customer(salesperson, customer)
    assert screening.result == OfacStatus.POSSIBLE_MATCH
    assert screening.matches[0]["ent_num"] == 42


@pytest.mark.django_db
def test_customers_are_screened_when_taken_and_when_renamed(sdn_list, salesperson, rooftop):
    from forecourt.customers import actions as customer_actions

    walk_in = customer_actions.create_customer(
        salesperson,
        rooftop,
        {"first_name": "Rustam", "last_name": "Karimov", "mobile_phone": "+1 702 555 0101"},
    )
    assert walk_in.ofac_status == OfacStatus.POSSIBLE_MATCH
    other = customer_actions.create_customer(
        salesperson,
        rooftop,
        {"first_name": "Ann", "last_name": "Lee", "mobile_phone": "+1 702 555 0102"},
    )
    assert other.ofac_status == OfacStatus.CLEAR
    renamed = customer_actions.update_customer(
        salesperson, other, {"last_name": "Garcia Lopez", "first_name": "Maria Jose"}
    )
    renamed.refresh_from_db()
    assert renamed.ofac_status == OfacStatus.POSSIBLE_MATCH
    assert OfacScreening.objects.filter(customer=other).count() == 2
    # A change that is not a name does not screen again.
    customer_actions.update_customer(salesperson, renamed, {"city": "Reno"})
    assert OfacScreening.objects.filter(customer=other).count() == 2
