"""A page at phone width: what runs past the right edge, where the title starts, which
pages lie within two clicks of home."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TITLE_WITHIN = 240  # px from the top of the page
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# The document's width, every visible element whose box ends past the right edge (none may,
# and the check does not hide overflow), and where the page's title starts.
LAYOUT = """() => {
  const width = window.innerWidth;
  const past = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    if (box.right <= width + 0.5) continue;
    const classes = typeof el.className === "string" ? el.className.trim() : "";
    past.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (classes ? "." + classes.split(/\\s+/).join(".") : "")
      + " → " + Math.round(box.right) + " px");
  }
  const title = document.querySelector("main h1");
  return {
    document: document.documentElement.scrollWidth,
    past: past.slice(0, 5),
    title: title ? Math.round(title.getBoundingClientRect().top + window.scrollY) : null,
  };
}"""

# Links that leave the page's HTML (downloads) or end the session.
NOT_PAGES = re.compile(r"(\.csv|\.xlsx|\.pdf|/download|/unduh|/export|/logout|/static/)")


def layout(page: Page) -> dict:
    return page.evaluate(LAYOUT)


def layout_problems(page: Page) -> list[str]:
    """What is wrong with the page's layout at phone width; empty when it fits."""
    found = layout(page)
    problems = []
    if found["document"] > PHONE["width"]:
        problems.append(f"the document is {found['document']} px wide")
    problems += [f"runs past the edge: {p}" for p in found["past"]]
    if found["title"] is None:
        problems.append("no title (main h1)")
    elif found["title"] > TITLE_WITHIN:
        problems.append(f"the title starts {found['title']} px down")
    return problems


def page_links(page: Page) -> list[str]:
    """The portal pages this page links to (paths with their query), in order."""
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
    )
    return [h for h in dict.fromkeys(hrefs) if h.startswith("/") and not NOT_PAGES.search(h)]


def shape(path: str) -> str:
    """A page's kind: its path with numbers as N and no query (one person's page stands
    for every person's)."""
    return re.sub(r"/\d+", "/N", urlsplit(path).path)


def within_two_clicks(page: Page) -> list[str]:
    """One page of each kind linked from home, or from a page linked from home."""
    page.goto("/")
    first = page_links(page)
    chosen = {shape("/"): "/"}
    for path in first:
        chosen.setdefault(shape(path), path)
    for path in first:
        page.goto(path)
        for second in page_links(page):
            chosen.setdefault(shape(second), second)
    return list(chosen.values())


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
