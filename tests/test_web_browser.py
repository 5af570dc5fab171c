"""End to end: the real server (uvicorn, on a free local port) and the page in headless Chromium.

It types a snippet, waits for the pseudo-code, checks the rows, hovers a
phrase and checks that its code tokens light up (and the other way round).
With PSEUDOGEN_SCREENSHOT=path it saves a screenshot there (docs/serve.png is
made so, with the default model: PSEUDOGEN_SCREENSHOT_MODEL=DIR).
Debian's `chromium` and `chromium-driver` drive it (`make test` installs them).
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SNIPPET = "def area(width, height):\n    if width > 0:\n        return width * height\nprint(area(2, 3)\n"


def _browser_paths():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("headless Chromium is not installed: apt-get install chromium chromium-driver "
                    "(`make test` does it where it may)")
    pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[web,test]')")
    return chromium, driver


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_model):
    model = os.environ.get("PSEUDOGEN_SCREENSHOT_MODEL") or str(sample_model)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "pseudogen", "serve", "-m", model, "--port", str(port),
                                "-j", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"the server stopped: {process.stdout.read()}")
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,820", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    session = webdriver.Chrome(service=Service(driver), options=options)
    yield session
    session.quit()


def test_type_read_and_hover(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#model option"))
    editor = browser.find_element(By.ID, "code")
    wait.until(lambda b: "statement" in b.find_element(By.ID, "status").text)  # the first example, translated
    editor.clear()
    editor.send_keys(SNIPPET)  # translated as typed, once the typing pauses
    rows = wait.until(lambda b: [r for r in b.find_elements(By.CSS_SELECTOR, "#rows tr")
                                 if r.get_attribute("data-line")] if "4 statements" in
                      b.find_element(By.ID, "status").text or "3 statements" in b.find_element(By.ID, "status").text
                      else None)
    lines = [int(r.get_attribute("data-line")) for r in rows]
    assert lines == [1, 2, 3, 4]
    cells = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in rows]
    assert cells[0][1] == "def area(width, height):" and cells[1][1].strip() == "if width > 0:"
    assert all(cells[i][2].strip() for i in range(3))
    assert "cannot parse" in cells[3][2] and "error" in rows[3].get_attribute("class")
    assert "bad" in browser.find_element(By.CSS_SELECTOR, "#gutter span:nth-child(4)").get_attribute("class")
    depths = [r.find_element(By.CSS_SELECTOR, "td.pseudo").value_of_css_property("padding-left") for r in rows[:3]]
    assert float(depths[0][:-2]) < float(depths[1][:-2]) < float(depths[2][:-2])

    row = rows[0]
    word = next(w for w in row.find_elements(By.CSS_SELECTOR, ".w[data-src]") if w.text.strip())
    ActionChains(browser).move_to_element(word).perform()
    wanted = sorted(set(word.get_attribute("data-src").split()))
    lit = row.find_elements(By.CSS_SELECTOR, ".t.on")
    assert sorted({t.get_attribute("data-key") for t in lit}) == wanted
    highlighted = " ".join(t.text for t in lit)
    assert highlighted and all(t.text in SNIPPET.splitlines()[0] for t in lit)

    shot = os.environ.get("PSEUDOGEN_SCREENSHOT")
    if shot:
        browser.save_screenshot(str(ROOT / shot) if not os.path.isabs(shot) else shot)

    token = row.find_elements(By.CSS_SELECTOR, ".t")[0]
    ActionChains(browser).move_to_element(token).perform()
    words = row.find_elements(By.CSS_SELECTOR, ".w.on")
    assert words and all(token.get_attribute("data-key") in w.get_attribute("data-src").split() for w in words)


def test_the_page_fits_a_phone(server, browser):
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    try:
        browser.get(server + "/")
        assert browser.execute_script("return window.innerWidth") <= 400
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390 + 1
        assert browser.find_element(By.ID, "translate").is_displayed()
    finally:
        browser.set_window_size(1400, 820)
