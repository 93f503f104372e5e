"""The generator: deterministic, and rich in the structures the ground truth promises."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections import Counter
from pathlib import Path

from linkscope.samples import WebConfig, write_sample_web
from linkscope.urls import registrable_domain
from tests.samples.truthfiles import truth


def _digest(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_same_seed_gives_same_bytes(tmp_path: Path) -> None:
    config = WebConfig(sites=25, seed=11, port=8123, pages_per_site=4)
    write_sample_web(tmp_path / "a", config)
    write_sample_web(tmp_path / "b", config)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    write_sample_web(tmp_path / "c", WebConfig(sites=25, seed=12, port=8123, pages_per_site=4))
    assert _digest(tmp_path / "a")["truth/links.jsonl"] != _digest(tmp_path / "c")[
        "truth/links.jsonl"]


def test_rebuild_replaces_the_old_web(tmp_path: Path) -> None:
    write_sample_web(tmp_path / "w", WebConfig(sites=30, seed=1))
    manifest = write_sample_web(tmp_path / "w", WebConfig(sites=20, seed=1))
    assert manifest["counts"]["sites"] == 20
    assert len(truth(tmp_path / "w", "sites")) == 20
    assert not list(tmp_path.glob(".w.building"))


def test_sites_have_test_domains_loopback_addresses_and_subdomains(sample_web: Path) -> None:
    sites = truth(sample_web, "sites")
    assert len(sites) == 40
    assert len({s["domain"] for s in sites}) == 40
    assert {s["domain"].rsplit(".", 1)[1] for s in sites} == {"test", "example"}
    for site in sites:
        assert ipaddress.ip_address(site["ip"]).is_loopback
        for host in site["hosts"]:
            assert registrable_domain(host) == site["domain"]
    assert any(len(s["hosts"]) > 1 for s in sites)
    assert len({s["topic"] for s in sites}) >= 6
    assert {s["template"] for s in sites} == {"semantic", "named", "opaque", "portal"}


def test_pbn_shares_one_subnet_and_links_to_the_money_site(sample_web: Path) -> None:
    sites = {s["domain"]: s for s in truth(sample_web, "sites")}
    structures = json.loads((sample_web / "truth" / "structures.json").read_text())
    members = structures["pbn"]["members"]
    money = structures["pbn"]["money"][0]
    assert len(members) >= 4
    subnets = {sites[m]["ip"].rsplit(".", 1)[0] for m in members}
    assert len(subnets) == 1
    others = {s["ip"].rsplit(".", 1)[0] for d, s in sites.items() if d not in members}
    assert not subnets & others
    pbn_links = [x for x in truth(sample_web, "links") if x["note"] == "pbn"]
    assert {registrable_domain(_host(x["source"])) for x in pbn_links} == set(members)
    assert {registrable_domain(_host(x["target"])) for x in pbn_links} == {money}


def _host(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0].split(":")[0]


def test_link_structures_are_present(sample_web: Path) -> None:
    links = truth(sample_web, "links")
    notes = Counter(x["note"] for x in links)
    for note in ("editorial", "blogroll", "sitewide", "comment", "comment-spam", "reciprocal",
                 "directory", "paid", "sponsored", "broken", "http-redirect", "pbn"):
        assert notes[note] > 0, note
    pairs = {(registrable_domain(_host(x["source"])), registrable_domain(_host(x["target"])))
             for x in links if x["note"] == "reciprocal"}
    assert pairs and all((b, a) in pairs for a, b in pairs)
    assert all(x["placement"] == "comment" for x in links if x["note"].startswith("comment"))
    assert truth(sample_web, "mentions")


def test_every_placement_kind_and_rel_variant_occurs(sample_web: Path) -> None:
    links = truth(sample_web, "links")
    assert {x["placement"] for x in links} == {"content", "header", "nav", "sidebar", "footer",
                                               "comment"}
    assert {x["kind"] for x in links} == {"text", "image", "redirect", "canonical", "frame",
                                          "form"}
    rels = {tuple(x["rel"]) for x in links}
    assert ("nofollow",) in rels and ("sponsored",) in rels and ("nofollow", "ugc") in rels
    assert any(not x["follow"] and not x["rel"] for x in links)  # a meta-robots nofollow page
    skipped = Counter(x["reason"] for x in truth(sample_web, "skipped"))
    assert set(skipped) == {"mailto", "tel", "javascript"}


def test_pages_cover_every_status_and_redirect_kind(sample_web: Path) -> None:
    pages = truth(sample_web, "pages")
    statuses = Counter(p["status"] for p in pages)
    for status in (200, 301, 302, 404, 410, 500):
        assert statuses[status] > 0, status
    by_url = {p["url"]: p for p in pages}
    loops = [p for p in pages if p["redirect_to"] and
             by_url.get(p["redirect_to"], {}).get("redirect_to") == p["url"]]
    assert loops
    chains = [p for p in pages if p["status"] in (301, 302) and
              by_url.get(p["redirect_to"], {}).get("status") in (301, 302) and p not in loops]
    assert chains
    assert any(p["delay"] > 5 for p in pages)
    assert any(p["robots_disallowed"] for p in pages)
    assert any(p["noindex"] for p in pages) and any(p["nofollow"] for p in pages)
    assert any(p["language"] == "de" for p in pages)


def test_the_port_changes_only_the_urls(tmp_path: Path) -> None:
    """Two builds that differ only in port hold the same web: every test run sees the same
    pages and links whatever free port it drew."""
    write_sample_web(tmp_path / "a", WebConfig(sites=25, seed=4, port=8101))
    write_sample_web(tmp_path / "b", WebConfig(sites=25, seed=4, port=8202))
    a = (tmp_path / "a" / "truth" / "links.jsonl").read_text().replace(":8101", ":PORT")
    b = (tmp_path / "b" / "truth" / "links.jsonl").read_text().replace(":8202", ":PORT")
    assert a == b
