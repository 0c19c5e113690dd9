"""VIN validation (49 CFR 565.15), offline decode, and the vPIC decoder against a local server."""

import json
import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.cache import cache

from forecourt.inventory.vin import (
    OfflineDecoder,
    VpicDecoder,
    check_digit,
    check_vin,
    get_decoder,
    model_year,
)

FIXTURES = Path(__file__).parent / "fixtures"


def test_check_digit_of_the_regulations_worked_example():
    assert check_digit("1G4AH59H05G118341") == "4"
    assert check_vin("1G4AH59H45G118341").is_valid


def test_remainder_ten_is_written_x():
    # Weights sum to 89; a final 0 drops 2: 87 = 7 * 11 + 10, written X.
    assert check_digit("11111111011111110") == "X"
    assert check_vin("11111111X11111110").is_valid
    assert check_digit("11111111111111111") == "1"


def test_wrong_check_digit_names_the_expected_one():
    result = check_vin("1G4AH59H55G118341")
    assert result.errors == ["The check digit (position 9) is 5; expected 4. Check for a typo."]


def test_non_north_american_vin_gets_a_warning_not_an_error():
    result = check_vin("WVWZZZ1JZ3W386752")
    assert result.is_valid
    assert "expected" in result.warnings[0]


@pytest.mark.parametrize(
    ("vin", "fragment"),
    [
        ("1G4AH59H45G11834", "has 16"),
        ("1G4AH59H45G1183I1", "never contains I"),
        ("", "VIN is required"),
        ("  ", "VIN is required"),
    ],
)
def test_malformed_vins(vin, fragment):
    assert fragment in check_vin(vin).errors[0]


def test_model_year_cycles():
    today = date(2026, 6, 1)
    assert model_year("1HGCM82633A004352", today=today) == 2003
    # Position 7 alphabetic marks the 2010+ cycle: L = 2020.
    assert model_year("1HGCV1F30LA000001", today=today) == 2020
    assert model_year("WVWZZZ1JZ3W386752", today=today) == 2003


def test_offline_decode_knows_the_wmi_and_year():
    decoded = OfflineDecoder().decode(" 1hgcm82633a004352 ")
    assert (decoded.vin, decoded.make, decoded.country, decoded.year) == (
        "1HGCM82633A004352",
        "Honda",
        "United States",
        2003,
    )
    assert decoded.source == "offline"


class VpicHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        VpicHandler.hits.append(self.path)
        vin = self.path.split("/")[-1].split("?")[0]
        fixture = FIXTURES / f"vpic_{vin}.json"
        if self.path.endswith("slow"):
            return
        body = fixture.read_bytes() if fixture.exists() else b"{}"
        self.send_response(200 if fixture.exists() else 500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def vpic_server():
    cache.clear()
    VpicHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), VpicHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def test_vpic_decode_from_a_recorded_response_is_cached(vpic_server):
    decoder = VpicDecoder(vpic_server, timeout=2)
    decoded = decoder.decode("1HGCM82633A004352")
    assert decoded.source == "vpic"
    assert (decoded.make, decoded.model, decoded.trim, decoded.year) == (
        "HONDA",
        "Accord",
        "EX-V6",
        2003,
    )
    assert decoded.engine == "3.0L 6-cyl J30A4"
    assert decoded.body_style == "Coupe"
    assert json.loads((FIXTURES / "vpic_1HGCM82633A004352.json").read_text())["Count"] == 1
    decoder.decode("1HGCM82633A004352")
    assert len(VpicHandler.hits) == 1  # the second decode came from the cache


def test_vpic_failure_falls_back_to_offline_with_a_warning(vpic_server):
    decoded = VpicDecoder(vpic_server, timeout=2).decode("1G4AH59H45G118341")
    assert decoded.source == "offline"
    assert decoded.make == "Buick"
    assert "unavailable" in decoded.warnings[-1]


def test_vpic_is_time_limited():
    # A server that accepts the connection but never answers.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/api"
        decoded = VpicDecoder(url, timeout=0.2).decode("1HGCM82633A004352")
    finally:
        listener.close()
    assert decoded.source == "offline"
    assert "unavailable" in decoded.warnings[-1]


def test_vpic_is_off_by_default(settings):
    assert isinstance(get_decoder(), OfflineDecoder)
    settings.VIN_DECODER = "vpic"
    assert isinstance(get_decoder(), VpicDecoder)
