"""Following a login's links through the real app, and measuring pages at phone width."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit, urlunsplit

# Links a crawl does not follow: files and feeds (downloads, not pages), and leaving the session.
SKIPPED_PATH = re.compile(
    r"(/logout|/static/|/file$|/download$|\.(pdf|zip|xlsx|csv|ics|json|jwt|pem|png|svg)$)"
)
# One page per route: /cohorts/3 and /cohorts/4 are the same template with other rows.
_NUMBER = re.compile(r"/\d+(?=/|$|\.)")
_TOKEN = re.compile(r"/[A-Za-z0-9_-]{20,}(?=/|$|\.)")
_WEEK = re.compile(r"/\d{4}-W?\d{2}(-\d{2})?(?=/|$)")


def route_of(url: str) -> str:
    """The route pattern a URL belongs to (ids and tokens blanked, query keys kept)."""
    parts = urlsplit(url)
    path = _TOKEN.sub("/{token}", _WEEK.sub("/{week}", _NUMBER.sub("/{id}", parts.path)))
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


def same_origin_links(page, base_url: str) -> list[str]:
    """The page's same-origin links worth visiting, without fragments."""
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(link => link.href)"
    )
    origin = urlsplit(base_url).netloc
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or parts.netloc != origin:
            continue
        if SKIPPED_PATH.search(parts.path):
            continue
        found.append(urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")))
    return found


def crawl(page, base_url: str, start: str, visit, limit: int = 40) -> list[str]:
    """Visit ``start`` and every page reachable from it by links, one URL per route pattern.

    ``visit(page, url)`` runs on each loaded page; returns the URLs visited, in order.
    """
    queue = deque([start])
    seen_routes = {route_of(start)}
    visited = []
    while queue and len(visited) < limit:
        url = queue.popleft()
        response = page.goto(url)
        if response is None or response.status >= 400 or urlsplit(page.url).path == "/login":
            visited.append(f"{url} (status {response.status if response else '?'})")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue  # a feed or a file behind a page-like address (?format=json)
        visited.append(url)
        visit(page, url)
        for link in same_origin_links(page, base_url):
            route = route_of(link)
            if route not in seen_routes:
                seen_routes.add(route)
                queue.append(link)
    return visited


# The document wider than the window, and the outermost element sticking out past its right
# edge (inside a scrolling box an element overflows the box, not the page: not counted).
OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  const overflow = document.documentElement.scrollWidth - width;
  if (overflow <= 0) return null;
  const scrolls = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const x = getComputedStyle(up).overflowX;
      if (x !== 'visible') return true;
    }
    return false;
  };
  let worst = null, worstRight = 0, worstWidth = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 0.5 || box.width === 0) continue;
    if (scrolls(el)) continue;
    if (box.right > worstRight || (box.right === worstRight && box.width > worstWidth)) {
      worst = el; worstRight = box.right; worstWidth = box.width;
    }
  }
  let name = null;
  if (worst) {
    name = worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '') +
      [...worst.classList].map(c => '.' + c).join('');
    const text = (worst.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    if (text) name += ' "' + text + '"';
    name += ` (${Math.round(worstWidth)} px wide, right edge at ${Math.round(worstRight)})`;
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, element: name};
}"""


# Boxes that scroll sideways on their own (Bootstrap's .table-responsive around a table too wide
# for the screen): the page fits, but the row's action is off-screen until the reader scrolls.
SIDEWAYS_SCRIPT = """(allowed) => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const x = getComputedStyle(el).overflowX;
    if (x !== 'auto' && x !== 'scroll') continue;
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.closest(allowed) || el.querySelector(allowed)) continue;
    const named = e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('');
    let name = named(el);
    if (el.firstElementChild) name += ' > ' + named(el.firstElementChild);
    found.push(name + ' (' + el.scrollWidth + ' px in ' + el.clientWidth + ')');
  }
  return found;
}"""


def sideways_scrolling(page, allowed: str) -> list[str]:
    """The boxes on the page wider inside than out, except those inside ``allowed`` (a selector)."""
    return page.evaluate(SIDEWAYS_SCRIPT, allowed)


def horizontal_overflow(page) -> dict | None:
    """None when the page fits the window's width; else the widths and the widest offender."""
    return page.evaluate(OVERFLOW_SCRIPT)
