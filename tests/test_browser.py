"""End to end in a real headless browser: search, open a plan, see and follow the highlights.

Drives Debian's chromium (`make browser-deps` installs it) through Playwright with the system
browser; Playwright's own browser download is never used. A missing or broken browser fails
these tests loudly: they never skip.
"""
from __future__ import annotations

import os
import shutil

import pytest

from test_web import start_server

CHROMIUM = os.environ.get("KEHOACH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser-deps` (apt-get install chromium) "
                    "or set KEHOACH_CHROMIUM", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    httpd, url = start_server(tmp_path_factory.mktemp("browser"))
    yield url
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context()
    p = ctx.new_page()
    p.set_default_timeout(15000)
    dialogs = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs
    yield p
    ctx.close()


def test_browser_search_open_plan_and_see_highlights(site, page):
    page.goto(site + "/")
    page.fill("input[name=q]", "thanh nien khoi nghiep")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.hit")
    assert page.locator("article.hit").count() == 1
    assert page.locator("article.hit mark").first.inner_text() == "thanh niên khởi nghiệp"
    page.click("article.hit h2 a")
    page.wait_for_selector("#plan-text")
    text = page.locator("#plan-text")
    for kind in ("target", "date", "legal", "body", "assignment"):
        assert text.locator(f"a.fact.k-{kind}").count() >= 1, kind
    # The target's highlight is visibly coloured and leads to its list entry with its owner.
    target = text.locator("a.fact.in-target").first
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    target.click()
    page.wait_for_url("**#target-t1")
    entry = page.locator("li#target-t1")
    assert "Tỉnh Đoàn" in entry.inner_text()
    # A legal reference links to the cited plan, which lists this plan among those citing it.
    page.click("#legal-refs a.cited")
    page.wait_for_selector("#cited-by")
    assert "2763" in page.locator("h1").inner_text()
    assert "14" in page.locator("#cited-by").inner_text()


def test_browser_plan_text_shows_script_as_text(site, page):
    page.goto(site + "/?q=alert")
    page.click("article.hit h2 a")
    page.wait_for_selector("#plan-text")
    assert '<script>alert("xss")</script>' in page.locator("#plan-text").inner_text()
    assert page.dialogs == []
    assert page.locator("#plan-text b").count() == 0


def test_browser_facets_and_malformed_query(site, page):
    page.goto(site + "/?q=thanh+nien")
    page.select_option("select[name=doc_type]", "Quyết định")
    page.click("button[type=submit]")
    page.wait_for_selector("#count")
    assert page.locator("#count").inner_text().startswith("1 kế hoạch")
    assert "2763" in page.locator("article.hit .meta").inner_text()
    page.goto(site + "/?q=%22thanh+nien")
    assert "ngoặc kép" in page.locator("[role=alert]").inner_text()
