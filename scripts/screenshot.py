"""Take the README's screenshots from a running Forecourt (make run) with Debian's Chromium.

.venv/bin/python scripts/screenshot.py http://127.0.0.1:8000 docs/img
"""

import os
import sys
from pathlib import Path

import django
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
django.setup()

from forecourt.accounts.demo import DEMO_PASSWORD  # noqa: E402

# (demo login, file, path): each role shows what it works with.
PAGES = [
    ("owner", "dashboard.png", "/"),
    ("owner", "inventory.png", "/inventory/"),
    ("sales", "my-day.png", "/leads/my-day/"),
    ("fi", "customer.png", "/customers/1/"),
]


def main(base_url: str, out_dir: str) -> None:
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for login in dict.fromkeys(user for user, _, _ in PAGES):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{base_url}/accounts/login/")
            page.get_by_label("Email").fill(f"{login}@demo.forecourt.test")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("networkidle")
            for user, name, path in PAGES:
                if user == login:
                    page.goto(f"{base_url}{path}")
                    page.wait_for_load_state("networkidle")
                    whole = name != "inventory.png"  # the README's list: the first screenful
                    page.screenshot(path=str(Path(out_dir) / name), full_page=whole)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
