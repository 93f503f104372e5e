"""What an ingest has kept so far, read from its run directory: for progress bars, and for the
line that tells an interrupted user what was saved.

An ingest's run (`INDEX/runs/<run id>/`, named by its sources and crawl date: ingest.py) keeps
the part files of every task it finished (a source, or a byte range of a large one), each with
its `.done` marker holding the task's error lines; running the same ingest again skips those
tasks. A source is kept when all of its tasks are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from linkscope.store.generations import IndexDir
from linkscope.store.ingest import plan_tasks, run_id_for
from linkscope.store.parts import ReadTask


@dataclass(frozen=True)
class RunProgress:
    sources: int  # sources of the run
    kept: int  # sources read in full, whose part files a rerun keeps
    errors: int  # error lines of the tasks done (bad records of a source, a bad source)


class RunWatch:
    """Reads an ingest run's markers as they appear; each marker is parsed once."""

    def __init__(self, index: Path, sources: list[str], crawl_date: date | None,
                 tasks: list[ReadTask] | None = None) -> None:
        named = sources if tasks is None else [t.key for t in tasks]
        self.parts = IndexDir(index).runs / run_id_for(named, crawl_date) / "parts"
        self.tasks = plan_tasks(sources) if tasks is None else tasks
        self._errors: dict[str, int] = {}  # marker name -> its error lines

    def read(self) -> RunProgress:
        markers = self.parts.glob("*.done") if self.parts.is_dir() else iter(())
        for marker in markers:
            if marker.name in self._errors:
                continue
            try:
                self._errors[marker.name] = len(json.loads(marker.read_text())["errors"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # being written: read it next time
        kept: dict[str, bool] = {}
        for task in self.tasks:
            done = task.done_marker(self.parts).name in self._errors
            kept[task.source] = kept.get(task.source, True) and done
        return RunProgress(len(kept), sum(kept.values()), sum(self._errors.values()))
