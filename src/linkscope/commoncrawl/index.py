"""A client of Common Crawl's index server (pywb's CDX server API, as index.commoncrawl.org
runs it for each crawl: `https://index.commoncrawl.org/CC-MAIN-2024-22-index`).

    API?url=example.com/*&output=json&showNumPages=true  ->  {"pages": 3, "pageSize": 5, ...}
    API?url=example.com/*&output=json&page=0             ->  one JSON object a line

`url=example.com/*` is a prefix query on the SURT key `com,example)/`, so it also finds the
captures of `www.example.com` (the key drops `www.`), and not those of `blog.example.com`;
`*.example.com` (matchType `domain`) takes every host under the domain. A query with no captures
answers 404, which is an answer (no captures), not a failure. 5xx answers (the server says 503
when asked too fast) and dropped connections are retried with a growing pause (a refused
connection twice only); a 4xx other than 404 is a bad query and fails.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any

from linkscope.commoncrawl.captures import Capture, parse_cdxj_line
from linkscope.errors import FetchError
from linkscope.warc.remote import REFUSED_RETRIES, USER_AGENT

log = logging.getLogger(__name__)


class IndexClient:
    """Pages through an index server's answers for one query at a time."""

    def __init__(self, api: str, *, retries: int = 5, timeout: float = 60.0,
                 pause: float = 0.2) -> None:
        self.api = api
        self.retries = retries
        self.timeout = timeout
        self.pause = pause
        self.requests = 0

    def captures(self, url: str, stats: Counter[str],
                 match_type: str | None = None) -> Iterator[Capture]:
        """Every capture the index lists for `url` (`host/*`, `*.domain`, a URL prefix with
        `*`), page by page; none when the server answers 404."""
        params = {"url": url, "output": "json"}
        if match_type:
            params["matchType"] = match_type
        answer = self._get({**params, "showNumPages": "true"})
        if answer is None:
            return
        try:
            pages = int(json.loads(answer)["pages"])
        except (ValueError, KeyError, TypeError):
            raise FetchError(f"showNumPages answered {answer[:80]!r}, not "
                             f"{{\"pages\": N, ...}}", where=self._url(params)) from None
        for page in range(pages):
            text = self._get({**params, "page": str(page)})
            if text is None:
                continue
            for line in text.splitlines():
                capture = parse_cdxj_line(line, stats)
                if capture is not None:
                    stats["cc/captures"] += 1
                    yield capture

    def _url(self, params: dict[str, str]) -> str:
        return f"{self.api}?{urllib.parse.urlencode(params, safe='/*:')}"

    def _get(self, params: dict[str, str]) -> str | None:
        """The answer's text, or None for a 404 (no captures)."""
        url = self._url(params)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        failures = 0
        while True:
            self.requests += 1
            problem: Any
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return str(response.read().decode("utf-8", "replace"))
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    return None
                if exc.code < 500:
                    raise FetchError(f"HTTP {exc.code} {exc.reason}", where=url) from None
                problem = f"HTTP {exc.code} {exc.reason}"
            except (urllib.error.URLError, OSError) as exc:
                problem = getattr(exc, "reason", exc)
            failures += 1
            refused = isinstance(problem, ConnectionRefusedError)
            if failures > (REFUSED_RETRIES if refused else self.retries):
                raise FetchError(f"index server failed after {failures - 1} retries: "
                                 f"{problem}", where=url)
            log.info("%s: %s; retrying", url, problem)
            time.sleep(min(self.pause * 2 ** (failures - 1), 10.0))
