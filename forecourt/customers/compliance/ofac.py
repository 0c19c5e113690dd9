"""OFAC screening: the Treasury SDN list's file format, name normalisation and fuzzy matching.

Nothing here writes: `actions/sdn_lists.py` imports lists and `actions/screening.py` records
screenings; this module parses files, normalises names and scores a customer against the
list in force.
Method, threshold and their trade-offs: docs/compliance.md.

    parse_sdn(lines)          -> SdnRecord per row of sdn.csv (no header, 12 columns)
    parse_aliases(lines)      -> AliasRecord per row of alt.csv (5 columns)
    normalize_name("GARCÍA LÓPEZ, María-José") -> "garcia jose lopez maria"
    find_matches(["Maria Jose Garcia"])         -> [Match(...)] at or above MATCH_THRESHOLD
    delivery_blocked(customer)                  -> True while a possible match is not cleared
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from forecourt.customers.models import Customer, CustomerKind, OfacEntry, OfacList, OfacStatus

# A name scoring at least this (0-100) against a list entry is a possible match. 85 catches
# transliteration variants (Mohammed/Muhammad: 88.9) and a typo or two (Sarah Connor/Sara
# Conner: 87) while people who share a surname and a first name stay well below (Jose Garcia
# vs Maria Jose Garcia Lopez: 65). Lower, reviewers drown in false positives; higher,
# spelling variants slip through. docs/compliance.md explains the choice.
MATCH_THRESHOLD = 85
MAX_RECORDED_MATCHES = 10

SDN_COLUMNS = 12  # ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
#                   Tonnage, GRT, Vess_flag, Vess_owner, Remarks
ALIAS_COLUMNS = 5  # ent_num, alt_num, alt_type, alt_name, alt_remarks
EMPTY = "-0-"  # the SDN files' "no value" marker (published as "-0- ")
END_OF_FILE = "\x1a"  # the published files end with a DOS end-of-file character
# A customer cannot be a ship or a plane: these entries are never compared.
NOT_SCREENED_TYPES = frozenset({"vessel", "aircraft"})

# Words that carry no identity: honorifics and company forms. Dropping them keeps
# "ACME TRADING CO., LTD." and "Acme Trading Company" equal.
NOISE_WORDS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "sir", "the",
        "co", "company", "corp", "corporation", "inc", "incorporated", "llc", "ltd",
        "limited", "plc", "sa", "sarl", "gmbh", "ag", "bv", "jsc", "ojsc", "pjsc",
    }
)  # fmt: skip
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


class OfacFileError(ValueError):
    """A malformed SDN or alias file; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class SdnRecord:
    ent_num: int
    name: str
    sdn_type: str
    program: str
    remarks: str


@dataclass(frozen=True)
class AliasRecord:
    ent_num: int
    alt_type: str
    name: str
    remarks: str


@dataclass(frozen=True)
class Match:
    ent_num: int
    name: str
    sdn_type: str
    program: str
    is_alias: bool
    score: float
    screened_name: str

    def as_record(self) -> dict[str, Any]:
        """What OfacScreening.matches keeps: the list's side only, never the customer's data."""
        return {
            "ent_num": self.ent_num,
            "name": self.name,
            "sdn_type": self.sdn_type,
            "program": self.program,
            "is_alias": self.is_alias,
            "score": round(self.score, 2),
        }


# --- names -------------------------------------------------------------------------------


def name_tokens(text: str) -> list[str]:
    """Lower-case ASCII words without accents, punctuation, honorifics or company forms."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = _NOT_ALNUM.sub(" ", ascii_text).split()
    return [word for word in words if word not in NOISE_WORDS]


def normalize_name(text: str) -> str:
    """The words of a name in alphabetical order: "SMITH, John" and "John Smith" are equal."""
    return " ".join(sorted(name_tokens(text)))


def score_names(customer_name: str, entry_name: str) -> float:
    """0-100: token-sort ratio, or token-set ratio when one name is the other plus a word.

    Token sort ignores word order ("LAST, First"). Token set forgives extra words but gives
    100 whenever one name's words are all in the other ("Jose Garcia" in "GARCIA LOPEZ, Maria
    Jose"), so it counts only when at least two words are shared and the longer name has at
    most one word more (a middle name, a patronymic, a second surname).
    """
    score = fuzz.token_sort_ratio(customer_name, entry_name)
    customer_words, entry_words = set(customer_name.split()), set(entry_name.split())
    shared = customer_words & entry_words
    longer = max(len(customer_words), len(entry_words))
    if len(shared) >= 2 and len(shared) >= longer - 1:
        score = max(score, fuzz.token_set_ratio(customer_name, entry_name))
    return float(score)


def customer_names(customer: Customer) -> list[str]:
    """The names to screen: a person with and without middle name; a business's name."""
    names = []
    if customer.kind == CustomerKind.BUSINESS or not (customer.first_name or customer.last_name):
        names.append(customer.business_name)
    else:
        full = [customer.first_name, customer.middle_name, customer.last_name]
        names.append(" ".join(part for part in full if part))
        if customer.middle_name:
            names.append(f"{customer.first_name} {customer.last_name}")
        if customer.business_name:
            names.append(customer.business_name)
    return [name.strip() for name in names if name and name.strip()]


# --- the SDN file formats ------------------------------------------------------------------


def _value(text: str) -> str:
    text = text.strip()
    return "" if text == EMPTY else text


def _rows(lines: Iterable[str], source: str, columns: int) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, strict=True)
    line_number = 0
    try:
        for row in reader:
            line_number = reader.line_num
            if not row or (len(row) == 1 and row[0].strip() in {"", END_OF_FILE}):
                continue
            if len(row) != columns:
                raise OfacFileError(
                    f"{source}, line {line_number}: expected {columns} columns, "
                    f"found {len(row)}. Is this the SDN list's CSV format?"
                )
            yield line_number, row
    except csv.Error as error:
        raise OfacFileError(f"{source}, line {reader.line_num}: {error}") from None


def _ent_num(text: str, source: str, line: int) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise OfacFileError(
            f"{source}, line {line}: ent_num {text.strip()!r} is not a number."
        ) from None
    if number <= 0:
        raise OfacFileError(f"{source}, line {line}: ent_num must be positive.")
    return number


def parse_sdn(lines: Iterable[str], source: str = "sdn.csv") -> Iterator[SdnRecord]:
    """Stream the SDN file's rows. Raises OfacFileError at the first malformed row."""
    for line, row in _rows(lines, source, SDN_COLUMNS):
        name = _value(row[1])
        if not name:
            raise OfacFileError(f"{source}, line {line}: the name (column 2) is empty.")
        yield SdnRecord(
            ent_num=_ent_num(row[0], source, line),
            name=name[:350],
            sdn_type=_value(row[2]).lower()[:30],
            program=_value(row[3])[:200],
            remarks=_value(row[11]),
        )


def parse_aliases(lines: Iterable[str], source: str = "alt.csv") -> Iterator[AliasRecord]:
    """Stream the alias file's rows (ent_num, alt_num, alt_type, alt_name, alt_remarks)."""
    for line, row in _rows(lines, source, ALIAS_COLUMNS):
        name = _value(row[3])
        if not name:
            raise OfacFileError(f"{source}, line {line}: the alias name (column 4) is empty.")
        yield AliasRecord(
            ent_num=_ent_num(row[0], source, line),
            alt_type=_value(row[2]),
            name=name[:350],
            remarks=_value(row[4]),
        )


# --- matching against the list in force ------------------------------------------------------


@dataclass
class _Index:
    """The current list's screenable names in memory, with a first-letter pre-filter.

    A list is never changed after import, so one index per list version is valid for the
    life of the process; a new import changes the current list id and the index is rebuilt.
    """

    key: tuple[int, str, str]  # (id, version, sha256): ids alone can be reused (SQLite)
    entries: list[tuple[int, str, str, str, str, bool]] = field(default_factory=list)
    by_initial: dict[str, set[int]] = field(default_factory=dict)

    def add(self, entry: tuple[int, str, str, str, str, bool]) -> None:
        position = len(self.entries)
        self.entries.append(entry)
        for token in entry[2].split():
            if len(token) > 1:
                self.by_initial.setdefault(token[0], set()).add(position)

    def candidates(self, normalized: str) -> set[int]:
        """Entries sharing the first letter of at least one word (initials skipped).

        Cheap and typo-tolerant: a misspelling escapes it only when it changes the first
        letter of every word of the name.
        """
        found: set[int] = set()
        for token in normalized.split():
            if len(token) > 1:
                found |= self.by_initial.get(token[0], set())
        return found


_index_lock = threading.Lock()
_index: _Index | None = None


def current_list() -> OfacList | None:
    return OfacList.objects.filter(is_current=True).first()


def _load_index(sdn_list: OfacList) -> _Index:
    global _index
    with _index_lock:
        key = (sdn_list.pk, sdn_list.version, sdn_list.sha256)
        if _index is not None and _index.key == key:
            return _index
        index = _Index(key=key)
        rows = (
            OfacEntry.objects.filter(sdn_list=sdn_list)
            .exclude(sdn_type__in=NOT_SCREENED_TYPES)
            .order_by("pk")
            .values_list("ent_num", "name", "normalized_name", "sdn_type", "program", "is_alias")
        )
        for row in rows.iterator(chunk_size=5000):
            index.add(row)
        _index = index
        return index


def find_matches(
    names: Iterable[str], sdn_list: OfacList, threshold: float = MATCH_THRESHOLD
) -> tuple[float, list[Match]]:
    """(best score of any name against any entry, matches at or above `threshold`).

    The best entry per SDN record (ent_num) is kept, strongest first.
    """
    index = _load_index(sdn_list)
    best = 0.0
    by_ent_num: dict[int, Match] = {}
    for name in names:
        normalized = normalize_name(name)
        if not normalized:
            continue
        for position in index.candidates(normalized):
            ent_num, entry_name, entry_normalized, sdn_type, program, is_alias = index.entries[
                position
            ]
            score = score_names(normalized, entry_normalized)
            best = max(best, score)
            if score < threshold:
                continue
            known = by_ent_num.get(ent_num)
            if known is None or score > known.score:
                by_ent_num[ent_num] = Match(
                    ent_num, entry_name, sdn_type, program, is_alias, score, name
                )
    matches = sorted(by_ent_num.values(), key=lambda m: (-m.score, m.ent_num))
    return best, matches


# --- what other apps ask ---------------------------------------------------------------------


def delivery_blocked(customer: Customer) -> bool:
    """True while the customer's latest screening is a possible match no manager cleared.

    The deals issue calls this before delivery; a customer never screened is not blocked
    here (screen them at delivery with actions_compliance.screen_customer).
    """
    return customer.ofac_status == OfacStatus.POSSIBLE_MATCH
