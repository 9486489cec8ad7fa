"""The web page of ``newsmt serve`` in a real headless browser: Debian's chromium driven by Selenium
through Debian's chromedriver (``make setup`` installs both; never a downloaded browser build).

Loads ``/``, pastes the sample article, translates it, and checks the aligned sentences with their
flags (each explained by the legend), the summary's links to its source sentences, and the
JSONL/TMX/XLIFF downloads; on a server that requires keys, the key field (kept in the browser).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from serving import CONFIG, LiveServer

from newsmt.config import load_config
from newsmt.serve import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SCREENSHOT = os.environ.get("NEWSMT_SCREENSHOT")  # a path: save what the browser showed


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("chromium and chromedriver are not installed (make setup installs them)")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager fetch anything
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1600", "--no-first-run", "--disable-extensions"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server():
    with LiveServer(create_app(load_config(CONFIG), log_json=False)) as s:
        yield s


def test_page_translates_the_sample_article(browser, server, sample_article):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 90)
    browser.get(server.url + "/")
    assert browser.title == "newsmt"
    wait.until(lambda d: len(Select(d.find_element(By.ID, "tgt")).options) > 0)
    Select(browser.find_element(By.ID, "src")).select_by_value("en")
    Select(browser.find_element(By.ID, "tgt")).select_by_value("pt")
    text = sample_article.read_text(encoding="utf-8")
    # and one run-on sentence (three of the article's joined by semicolons) that the engine must split: a flag
    from newsmt.segment import split_sentences

    firsts = [text[a:b].rstrip(".") for a, b in split_sentences(text, "en")[1:4]]
    text = text.rstrip("\n") + "\n\n" + "; ".join(" ".join(f.split()) for f in firsts) + ".\n"
    area = browser.find_element(By.ID, "text")
    browser.execute_script("arguments[0].value = arguments[1];", area, text)  # paste
    browser.find_element(By.ID, "translate").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "Done"))

    # the same record the API gives
    record = json.loads(browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('/v1/articles', {method: 'POST', headers: {'Content-Type': 'application/json'},
          body: JSON.stringify({text: arguments[0], format: 'auto', src: 'en', tgt: 'pt', summarize: true})})
          .then(r => r.text()).then(done);""", text))
    sentences = [s for p in record["paragraphs"] for s in p["sentences"]]
    rows = browser.find_elements(By.CSS_SELECTOR, "#aligned tbody tr.sentence")
    assert len(rows) == len(sentences) > 5
    for row, s in zip(rows, sentences):
        cells = row.find_elements(By.TAG_NAME, "td")
        assert cells[0].text == s["id"]
        assert " ".join(cells[1].text.split()) == " ".join(s["text"].split())
        tr = record["translations"].get(s["id"])
        if tr:
            assert cells[2].text == tr["text"]
            assert [f.text for f in cells[3].find_elements(By.CSS_SELECTOR, ".flag")] == tr["flags"]
    flagged = [s["id"] for s in sentences if record["translations"].get(s["id"], {}).get("flags")]
    shown = [r.get_attribute("id")[2:] for r in rows if r.find_elements(By.CSS_SELECTOR, ".flag")]
    assert shown == flagged and flagged  # the run-on sentence at least
    assert "split" in rows[-1].find_element(By.CSS_SELECTOR, "td.flags").text
    # every flag shown is explained: a tooltip, and a line of the legend
    legend = {dt.text: dt.find_element(By.XPATH, "following-sibling::dd[1]").text
              for dt in browser.find_elements(By.CSS_SELECTOR, "#legend dt")}
    for chip in browser.find_elements(By.CSS_SELECTOR, "#aligned .flag"):
        assert chip.text in legend and chip.get_attribute("title") == legend[chip.text] and len(legend[chip.text]) > 20
    assert not browser.find_element(By.ID, "key-field").is_displayed()  # this server wants no key

    # the summary links to its source sentences
    links = browser.find_elements(By.CSS_SELECTOR, "#summaries a.source-link")
    assert links and not browser.find_element(By.ID, "summary-section").get_attribute("hidden")
    ids = {s["id"] for s in sentences}
    assert all(a.get_attribute("href").split("#s-")[1] in ids for a in links)
    links[0].click()
    target = links[0].get_attribute("href").split("#")[1]
    assert "highlight" in browser.find_element(By.ID, target).get_attribute("class")

    # downloads: the page's buttons post the record to /v1/render
    for fmt, marker in (("jsonl", '"src"'), ("tmx", "<tmx"), ("xliff", "<xliff")):
        body = browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/v1/render?format=' + arguments[0], {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: arguments[1]}).then(r => r.text()).then(done);""", fmt, json.dumps(record))
        assert marker in body, fmt
    assert len(browser.find_elements(By.CSS_SELECTOR, "button.download")) >= 3

    # nothing external: every script and stylesheet is served by the page's own origin
    for el in browser.find_elements(By.CSS_SELECTOR, "script[src], link[rel=stylesheet]"):
        src = el.get_attribute("src") or el.get_attribute("href")
        assert src.startswith(server.url), src
    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"] if hasattr(browser, "get_log") else []
    assert not errors, errors
    if SCREENSHOT:
        browser.save_screenshot(str(Path(SCREENSHOT)))


def test_page_shows_errors(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server.url + "/")
    WebDriverWait(browser, 60).until(lambda d: len(Select(d.find_element(By.ID, "tgt")).options) > 0)
    browser.execute_script("document.getElementById('text').value = 'Hello.'; document.getElementById('src').innerHTML = "
                           "'<option value=\"xx\">xx</option>';")
    browser.find_element(By.ID, "translate").click()
    WebDriverWait(browser, 30).until(EC.text_to_be_present_in_element((By.ID, "status"), "Error"))
    assert "not supported" in browser.find_element(By.ID, "status").text


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys") / "keys.txt"
    keys.write_text("page-key\n", encoding="utf-8")
    with LiveServer(create_app(load_config(CONFIG), log_json=False, api_keys=keys, require_api_key=True)) as s:
        yield s


def test_page_sends_the_key_kept_in_the_browser(browser, keyed_server):
    """A server that requires keys: the page shows the key field; without a key the server's
    refusal is shown; with it the article is translated; the key stays in this browser's storage
    (a reload keeps it) and is sent to this server alone."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 60)
    browser.get(keyed_server.url + "/")
    browser.execute_script("localStorage.clear();")
    browser.get(keyed_server.url + "/")
    wait.until(lambda d: d.find_element(By.ID, "key-field").is_displayed())
    browser.execute_script("document.getElementById('text').value = arguments[0];",
                           "Heavy rain caused flooding in several neighbourhoods overnight.")
    browser.find_element(By.ID, "translate").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "Error"))
    assert "API key" in browser.find_element(By.ID, "status").text
    browser.find_element(By.ID, "apikey").send_keys("page-key")
    browser.find_element(By.ID, "translate").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "Done"))
    assert browser.find_elements(By.CSS_SELECTOR, "#aligned tbody tr.sentence")
    assert browser.execute_script("return localStorage.getItem('newsmt.apiKey');") == "page-key"
    browser.refresh()
    wait.until(lambda d: d.find_element(By.ID, "apikey").get_attribute("value") == "page-key")
    assert "connect-src 'self'" in browser.execute_script(
        "return fetch('/').then(r => r.headers.get('content-security-policy'));")
