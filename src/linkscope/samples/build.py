"""Write a sample web to a directory: the responses to serve, the ground truth, the hosts map.

    DIR/manifest.json   parameters (seed, sites, epoch, port, ...) and counts
    DIR/hosts           /etc/hosts format: loopback address, then the site's hosts
    DIR/web.sqlite      responses(host, path, status, headers JSON, body, delay) for the server
    DIR/truth/          the ground truth (see truth.py and docs/sample-web.md)

The same parameters give the same bytes. A build goes to a temporary directory beside DIR and
replaces DIR only when complete, so an interrupted build never leaves half a web behind.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from linkscope.errors import SampleWebError
from linkscope.samples.epochs import apply_epochs
from linkscope.samples.generate import WebConfig, compute_web
from linkscope.samples.mentions import write_unlinked_mentions
from linkscope.samples.model import SampleWeb
from linkscope.samples.render import render_page
from linkscope.samples.truth import compute_changes, mention_rows, page_row, site_rows

FORMAT_VERSION = 1


def compute_sample_web(config: WebConfig) -> SampleWeb:
    web = compute_web(config)
    apply_epochs(web, config.epoch)
    return web


def _truth_links(web: SampleWeb) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    links: list[dict[str, Any]] = []
    for page in web.pages.values():
        links.extend(render_page(web, page).links)
    return links, {p.url: page_row(web, p) for p in web.pages.values()}


def _jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def write_sample_web(directory: Path, config: WebConfig,
                     progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Build the sample web for `config` into `directory`; return the manifest."""
    check_build_directory(directory)
    started = time.perf_counter()
    web = compute_sample_web(config)
    directory = Path(directory)
    staging = directory.with_name(f".{directory.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "truth").mkdir(parents=True)
    try:
        counts = _write(staging, web, config, progress)
        elapsed = time.perf_counter() - started
        manifest = {"format": FORMAT_VERSION, "seed": config.seed, "sites": config.sites,
                    "epoch": config.epoch, "port": config.port,
                    "pages_per_site": config.pages_per_site,
                    "max_addresses": config.max_addresses, "counts": counts}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True)
                                               + "\n")
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    manifest["build_seconds"] = round(elapsed, 3)
    return manifest


def check_build_directory(directory: Path) -> None:
    """Refuse to build over a directory that holds anything but an earlier sample web."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise SampleWebError("exists and is not a directory", where=str(directory))
    if directory.exists() and any(directory.iterdir()) and not (
            directory / "manifest.json").exists():
        raise SampleWebError("directory exists, is not empty and holds no sample web",
                             where=str(directory), hint="choose a new or empty directory")


def _write(out: Path, web: SampleWeb, config: WebConfig,
           progress: Callable[[int, int], None] | None) -> dict[str, int]:
    db = sqlite3.connect(out / "web.sqlite")
    db.execute("CREATE TABLE responses (host TEXT NOT NULL, path TEXT NOT NULL, status INTEGER, "
               "headers TEXT, body BLOB, delay REAL, PRIMARY KEY (host, path)) WITHOUT ROWID")
    links_out = (out / "truth" / "links.jsonl").open("w", encoding="utf-8")
    skipped_out = (out / "truth" / "skipped.jsonl").open("w", encoding="utf-8")
    n_links = n_skipped = 0
    rows = []
    total = len(web.pages)
    for k, page in enumerate(web.pages.values()):
        rendered = render_page(web, page)
        parts = urlsplit(page.url)
        rows.append((parts.hostname, parts.path, rendered.status, json.dumps(rendered.headers),
                     rendered.body, page.delay))
        for link in rendered.links:
            links_out.write(json.dumps(link, ensure_ascii=False, sort_keys=True) + "\n")
        for skip in rendered.skipped:
            skipped_out.write(json.dumps(skip, ensure_ascii=False, sort_keys=True) + "\n")
        n_links += len(rendered.links)
        n_skipped += len(rendered.skipped)
        if len(rows) >= 5000:
            db.executemany("INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?)", rows)
            rows.clear()
        if progress and (k % 1000 == 0 or k == total - 1):
            progress(k + 1, total)
    db.executemany("INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    links_out.close()
    skipped_out.close()
    pages = {p.url: page_row(web, p) for p in web.pages.values()}
    _jsonl(out / "truth" / "pages.jsonl", pages.values())
    _jsonl(out / "truth" / "sites.jsonl", site_rows(web))
    n_mentions = _jsonl(out / "truth" / "mentions.jsonl", mention_rows(web))
    write_unlinked_mentions(out / "truth", web)
    (out / "truth" / "structures.json").write_text(
        json.dumps(web.structures, indent=2, sort_keys=True) + "\n")
    with (out / "hosts").open("w") as hosts:
        hosts.write("# linkscope sample web: loopback address, then the hosts it serves\n")
        by_ip: dict[str, list[str]] = {}
        for site in web.sites:
            by_ip.setdefault(site.ip, []).extend(site.hosts)
        for ip, names in by_ip.items():
            hosts.write(f"{ip}\t{' '.join(names)}\n")
    counts = {"sites": len(web.sites), "pages": len(web.pages), "links": n_links,
              "skipped_hrefs": n_skipped, "mentions": n_mentions, "addresses": len(by_ip)}
    if config.epoch >= 1:
        before = compute_sample_web(WebConfig(**{**config.__dict__, "epoch": config.epoch - 1}))
        old_links, old_pages = _truth_links(before)
        new_links = [json.loads(line) for line in
                     (out / "truth" / "links.jsonl").read_text(encoding="utf-8").splitlines()]
        counts["changes"] = _jsonl(out / "truth" / "changes.jsonl",
                                   compute_changes(old_links, new_links, old_pages, pages))
    return counts


def read_manifest(directory: Path) -> dict[str, Any]:
    path = Path(directory) / "manifest.json"
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise SampleWebError("no sample web here", where=str(directory),
                             hint="build one with `linkscope samples build DIR`") from None
    except (OSError, ValueError) as problem:
        raise SampleWebError(f"unreadable manifest: {problem}", where=str(path)) from None
    if manifest.get("format") != FORMAT_VERSION:
        raise SampleWebError(f"sample web format {manifest.get('format')} is not "
                             f"{FORMAT_VERSION}", where=str(directory), hint="build it again")
    return manifest
