"""The sample web's server: what it serves agrees with the ground truth, and it behaves as the
truth says for every status, redirect, slow page, robots.txt and virtual host."""

from __future__ import annotations

import http.client
import socket
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from linkscope.errors import SampleWebError
from linkscope.samples import BackgroundServer, SampleWebServer, read_hosts
from linkscope.urls import normalize, resolve
from tests.samples.truthfiles import truth


def fetch(hosts: dict[str, str], url: str, port: int, timeout: float = 5.0
          ) -> tuple[int, dict[str, str], bytes]:
    host, _, path = url.split("://", 1)[1].partition("/")
    name = host.split(":")[0]
    conn = http.client.HTTPConnection(hosts[name], port, timeout=timeout)
    try:
        conn.request("GET", "/" + path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def parse_links(url: str, body: bytes, charset: str) -> tuple[list[tuple[Any, ...]], Counter[str]]:
    """An independent reading of a page's links, in document order, for comparison."""
    tree = LexborHTMLParser(body.decode(charset))
    base_node = tree.css_first("base[href]")
    base = resolve(base_node.attributes["href"] or "", url) if base_node else url
    found: list[tuple[Any, ...]] = []
    skipped: Counter[str] = Counter()
    for node in tree.css("a[href], link[href], iframe[src], form[action], meta[http-equiv]"):
        attrs = node.attributes
        if node.tag == "meta":
            url_part = (attrs.get("content") or "").split("url=", 1)[1]
            found.append((normalize(url_part), "", (), "redirect"))
            continue
        href = attrs.get("href") or attrs.get("src") or attrs.get("action") or ""
        scheme = href.strip().split(":", 1)[0].lower()
        if scheme in ("mailto", "tel", "javascript"):
            skipped[scheme] += 1
            continue
        resolved = resolve(href, base)
        target = normalize(resolved) if resolved else None
        rel = tuple(sorted({t.lower() for t in (attrs.get("rel") or "").split()}))
        if node.tag == "link":
            found.append((target, "", (), "canonical"))
        elif node.tag in ("iframe", "form"):
            found.append((target, "", (), {"iframe": "frame", "form": "form"}[node.tag]))
        else:
            img = node.css_first("img")
            if img is not None:
                found.append((target, img.attributes.get("alt") or "", rel, "image"))
            else:
                found.append((target, " ".join(node.text().split()), rel, "text"))
    return found, skipped


def test_served_html_agrees_with_truth(sample_web: Path, served_web: BackgroundServer) -> None:
    hosts = read_hosts(sample_web / "hosts")
    port = served_web.server.port
    links: dict[str, list[tuple[Any, ...]]] = {}
    for x in truth(sample_web, "links"):
        links.setdefault(x["source"], []).append(
            (x["position"], (x["target"], x["anchor"], tuple(x["rel"]), x["kind"])))
    skipped: dict[str, Counter[str]] = {}
    for x in truth(sample_web, "skipped"):
        skipped.setdefault(x["source"], Counter())[x["reason"]] += 1
    pages = [p for p in truth(sample_web, "pages")
             if p["status"] == 200 and p["delay"] == 0
             and p["content_type"].startswith("text/html")]
    assert len(pages) > 300

    def check(page: dict[str, Any]) -> None:
        status, headers, body = fetch(hosts, page["url"], port)
        assert status == 200
        ctype = headers["content-type"]
        charset = ctype.split("charset=")[1] if "charset=" in ctype else "utf-8"
        found, found_skipped = parse_links(page["url"], body, charset)
        expected = [link for _, link in sorted(links.get(page["url"], []))]
        assert found == expected, page["url"]
        assert found_skipped == skipped.get(page["url"], Counter()), page["url"]

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(check, pages))


@pytest.mark.parametrize("kind", ["dead", "moved"])
def test_statuses_and_redirects_as_truth_says(sample_web: Path, served_web: BackgroundServer,
                                              kind: str) -> None:
    hosts = read_hosts(sample_web / "hosts")
    pages = [p for p in truth(sample_web, "pages") if p["kind"] == kind]
    assert pages
    for page in pages:
        status, headers, _ = fetch(hosts, page["url"], served_web.server.port)
        assert status == page["status"]
        assert headers.get("location") == page["redirect_to"]


def test_slow_page_times_out_a_client(sample_web: Path, served_web: BackgroundServer) -> None:
    hosts = read_hosts(sample_web / "hosts")
    slow = next(p for p in truth(sample_web, "pages") if p["kind"] == "slow")
    with pytest.raises(TimeoutError):
        fetch(hosts, slow["url"], served_web.server.port, timeout=0.3)


def test_robots_txt_per_site(sample_web: Path, served_web: BackgroundServer) -> None:
    hosts = read_hosts(sample_web / "hosts")
    seen = set()
    for site in truth(sample_web, "sites"):
        status, _, body = fetch(hosts, site["home"] + "robots.txt", served_web.server.port)
        expected = {"allow": 200, "disallow-private": 200, "missing": 404, "error": 500}
        assert status == expected[site["robots"]]
        if site["robots"] == "disallow-private":
            assert b"Disallow: /private/" in body
        seen.add(site["robots"])
    assert seen == {"allow", "disallow-private", "missing", "error"}


def test_virtual_hosts_on_distinct_addresses(sample_web: Path,
                                             served_web: BackgroundServer) -> None:
    sites = truth(sample_web, "sites")
    port = served_web.server.port
    assert len({s["ip"] for s in sites}) >= 30
    for site in sites[:10]:
        conn = http.client.HTTPConnection(site["ip"], port, timeout=5)
        conn.request("GET", "/", headers={"Host": f"{site['primary']}:{port}"})
        body = conn.getresponse().read().decode("latin-1")
        assert site["brand"] in body
        conn.close()
    conn = http.client.HTTPConnection(sites[0]["ip"], port, timeout=5)
    conn.request("GET", "/", headers={"Host": "unknown.test"})
    response = conn.getresponse()
    assert response.status == 404 and response.read() == b"no such site"
    # nothing listens on a loopback address that is not in the hosts file
    with pytest.raises(OSError), socket.create_connection(("127.254.254.254", port), timeout=1):
        pass


def test_serving_twice_on_one_port_is_a_clear_error(sample_web: Path,
                                                     served_web: BackgroundServer) -> None:
    with pytest.raises(SampleWebError, match="cannot listen on port"):
        BackgroundServer(sample_web).start()


def test_server_refuses_non_loopback_addresses(tmp_path: Path, sample_web: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in ("manifest.json", "web.sqlite"):
        (bad / name).write_bytes((sample_web / name).read_bytes())
    (bad / "hosts").write_text("10.0.0.1 outside.test\n")
    with pytest.raises(SampleWebError, match="non-loopback"):
        SampleWebServer(bad)
