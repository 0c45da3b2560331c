"""The site of the real notes in Debian's Chromium: search ranks, glossary, link previews, tooltips, no errors.

Built once per session and served from 127.0.0.1; screenshots go to the git-ignored screenshots/ folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, expect

from tests.conftest import REPOSITORY, Site
from tests.site_helpers import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = REPO / "screenshots"
SEARCHES = {
    "E/M": "evaluation-and-management/evaluation-and-management/",
    "HCPCS": "code-sets/hcpcs-level-ii/",
    "ABN": "coverage/abn/",
    "CMS-1500": "claims/cms-1500/",
    "1500": "claims/cms-1500/",
    "99213": "evaluation-and-management/em-office-visits-2021/",
    "modifier 25": "modifiers/modifier-25/",
    "LCD": "coverage/lcd/",
    "timely filing": "claims/timely-filing/",
}


@pytest.fixture(scope="session")
def site_url(real_site: Site) -> str:
    return real_site.url


@dataclass
class Tab:
    """A page, and every console error and request to another host seen while it was open."""

    page: Page
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser: Browser, site_url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    tab = Tab(context.new_page())
    local = urlsplit(site_url).netloc

    def route(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local:
            route.continue_()
        else:
            tab.foreign.append(request.url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.errors.append(message.text)

    context.route("**/*", route)
    tab.page.on("console", console)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()
    assert not tab.errors, f"console errors: {tab.errors}"
    assert not tab.foreign, f"requests to other hosts: {tab.foreign}"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def search(page: Page, query: str) -> list[str]:
    """The result pages for `query`, best first (paths relative to the site, no query or fragment)."""
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    box.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item", state="detached")
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item")
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    return list(dict.fromkeys(urlsplit(href).path.lstrip("/") for href in hrefs))  # the site is served at /


def test_search_ranks_each_term_first(tab: Tab, site_url: str) -> None:
    tab.page.goto(site_url)
    ranks = {}
    for query, expected in SEARCHES.items():
        results = search(tab.page, query)
        ranks[query] = results.index(expected) + 1 if expected in results else None
        if query == "E/M":
            screenshot(tab.page, "search")
    assert ranks == dict.fromkeys(SEARCHES, 1), ranks


def test_glossary_letter_leads_to_the_note(tab: Tab, site_url: str) -> None:
    page = tab.page
    page.goto(site_url + "glossary/")
    screenshot(page, "glossary")
    page.locator(".kb-letters a", has_text="L").first.click()
    page.wait_for_url("**/glossary/#l")
    expect(page.locator("h2#l")).to_be_in_viewport()
    page.locator("h2#l ~ ul a.kb-term", has_text="LCD").first.click()
    page.wait_for_url("**/coverage/lcd/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^LCD "))  # instant navigation swaps it in


def test_hovering_a_wikilink_shows_the_target_preview(tab: Tab, site_url: str) -> None:
    page = tab.page
    page.goto(site_url + "coverage/abn/")
    link = page.locator("article p a[href*='medicare-advantage']").first
    title = link.inner_text()
    link.hover()
    preview = page.locator(".md-tooltip2 h3").first
    preview.wait_for()
    screenshot(page, "preview")
    assert preview.inner_text().replace("¶", "").strip() == title


def test_acronyms_show_their_expansion_on_hover(tab: Tab, site_url: str) -> None:
    page = tab.page
    page.goto(site_url + "coverage/abn/")
    page.locator("article p abbr", has_text="OMB").first.hover()
    tooltip = page.locator(".md-tooltip2", has_text="Office of Management and Budget")
    expect(tooltip).to_have_css("opacity", "1")  # faded in
    screenshot(page, "tooltip")


def test_note_page_shows_names_codes_place_and_edit_link(tab: Tab, site_url: str) -> None:
    page = tab.page
    page.goto(site_url + "coverage/abn/")
    screenshot(page, "note")
    facts = page.locator("article .kb-facts").inner_text()
    assert "Also known as" in facts and "CMS-R-131" in facts and "GZ" in facts
    assert page.locator(".md-path__link").all_inner_texts() == ["Home", "Coverage"]
    active = page.locator(".md-nav--primary .md-nav__item--active > .md-nav__container > a")
    assert active.inner_text().strip() == "Coverage"
    assert page.locator("a[rel=edit]").get_attribute("href") == f"{REPOSITORY}/edit/main/notes/coverage/abn.md"
    assert page.locator(".md-nav--primary a[href*='abn']").count() == 0  # folders are listed, not notes


def test_home_page_and_dark_mode(tab: Tab, site_url: str) -> None:
    page = tab.page
    page.goto(site_url)
    screenshot(page, "home")
    assert page.locator(".md-nav--primary").get_by_role("link", name="Claims", exact=True).is_visible()
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {scheme!r}")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    screenshot(page, "home-dark")
