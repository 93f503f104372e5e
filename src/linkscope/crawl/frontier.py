"""The crawl's state on disk (SQLite): the frontier, the fetched set, robots rules, settings.

    urls(url, host, depth, outside, state, status, seq)   every URL the crawl has seen
    robots(origin, status, error, body, closed_until)     robots.txt answers, per origin
    meta(key, value)                                      config, crawl id, phase

A URL is `queued` until its outcome is final, then `done` (fetched, with or without an
answer), `disallowed` (robots.txt) or `blocked` (the address guard). The outcome of a fetch
and the URLs found on the page are committed in one transaction, after the fetch's WARC
records are written and flushed: a kill at any moment leaves every `done` URL's records in
the WARC files and every link of a done page in the frontier (recovery.py trims the rest).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

QUEUED, DONE, DISALLOWED, BLOCKED = "queued", "done", "disallowed", "blocked"


@dataclass(slots=True)
class Entry:
    """A URL waiting in the frontier, with how it was reached."""

    url: str
    host: str
    depth: int = 0  # hops from a seed (redirects do not count)
    outside: int = 0  # hops outside the seeds' sites (scope links:N)
    attempts: int = 0  # fetches tried so far (retries)
    robots: bool = False  # a robots.txt fetch, not a page


class Frontier:
    """The SQLite state of one crawl; every method commits what it changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con = sqlite3.connect(path, isolation_level=None)
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=NORMAL")
        self.con.executescript("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS urls (
                url TEXT PRIMARY KEY, host TEXT NOT NULL, depth INTEGER, outside INTEGER,
                state TEXT NOT NULL, status INTEGER, error TEXT, robots INTEGER DEFAULT 0,
                seq INTEGER);
            CREATE INDEX IF NOT EXISTS urls_state ON urls (state, seq);
            CREATE TABLE IF NOT EXISTS robots (
                origin TEXT PRIMARY KEY, status INTEGER, error TEXT, body TEXT,
                closed_until REAL);
        """)
        row = self.con.execute("SELECT max(seq) FROM urls").fetchone()
        self._seq = int(row[0] or 0)
        self.seen: set[str] = set()  # every URL in the table
        self.finished: set[str] = set()  # URLs whose outcome is final
        for url, state in self.con.execute("SELECT url, state FROM urls"):
            self.seen.add(url)
            if state != QUEUED:
                self.finished.add(url)

    def close(self) -> None:
        self.con.close()

    # --- meta
    def get(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- URLs
    def add(self, entries: Iterable[Entry]) -> list[Entry]:
        """Queue the entries not seen before; return those."""
        fresh = self._fresh(entries)
        self.con.execute("BEGIN")
        self._insert(fresh)
        self.con.execute("COMMIT")
        return fresh

    def finish(self, entry: Entry, state: str, status: int | None = None,
               error: str | None = None, found: Iterable[Entry] = (),
               robots: tuple[str, int | None, str | None, str | None, float] | None = None,
               ) -> list[Entry]:
        """Record the outcome of `entry`, queue the URLs found on it and save the robots rules
        it gave (origin, status, error, body, closed_until), in one transaction."""
        fresh = self._fresh(found)
        self.finished.add(entry.url)
        self.con.execute("BEGIN")
        if robots is not None:
            self.con.execute("INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?, ?)", robots)
        if entry.url in self.seen:
            self.con.execute("UPDATE urls SET state = ?, status = ?, error = ?, robots = ? "
                             "WHERE url = ?",
                             (state, status, error, int(entry.robots), entry.url))
        else:
            self.seen.add(entry.url)
            self._seq += 1
            self.con.execute("INSERT INTO urls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (entry.url, entry.host, entry.depth, entry.outside, state, status,
                              error, int(entry.robots), self._seq))
        self._insert(fresh)
        self.con.execute("COMMIT")
        return fresh

    def _fresh(self, entries: Iterable[Entry]) -> list[Entry]:
        fresh: list[Entry] = []
        for entry in entries:
            if entry.url not in self.seen:
                self.seen.add(entry.url)
                fresh.append(entry)
        return fresh

    def _insert(self, entries: list[Entry]) -> None:
        rows = []
        for entry in entries:
            self._seq += 1
            rows.append((entry.url, entry.host, entry.depth, entry.outside, QUEUED, None, None,
                         int(entry.robots), self._seq))
        self.con.executemany("INSERT INTO urls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def queued(self) -> Iterator[Entry]:
        for url, host, depth, outside in self.con.execute(
                "SELECT url, host, depth, outside FROM urls WHERE state = ? ORDER BY seq",
                (QUEUED,)):
            yield Entry(url, host, depth, outside)

    def counts(self) -> dict[str, int]:
        """URLs by state, robots.txt files included."""
        return {str(state): int(n) for state, n in self.con.execute(
            "SELECT state, count(*) FROM urls GROUP BY state")}

    def count(self, state: str, robots: bool = False) -> int:
        row = self.con.execute("SELECT count(*) FROM urls WHERE state = ? AND robots = ?",
                               (state, int(robots))).fetchone()
        return int(row[0])

    # --- robots
    def robots(self) -> Iterator[tuple[str, int | None, str | None, str | None, float]]:
        yield from self.con.execute(
            "SELECT origin, status, error, body, closed_until FROM robots")
