"""Take the README's and docs' screenshots from a running Forecourt (make run) with Debian's
Chromium, at a laptop's width (1366px) and a phone's (390px).

.venv/bin/python scripts/screenshot.py http://127.0.0.1:8000 docs/img

Run it against the demo data (`make run` loads it); it reads the database named by
DATABASE_URL only to pick a demo vehicle with photos, so point both at the same instance.
Console errors (a CSP violation, a failed script) are printed and make it exit non-zero.
"""

import os
import sys
from pathlib import Path
from typing import Any

import django
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
django.setup()

from forecourt.accounts.demo import DEMO_PASSWORD  # noqa: E402
from forecourt.inventory.models import Status, Vehicle  # noqa: E402

LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}


def demo_vehicle_path() -> str:
    """An available demo vehicle, one with photos when there is one."""
    vehicles = Vehicle.objects.filter(status=Status.AVAILABLE, rooftop__code="springfield")
    vehicle = vehicles.filter(photos__isnull=False).order_by("pk").first() or vehicles.first()
    if vehicle is None:
        sys.exit("No available demo vehicle: run `forecourt seed-demo` first.")
    return f"/inventory/{vehicle.pk}/"


# (demo login, file, path, viewport, whole page?): each role shows what it works with.
def pages() -> list[tuple[str, str, str, dict[str, int], bool]]:
    vehicle = demo_vehicle_path()
    return [
        ("owner", "dashboard.png", "/", LAPTOP, True),
        ("owner", "inventory.png", "/inventory/", LAPTOP, False),
        ("owner", "inventory-phone.png", "/inventory/", PHONE, False),
        ("sales.manager", "vehicle.png", vehicle, LAPTOP, True),
        ("sales.manager", "vehicle-phone.png", vehicle, PHONE, True),
        ("owner", "lead-board.png", "/leads/", LAPTOP, False),
        ("owner", "lead-board-phone.png", "/leads/", PHONE, False),
        ("sales", "my-day.png", "/leads/my-day/", LAPTOP, True),
        ("fi", "customer.png", "/customers/1/", LAPTOP, True),
    ]


def note(errors: list[str], login: str, message: Any) -> None:
    if message.type == "error":
        errors.append(f"{login}: {message.text}")


def main(base_url: str, out_dir: str) -> int:
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    shots = pages()
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for login in dict.fromkeys(user for user, *_ in shots):
            page = browser.new_page(viewport=LAPTOP)
            page.on("console", lambda msg, login=login: note(errors, login, msg))
            page.goto(f"{base_url}/accounts/login/")
            page.get_by_label("Email").fill(f"{login}@demo.forecourt.test")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("networkidle")
            for user, name, path, viewport, whole in shots:
                if user != login:
                    continue
                page.set_viewport_size(viewport)
                page.goto(f"{base_url}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(Path(out_dir) / name), full_page=whole)
                print(f"{name}: {path} at {viewport['width']}px")
            page.close()
        browser.close()
    for error in errors:
        print(f"console error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
