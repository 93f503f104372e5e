"""Facts a report derives from a generation are kept with the opened reader, not by path: an
index rebuilt at the same path (same generation name) must not answer with the old one's."""

from __future__ import annotations

import shutil
from pathlib import Path

from linkscope.reports.overview import snapshot_days
from linkscope.reports.target import reference_date
from linkscope.store import ingest, open_index
from tests.conftest import shared_data


def test_an_index_rebuilt_at_the_same_path_gives_its_own_dates(tmp_path: Path) -> None:
    index = tmp_path / "index"
    answers = []
    for warc in (shared_data("warc", "resiliparse", "warcfile.warc.gz"),
                 shared_data("warc", "cc-whirlwind", "whirlwind.warc.gz")):
        shutil.rmtree(index, ignore_errors=True)
        ingest(index, [str(warc)])
        with open_index(index) as reader:
            answers.append((reader.generation.name, reference_date(reader).year,
                            [day.year for day in snapshot_days(reader)]))
    (first_gen, first_year, first_days), (second_gen, second_year, second_days) = answers
    assert first_gen == second_gen  # the same path both times
    assert (first_year, second_year) == (2020, 2024)
    assert set(first_days) == {2020} and set(second_days) == {2024}
