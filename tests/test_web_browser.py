"""End to end in a real headless browser: fill the case form, submit, read the result page.

Uses Debian's Chromium and its driver (``apt-get install chromium chromium-driver``), driven by
selenium; nothing is downloaded. The app runs under uvicorn in a thread on 127.0.0.1, on a
port the system picks. Where no browser is found the tests are skipped, saying how to get one.
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
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
)


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


def fill_case(driver, base: str) -> None:
    """Type the demo case into the form, as an investigator would."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(base + "/")
    driver.find_element(By.ID, "category").send_keys(api.DEMO_CASE["category"])
    Select(driver.find_element(By.ID, "org_type")).select_by_value("county")
    driver.find_element(By.ID, "year").send_keys("2025")
    driver.find_element(By.ID, "duration_months").send_keys("9")
    for fault in api.DEMO_CASE["fault_types"]:
        driver.find_element(By.CSS_SELECTOR, f'input[name="fault_types"][value="{fault}"]').click()
    Select(driver.find_element(By.ID, "carer_impact")).select_by_value("yes")
    Select(driver.find_element(By.ID, "respite_lost")).select_by_value("yes")
    driver.find_element(
        By.CSS_SELECTOR, 'input[name="vulnerable"][value="learning_disability"]'
    ).click()
    driver.find_element(By.ID, "proposed").send_keys("500")


def test_fill_the_form_and_read_the_range_and_precedents(browser, server):
    from selenium.webdriver.common.by import By

    fill_case(browser, server)
    browser.find_element(By.ID, "submit").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Suggested payment"
    assert "/suggest?" in browser.current_url
    cells = [
        browser.find_element(By.ID, f"range-{key}").find_elements(By.TAG_NAME, "td")
        for key in ("low", "median", "high")
    ]
    values = [int(row[0].text.lstrip("£").replace(",", "")) for row in cells]
    assert values == sorted(values) and values[2] > 0
    precedents = browser.find_elements(
        By.CSS_SELECTOR, "#precedents tbody tr:not(.evidence-missing)"
    )
    assert len(precedents) == 5
    first_ref = precedents[0].find_element(By.CSS_SELECTOR, "td.ref").text.split("\n")[0]
    assert first_ref.replace(" ", "").isdigit() or first_ref.startswith("no ref.")
    assert "Proposed £500:" in browser.find_element(By.ID, "verdict").text
    assert browser.find_element(By.CSS_SELECTOR, "#plot svg").is_displayed()


def test_a_wrong_value_is_shown_beside_its_field(browser, server):
    from selenium.webdriver.common.by import By

    fill_case(browser, server)
    browser.find_element(By.ID, "year").clear()
    browser.find_element(By.ID, "year").send_keys("twenty")
    browser.find_element(By.ID, "submit").click()
    message = browser.find_element(By.CSS_SELECTOR, '[data-field="year"] .error')
    assert "four digits" in message.text and message.is_displayed()
    assert browser.find_element(By.ID, "year").get_attribute("value") == "twenty"


def test_a_draft_decision_fills_the_form(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    pytest.importorskip("remedy_model.ingest", reason="the ingest package is not installed")
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Draft decision\n\nReference: 24 901 234\nCategory: Adult care services > Assessment "
        "and care plan\nDecision date: 12 March 2024\n\nSummary: Mrs X complained the Council "
        "failed to provide respite care for her son, who has a learning disability, for nine "
        "months. We found fault causing injustice. The Council has agreed to apologise and pay "
        "Mrs X £750 to recognise the distress.\n\nDecision\n1. I find fault causing injustice. "
        "The complaint is upheld.\n",
        encoding="utf-8",
    )
    browser.get(server + "/")
    browser.find_element(By.ID, "document").send_keys(str(draft))
    browser.find_element(By.ID, "upload").click()
    assert "Filled from" in browser.find_element(By.ID, "document-note").text
    assert browser.find_element(By.ID, "duration_months").get_attribute("value") == "9"
    assert browser.find_element(By.ID, "proposed").get_attribute("value") == "750"
    snippet = browser.find_element(By.CSS_SELECTOR, '[data-field="duration_months"] .snippet')
    assert "nine" in snippet.text
    browser.find_element(By.ID, "submit").click()
    assert "Proposed £750:" in browser.find_element(By.ID, "verdict").text
