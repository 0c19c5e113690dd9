"""VINs: validation (49 CFR 565.15), offline decoding, and a pluggable full decoder.

The offline decoder knows what the VIN itself says (manufacturer and country from the
WMI, model year from position 10). A full decode (make, model, trim, engine) needs a
database such as NHTSA vPIC; `VpicDecoder` asks it, off by default (VIN_DECODER=vpic).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("forecourt.inventory.vin")

VIN_LENGTH = 17
CHECK_DIGIT_POSITION = 9  # 1-based, as the regulation counts
ALLOWED = frozenset("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
_TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# Position 10: A=1980 ... Y=2000, 1-9 = 2001-2009; the cycle repeats every 30 years.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
NORTH_AMERICA = frozenset("12345")

# A small table of common WMIs: (manufacturer, make). Unknown WMIs still get a country.
WMI_TABLE: dict[str, tuple[str, str]] = {
    "1FA": ("Ford Motor Company", "Ford"),
    "1FM": ("Ford Motor Company", "Ford"),
    "1FT": ("Ford Motor Company", "Ford"),
    "1G1": ("General Motors", "Chevrolet"),
    "1GC": ("General Motors", "Chevrolet"),
    "1GN": ("General Motors", "Chevrolet"),
    "1GT": ("General Motors", "GMC"),
    "1G4": ("General Motors", "Buick"),
    "1G6": ("General Motors", "Cadillac"),
    "1C4": ("FCA US", "Jeep"),
    "1C6": ("FCA US", "Ram"),
    "1HG": ("Honda of America", "Honda"),
    "1N4": ("Nissan North America", "Nissan"),
    "1N6": ("Nissan North America", "Nissan"),
    "2HG": ("Honda of Canada", "Honda"),
    "2T1": ("Toyota Motor Manufacturing Canada", "Toyota"),
    "2T3": ("Toyota Motor Manufacturing Canada", "Toyota"),
    "3FA": ("Ford Motor Company Mexico", "Ford"),
    "3GN": ("General Motors Mexico", "Chevrolet"),
    "3N1": ("Nissan Mexicana", "Nissan"),
    "3VW": ("Volkswagen de Mexico", "Volkswagen"),
    "4T1": ("Toyota Motor Manufacturing Kentucky", "Toyota"),
    "4S4": ("Subaru of Indiana", "Subaru"),
    "5FN": ("Honda Manufacturing of Alabama", "Honda"),
    "5NP": ("Hyundai Motor Manufacturing Alabama", "Hyundai"),
    "5YJ": ("Tesla", "Tesla"),
    "5TD": ("Toyota Motor Manufacturing Indiana", "Toyota"),
    "5TF": ("Toyota Motor Manufacturing Texas", "Toyota"),
    "JTD": ("Toyota", "Toyota"),
    "JTE": ("Toyota", "Toyota"),
    "JHM": ("Honda", "Honda"),
    "JN1": ("Nissan", "Nissan"),
    "JF1": ("Subaru", "Subaru"),
    "JF2": ("Subaru", "Subaru"),
    "JM1": ("Mazda", "Mazda"),
    "KM8": ("Hyundai", "Hyundai"),
    "KNA": ("Kia", "Kia"),
    "KND": ("Kia", "Kia"),
    "WBA": ("BMW", "BMW"),
    "WAU": ("Audi", "Audi"),
    "WDD": ("Mercedes-Benz", "Mercedes-Benz"),
    "WVW": ("Volkswagen", "Volkswagen"),
    "SAL": ("Land Rover", "Land Rover"),
    "SAJ": ("Jaguar", "Jaguar"),
    "YV1": ("Volvo Cars", "Volvo"),
}
_COUNTRY_BY_FIRST = {
    "1": "United States",
    "4": "United States",
    "5": "United States",
    "2": "Canada",
    "3": "Mexico",
    "J": "Japan",
    "K": "South Korea",
    "L": "China",
    "S": "United Kingdom",
    "V": "France/Spain",
    "W": "Germany",
    "Y": "Sweden/Finland",
    "Z": "Italy",
}


def normalize(vin: str) -> str:
    return "".join((vin or "").split()).upper()


def check_digit(vin: str) -> str:
    """The check digit position 9 should hold ('0'-'9' or 'X'), from the other 16."""
    total = sum(_TRANSLITERATION[c] * w for c, w in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def is_north_american(vin: str) -> bool:
    return bool(vin) and vin[0] in NORTH_AMERICA


@dataclass
class VinCheck:
    """The outcome of validating one VIN: errors block, warnings inform."""

    vin: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def check_vin(raw: str) -> VinCheck:
    vin = normalize(raw)
    result = VinCheck(vin)
    if not vin:
        result.errors.append("VIN is required.")
        return result
    if len(vin) != VIN_LENGTH:
        result.errors.append(f"A VIN has {VIN_LENGTH} characters; this one has {len(vin)}.")
        return result
    bad = sorted({c for c in vin if c not in ALLOWED})
    if bad:
        result.errors.append(
            f"A VIN never contains {', '.join(bad)} (letters I, O and Q are not used)."
        )
        return result
    expected = check_digit(vin)
    if vin[CHECK_DIGIT_POSITION - 1] != expected:
        message = (
            f"The check digit (position {CHECK_DIGIT_POSITION}) is "
            f"{vin[CHECK_DIGIT_POSITION - 1]}; expected {expected}. Check for a typo."
        )
        if is_north_american(vin):
            result.errors.append(message)
        else:
            result.warnings.append(
                message + " Vehicles built outside North America may not use a check digit."
            )
    if vin[9] not in _YEAR_CODES:
        result.warnings.append(f"Position 10 ({vin[9]}) is not a model-year code.")
    return result


def model_year(vin: str, *, today: date | None = None) -> int | None:
    """The model year from position 10, picking the 30-year cycle that makes sense.

    For North American light vehicles a letter in position 7 marks the 2010+ cycle; otherwise
    the latest year not more than one year in the future.
    """
    if len(vin) != VIN_LENGTH or vin[9] not in _YEAR_CODES:
        return None
    base = 1980 + _YEAR_CODES.index(vin[9])
    latest_allowed = (today or date.today()).year + 1  # noqa: DTZ011 - a calendar year
    if is_north_american(vin):
        later = vin[6].isalpha()
        year = base + 30 if later else base
        return year if year <= latest_allowed else base
    candidates = [y for y in (base, base + 30, base + 60) if y <= latest_allowed]
    return candidates[-1] if candidates else base


@dataclass
class DecodedVin:
    """What a decoder knows about a VIN; empty strings where it knows nothing."""

    vin: str
    source: str
    year: int | None = None
    make: str = ""
    model: str = ""
    trim: str = ""
    body_style: str = ""
    engine: str = ""
    drivetrain: str = ""
    fuel_type: str = ""
    transmission: str = ""
    manufacturer: str = ""
    country: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class VinDecoder(Protocol):
    def decode(self, vin: str) -> DecodedVin: ...


# Said with every offline decode: which fields it cannot fill, and what can.
OFFLINE_SCOPE = (
    "Decoded offline: the VIN itself gives the year, make and country only. Model, trim, "
    "body and engine need the online decoder (NHTSA vPIC, VIN_DECODER=vpic); type them in."
)


class OfflineDecoder:
    """Decodes what the VIN itself encodes; never touches the network."""

    def decode(self, vin: str) -> DecodedVin:
        check = check_vin(vin)
        result = DecodedVin(
            check.vin, "offline", errors=list(check.errors), warnings=list(check.warnings)
        )
        if len(check.vin) < 3:
            return result
        manufacturer, make = WMI_TABLE.get(check.vin[:3], ("", ""))
        result.manufacturer, result.make = manufacturer, make
        result.country = _COUNTRY_BY_FIRST.get(check.vin[0], "")
        if check.is_valid:
            result.year = model_year(check.vin)
            result.warnings.append(OFFLINE_SCOPE)
        return result


# vPIC's field names -> ours. Values of "" or "Not Applicable" mean unknown.
_VPIC_FIELDS = {
    "Make": "make",
    "Model": "model",
    "Trim": "trim",
    "BodyClass": "body_style",
    "DriveType": "drivetrain",
    "FuelTypePrimary": "fuel_type",
    "TransmissionStyle": "transmission",
    "Manufacturer": "manufacturer",
    "PlantCountry": "country",
}
_VPIC_CACHE_SECONDS = 30 * 24 * 60 * 60  # a VIN's factory data never changes


class VpicDecoder:
    """NHTSA vPIC (DecodeVinValues), cached, time-limited; falls back to offline on failure."""

    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.offline = OfflineDecoder()

    def decode(self, vin: str) -> DecodedVin:
        result = self.offline.decode(vin)
        if result.errors:
            return result
        cache_key = f"inventory:vpic:{result.vin}"
        values = cache.get(cache_key)
        if values is None:
            try:
                values = self._fetch(result.vin)
            except (OSError, ValueError, KeyError, IndexError) as error:
                logger.warning("vPIC decode failed", extra={"vin": result.vin, "error": str(error)})
                result.warnings.append("The full VIN decoder is unavailable; decoded offline.")
                return result
            cache.set(cache_key, values, _VPIC_CACHE_SECONDS)
        return self._merge(result, values)

    def _fetch(self, vin: str) -> dict[str, str]:
        url = f"{self.base_url}/vehicles/DecodeVinValues/{vin}?format=json"
        if not url.startswith(("http://", "https://")):
            raise ValueError("the vPIC URL must be http(s)")
        # The scheme is checked above (http/https only).
        with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
            body = json.loads(response.read())
        row = body["Results"][0]
        return {k: str(v) for k, v in row.items() if v not in (None, "", "Not Applicable")}

    @staticmethod
    def _merge(result: DecodedVin, values: dict[str, str]) -> DecodedVin:
        result.source = "vpic"
        result.warnings = [w for w in result.warnings if w != OFFLINE_SCOPE]
        for theirs, ours in _VPIC_FIELDS.items():
            if values.get(theirs):
                setattr(result, ours, values[theirs].strip())
        if values.get("ModelYear", "").isdigit():
            result.year = int(values["ModelYear"])
        displacement = values.get("DisplacementL", "")
        cylinders = values.get("EngineCylinders", "")
        engine = " ".join(
            part
            for part in (
                f"{float(displacement):.1f}L" if displacement else "",
                f"{cylinders}-cyl" if cylinders else "",
                values.get("EngineModel", ""),
            )
            if part
        )
        if engine:
            result.engine = engine
        return result


def get_decoder() -> VinDecoder:
    """The decoder the configuration asks for (VIN_DECODER=offline|vpic)."""
    if settings.VIN_DECODER == "vpic":
        return VpicDecoder(settings.VIN_DECODER_URL, settings.VIN_DECODER_TIMEOUT)
    return OfflineDecoder()
