"""Take the README's screenshots of the console on `make demo`'s data.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

It loads the demo into a throwaway SQLite database, serves it on a free loopback port and
drives Debian's chromium with Playwright: the queue, the first angry customer's ticket, and its
reply editor with a blaming draft coached.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
HEARD = Path(sys.executable).with_name("heard")
DRAFT = "Calm down. This is user error; you must have misconfigured it. Read the user guide."
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}


def main() -> int:
    env = {**os.environ, "HEARD_VAR_DIR": tempfile.mkdtemp(prefix="heard-shots-")}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    # Our own `heard` command, beside this interpreter: no untrusted input reaches these.
    subprocess.run([HEARD, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run([HEARD, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen([HEARD, "serve", f"127.0.0.1:{port}"], env=env)  # noqa: S603
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        _shoot(base)
    finally:
        server.terminate()
        server.wait(10)
    return 0


def _shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{base}/login/")
        page.get_by_label("Username").fill("maya")
        page.get_by_label("Password").fill("heard-demo")  # DEMO_PASSWORD of heard/desk/demo
        page.get_by_role("button", name="Log in").click()
        page.wait_for_selector("table.queue")
        page.screenshot(path=OUT / "queue.png")
        page.goto(f"{base}/?mood=anger")  # the angriest customer first, in care order
        page.locator("table.queue tbody tr a").first.click()
        page.wait_for_selector("#main h1")
        page.screenshot(path=OUT / "ticket.png", full_page=True)
        page.get_by_label("Reply to the customer").fill(DRAFT)
        page.locator("#coaching mark.finding").first.wait_for(timeout=15_000)
        page.locator("#coaching").scroll_into_view_if_needed()
        page.screenshot(path=OUT / "coached-editor.png")
        browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=2)  # noqa: S310 (our own server)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the demo server did not answer at {base}")


if __name__ == "__main__":
    sys.exit(main())
