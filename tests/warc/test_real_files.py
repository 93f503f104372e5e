"""Every file of ../shared/data/warc reads, or fails cleanly with file@offset, keeping the rest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from tests.warc.conftest import DATA

from linkscope.errors import ArchiveError
from linkscope.warc import WarcPage, iter_fetched_pages, iter_records

FILES = sorted(
    str(p.relative_to(DATA)) for p in DATA.glob("*/*") if p.is_file()
    and not p.name.endswith((".txt", ".paths.gz"))
) if DATA.is_dir() else []

# file -> (records read, pages yielded, errors reported)
EXPECTED: dict[str, tuple[int, int, int]] = {
    "cc-whirlwind/whirlwind.warc.gz": (4, 1, 0),
    "cc-whirlwind/whirlwind.warc.wat.gz": (2, 0, 0),
    "cc-whirlwind/whirlwind.warc.wet.gz": (2, 0, 0),
    "pywb/bad.arc": (4, 0, 0),
    "pywb/dupes.warc.gz": (25, 4, 0),
    "pywb/example-bad.warc.gz.bad": (6, 3, 0),
    "pywb/example-extra.warc": (6, 3, 0),
    "pywb/example-url-agnostic-orig.warc.gz": (2, 1, 0),
    "pywb/example-url-agnostic-revisit.warc.gz": (2, 0, 0),
    "pywb/example-wget-1-14.warc.gz": (6, 1, 0),
    "pywb/example-wpull.warc.gz": (4, 1, 0),
    "pywb/example.arc": (2, 1, 0),
    "pywb/example.arc.gz": (2, 1, 0),
    "pywb/example.warc": (6, 3, 1),  # a stray CRLF after a record
    "pywb/example.warc.gz": (6, 3, 0),
    "pywb/example2.warc.gz": (3, 1, 0),
    "pywb/httpbin-resource.warc.gz": (1, 0, 0),
    "pywb/iana.warc.gz": (343, 171, 0),
    "pywb/missing-status-text.warc": (1, 1, 0),
    "pywb/post-test.warc.gz": (6, 3, 0),
    "resiliparse/block-sized-records.warc": (3, 0, 0),
    "resiliparse/block-sized-records.warc.gz": (3, 0, 0),
    "resiliparse/block-sized-records.warc.lz4": (3, 0, 0),
    "resiliparse/clipped.warc.gz": (0, 0, 1),  # its one record cut short by the end of the file
    "resiliparse/clueweb-quirk.warc.gz": (30, 29, 0),
    "resiliparse/warcfile.warc": (50, 16, 0),
    "resiliparse/warcfile.warc.gz": (50, 16, 0),
    "resiliparse/warcfile.warc.lz4": (50, 16, 0),
    "warcio/bad.arc": (4, 0, 0),
    "warcio/example-bad-non-chunked.warc.gz": (6, 2, 0),
    "warcio/example-bad.warc.gz.bad": (6, 3, 0),
    "warcio/example-digest.warc": (4, 0, 0),
    "warcio/example-iana.org-chunked.warc": (3, 1, 0),
    "warcio/example-resource.warc.gz": (3, 0, 0),
    "warcio/example-space-in-target-uri.warc.gz": (2, 0, 0),
    "warcio/example-space-in-url.arc": (2, 1, 0),
    "warcio/example-trunc.warc": (4, 1, 1),  # a record shorter than its length
    "warcio/example-wget-bad-target-uri.warc.gz": (6, 1, 0),
    "warcio/example-wrong-chunks.warc.gz": (2, 1, 0),
    "warcio/example.arc": (2, 1, 0),
    "warcio/example.arc.gz": (2, 1, 0),
    "warcio/example.warc": (6, 2, 0),
    "warcio/example.warc.gz": (6, 2, 0),
    "warcio/post-test.warc.gz": (6, 3, 0),
}


@pytest.mark.parametrize("name", FILES)
def test_every_file_reads_or_fails_cleanly(warc_data: Path, name: str) -> None:
    assert name in EXPECTED, f"new data file {name}: add its expected counts"
    errors: list[ArchiveError] = []
    stats: Counter[str] = Counter()
    items = list(iter_fetched_pages(str(warc_data / name), stats, on_error=errors.append))
    records, pages, error_count = EXPECTED[name]
    assert (stats["warc/records"], len(items), len(errors)) == (records, pages, error_count)
    assert stats["warc/errors"] == error_count
    for error in errors:
        assert "\n" not in error.one_line()
        assert error.where is not None and error.where.startswith(f"{warc_data / name}@")


def test_common_crawl_file_has_16_html_responses_from_15_hosts(warc_data: Path) -> None:
    pages = [p for p in iter_fetched_pages(str(warc_data / "resiliparse/warcfile.warc.gz"))
             if isinstance(p, WarcPage)]
    assert len(pages) == 16 and all(p.html and p.status == 200 for p in pages)
    assert len({p.url.split("/")[2] for p in pages}) == 15
    first = pages[0]
    assert first.warc_offset == 940 and first.ip == "154.93.86.172"
    assert first.fetch_time == "2020-08-08T17:27:41Z"
    assert first.body.lstrip().lower().startswith((b"<!doctype", b"<html"))


@pytest.mark.parametrize("stem", ["resiliparse/warcfile", "resiliparse/block-sized-records"])
def test_plain_gzip_and_lz4_give_the_same_records(warc_data: Path, stem: str) -> None:
    def content(suffix: str) -> list[tuple[str, str | None, bytes]]:
        return [(r.type, r.warc.get("WARC-Target-URI"), r.body)
                for r in iter_records(str(warc_data / (stem + suffix)))]

    plain = content(".warc")
    assert plain and plain == content(".warc.gz") == content(".warc.lz4")


def test_offsets_are_seek_points(warc_data: Path) -> None:
    path = warc_data / "resiliparse/warcfile.warc.gz"
    records = list(iter_records(str(path)))
    data = path.read_bytes()
    assert all(data[r.offset:r.offset + 2] == b"\x1f\x8b" for r in records if r.offset)


def test_iana_revisits_take_the_original_payload(warc_data: Path) -> None:
    stats: Counter[str] = Counter()
    items = list(iter_fetched_pages(str(warc_data / "pywb/iana.warc.gz"), stats))
    assert stats["warc/responses"] == 48 and stats["warc/revisits-resolved"] == 123
    revisits = [p for p in items if isinstance(p, WarcPage) and p.revisit]
    originals = {p.url: p.body for p in items if isinstance(p, WarcPage) and not p.revisit}
    assert len(revisits) == 123
    resolved_same_url = [r for r in revisits if r.url in originals]
    assert resolved_same_url and all(r.body == originals[r.url] for r in resolved_same_url)
    assert sum(p.html for p in items if isinstance(p, WarcPage)) == stats["warc/html"]


def test_revisit_resolves_across_files_of_one_set(warc_data: Path) -> None:
    orig = str(warc_data / "pywb/example-url-agnostic-orig.warc.gz")
    revisit = str(warc_data / "pywb/example-url-agnostic-revisit.warc.gz")
    alone: Counter[str] = Counter()
    assert list(iter_fetched_pages(revisit, alone)) == []
    assert alone["warc/skipped/revisit-unresolved"] == 1
    pages = list(iter_fetched_pages([orig, revisit]))
    assert len(pages) == 2 and pages[1].body == pages[0].body  # type: ignore[union-attr]


def test_arc_files_are_read_with_dates_and_ips(warc_data: Path) -> None:
    (page,) = list(iter_fetched_pages(str(warc_data / "warcio/example.arc.gz")))
    assert isinstance(page, WarcPage) and page.url == "http://example.com/"
    assert page.fetch_time and page.fetch_time.endswith("Z") and page.ip
    assert page.html and page.warc_offset == 171


def test_whole_file_gzip_keeps_records_without_offsets(warc_data: Path) -> None:
    records = list(iter_records(str(warc_data / "warcio/example-bad.warc.gz.bad")))
    assert records[0].offset == 0 and all(r.offset is None for r in records[1:])
