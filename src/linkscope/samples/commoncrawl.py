"""The sample web as Common Crawl publishes a crawl: a look-alike for tests, demos and
benchmarks of the Common Crawl sources (docs/common-crawl.md, docs/sample-web.md).

    DIR/commoncrawl/crawl-data/CC-MAIN-SAMPLE/segments/<segment>/warc/*.warc.gz
    DIR/commoncrawl/crawl-data/CC-MAIN-SAMPLE/warc.paths.gz, wat.paths.gz
    DIR/commoncrawl/cc-index/collections/CC-MAIN-SAMPLE/indexes/cdx-0000N.gz   (CDXJ)
    DIR/commoncrawl/projects/hyperlinkgraph/CC-MAIN-SAMPLE/host/*-vertices.txt.gz, *-edges.txt.gz

Its quirks are Common Crawl's: index values are strings; keys and graph vertices drop a
leading `www.`; the index lists redirects, errors and non-HTML captures beside pages; the host
graph has edges from hosts with no capture (hosts whose pages robots.txt kept out, and a few
hosts the graph knows from links in another crawl, `uncrawled-N.example`). `samples serve DIR
--common-crawl` serves it (ccserve.py).

Common Crawl's URLs carry no port, and neither do its host graph's names, so the look-alike is
made from a web built on port 80.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from linkscope.commoncrawl.keys import graph_host, surt_key
from linkscope.errors import SampleWebError
from linkscope.samples.archive import write_sample_warc
from linkscope.samples.build import read_manifest
from linkscope.warc.read import iter_records

CRAWL = "CC-MAIN-SAMPLE"
SEGMENT = "1700000000000.00"
FILE_BYTES = 256 << 10  # about how large each WARC file of the look-alike is
CDX_FILES = 2  # the sorted index is cut into this many files, as Common Crawl's into 300
UNCRAWLED = 3  # hosts that only the host graph knows


def cc_dir(web_dir: Path) -> Path:
    return web_dir / "commoncrawl"


def index_dir(root: Path) -> Path:
    return root / "cc-index" / "collections" / CRAWL / "indexes"


def graph_files(root: Path) -> tuple[Path, Path]:
    folder = root / "projects" / "hyperlinkgraph" / CRAWL / "host"
    return folder / f"{CRAWL}-host-vertices.txt.gz", folder / f"{CRAWL}-host-edges.txt.gz"


def write_as_common_crawl(web_dir: Path, file_bytes: int = FILE_BYTES) -> dict[str, Any]:
    """Write the look-alike of the sample web at `web_dir` under `web_dir/commoncrawl`;
    return its counts (also in `commoncrawl/manifest.json`)."""
    manifest = read_manifest(web_dir)
    if int(manifest["port"]) != 80:
        raise SampleWebError(f"the web was built for port {manifest['port']}; Common Crawl's "
                             "URLs and host names carry no port", where=str(web_dir),
                             hint="build it with --port 80 (the default with --as-common-crawl)")
    root = cc_dir(web_dir)
    building = root.with_name(".commoncrawl.building")
    shutil.rmtree(building, ignore_errors=True)
    crawl = building / "crawl-data" / CRAWL
    warc_dir = crawl / "segments" / SEGMENT / "warc"
    written = write_sample_warc(web_dir, building / "tmp", max_bytes=file_bytes)
    names: list[str] = []
    warc_dir.mkdir(parents=True)
    for serial, path in enumerate(sorted(written)):
        name = f"{CRAWL}-{SEGMENT}-{serial:05d}.warc.gz"
        path.rename(warc_dir / name)
        names.append(f"crawl-data/{CRAWL}/segments/{SEGMENT}/warc/{name}")
    shutil.rmtree(building / "tmp")
    wat_names = [n.replace("/warc/", "/wat/").replace(".warc.gz", ".warc.wat.gz") for n in names]
    _write_lines(crawl / "warc.paths.gz", names)
    _write_lines(crawl / "wat.paths.gz", wat_names)
    write_wat_files(building, names, wat_names)
    lines = [line for name in names for line in cdxj_lines(building, name)]
    lines.sort()
    folder = index_dir(building)
    folder.mkdir(parents=True)
    per_file = -(-len(lines) // CDX_FILES)
    for number in range(CDX_FILES):
        _write_lines(folder / f"cdx-{number:05d}.gz", lines[number * per_file:
                                                         (number + 1) * per_file])
    vertices, edges = write_host_graph(web_dir, building)
    statuses = Counter(json.loads(line.split(" ", 2)[2])["status"] for line in lines)
    counts = {"crawl": CRAWL, "warc_files": len(names), "captures": len(lines),
              "statuses": dict(sorted(statuses.items())), "vertices": vertices, "edges": edges}
    (building / "manifest.json").write_text(json.dumps(counts, indent=2) + "\n")
    shutil.rmtree(root, ignore_errors=True)
    building.rename(root)
    return counts


def write_wat_files(root: Path, warc_names: list[str], wat_names: list[str]) -> None:
    """The look-alike's WAT files, one per WARC file, as `wat.paths.gz` lists them, derived
    as Common Crawl's extractor writes them (`linkscope.warc.wat_write.derive_wat`)."""
    from linkscope.warc.wat_write import derive_wat

    for warc_name, wat_name in zip(warc_names, wat_names, strict=True):
        wat = root / wat_name
        wat.parent.mkdir(parents=True, exist_ok=True)
        derive_wat(root / warc_name, wat)


def cdxj_lines(root: Path, name: str) -> list[str]:
    """The CDXJ lines of one WARC file's responses, as Common Crawl's indexer writes them."""
    path = root / name
    size = path.stat().st_size
    records = [r for r in iter_records(str(path)) if r.offset is not None]
    lines: list[str] = []
    for record, following in zip(records, [*records[1:], None], strict=True):
        if record.type != "response" or record.status is None or record.offset is None:
            continue
        end = following.offset if following is not None and following.offset else size
        headers = {k.lower(): v for k, v in record.http_headers or ()}
        url = record.warc["WARC-Target-URI"]
        date = record.warc.get("WARC-Date", "")
        stamp = "".join(ch for ch in date if ch.isdigit())[:14]
        mime = headers.get("content-type", "unk").split(";")[0].strip().lower()
        fields = {"url": url, "mime": mime, "status": str(record.status),
                  "digest": record.warc.get("WARC-Payload-Digest", "").removeprefix("sha1:"),
                  "length": str(end - record.offset), "offset": str(record.offset),
                  "filename": name}
        if "location" in headers:
            fields["redirect"] = headers["location"]
        lines.append(f"{surt_key(url)} {stamp} {json.dumps(fields)}")
    return lines


def write_host_graph(web_dir: Path, root: Path) -> tuple[int, int]:
    """The host graph of the web's links, in Common Crawl's format; (vertices, edges)."""
    pairs: set[tuple[str, str]] = set()
    with (web_dir / "truth" / "links.jsonl").open() as links:
        for line in links:
            link = json.loads(line)
            source, target = _host(link["source"]), _host(link["target"])
            if source and target and source != target:
                pairs.add((source, target))
    linked = Counter(t for _, t in pairs)
    popular = sorted(linked, key=lambda t: (-linked[t], t))[:5]
    for number in range(UNCRAWLED):  # edges from hosts with no capture, to the most linked
        ghost = graph_host(f"uncrawled-{number}.example")
        pairs.update((ghost, target) for target in popular)
    names = sorted({h for pair in pairs for h in pair})
    ids = {name: index for index, name in enumerate(names)}
    vertices, edges = graph_files(root)
    vertices.parent.mkdir(parents=True)
    _write_lines(vertices, [f"{ids[n]}\t{n}" for n in names])
    _write_lines(edges, [f"{a}\t{b}" for a, b in sorted((ids[s], ids[t]) for s, t in pairs)])
    return len(names), len(pairs)


def _host(url: str) -> str | None:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    return graph_host(host) if host else None


def _write_lines(path: Path, lines: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")
