"""End to end in a real headless browser: the form, the answer, a draft, on a desktop and a phone.

Uses Debian's Chromium and its driver (``apt-get install chromium chromium-driver``), driven by
selenium; nothing is downloaded. The app runs under uvicorn in a thread on 127.0.0.1, on a
port the system picks. Where no browser is found the tests are skipped, saying how to get one.
The phone is a window 390 CSS pixels wide: every view must fit it without sideways scrolling.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from remedy_model import api

pytestmark = pytest.mark.slow

INSTALL_HINT = (
    "no Chromium/chromedriver found: `apt-get update && apt-get install -y chromium "
    "chromium-driver` (Debian packages) to run the browser tests"
)
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,1600",
)
REVIEW = Path(__file__).parent / "fixtures" / "ingest" / "review_cases.txt"
PHONE = (390, 844)
DESKTOP = (1280, 1600)


def find_browser() -> tuple[str, str] | None:
    """Paths of Chromium and chromedriver, or None if either is missing."""
    browser = next(
        (p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()),
        None,
    )
    driver = next(
        (
            p
            for p in ("/usr/bin/chromedriver", shutil.which("chromedriver"))
            if p and Path(p).exists()
        ),
        None,
    )
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the embedded cases, served by uvicorn on 127.0.0.1; yields its base URL."""
    import uvicorn

    from remedy_model.web.app import create_app

    model = api.train(model_path=tmp_path_factory.mktemp("browser-model") / "m.npz").model
    config = uvicorn.Config(create_app(model=model), host="127.0.0.1", port=0, log_level="error")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    port = served.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    found = find_browser()
    if found is None:
        pytest.skip(INSTALL_HINT)
    webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in BROWSER_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=found[1]), options=options)
    driver.set_page_load_timeout(60)
    # a click that submits a form returns before the next page is there: look up elements
    # again for a while instead of failing on the old page
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


@pytest.fixture
def desktop(browser):
    browser.set_window_size(*DESKTOP)
    return browser


@pytest.fixture
def phone(browser):
    browser.set_window_size(*PHONE)
    yield browser
    browser.set_window_size(*DESKTOP)


def by(kind: str):
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def go(driver, kind: str, value: str) -> None:
    """Click what loads a new page, and wait until the new page has loaded: the old page's
    elements (the form's own h1) would otherwise still be found, then go stale under the test.

    The old page is marked in its window object, which a new document does not have.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.remedyOldPage = true")
    driver.find_element(by(kind), value).click()
    loaded = "return !window.remedyOldPage && document.readyState === 'complete'"
    wait = WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,))
    wait.until(lambda d: d.execute_script(loaded))


def fill_case(driver, base: str) -> None:
    """Type the demo case into the form, as an investigator would."""
    from selenium.webdriver.support.ui import Select

    driver.get(base + "/")
    Select(driver.find_element(by("ID"), "category")).select_by_value(api.DEMO_CASE["category"])
    Select(driver.find_element(by("ID"), "org_type")).select_by_value("county")
    driver.find_element(by("ID"), "year").send_keys("2025")
    driver.find_element(by("ID"), "duration_months").send_keys("9")
    for fault in api.DEMO_CASE["fault_types"]:
        driver.find_element(
            by("CSS_SELECTOR"), f'input[name="fault_types"][value="{fault}"]'
        ).click()
    Select(driver.find_element(by("ID"), "carer_impact")).select_by_value("yes")
    Select(driver.find_element(by("ID"), "respite_lost")).select_by_value("yes")
    driver.find_element(
        by("CSS_SELECTOR"), 'input[name="vulnerable"][value="learning_disability"]'
    ).click()
    driver.find_element(by("ID"), "proposed").send_keys("500")


def upload_review(driver, base: str) -> None:
    driver.get(base + "/")
    driver.find_element(by("ID"), "document").send_keys(str(REVIEW))
    go(driver, "ID", "upload")
    assert "Filled from" in driver.find_element(by("ID"), "document-note").text


def sideways(driver) -> int:
    """How far the page scrolls sideways (0 when it fits the window)."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


class TestDesktop:
    def test_fill_the_form_and_read_the_answer_and_precedents(self, desktop, server):
        fill_case(desktop, server)
        go(desktop, "ID", "submit")
        assert desktop.find_element(by("TAG_NAME"), "h1").text == "Suggested payment"
        assert "/suggest?" in desktop.current_url
        cells = [
            desktop.find_element(by("ID"), f"range-{key}").find_elements(by("TAG_NAME"), "td")
            for key in ("low", "median", "high")
        ]
        values = [int(row[0].text.lstrip("£").replace(",", "")) for row in cells]
        assert values == sorted(values) and values[2] > 0
        precedents = desktop.find_elements(
            by("CSS_SELECTOR"), "#precedents tbody tr:not(.evidence-missing)"
        )
        assert len(precedents) == 5
        assert "Proposed £500:" in desktop.find_element(by("ID"), "verdict").text
        assert desktop.find_element(by("CSS_SELECTOR"), "svg.plot.wide").is_displayed()
        assert not desktop.find_element(by("CSS_SELECTOR"), "svg.plot.narrow").is_displayed()

    def test_a_wrong_value_is_shown_beside_its_field(self, desktop, server):
        fill_case(desktop, server)
        desktop.find_element(by("ID"), "year").clear()
        desktop.find_element(by("ID"), "year").send_keys("twenty")
        go(desktop, "ID", "submit")
        message = desktop.find_element(by("CSS_SELECTOR"), '[data-field="year"] .error')
        assert "four digits" in message.text and message.is_displayed()
        assert desktop.find_element(by("ID"), "year").get_attribute("value") == "twenty"

    def test_the_example_button_fills_the_form(self, desktop, server):
        desktop.get(server + "/")
        go(desktop, "ID", "example")
        assert desktop.find_element(by("ID"), "proposed").get_attribute("value") == "500"
        go(desktop, "ID", "submit")
        assert "Proposed £500" in desktop.find_element(by("ID"), "verdict").text

    def test_a_draft_is_read_its_cases_offered_and_its_remedy_checked(self, desktop, server):
        upload_review(desktop, server)
        go(desktop, "LINK_TEXT", "Bilal")
        assert desktop.find_element(by("ID"), "proposed").get_attribute("value") == "700"
        snippet = desktop.find_element(
            by("CSS_SELECTOR"), '[data-field="duration_months"] .snippet'
        )
        assert "seven months" in snippet.text
        go(desktop, "ID", "submit")
        verdict = desktop.find_element(by("ID"), "verdict").text
        assert verdict.startswith("Proposed £700 (the draft's symbolic total):")
        assert "From the draft: “His two daughters" in verdict
        assert "seven months" in desktop.find_element(by("ID"), "draft-read").text

    def test_the_print_view_is_the_case_note(self, desktop, server):
        fill_case(desktop, server)
        go(desktop, "ID", "submit")
        go(desktop, "ID", "print-note")
        assert desktop.find_element(by("TAG_NAME"), "h1").text.startswith("Case note")
        assert desktop.find_element(by("ID"), "note-precedents").is_displayed()


class TestPhone:
    """At 390 px: the answer and verdict without sideways scrolling, tables reflowed, the chart
    in its narrow layout with text at a legible size."""

    def test_every_view_fits_the_width(self, phone, server):
        assert phone.execute_script("return window.innerWidth") == PHONE[0]
        fill_case(phone, server)
        go(phone, "ID", "submit")
        answer_url = phone.current_url
        urls = [
            server + "/",
            answer_url,
            answer_url.replace("/suggest?", "/note?"),
            server + "/trends",
        ]
        for url in urls:
            phone.get(url)
            assert sideways(phone) <= 0, url

    def test_the_answer_and_verdict_are_on_screen_and_within_the_width(self, phone, server):
        fill_case(phone, server)
        go(phone, "ID", "submit")
        for name in ("answer-payment", "answer-amount", "verdict"):
            box = phone.find_element(by("ID"), name).rect
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], name

    def test_tables_reflow_and_the_chart_keeps_legible_text(self, phone, server):
        fill_case(phone, server)
        go(phone, "ID", "submit")
        head = phone.find_element(by("CSS_SELECTOR"), "#precedents thead")
        assert not head.is_displayed()
        chart = phone.find_element(by("CSS_SELECTOR"), "svg.plot.narrow")
        assert chart.is_displayed()
        assert not phone.find_element(by("CSS_SELECTOR"), "svg.plot.wide").is_displayed()
        heights = phone.execute_script(
            "return [...document.querySelectorAll('svg.plot.narrow text')]"
            ".map(t => t.getBoundingClientRect().height).filter(h => h > 0)"
        )
        assert heights and min(heights) >= 10

    def test_a_draft_fits_the_width_too(self, phone, server):
        upload_review(phone, server)
        assert sideways(phone) <= 0
        go(phone, "ID", "submit")
        assert phone.find_element(by("ID"), "draft-read").is_displayed()
        assert sideways(phone) <= 0
