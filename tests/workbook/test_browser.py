"""The built site in a real browser: every link followed, no console error, the A09 page, every SVG drawn."""

from __future__ import annotations

import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from workbook_browser import FLAGS, ensure_chromium, serve
from workbook_support import ROOT

from failure_lab.workbook.build import Built
from failure_lab.workbook.pages import CHAPTERS

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip extra dev)")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

SCREENSHOT = ROOT / "build" / "workbook-a09.png"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """Headless chromium driven through chromedriver, with a fresh profile."""
    found = ensure_chromium()
    if isinstance(found, str):
        pytest.skip(found)
    chromium, chromedriver = found
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        *FLAGS,
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def site(built: Built) -> Iterator[str]:
    """The built site served on 127.0.0.1."""
    with serve(built.site) as base:
        yield base


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_every_page_reached_by_links_loads_without_console_errors_or_broken_links(
    browser: WebDriver, site: str, built: Built
) -> None:
    queue, seen, problems = [urljoin(site, "index.html")], set(), []
    fragments: set[tuple[str, str]] = set()
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        browser.get(page)
        for entry in browser.get_log("browser"):  # type: ignore[no-untyped-call]  # untyped in selenium
            if entry["level"] in ("SEVERE", "WARNING"):
                problems.append(f"{page}: console {entry['level']}: {entry['message']}")
        targets = [a.get_attribute("href") or "" for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")]
        resources = [
            element.get_attribute(attribute) or ""
            for selector, attribute in (("link[href]", "href"), ("script[src]", "src"), ("img[src]", "src"))
            for element in browser.find_elements(By.CSS_SELECTOR, selector)
        ]
        for target in [*targets, *resources]:
            if urlparse(target).netloc != urlparse(site).netloc:
                problems.append(f"{page}: leaves the site: {target}")
                continue
            address, fragment = urldefrag(target)
            if _status(address) != 200:
                problems.append(f"{page}: broken link {target}")
                continue
            if fragment:
                fragments.add((address, fragment))
            if target in targets and address.endswith(".html"):
                queue.append(address)
    for address, fragment in sorted(fragments):
        browser.get(address)
        if not browser.find_elements(By.ID, fragment):
            problems.append(f"{address}: no element with id {fragment!r}")
    assert not problems, "\n".join(problems)
    pages = {urldefrag(url)[0] for url in seen}
    assert pages == {urljoin(site, path.name) for path in built.site.glob("*.html")}


def test_every_svg_renders_with_a_size(browser: WebDriver, site: str, built: Built) -> None:
    counted = 0
    for path in sorted(built.site.glob("*.html")):
        browser.get(urljoin(site, path.name))
        for svg in browser.find_elements(By.CSS_SELECTOR, "svg"):
            size = browser.execute_script(
                "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", svg
            )
            assert size[0] > 0 and size[1] > 0, f"{path.name}: an SVG drawn at {size}"
            counted += 1
    timelines = sum(1 for ve in built.evidence.failure_modes for v in ve.variants if v.trace is not None)
    assert counted >= timelines + 1  # every counterexample's timeline, and the state model


def test_a09_page_shows_the_six_insights_with_their_invariants(
    browser: WebDriver, site: str, built: Built
) -> None:
    insights = tomllib.loads((CHAPTERS / "insights.toml").read_text(encoding="utf-8"))
    numbered = sorted((t["number"], t["heading"], fm_id) for fm_id, t in insights.items() if "number" in t)
    browser.get(urljoin(site, "a09.html"))
    sections = browser.execute_script(
        "return [...document.querySelectorAll('main h3')].map(h => {"
        "  let text = '', n = h.nextElementSibling;"
        "  while (n && n.tagName !== 'H3') {"
        "    text += (n instanceof SVGElement ? n.textContent : n.innerText) + '\\n';"
        "    n = n.nextElementSibling; }"
        "  return [h.innerText, text]; });"
    )
    assert [heading for heading, _ in sections] == [f"{n}. {heading}" for n, heading, _ in numbered]
    for (_, _, fm_id), (_, text) in zip(numbered, sections, strict=True):
        invariant = built.evidence.get(fm_id).failure_mode.invariant
        assert f"What catches it:\n{invariant}" in text
        assert "The bug is:" in text and "Lesson:" in text
        assert f"{invariant} violated" in text  # the label in its timeline
        for variant in built.evidence.get(fm_id).failure_mode.variants:
            assert f"Conformance of the whole state graph, {variant.name} variant: " in text
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, int(height) + 100)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    browser.set_window_size(1400, 1000)
