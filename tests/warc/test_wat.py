"""WAT files: read, turned into pages and links, cross-checked against the WARC they came from.

The cross-check: `derive_wat` writes a WAT from a real WARC by its own road (warcio and the
standard library's html.parser, as Common Crawl's extractor lays a WAT out), and ingesting
that WAT must give the links that ingesting the WARC gives (linkscope's lexbor extraction).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import shared_data

from linkscope.extract import extract_page
from linkscope.extract.wat import extract_wat
from linkscope.records import Fetch, FetchedPage, Link, LinkKind, Placement
from linkscope.store import IndexDir, ingest, open_index
from linkscope.warc import iter_fetched_pages, iter_records
from linkscope.warc.wat import is_wat, iter_wat_pages
from linkscope.warc.wat_write import derive_wat, html_metadata

REAL_WARCS = [("resiliparse", "warcfile.warc.gz"), ("resiliparse", "clueweb-quirk.warc.gz"),
              ("pywb", "iana.warc.gz"), ("pywb", "example.warc.gz"),
              ("cc-whirlwind", "whirlwind.warc.gz")]
LinkKey = tuple[str, str, str, bool, str]  # source, target, kind, follow, anchor


def page_links(source: str, wat: bool) -> dict[str, list[Link]]:
    """The links of each page of an archive, as ingest keeps them (the latest fetch of a URL;
    none for an error status)."""
    found: dict[str, list[Link]] = {}
    if wat:
        for page in iter_wat_pages(source, on_error=pytest.fail):
            result = extract_wat(page, page.metadata)
            found[result.page.url] = result.links if page.status < 400 else []
        return found
    for item in iter_fetched_pages(source, on_error=lambda e: None):
        if not isinstance(item, Fetch):
            result = extract_page(item)
            found[result.page.url] = result.links if item.status < 400 else []
    return found


def keys(pages: dict[str, list[Link]]) -> set[LinkKey]:
    return {(link.source, link.target, str(link.kind), link.follow, link.anchor)
            for links in pages.values() for link in links}


@pytest.mark.parametrize(("folder", "name"), REAL_WARCS)
def test_a_derived_wat_gives_the_links_of_its_warc(tmp_path: Path, folder: str,
                                                    name: str) -> None:
    warc = str(shared_data("warc", folder, name))
    wat = tmp_path / (name.removesuffix(".warc.gz") + ".warc.wat.gz")
    written = derive_wat(Path(warc), wat)
    # a warcinfo record, then one record for each record of the WARC
    assert written == 1 + sum(1 for _ in iter_records(warc)) == len(list(iter_records(str(wat))))
    from_warc, from_wat = page_links(warc, wat=False), page_links(str(wat), wat=True)
    assert from_wat.keys() == from_warc.keys()
    # followed links of every kind, compared as (source, target, kind)
    warc_links = {k[:3] for k in keys(from_warc) if k[3]}
    wat_links = {k[:3] for k in keys(from_wat) if k[3]}
    assert warc_links, "a WARC of the cross-check has links"
    # The one principled difference: an <a> without text right after an <img> that is not
    # inside it (`<img src=flag.gif> <a href=x></a>`, MediaWiki's "magnify" links). The WAT
    # lists both the same way as an <a> around an <img> (IMG@/src, then A@/href without
    # text), so WAT ingest calls it an image link where the WARC's tree says text.
    for source, target, kind in warc_links - wat_links:
        assert kind == "text" and (source, target, "image") in wat_links
        assert any(k[:3] == (source, target, "text") and k[4] == ""
                   for k in keys(from_warc)), "only an <a> without text can be taken so"
    for source, target, kind in wat_links - warc_links:
        assert kind == "image" and (source, target, "text") in warc_links
    assert len(warc_links ^ wat_links) <= 2
    # each page's number of links, nofollow ones included, is the same
    assert {u: len(v) for u, v in from_wat.items()} == {u: len(v) for u, v in from_warc.items()}
    # body links have no known placement; head links and redirects keep `header`
    for links in from_wat.values():
        for link in links:
            body = link.kind in (LinkKind.TEXT, LinkKind.IMAGE, LinkKind.FRAME, LinkKind.FORM)
            assert link.placement is (Placement.UNKNOWN if body else Placement.HEADER)


def test_ingesting_a_derived_wat_indexes_what_ingesting_the_warc_does(tmp_path: Path) -> None:
    warc = str(shared_data("warc", "pywb", "iana.warc.gz"))
    wat = tmp_path / "iana.warc.wat.gz"
    derive_wat(Path(warc), wat)
    for name, source in (("warc", warc), ("wat", str(wat))):
        report = ingest(tmp_path / name, [source], workers=1)
        assert not report.failed and report.published
    queries = {
        "pages": "SELECT url, status, title, fetch_time FROM pages ORDER BY url",
        # a link's identity holds its placement: two links to one target that the WARC
        # places apart (nav, content) are one identity seen twice in the WAT (unknown)
        "links": "SELECT source, target, kind, follow, sum(occurrences) FROM links "
                 "WHERE follow GROUP BY ALL ORDER BY ALL",
    }
    found: dict[str, dict[str, Any]] = {}
    for name in ("warc", "wat"):
        with open_index(tmp_path / name) as index:
            found[name] = {key: index.con.execute(sql).fetchall()
                           for key, sql in queries.items()}
            placements = {row[0] for row in index.con.execute(
                "SELECT DISTINCT placement FROM links WHERE kind IN ('text', 'image')"
            ).fetchall()}
            assert placements == ({"unknown"} if name == "wat" else placements - {"unknown"})
    assert found["wat"] == found["warc"]
    assert len(found["wat"]["links"]) > 100


def test_the_real_whirlwind_wat_ingests_cleanly(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Common Crawl's own WAT of the whirlwind capture holds a request's metadata only: it
    is read without error and gives no page with links."""
    from linkscope.cli import main

    wat = str(shared_data("warc", "cc-whirlwind", "whirlwind.warc.wat.gz"))
    assert is_wat(wat)
    stats: Counter[str] = Counter()
    assert list(iter_wat_pages(wat, stats, on_error=pytest.fail)) == []
    assert stats["wat/files"] == 1 and stats["wat/skipped/request"] == 1
    assert stats["warc/errors"] == 0
    index = tmp_path / "idx"
    assert main(["--index", str(index), "ingest", wat, "--workers", "1", "--no-rank"]) == 0
    out, err = capsys.readouterr()
    assert "ingested 0 pages and 0 links from 1 source" in out and "error" not in err
    assert IndexDir(index).current() is not None


def response_metadata(url: str, links: list[dict[str, str]], head: dict[str, Any] | None = None,
                      status: str = "200", headers: dict[str, Any] | None = None,
                      warc_type: str = "response", date: str = "2024-05-18T01:58:10Z",
                      digest: str = "sha1:AAAA") -> dict[str, Any]:
    """The JSON of one WAT metadata record describing an HTTP response."""
    html: dict[str, Any] = {"Links": links}
    if head is not None:
        html["Head"] = head
    return {"Container": {"Filename": "x.warc.gz", "Offset": "0"}, "Envelope": {
        "Format": "WARC", "WARC-Header-Metadata": {
            "WARC-Type": warc_type, "WARC-Target-URI": url, "WARC-Date": date,
            "WARC-IP-Address": "127.0.0.9", "WARC-Payload-Digest": digest},
        "Payload-Metadata": {
            "Actual-Content-Type": "application/http; msgtype=response",
            "HTTP-Response-Metadata": {
                "Response-Message": {"Version": "HTTP/1.1", "Status": status, "Reason": "OK"},
                "Headers": headers or {"Content-Type": "text/html; charset=UTF-8"},
                "Entity-Length": "1234", "HTML-Metadata": html}}}}


def write_wat(path: Path, blocks: list[bytes]) -> Path:
    """A WAT file: a warcinfo record, then a metadata record per block (a gzip member each)."""
    records = [b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Type: application/warc-fields\r\n"
               b"Content-Length: 0\r\n\r\n\r\n\r\n"]
    for n, block in enumerate(blocks):
        records.append(
            b"WARC/1.0\r\nWARC-Type: metadata\r\nWARC-Target-URI: http://a.test/%d\r\n"
            b"WARC-Date: 2024-05-31T01:17:49Z\r\n"
            b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (n, n, len(block))
            + block + b"\r\n\r\n")
    path.write_bytes(b"".join(gzip.compress(r) for r in records))
    return path


def block(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def one_page(document: dict[str, Any]) -> tuple[Any, list[Link]]:
    page = FetchedPage(
        url=document["Envelope"]["WARC-Header-Metadata"]["WARC-Target-URI"], status=200,
        headers=tuple(document["Envelope"]["Payload-Metadata"]["HTTP-Response-Metadata"]
                      ["Headers"].items()), body=b"")
    meta = document["Envelope"]["Payload-Metadata"]["HTTP-Response-Metadata"]["HTML-Metadata"]
    result = extract_wat(page, meta)
    return result.page, result.links


def test_links_kinds_and_embeds_follow_the_rules_of_warc_ingest() -> None:
    html = """<html lang="de"><head><title>Die Seite</title>
      <link rel="Canonical" href="/kanon"><link rel="alternate" hreflang="en" href="/en">
      <link rel="stylesheet" href="/s.css"><script src="/app.js"></script>
      <meta http-equiv="refresh" content="5; url=/weiter"></head><body>
      <a href="/text" rel="NoFollow UGC">Ein   Text</a>
      <a href="/bild"><img src="/b.png" alt="Das Bild"></a>
      <a href="/ohne-alt"><img src="/c.png"></a>
      <area href="/zone" alt="Zone"><img src="/lose.png"> <iframe src="/rahmen"></iframe>
      <form action="/suche"></form><form action="  "></form>
      <a href="mailto:x@a.test">Post</a><a href="#oben">oben</a>
      <a href="/offen">never closed</body></html>"""
    document = response_metadata("http://a.test/dir/page", [])
    meta = html_metadata(html)
    document["Envelope"]["Payload-Metadata"]["HTTP-Response-Metadata"]["HTML-Metadata"] = meta
    page, links = one_page(document)
    found = {(link.target, link.kind, link.anchor, link.follow, link.placement)
             for link in links}
    unknown = Placement.UNKNOWN
    assert found == {
        ("http://a.test/kanon", LinkKind.CANONICAL, "", True, Placement.HEADER),
        ("http://a.test/en", LinkKind.ALTERNATE, "", True, Placement.HEADER),
        ("http://a.test/weiter", LinkKind.REDIRECT, "", True, Placement.HEADER),
        ("http://a.test/text", LinkKind.TEXT, "Ein Text", False, unknown),
        ("http://a.test/bild", LinkKind.IMAGE, "Das Bild", True, unknown),
        ("http://a.test/ohne-alt", LinkKind.IMAGE, "", True, unknown),
        ("http://a.test/zone", LinkKind.TEXT, "", True, unknown),  # the WAT keeps no area alt
        ("http://a.test/rahmen", LinkKind.FRAME, "", True, unknown),
        ("http://a.test/suche", LinkKind.FORM, "", True, unknown),
    }  # no stylesheet, script or image; an <a> never closed is not in the WAT
    assert page.title == "Die Seite" and page.language == "de"
    assert page.canonical == "http://a.test/kanon" and page.redirect_to == "http://a.test/weiter"
    assert page.outlinks == 4 and page.charset == "utf-8"


def test_relative_urls_resolve_against_the_base_the_wat_records() -> None:
    # The extractor keeps the last <base href> (browsers take the first): the WAT holds one
    head = {"Base": "../other/", "Metas": [{"name": "ROBOTS", "content": "noindex, nofollow"}]}
    links = [{"path": "A@/href", "url": "x?q=1#frag", "text": "x"},
             {"path": "A@/href", "url": "//b.test:80/Y/../z", "text": "z"},
             {"path": "A@/href", "url": " \tjavascript:void(0)", "text": "j"},
             {"path": "A@/href", "url": "http://[bad", "text": "bad"}]
    page, found = one_page(response_metadata("http://a.test/dir/sub/page", links, head))
    assert [(link.target, link.follow) for link in found] == [
        ("http://a.test/dir/other/x?q=1", False), ("http://b.test/z", False)]
    assert page.noindex and page.nofollow


def test_redirects_revisits_and_dates(tmp_path: Path) -> None:
    redirect = response_metadata("http://a.test/alt", [], status="301",
                                 headers={"Location": "/neu", "Content-Type": "text/html"})
    original = response_metadata("http://a.test/o", [{"path": "A@/href", "url": "/t",
                                                      "text": "t"}], digest="sha1:SAME")
    revisit = response_metadata("http://a.test/o", [], warc_type="revisit", digest="sha1:SAME",
                                date="not a date",
                                headers={"Date": "Sat, 18 May 2024 01:00:00 GMT"})
    lost = response_metadata("http://a.test/r", [], warc_type="revisit", digest="sha1:NONE")
    wat = write_wat(tmp_path / "a.warc.wat.gz",
                    [block(d) for d in (redirect, original, revisit, lost)] + [b"{not json"])
    stats: Counter[str] = Counter()
    pages = list(iter_wat_pages(str(wat), stats, on_error=pytest.fail))
    assert [(p.url, p.status, p.revisit, p.fetch_time) for p in pages] == [
        ("http://a.test/alt", 301, False, "2024-05-18T01:58:10Z"),
        ("http://a.test/o", 200, False, "2024-05-18T01:58:10Z"),
        ("http://a.test/o", 200, True, "2024-05-18T01:00:00Z")]
    assert stats["wat/skipped/revisit-unresolved"] == 1 and stats["wat/skipped/bad-json"] == 1
    assert stats["wat/skipped/warcinfo"] == 1 and stats["wat/revisits-resolved"] == 1
    moved = extract_wat(pages[0], pages[0].metadata)
    assert [(link.target, link.kind, link.placement) for link in moved.links] == [
        ("http://a.test/neu", LinkKind.REDIRECT, Placement.HEADER)]
    again = extract_wat(pages[2], pages[2].metadata)
    assert [link.target for link in again.links] == ["http://a.test/t"]
    assert pages[0].warc_file == str(wat) and pages[0].warc_offset is not None
    assert pages[0].to_fetch().redirect_to == "/neu" and pages[0].to_fetch().size == 1234


def test_a_wat_is_known_by_its_name_or_its_records(tmp_path: Path) -> None:
    named = write_wat(tmp_path / "x.wat", [block(response_metadata("http://a.test/", []))])
    plain = tmp_path / "unnamed.bin"
    plain.write_bytes(named.read_bytes())
    assert is_wat(str(named)) and is_wat(str(plain))
    assert is_wat("https://data.test/crawl/x.warc.wat.gz?sig=1")
    assert not is_wat(str(shared_data("warc", "cc-whirlwind", "whirlwind.warc.gz")))
    assert not is_wat(str(tmp_path / "missing.warc.gz"))  # ingest reports it as for any file


def test_bad_records_and_damage_are_counted_and_the_rest_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from linkscope.cli import main

    good = [response_metadata(f"http://a.test/{n}", [{"path": "A@/href", "url": f"/t{n}",
                                                      "text": "t"}]) for n in range(3)]
    wat = write_wat(tmp_path / "a.warc.wat.gz",
                    [block(good[0]), b"[1, 2", block({"Envelope": 5}), block(good[1]),
                     block(good[2])])
    raw = bytearray(wat.read_bytes())
    members = [i for i in range(len(raw) - 2) if raw[i:i + 3] == b"\x1f\x8b\x08"]
    raw[members[4] + 20:members[4] + 40] = b"\x00" * 20  # the 2nd good page's member
    wat.write_bytes(bytes(raw))
    index = tmp_path / "idx"
    assert main(["--index", str(index), "ingest", str(wat), "--workers", "1",
                 "--no-rank"]) == 1
    out, err = capsys.readouterr()
    assert f"{wat}@" in err and "ingested 2 pages and 2 links" in out
    assert "wat/skipped/bad-json=2" in out
    with open_index(index) as reader:
        assert reader.con.execute("SELECT count(*) FROM links").fetchone()[0] == 2


def test_byte_ranges_of_a_wat_read_every_record_once(tmp_path: Path) -> None:
    warc = str(shared_data("warc", "pywb", "iana.warc.gz"))
    wat = tmp_path / "iana.warc.wat.gz"
    derive_wat(Path(warc), wat)
    whole = ingest(tmp_path / "whole", [str(wat)], workers=1)
    split = ingest(tmp_path / "split", [str(wat)], workers=2, split_bytes=1000,
                   range_bytes=20_000)
    assert split.counters["ingest/ranges"] > 2
    # a revisit resolves only within its range, as in WARC ingest
    assert split.counters["wat/records"] == whole.counters["wat/records"]
    for name in ("whole", "split"):
        with open_index(tmp_path / name) as index:
            assert index.con.execute("SELECT count(*) FROM fetches").fetchone()[0] == (
                whole.counters["wat/responses"] + whole.counters["wat/revisits-resolved"]
                if name == "whole" else split.counters["wat/responses"]
                + split.counters["wat/revisits-resolved"])


def test_unknown_placement_is_shown_and_filtered_in_every_surface(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A WAT-built index, ranked: its links carry UR's value through the `unknown` weight,
    and the CLI, the API and the web pages filter and show the placement."""
    from fastapi.testclient import TestClient

    from linkscope.api import create_app
    from linkscope.cli import main

    warc = str(shared_data("warc", "pywb", "iana.warc.gz"))
    wat = tmp_path / "iana.warc.wat.gz"
    derive_wat(Path(warc), wat)
    index = tmp_path / "idx"
    assert main(["--index", str(index), "ingest", str(wat), "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--index", str(index), "backlinks", "icann.org", "--placement", "unknown",
                 "--format", "json", "--limit", "1000"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows and {row["placement"] for row in rows} == {"unknown"}
    assert any(row["value"] for row in rows)  # the weight reached the ranking
    assert main(["--index", str(index), "backlinks", "icann.org", "--placement", "content",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == []
    with TestClient(create_app(index)) as client:
        answer = client.get("/api/v1/backlinks", params={"target": "icann.org",
                                                         "placement": "unknown"})
        assert answer.status_code == 200 and answer.json()["rows"]
        page = client.get("/backlinks", params={"target": "icann.org", "placement": "unknown"})
        assert page.status_code == 200 and 'value="unknown" checked' in page.text


def test_a_directory_gives_its_wat_files_when_it_holds_no_warc(tmp_path: Path) -> None:
    from linkscope.warc import expand_sources

    wats = tmp_path / "wat"
    wats.mkdir()
    one = write_wat(wats / "a.warc.wat.gz", [block(response_metadata("http://a.test/", []))])
    (wats / "a.warc.wet.gz").write_bytes(b"")
    assert expand_sources([str(wats)]) == [str(one)]
    (wats / "a.warc.gz").write_bytes(b"")  # the WARC the WAT describes: read once, from it
    assert expand_sources([str(wats)]) == [str(wats / "a.warc.gz")]


def test_an_interrupted_wat_ingest_resumes_without_reading_a_finished_file(
        tmp_path: Path) -> None:
    from linkscope.store.ingest import plan_tasks, run_id_for
    from linkscope.store.parts import read_task

    sources = []
    for folder, name in (("resiliparse", "warcfile.warc.gz"), ("pywb", "iana.warc.gz")):
        wat = tmp_path / name.replace(".warc.gz", ".warc.wat.gz")
        derive_wat(shared_data("warc", folder, name), wat)
        sources.append(str(wat))
    ingest(tmp_path / "whole", sources, workers=1)
    index = tmp_path / "idx"
    run = run_id_for(sources, None)
    parts = index / "runs" / run / "parts"
    parts.mkdir(parents=True)
    first = plan_tasks(sources)[0]  # an earlier run read the first file, then died
    read_task(first, parts, f"ingest-{run}")
    marker = json.loads(first.done_marker(parts).read_text())
    marker["counters"]["test/read-before"] = 1
    first.done_marker(parts).write_text(json.dumps(marker))
    report = ingest(index, sources, workers=1)
    assert report.counters["ingest/sources_resumed"] == 1
    assert report.counters["test/read-before"] == 1  # its marker was kept, not rewritten
    rows = {}
    for name in ("whole", "idx"):
        with open_index(tmp_path / name) as reader:
            rows[name] = reader.con.execute(
                "SELECT source, target, kind, placement, occurrences FROM links ORDER BY ALL"
            ).fetchall()
    assert rows["idx"] == rows["whole"] and len(rows["idx"]) > 1000


def test_a_wat_is_ingested_from_a_url_and_a_missing_one_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import http.server
    import threading
    from functools import partial

    from linkscope.cli import main

    served = tmp_path / "served"
    served.mkdir()
    derive_wat(shared_data("warc", "resiliparse", "warcfile.warc.gz"),
               served / "cc.warc.wat.gz")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None  # type: ignore[assignment, method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        code = main(["--index", str(tmp_path / "idx"), "ingest", f"{base}/cc.warc.wat.gz",
                     f"{base}/absent.warc.wat.gz", "--workers", "1", "--no-rank", "--quiet"])
    finally:
        server.shutdown()
        server.server_close()
    out, err = capsys.readouterr()
    assert code == 1 and "ingested 16 pages and" in out
    assert f"linkscope: error: {base}/absent.warc.wat.gz: HTTP 404" in err


def test_originals_for_revisits_are_kept_within_their_byte_budget() -> None:
    from linkscope.warc.wat import _Originals

    kept = _Originals(budget=2 * len(block(response_metadata("http://a.test/1", []))))
    for n in range(3):
        kept.keep([f"url http://a.test/{n}"], block(response_metadata(f"http://a.test/{n}", [])))
    kept.keep(["url http://a.test/plain"], b"")  # a response without HTML metadata
    assert kept.used <= kept.budget
    assert kept.find(["url http://a.test/0"]) == (False, None)  # the oldest went out
    assert kept.find(["url http://a.test/2"]) == (True, {"Links": []})
    assert kept.find(["url http://a.test/plain"]) == (True, None)
