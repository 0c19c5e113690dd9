"""What differs per country, in one place: a registry of country profiles.

A rooftop's country picks its profile; everything country-specific (locale and formats,
paper size, identity fields, sanctions lists, compliance texts, retention) is read from
the profile, never from `if country == "GB"` scattered through templates and actions.
Adding a third country is one `register_country(...)` call plus its texts (docs/countries.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CountryProfile:
    code: str  # ISO 3166-1 alpha-2, as stored on Rooftop.country
    name: str
    language: str  # Django language code whose formats (dates, numbers) the rooftop uses
    currency: str  # ISO 4217
    default_time_zone: str
    paper_size: str  # fpdf2 format name: "Letter" or "A4"
    distance_unit: str  # what odometers are shown in
    # Input formats a person from this country types or a spreadsheet of theirs holds,
    # tried in order (strptime patterns). Shown to users on import pages.
    date_input_formats: tuple[str, ...] = ()
    # Sanctions lists a rooftop of this country screens against by default (list keys).
    sanctions_lists: tuple[str, ...] = ()
    # Customer identity fields this country uses (form field names).
    identity_fields: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


_PROFILES: dict[str, CountryProfile] = {}


def register_country(profile: CountryProfile) -> CountryProfile:
    _PROFILES[profile.code] = profile
    return profile


def profile_for(country_or_rooftop: Any) -> CountryProfile:
    """The profile of a country code or of anything with a `.country` (a rooftop)."""
    code = getattr(country_or_rooftop, "country", country_or_rooftop)
    try:
        return _PROFILES[str(code)]
    except KeyError:
        raise LookupError(f"No country profile registered for {code!r}") from None


def registered_countries() -> list[CountryProfile]:
    return list(_PROFILES.values())


US = register_country(
    CountryProfile(
        code="US",
        name="United States",
        language="en-us",
        currency="USD",
        default_time_zone="America/New_York",
        paper_size="Letter",
        distance_unit="mi",
        date_input_formats=("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d"),
        sanctions_lists=("ofac",),
        identity_fields=("ssn", "drivers_license_number", "drivers_license_state"),
    )
)

GB = register_country(
    CountryProfile(
        code="GB",
        name="United Kingdom",
        language="en-gb",
        currency="GBP",
        default_time_zone="Europe/London",
        paper_size="A4",
        distance_unit="mi",
        date_input_formats=("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"),
        sanctions_lists=("uk",),
        identity_fields=("title", "driving_licence_number"),
    )
)
