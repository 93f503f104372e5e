"""Large files read in byte ranges by several workers: the same index as reading them whole."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import lz4.frame
import pytest

from linkscope.samples.archive import write_sample_warc
from linkscope.store import ingest, open_index
from linkscope.store.ingest import plan_tasks, run_id_for
from linkscope.store.parts import read_task
from linkscope.warc import iter_records
from linkscope.warc.ranges import split_at

QUERIES = {
    "pages": "SELECT url, status, fetch_time, warc_file, warc_offset, outlinks FROM pages",
    "links": "SELECT source, target, kind, anchor, placement, occurrences, position, warc_file, "
             "warc_offset, first_seen FROM links",
    "fetches": "SELECT url, fetch_time, status, error, warc_file, warc_offset FROM fetches",
}


@pytest.fixture(scope="module")
def archives(sample_web: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample web as one WARC file: gzip per record, LZ4 per record, and plain."""
    out = tmp_path_factory.mktemp("ranges")
    (packed,) = write_sample_warc(sample_web, out / "gz", max_bytes=1 << 30)
    data = packed.read_bytes()
    offsets = [r.offset for r in iter_records(str(packed)) if r.offset is not None]
    members = [data[a:b] for a, b in zip(offsets, [*offsets[1:], len(data)], strict=True)]
    plain, lz4_file = out / "sample.warc", out / "sample.warc.lz4"
    plain.write_bytes(b"".join(gzip.decompress(m) for m in members))
    lz4_file.write_bytes(b"".join(lz4.frame.compress(gzip.decompress(m)) for m in members))
    return {"gzip": packed, "lz4": lz4_file, "plain": plain}


def records(source: Path, start: int = 0, stop: int | None = None) -> list[tuple[Any, ...]]:
    return [(r.offset, r.type, r.warc.get("WARC-Target-URI"), len(r.body))
            for r in iter_records(str(source), start=start, stop=stop)]


def index_rows(index: Path) -> dict[str, list[tuple[Any, ...]]]:
    with open_index(index) as reader:
        return {t: sorted(reader.con.execute(q).fetchall(), key=repr) for t, q in QUERIES.items()}


@pytest.mark.parametrize("kind", ["gzip", "lz4", "plain"])
def test_ranges_give_the_same_index_as_the_whole_file(tmp_path: Path, archives: dict[str, Path],
                                                      kind: str) -> None:
    source = str(archives[kind])
    size = archives[kind].stat().st_size
    whole = ingest(tmp_path / "whole", [source], workers=1)
    assert whole.counters["ingest/ranges"] == 0
    split = ingest(tmp_path / "split", [source], workers=2, split_bytes=0,
                   range_bytes=size // 5 + 1)
    assert split.counters["ingest/ranges"] == 5
    assert not whole.failed and not split.failed
    for counter in ("warc/files", "warc/records", "warc/responses", "warc/failures"):
        assert split.counters[counter] == whole.counters[counter] > 0
    assert whole.counts == split.counts
    expected = index_rows(tmp_path / "whole")
    assert len(expected["links"]) > 1000 and len(expected["pages"]) > 500
    assert index_rows(tmp_path / "split") == expected


@pytest.mark.parametrize("kind", ["gzip", "lz4", "plain"])
def test_every_record_is_read_once_wherever_the_cuts_land(archives: dict[str, Path],
                                                          kind: str) -> None:
    source = archives[kind]
    everything = records(source)
    offsets = [r[0] for r in everything]
    size = source.stat().st_size
    cuts = [
        offsets[100],  # exactly on a record start
        offsets[200] + 7,  # inside a record (inside its gzip member or LZ4 frame)
        offsets[300] + 5, offsets[300] + 40,  # two cuts in one record: a range with no start
        offsets[-1] + 3,  # after the last record start: the last range is empty
    ]
    ranges = split_at(str(source), cuts)
    assert ranges == [(0, offsets[100]), (offsets[100], offsets[201]),
                      (offsets[201], offsets[301]), (offsets[301], offsets[301]),
                      (offsets[301], size), (size, size)]
    pieces = [records(source, start, stop) for start, stop in ranges]
    assert pieces[3] == pieces[5] == []
    assert [r for piece in pieces for r in piece] == everything


def test_a_stored_warc_line_in_a_plain_body_is_not_a_record_start(tmp_path: Path,
                                                                  archives: dict[str, Path]
                                                                  ) -> None:
    plain = archives["plain"].read_bytes()
    offsets = [r[0] for r in records(archives["plain"])]
    body = b"look: \nWARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nnot a record\n"
    record = (b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x.test/a.txt\r\n"
              b"Content-Type: text/plain\r\nContent-Length: " + str(len(body)).encode()
              + b"\r\n\r\n" + body + b"\r\n\r\n")
    cut = offsets[10]
    source = tmp_path / "tricky.warc"
    source.write_bytes(plain[:cut] + record + plain[cut:])
    everything = records(source)
    assert len(everything) == len(offsets) + 1
    ranges = split_at(str(source), [cut + 8])  # inside the inserted record, before its body
    assert ranges[0][1] == cut + len(record)
    assert records(source, *ranges[0]) + records(source, *ranges[1]) == everything


def test_whole_file_gzip_and_small_files_are_not_split(tmp_path: Path,
                                                       archives: dict[str, Path]) -> None:
    whole_gzip = tmp_path / "whole.warc.gz"
    whole_gzip.write_bytes(gzip.compress(archives["plain"].read_bytes()))
    assert split_at(str(whole_gzip), [1000, 2000]) == [(0, whole_gzip.stat().st_size)]
    tasks = plan_tasks([str(whole_gzip), str(archives["gzip"])], split_bytes=1 << 30)
    assert [(t.start, t.stop) for t in tasks] == [(0, None), (0, None)]
    ranged = plan_tasks([str(archives["gzip"])], split_bytes=0, range_bytes=200_000)
    assert len(ranged) == len({t.key for t in ranged}) > 2


def test_an_interrupted_ingest_resumes_per_range(tmp_path: Path,
                                                 archives: dict[str, Path]) -> None:
    source = str(archives["gzip"])
    sources, range_bytes = [source], archives["gzip"].stat().st_size // 4 + 1
    index = tmp_path / "idx"
    ingest(tmp_path / "whole", sources, workers=1)
    # an earlier run read ranges 0 and 2, then died
    run = run_id_for(sources, None)
    parts = index / "runs" / run / "parts"
    parts.mkdir(parents=True)
    tasks = plan_tasks(sources, split_bytes=0, range_bytes=range_bytes)
    assert len(tasks) == 4
    for task in (tasks[0], tasks[2]):
        read_task(task, parts, f"ingest-{run}")
        marker = task.done_marker(parts)
        done = json.loads(marker.read_text())
        done["counters"]["test/read-before"] = 1
        marker.write_text(json.dumps(done))
    report = ingest(index, sources, workers=2, split_bytes=0, range_bytes=range_bytes)
    assert report.counters["ingest/ranges_resumed"] == 2
    assert report.counters["test/read-before"] == 2  # their markers were kept, not rewritten
    assert report.counters["ingest/sources_resumed"] == 0
    assert index_rows(index) == index_rows(tmp_path / "whole")


def test_an_unreadable_resume_marker_means_not_done(tmp_path: Path,
                                                    archives: dict[str, Path]) -> None:
    """Issue 12: an empty `.done` marker (a kill mid-write) made every later ingest crash with
    a JSONDecodeError until runs/ was deleted by hand."""
    source = str(archives["gzip"])
    sources, range_bytes = [source], archives["gzip"].stat().st_size // 4 + 1
    index = tmp_path / "idx"
    ingest(tmp_path / "whole", sources, workers=1)
    run = run_id_for(sources, None)
    parts = index / "runs" / run / "parts"
    parts.mkdir(parents=True)
    tasks = plan_tasks(sources, split_bytes=0, range_bytes=range_bytes)
    for task in tasks[:3]:
        read_task(task, parts, f"ingest-{run}")
    tasks[1].done_marker(parts).write_text("")  # killed as the marker was being written
    marker = tasks[2].done_marker(parts)
    marker.write_text(marker.read_text()[:25])  # cut short
    report = ingest(index, sources, workers=2, split_bytes=0, range_bytes=range_bytes)
    assert report.counters["ingest/ranges_resumed"] == 1 and not report.failed
    assert report.counters["warc/records"] == ingest(
        tmp_path / "again", sources, workers=1).counters["warc/records"]  # each range counted once
    assert index_rows(index) == index_rows(tmp_path / "whole")


def test_resume_markers_are_written_whole(tmp_path: Path, archives: dict[str, Path]) -> None:
    (task,) = plan_tasks([str(archives["lz4"])])
    result = read_task(task, tmp_path, "ingest-test")
    assert json.loads(task.done_marker(tmp_path).read_text()) == result
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{task.key}.done"] + [f"{task.key}.{t}.parquet"
                                  for t in ("fetches", "links", "pages", "texts")])
