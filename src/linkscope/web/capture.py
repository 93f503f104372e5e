"""The evidence behind a backlink: the archived referring page, with the link highlighted.

Every link row names the WARC record it was read from (warc_file, warc_offset). The web UI
shows that record's page inside a sandboxed frame, made safe to show:

- only a record that the index names for that very link is read (no file or offset is taken
  from a request without that check), and only from a local file;
- the page is served with a Content-Security-Policy that runs no script and loads nothing
  (`default-src 'none'`, `sandbox`), and the frame that shows it is sandboxed too;
- scripts, frames, objects, refreshes and `<base>` are removed, forms lose their action, and
  every link points at a fragment of the page (its URL kept in its title), so that nothing
  in it can make a request out, even when clicked;
- the links to the target are marked and the first gets the id `linkscope-link`, which the
  frame's URL scrolls to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from linkscope.errors import UsageError
from linkscope.extract.charset import decode_body
from linkscope.store.catalog import IndexReader
from linkscope.urls import clean_href, normalize, registrable_domain, resolve, split_host

CAPTURE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox")
REMOVED = ("script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
           "base", "link", "meta[http-equiv]", "portal")
HIGHLIGHT = ("<style>.linkscope-link{outline:3px solid #c2410c;outline-offset:2px;"
             "background:#fde68a;color:#111}</style>")
MARK = "linkscope-link"


@dataclass(frozen=True)
class Capture:
    source: str
    target: str
    warc_file: str
    warc_offset: int
    fetch_time: str | None
    status: int
    html: str  # the page, made safe to show, with the link marked
    marked: int  # how many links to the target were found and marked


def find_capture(reader: IndexReader, source: str, target: str, warc_file: str,
                 warc_offset: int) -> None:
    """Check that the index holds a link from `source` to `target` read from that record;
    UsageError naming the parameter otherwise."""
    target_url = normalize(target)
    if target_url is None:
        raise UsageError(f"not an http(s) URL: {target!r}", where="target")
    domain = registrable_domain(split_host(target_url))
    found = reader.con.execute("""
        SELECT count(*) FROM links WHERE target_domain IS NOT DISTINCT FROM ? AND target = ?
        AND source = ? AND warc_file = ? AND warc_offset = ?""",
                               [domain, target_url, source, warc_file, warc_offset]).fetchall()
    if not found[0][0]:
        raise UsageError("the index has no link from this source to this target read from "
                         "that capture", where="warc_offset")


def read_capture(source: str, target: str, warc_file: str, warc_offset: int) -> Capture:
    """Read one archived page and make it safe to show (see the module's docstring)."""
    from linkscope.warc.pages import WarcPage, iter_fetched_pages

    if "://" in warc_file or not Path(warc_file).is_file():
        raise UsageError(f"the capture is in {warc_file}, which is not a local file here",
                         where="warc_file")
    errors: list[str] = []
    page = next((item for item in iter_fetched_pages(
        warc_file, on_error=lambda e: errors.append(e.one_line()), start=warc_offset,
        stop=warc_offset + 1) if isinstance(item, WarcPage)), None)
    if page is None:
        reason = errors[0] if errors else "no page at that offset"
        raise UsageError(f"cannot read the capture: {reason}", where="warc_offset")
    text, _ = decode_body(page.body, page.content_type)
    safe, marked = make_safe(text, page.url, target)
    return Capture(source, target, warc_file, warc_offset, page.fetch_time, page.status, safe,
                   marked)


def make_safe(text: str, page_url: str, target: str) -> tuple[str, int]:
    """The page without anything that runs or loads, its links to `target` marked."""
    tree = LexborHTMLParser(text)
    base = page_url
    first_base = tree.css_first("base[href]")
    if first_base is not None:
        base = resolve(clean_href(first_base.attributes.get("href") or ""), page_url) or page_url
    for selector in REMOVED:
        for node in tree.css(selector):
            node.decompose()
    for form in tree.css("form"):
        if "action" in form.attributes:
            del form.attrs["action"]
    wanted = normalize(target)
    marked = 0
    for node in tree.css("[src], [srcset]"):
        for attribute in ("src", "srcset"):
            if attribute in node.attributes:
                del node.attrs[attribute]
    for node in tree.css("a[href], area[href]"):
        href = node.attributes.get("href") or ""
        url = resolve(clean_href(href), base)
        is_target = url is not None and normalize(url) == wanted
        node.attrs["title"] = url or href
        node.attrs["href"] = f"#{MARK}" if is_target else "#"
        if is_target:
            if not marked:
                node.attrs["id"] = MARK
            node.attrs["class"] = f"{node.attributes.get('class') or ''} {MARK}".strip()
            marked += 1
    style = LexborHTMLParser(HIGHLIGHT).css_first("style")
    head = tree.head
    if head is not None and style is not None:
        head.insert_child(style)
    page = tree.html or ""
    if head is None:
        page = HIGHLIGHT + page
    return page, marked
