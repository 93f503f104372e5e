"""The sample web as WARC files, as a polite crawler that fetched every page would have written
them: a stand-in for a crawl when a test or benchmark needs archives, not a crawler.

Pages under a robots.txt disallow, and every page of a site whose robots.txt answers 5xx, are
left out; slow pages are written as timeouts (failed-fetch records). Every record is dated
`crawl_date` (default: 2026-01-01 plus 30 days an epoch), so the archives are reproducible.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from linkscope.samples.build import read_manifest
from linkscope.samples.serve import read_hosts
from linkscope.warc.write import WarcWriter

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 410: "Gone",
           500: "Internal Server Error"}


def write_sample_warc(web_dir: Path, out_dir: Path, crawl_date: date | None = None,
                      max_bytes: int = 1 << 30,
                      only_hosts: Collection[str] | None = None) -> list[Path]:
    """Write the sample web at `web_dir` as WARC files under `out_dir`; return the files.

    `only_hosts` limits the archive to those hosts' pages (a partial re-crawl).
    """
    manifest = read_manifest(web_dir)
    if crawl_date is None:
        crawl_date = date(2026, 1, 1) + timedelta(days=30 * int(manifest["epoch"]))
    moment = datetime(crawl_date.year, crawl_date.month, crawl_date.day, 12, tzinfo=UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    hosts = read_hosts(web_dir / "hosts")
    pages = [json.loads(line) for line in (web_dir / "truth" / "pages.jsonl").open()]
    port = int(manifest["port"])
    db = sqlite3.connect(web_dir / "web.sqlite")
    out_dir.mkdir(parents=True, exist_ok=True)
    with WarcWriter(out_dir, prefix=f"sample-epoch{manifest['epoch']}",
                    max_bytes=max_bytes) as writer:
        for page in pages:
            if page["robots_disallowed"] or (only_hosts is not None
                                             and page["host"] not in only_hosts):
                continue
            ip = hosts.get(page["host"])
            if page["delay"] > 0:
                writer.write_failure(page["url"], stamp, "timeout", ip=ip)
                continue
            path = page["url"].split(f"{page['host']}:{port}", 1)[-1] if port != 80 else (
                page["url"].split(page["host"], 1)[-1])
            row = db.execute("SELECT status, headers, body FROM responses WHERE host = ? AND "
                             "path = ?", (page["host"], path)).fetchone()
            status, headers, body = row
            line = f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"
            head = [(k, v) for k, v in json.loads(headers)]
            head.append(("Content-Length", str(len(body))))
            writer.write_response(page["url"], line, head, body, time=stamp, ip=ip)
    db.close()
    return list(writer.files)
