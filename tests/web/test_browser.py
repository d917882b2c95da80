"""The dashboard in a real browser: Debian's chromium driven by Playwright (never a browser
Playwright downloads). A reviewer logs in, opens the alert of a planted structuring case,
sees its evidence and compute chart, resolves it from the keyboard and sees it leave the
queue. The screenshot is kept in out/test-artifacts/ (and the test's tmp_path)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Built

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "out" / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (`make test` installs it as root)",
    ),
]


@pytest.fixture
def server(store_copy: str) -> Iterator[str]:
    """The app on uvicorn on a free port of 127.0.0.1, in a thread; stopped after the test."""
    import uvicorn

    from cloudkyc.api import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)


def test_resolve_a_planted_structuring_case_in_the_browser(
    server: str, built: Built, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    members = set(built.truth.rules["STRUCTURING"])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{server}/alerts?rule=STRUCTURING")
            page.get_by_label("API key").fill(built.keys["analyst"])
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Alerts")).to_be_visible()

            row = next(
                r
                for r in page.locator("table.queue tbody tr").all()
                if members & set(r.locator("td").nth(4).inner_text().replace(" ", "").split(","))
            )
            alert_id = row.get_attribute("id").removeprefix("row-")  # type: ignore[union-attr]
            # the row's buttons say which alert they act on, and the queue fits the window
            for name in (f"Assign {alert_id} to me", f"Assign {alert_id}", f"Resolve {alert_id}"):
                expect(row.get_by_role("button", name=name, exact=True)).to_have_count(1)
            right, inner = page.evaluate(
                "() => [document.querySelector('table.queue').getBoundingClientRect().right,"
                " window.innerWidth]"
            )
            assert right <= inner, (right, inner)
            row.get_by_role("link", name=alert_id).click()
            expect(page.get_by_role("heading", name=f"STRUCTURING {alert_id}")).to_be_visible()
            expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
            expect(page.get_by_text("payment_fingerprint").first).to_be_visible()
            chart = page.locator("svg.chart").first
            expect(chart).to_be_visible()
            expect(chart.locator("polyline").first).to_be_attached()
            expect(chart.get_by_text("early-1e23")).to_be_attached()
            page.screenshot(path=str(tmp_path / "structuring-alert.png"), full_page=True)

            reason = page.get_by_label(f"Reason for resolving {alert_id}")
            reason.focus()
            reason.type("one company's corporate card; accounts belong to one lab")
            page.keyboard.press("Enter")
            expect(page.get_by_role("status")).to_contain_text(f"{alert_id} resolved")

            page.get_by_role("link", name="Alerts", exact=True).click()
            expect(page.get_by_role("heading", name="Alerts")).to_be_visible()
            expect(page.locator(f"#row-{alert_id}")).to_have_count(0)
            page.screenshot(path=str(tmp_path / "queue-after-resolve.png"), full_page=True)
        finally:
            browser.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for shot in tmp_path.glob("*.png"):
        shutil.copy(shot, ARTIFACTS / shot.name)
    assert (ARTIFACTS / "structuring-alert.png").stat().st_size > 10_000
