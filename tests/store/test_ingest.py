"""Ingest: real archives, bad archives, re-ingest, and the tables read back by plain tools."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from linkscope.errors import StoreError, UsageError
from linkscope.extract import DEFAULT_LIMITS, ExtractLimits, extract_page
from linkscope.records import Fetch
from linkscope.store import IndexDir, ingest, open_index
from linkscope.warc import expand_sources, iter_fetched_pages
from tests.conftest import shared_data


def extraction_counts(source: str) -> tuple[int, Counter[tuple[str, str, str, str, str]]]:
    """Pages and link identities that the extraction function yields for a file's records."""
    pages: dict[str, list] = {}  # type: ignore[type-arg]
    for item in iter_fetched_pages(source, on_error=lambda e: None):
        if isinstance(item, Fetch):
            continue
        result = extract_page(item)
        pages[result.page.url] = result.links if item.status < 400 else []  # latest fetch wins
    links: Counter[tuple[str, str, str, str, str]] = Counter()
    for page_links in pages.values():
        for link in page_links:
            links[(link.source, link.target, str(link.kind), link.anchor,
                   str(link.placement))] += 1
    return len(pages), links


def test_common_crawl_warc_matches_extraction(tmp_path: Path) -> None:
    warc = str(shared_data("warc", "resiliparse", "warcfile.warc.gz"))
    n_pages, links = extraction_counts(warc)
    report = ingest(tmp_path / "idx", [warc], workers=1)
    assert not report.failed
    with open_index(tmp_path / "idx") as index:
        assert index.con.execute("SELECT count(*) FROM pages").fetchone()[0] == n_pages == 16
        rows = index.con.execute("SELECT source, target, kind, anchor, placement, occurrences "
                                 "FROM links").fetchall()
    assert len(rows) == len(links)
    assert {r[:5]: r[5] for r in rows} == dict(links)
    assert sum(r[5] for r in rows) == sum(links.values())


def test_ingest_extracts_within_the_limits_it_is_given(tmp_path: Path) -> None:
    """The limits reach the extraction of every record, in the worker processes too, and the
    pages cut short are counted in the report."""
    sources = [str(shared_data("warc", "resiliparse", "warcfile.warc.gz")),
               str(shared_data("warc", "cc-whirlwind", "whirlwind.warc.gz"))]
    limits = ExtractLimits(DEFAULT_LIMITS.max_attributes, DEFAULT_LIMITS.max_depth, 40, 0)
    report = ingest(tmp_path / "idx", sources, workers=2, limits=limits)
    assert not report.failed
    assert report.counters["extract/truncated/elements"] == 17  # every HTML page of both
    whole = ingest(tmp_path / "whole", sources, workers=2)
    assert not any("truncated" in key for key in whole.counters)
    assert report.counts["run_links"] < whole.counts["run_links"]


def test_every_shared_archive_ingests_or_fails_cleanly(tmp_path: Path) -> None:
    sources = expand_sources([str(shared_data("warc"))])
    assert len(sources) > 20
    report = ingest(tmp_path / "idx", sources, workers=2)
    assert report.generation == "g000001"
    # the damaged files are reported in one line each, naming file and offset, and those with
    # nothing to ingest naming the file
    assert report.errors and report.failed_sources
    for line in report.errors:
        assert "\n" not in line
        assert "@" in line or line.startswith(tuple(f"{s}: no HTTP responses in it (records: "
                                                     for s in report.failed_sources))
    with open_index(tmp_path / "idx") as index:
        n = index.con.execute("SELECT count(DISTINCT url) FROM pages").fetchone()[0]
    expected = set()
    for source in sources:
        for item in iter_fetched_pages(source, on_error=lambda e: None):
            if not isinstance(item, Fetch):
                expected.add(extract_page(item).page.url)
    assert n == len(expected)


def test_reingest_adds_no_duplicates(tmp_path: Path, sample_warcs: tuple[list[Path], list[Path]]
                                     ) -> None:
    epoch0 = [str(p) for p in sample_warcs[0]]
    first = ingest(tmp_path / "idx", epoch0, workers=1)
    second = ingest(tmp_path / "idx", epoch0, workers=1)
    assert second.generation == "g000002"
    for table in ("pages", "links"):
        assert first.counts[table] == second.counts[table]
    with open_index(tmp_path / "idx") as index:
        dupes = index.con.execute(
            "SELECT count(*) FROM (SELECT source, target, kind, anchor, placement FROM links "
            "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
        assert dupes == 0
        assert index.con.execute("SELECT count(*) FROM links WHERE lost_date IS NOT NULL"
                                 ).fetchone()[0] == 0
        fetch_dupes = index.con.execute(
            "SELECT count(*) FROM (SELECT url, fetch_time FROM fetches GROUP BY ALL "
            "HAVING count(*) > 1)").fetchone()[0]
        assert fetch_dupes == 0


def test_tables_read_back_with_plain_duckdb_and_pyarrow(
        tmp_path: Path, sample_warcs: tuple[list[Path], list[Path]]) -> None:
    ingest(tmp_path / "idx", [str(p) for p in sample_warcs[0]], workers=1)
    generation = IndexDir(tmp_path / "idx").require_current()
    links = pq.read_table(generation / "links.parquet")
    assert {"source", "target", "target_domain", "anchor", "rel", "follow", "placement", "kind",
            "first_seen", "last_seen", "lost_date", "lost_reason", "warc_file",
            "warc_offset"} <= set(links.column_names)
    domains = links.column("target_domain").to_pylist()
    assert domains == sorted(domains, key=lambda d: (d is None, d))  # sorted by target domain
    catalog = duckdb.connect(str(generation / "catalog.duckdb"), read_only=True)
    assert catalog.execute("SELECT count(*) FROM links").fetchone()[0] == links.num_rows
    catalog.close()
    plain = duckdb.connect()
    pages = plain.execute(f"SELECT count(*) FROM '{generation / 'pages.parquet'}'").fetchone()[0]
    assert pages == pq.read_metadata(generation / "pages.parquet").num_rows > 100


def test_each_link_traces_to_its_warc_record(tmp_path: Path,
                                             sample_warcs: tuple[list[Path], list[Path]]) -> None:
    ingest(tmp_path / "idx", [str(p) for p in sample_warcs[0]], workers=1)
    with open_index(tmp_path / "idx") as index:
        source, warc, offset = index.con.execute(
            "SELECT source, warc_file, warc_offset FROM links WHERE kind = 'text' LIMIT 1"
        ).fetchone()
    records = [r for r in iter_fetched_pages(warc) if not isinstance(r, Fetch)
               and r.warc_offset == offset]
    assert len(records) == 1 and records[0].url == source


def test_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="matches no file"):
        expand_sources([str(tmp_path / "nothing-*.warc.gz")])


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no index here"):
        open_index(tmp_path / "absent")


def test_second_writer_is_refused(tmp_path: Path) -> None:
    store = IndexDir(tmp_path / "idx")
    with store.writing(), pytest.raises(StoreError, match="another build"), store.writing():
        pass


def test_a_wrong_content_length_fails_the_ingest_and_keeps_the_records_after_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12: one member declaring 99999999999999 bytes left 1 page, every link credited
    to it, exit 0 and no error line."""
    from linkscope.cli import main
    from tests.warc.test_overrun import HUGE, record, write

    path, _ = write(tmp_path, "gzip", record(0, HUGE))
    code = main(["--index", str(tmp_path / "idx"), "ingest", str(path), "--workers", "1"])
    assert code == 1
    err = capsys.readouterr().err
    assert f"linkscope: error: {path}@0: record overruns its bounds" in err
    with open_index(tmp_path / "idx") as index:
        assert index.con.execute("SELECT url FROM pages ORDER BY url").fetchall() == [
            ("http://a.test/1",), ("http://a.test/2",)]
        assert index.con.execute("SELECT source, target FROM links ORDER BY source").fetchall() == [
            ("http://a.test/1", "http://t1.test/"), ("http://a.test/2", "http://t2.test/")]


WHIRLWIND = ("warc", "cc-whirlwind")


def test_wet_files_say_so_and_publish_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12: a WET file ingested nothing, silently, and published an empty generation
    with exit 0. (WAT files are ingested: tests/warc/test_wat.py.)"""
    from linkscope.cli import main

    wet = str(shared_data(*WHIRLWIND, "whirlwind.warc.wet.gz"))
    index = tmp_path / "idx"
    assert main(["--index", str(index), "ingest", wet, "--workers", "1"]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert lines[0] == (
        f"linkscope: error: {wet}: no HTTP responses: WET files are not ingested "
        "(ingest the WARC or WAT files of the same pages)")
    assert "nothing ingested" in lines[1] and len(lines) == 2
    assert IndexDir(index).current() is None and not list(index.glob("runs/*"))

    warc = str(shared_data(*WHIRLWIND, "whirlwind.warc.gz"))
    assert main(["--index", str(index), "ingest", warc]) == 0
    assert main(["--index", str(index), "ingest", wet]) == 1  # the served generation stays
    assert IndexDir(index).require_current().name == "g000001"


def test_the_good_sources_are_published_and_the_failed_ones_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from linkscope.cli import main

    warc = str(shared_data(*WHIRLWIND, "whirlwind.warc.gz"))
    wet = str(shared_data(*WHIRLWIND, "whirlwind.warc.wet.gz"))
    index = tmp_path / "idx"
    assert main(["--index", str(index), "ingest", warc, wet, "--workers", "1"]) == 1
    out, err = capsys.readouterr()
    assert f"{wet}: no HTTP responses" in err and "ingested 1 page and" in out
    (snapshot,) = IndexDir(index).manifest()["snapshots"]
    assert snapshot["sources"] == [warc] and snapshot["failed_sources"] == [wet]
