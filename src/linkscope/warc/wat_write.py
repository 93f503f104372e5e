"""Derive a WAT file from a WARC file, as Common Crawl's extractor writes one: `derive_wat`.

Common Crawl publishes, beside each WARC file, a WAT file made by the WAT generator of
ia-web-commons (webarchive-commons): a `warcinfo` record, then for every record of the WARC
one `metadata` record whose block is a JSON object (Content-Type `application/json`,
WARC-Refers-To the record's id). Its layout, as far as linkscope reads it:

    Container      Filename, Compressed, Offset          where the record lies in the WARC
    Envelope       Format, WARC-Header-Length, WARC-Header-Metadata {every WARC header}
      Payload-Metadata
        Actual-Content-Type          "application/http; msgtype=response" (or request, ...)
        HTTP-Response-Metadata       Response-Message {Version, Status, Reason}, Headers
                                     (a repeated header becomes a list), Headers-Length,
                                     Entity-Length, Entity-Digest
          HTML-Metadata              for an HTML payload only:
            Head    Title, Base (the last <base href>), Metas [{name|http-equiv|property|
                    rel, content}], Link [{path: "LINK@/href", url, rel, type}],
                    Scripts [{path: "SCRIPT@/src", url, type}]
            Links   [{path: "A@/href", url, text, rel, title, target, ...},
                     {path: "IMG@/src", url, alt, title}, {path: "AREA@/href", url, rel},
                     {path: "FORM@/action", url, method, target}, {path: "IFRAME@/src", url},
                     ...] in the order the extractor met them: an <a> is listed when its
                    end tag is seen, so the entries inside it (an <img>) come before it, and
                    an <a> never closed is not listed.

The page is read by the standard library's streaming `html.parser`, a lexer like the
extractor's (no tree, no HTML5 tree repair), and the rules above are applied to its tags:
this is a separate road from linkscope's extraction (selectolax/lexbor and the tree pass), so
that ingesting a derived WAT and ingesting its WARC cross-check each other. The WARC is read
by warcio, not by linkscope.warc. Not derived: the extractor's links from onclick handlers,
CSS `url()`s in <style>, Gzip-Metadata, digests other than the entity's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

__all__ = ["derive_wat", "html_metadata"]

TEXT_LIMIT = 128  # characters of anchor text the extractor keeps
HTML_PAYLOAD_TYPES = ("text/html", "application/xhtml+xml")

# closing one of these puts a space between the words of an open anchor (as the extractor)
_SPACING = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "canvas", "caption",
    "col", "colgroup", "dd", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "map",
    "noscript", "object", "ol", "output", "p", "pre", "progress", "section", "table", "tbody",
    "textarea", "tfoot", "th", "thead", "title", "tr", "ul", "video",  # blocks
    "cite", "details", "datalist", "iframe", "img", "input", "label", "legend", "optgroup", "q",
    "select", "summary", "td", "time"})  # inline, but not run into the words around them
# tag: (the attribute holding a URL, the attributes recorded with it); one entry per URL
_EMBEDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "applet": (("codebase", ()), ("cdata", ())),
    "area": (("href", ("rel",)),),
    "button": (("formaction", ()),),
    "embed": (("src", ()),),
    "form": (("action", ("target", "method")),),
    "frame": (("src", ()),),
    "iframe": (("src", ()),),
    "img": (("src", ("alt", "title")), ("longdesc", ())),
    "input": (("src", ()), ("formaction", ())),
    "menuitem": (("icon", ()),),
    "object": (("codebase", ()), ("cdata", ()), ("data", ())),
    "q": (("cite", ()),), "blockquote": (("cite", ()),), "del": (("cite", ()),),
    "ins": (("cite", ()),),
    "video": (("src", ()), ("poster", ())),
    "audio": (("src", ()),), "track": (("src", ()),), "source": (("src", ()),),
}
_ANCHOR_ATTRS = ("target", "alt", "title", "rel", "hreflang", "type")
_GLOBAL_URL_ATTRS = ("background", "data-href", "data-uri")
_META_ATTRS = ("name", "rel", "content", "http-equiv", "property")
_SPACES = re.compile(r"[\s\x00-\x1f\x7f\xa0]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class _Observer(HTMLParser):
    """The extractor's rules on the events of a streaming parse of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: dict[str, Any] = {}
        self.links: list[dict[str, str]] = []
        self.open_anchors: list[tuple[dict[str, str] | None, list[str]]] = []
        self.in_head = self.in_title = self.in_svg = False
        self.in_code = 0  # inside <script> or <style>: their text is not page text
        self.title: str | None = None

    def metadata(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.head:
            found["Head"] = self.head
        if self.links:
            found["Links"] = self.links
        return found

    def _append(self, key: str, entry: dict[str, str]) -> None:
        self.head.setdefault(key, []).append(entry)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, empty=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, empty=False)

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], empty: bool) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:  # the first of a repeated attribute counts
            if value is not None and name not in values:
                values[name] = value
        if tag == "head":
            self.in_head = True
        elif tag == "title":
            self.in_title = not empty
            return
        elif tag == "svg":
            self.in_svg = True
        elif tag == "body":
            self.in_head = False
        elif tag in ("script", "style") and not empty:
            self.in_code += 1
        for name in _GLOBAL_URL_ATTRS:
            if name in values:
                self.links.append({"path": f"{tag.upper()}@/{name}", "url": values[name]})
        if tag == "a":
            entry = _entry("A", "href", values, _ANCHOR_ATTRS)
            if empty:
                if entry is not None:
                    self.links.append(entry)
            else:
                self.open_anchors.append((entry, []))
        elif tag in _EMBEDS:
            for attr, extra in _EMBEDS[tag]:
                entry = _entry(tag.upper(), attr, values, extra)
                if entry is not None:
                    self.links.append(entry)
        elif tag == "base":
            if "href" in values:
                self.head["Base"] = values["href"]  # a later <base> replaces an earlier one
        elif tag == "link":
            entry = _entry("LINK", "href", values, ("rel", "type"))
            if entry is not None:
                self._append("Link", entry)
        elif tag == "script":
            entry = _entry("SCRIPT", "src", values, ("type",))
            if entry is not None:
                self._append("Scripts", entry)
        elif tag == "meta":
            meta = {name: values[name] for name in _META_ATTRS if name in values}
            if meta:
                self._append("Metas", meta)
        elif tag == "html":
            for name in ("lang", "xml:lang"):
                if name in values:
                    self._append("Metas", {"name": f"HTML@/{name}", "content": values[name]})

    def handle_endtag(self, tag: str) -> None:
        if self.in_title:
            self.in_title = False
            keep = not self.in_svg and (self.in_head or "Title" not in self.head)
            if keep and self.title is not None:
                self.head["Title"] = self.title
            self.title = None
        if tag in _SPACING:
            for _, text in self.open_anchors:
                text.append(" ")
        if tag == "a":
            if self.open_anchors:
                entry, text = self.open_anchors.pop()
                if entry is not None:
                    words = "".join(text).strip()[:TEXT_LIMIT]
                    if words:
                        entry["text"] = words
                    self.links.append(entry)
        elif tag == "head":
            self.in_head = False
        elif tag == "svg":
            self.in_svg = False
        elif tag in ("script", "style") and self.in_code:
            self.in_code -= 1

    def handle_data(self, data: str) -> None:
        if self.in_code:
            return
        text = _SPACES.sub(" ", data)
        if self.in_title:
            self.title = text.strip()[:TEXT_LIMIT]
        for _, pieces in self.open_anchors:
            pieces.append(text)


def _entry(tag: str, attr: str, values: dict[str, str],
           extra: tuple[str, ...]) -> dict[str, str] | None:
    if attr not in values:
        return None
    entry = {"path": f"{tag}@/{attr}", "url": values[attr]}
    entry.update((name, values[name]) for name in extra if name in values)
    return entry


def html_metadata(html: str) -> dict[str, Any]:
    """The HTML-Metadata object the WAT extractor writes for one page's text."""
    observer = _Observer()
    observer.feed(html)
    observer.close()
    return observer.metadata()


def _decode(body: bytes, content_type: str) -> str:
    """The page's text: the charset of the Content-Type, else of a <meta>, else UTF-8."""
    found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    charset = found.group(1) if found else None
    if charset is None:
        meta = _META_CHARSET.search(body[:4096])
        charset = meta.group(1).decode("ascii") if meta else "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _headers_object(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Headers as the extractor writes them: a repeated name holds a list of its values."""
    found: dict[str, Any] = {}
    for name, value in pairs:
        if name in found:
            held = found[name]
            found[name] = [*held, value] if isinstance(held, list) else [held, value]
        else:
            found[name] = value
    return found


def _first(pairs: list[tuple[str, str]], wanted: str) -> str:
    return next((value for name, value in pairs if name.lower() == wanted), "")


def _is_html(warc_headers: list[tuple[str, str]], http_headers: list[tuple[str, str]]) -> bool:
    identified = _first(warc_headers, "warc-identified-payload-type")
    if identified:
        return identified.lower() in HTML_PAYLOAD_TYPES
    return "html" in _first(http_headers, "content-type").lower()


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _envelope(record: Any, warc_name: str) -> dict[str, Any]:
    warc_headers = record.rec_headers.headers
    payload: dict[str, Any] = {"Actual-Content-Type": _first(warc_headers, "content-type")}
    envelope: dict[str, Any] = {
        "Format": "WARC",
        "WARC-Header-Metadata": _headers_object(warc_headers),
        "Payload-Metadata": payload,
    }
    http = record.http_headers
    if http is not None and record.rec_type in ("response", "revisit") \
            and http.protocol.upper().startswith("HTTP"):
        status, _, reason = http.statusline.partition(" ")
        body = record.content_stream().read()
        response: dict[str, Any] = {
            "Response-Message": {"Version": http.protocol, "Status": status,
                                 "Reason": reason},
            "Headers": _headers_object(http.headers),
            "Entity-Length": str(len(body)),
            "Entity-Digest": _sha1(body),
        }
        if _is_html(warc_headers, http.headers):
            response["HTML-Metadata"] = html_metadata(
                _decode(body, _first(http.headers, "content-type")))
        payload["Actual-Content-Type"] = "application/http; msgtype=response"
        payload["HTTP-Response-Metadata"] = response
    elif http is not None and record.rec_type == "request":
        method, _, rest = http.statusline.partition(" ")
        path, _, version = rest.rpartition(" ")
        payload["HTTP-Request-Metadata"] = {
            "Request-Message": {"Method": method, "Path": path or rest, "Version": version},
            "Headers": _headers_object(http.headers)}
    return {"Container": {"Filename": warc_name, "Compressed": warc_name.endswith(".gz")},
            "Envelope": envelope}


def derive_wat(warc_path: Path, wat_path: Path) -> int:
    """Write the WAT of the WARC file at `warc_path` to `wat_path` (gzip, a member per
    record) and return the number of records written, the warcinfo record included."""
    warc_name = Path(warc_path).name
    written = 0
    with open(warc_path, "rb") as source, open(wat_path, "wb") as target:
        writer = WARCWriter(target, gzip=True, warc_version="1.0")
        info = writer.create_warcinfo_record(
            Path(wat_path).name, {"Software-Info": "linkscope wat_write (ia-web-commons layout)",
                                  "Extracted-Date": datetime.now(UTC).strftime(
                                      "%a, %d %b %Y %H:%M:%S GMT"),
                                  "format": "WARC File Format 1.0"})
        writer.write_record(info)
        written += 1
        records = ArchiveIterator(source, arc2warc=True)
        for record in records:
            document = _envelope(record, warc_name)
            # warcio knows the offset once the record has been read, not before
            document["Container"]["Offset"] = str(records.get_record_offset())
            target_uri = record.rec_headers.get_header("WARC-Target-URI") or \
                record.rec_headers.get_header("WARC-Filename") or ""
            refers = record.rec_headers.get_header("WARC-Record-ID") or ""
            block = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
            headers = StatusAndHeaders("", [
                ("WARC-Type", "metadata"),
                ("WARC-Target-URI", target_uri),
                ("WARC-Date", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
                ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"),
                *([("WARC-Refers-To", refers)] if refers else []),
                ("Content-Type", "application/json"),
            ], protocol="WARC/1.0")
            writer.write_record(writer.create_warc_record(
                target_uri, "metadata", payload=BytesIO(block), warc_headers=headers,
                length=len(block)))
            written += 1
    return written
