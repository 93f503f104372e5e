"""Content Explorer (`search`) and unlinked mentions (`mentions`): reports on the pages' text.

Both ask the generation's full-text index (store/fulltext.py) which pages match. The best
pages by relevance, unfiltered, are read from the index itself (its stored fields), with
their UR, DR and referring domains looked up for those rows only. A query that needs every
match (a filter, a sort other than relevance, a grouping; mentions always) reads up to
`MAX_CANDIDATES` of them, best first (`cut` says when there were more), and joins them to
`texts`, the metric tables and the links in DuckDB. Snippets are cut from the stored main
text around the matched terms, HTML-escaped, the terms wrapped in <b> (`snippet_html`);
`snippet` is the same fragment as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pyarrow as pa
import tantivy

from linkscope.errors import UsageError
from linkscope.queries.reports import MentionsQuery, SearchQuery
from linkscope.reports.plan import DEAD, LATEST_FETCH
from linkscope.reports.result import ReportResult, as_query
from linkscope.reports.target import reference_date
from linkscope.store.catalog import IndexReader
from linkscope.store.fulltext import SEARCH_DIR, fold, open_search

__all__ = ["MAX_CANDIDATES", "mentions", "search"]

MAX_CANDIDATES = 100_000  # matches read when every one is needed
SNIPPET_CHARS = 200
_SORT_SQL = {"relevance": "score DESC", "ref_domains": "ref_domains DESC NULLS LAST, score DESC",
             "dr": "dr DESC NULLS LAST, score DESC",
             "date": "published DESC NULLS LAST, score DESC"}


@dataclass
class PageHit:
    title: str | None
    url: str
    snippet: str
    dr: float | None
    ur: float | None
    ref_domains: int
    author: str | None
    published: str | None
    domain: str | None
    language: str | None
    word_count: int
    score: float
    snippet_html: str = ""


@dataclass
class SiteGroup:
    site: str | None
    pages: int
    authors: int
    dr: float | None
    ref_domains: int
    top_url: str


@dataclass
class AuthorGroup:
    author: str
    pages: int
    sites: int
    site_list: list[str] = field(default_factory=list)


@dataclass
class MonthGroup:
    month: str  # YYYY-MM
    pages: int


@dataclass
class Mention:
    url: str
    title: str | None
    snippet: str
    dr: float | None
    ur: float | None
    domain: str | None
    first_seen: datetime | None
    links_to_competitors: list[str]
    snippet_html: str = ""


_STORED = ("url", "domain", "title", "body", "lang", "published", "word_count")


class _Hits:
    """The full-text index of a reader's generation, opened once per reader."""

    def __init__(self, reader: IndexReader) -> None:
        self.index: tantivy.Index | None = None
        if (reader.generation / SEARCH_DIR / "meta.json").is_file():
            self.index = open_search(reader.generation)
            self.searcher = self.index.searcher()

    def parse(self, text: str) -> tantivy.Query:
        assert self.index is not None
        try:
            return self.index.parse_query(text, ["title", "body"],
                                          conjunction_by_default=True)
        except ValueError as problem:
            raise UsageError(f"cannot read the query: {problem}", where="query") from None

    def top(self, query: tantivy.Query, limit: int) -> tuple[list[tuple[float, Any]], int]:
        """(score, address) of the best `limit` matches, and the number of all matches."""
        if self.index is None or limit <= 0:
            return [], 0
        found = self.searcher.search(query, limit=limit, count=True)
        return [(float(score), address) for score, address in found.hits], int(
            getattr(found, "count", 0) or 0)

    def keys(self, hits: list[tuple[float, Any]]) -> pa.Table:
        """(url_key, score, hit order) of hits, for DuckDB."""
        addresses = [address for _score, address in hits]
        keys = self.searcher.fast_field_values("url_key", addresses) if addresses else []
        return pa.table({"url_key": pa.array(keys, pa.uint64()),
                         "score": pa.array([score for score, _ in hits], pa.float64()),
                         "hit": pa.array(range(len(keys)), pa.int64())})

    def stored(self, address: Any) -> dict[str, Any]:
        """The stored fields of a document, one value each (authors: all)."""
        fields = self.searcher.doc(address).to_dict()
        one: dict[str, Any] = {name: None for name in _STORED}
        one.update((name, values[0]) for name, values in fields.items() if values)
        one["authors"] = list(fields.get("author", []))
        return one


def _hits(reader: IndexReader) -> _Hits:
    opened: _Hits | None = reader.memo.get("fulltext")
    if opened is None:
        opened = reader.memo["fulltext"] = _Hits(reader)
    return opened


def _day(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"expected a date YYYY-MM-DD, got {value!r}", where=name) from None


def _snippets(hits: _Hits, query: tantivy.Query, texts: list[str]) -> list[tuple[str, str]]:
    """(plain, html) fragments of each text around the query's terms."""
    if hits.index is None:
        return [("", "")] * len(texts)
    generator = tantivy.SnippetGenerator.create(hits.searcher, query, hits.index.schema, "body")
    generator.set_max_num_chars(SNIPPET_CHARS)
    out = []
    for text in texts:
        snippet = generator.snippet_from_doc(tantivy.Document(body=text))
        fragment = snippet.fragment()
        if not fragment:
            plain = " ".join(text[:SNIPPET_CHARS].split())
            out.append((plain, _escape(plain)))
        else:
            out.append((" ".join(fragment.split()), snippet.to_html()))
    return out


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


_PAGES = """
    SELECT t.url, t.title, t.domain, t.language, t.word_count, t.published, t.authors,
           h.score, h.hit, um.ur, dm.dr, p.first_seen
    FROM hits h JOIN texts t USING (url_key)
    LEFT JOIN url_metrics um ON um.url = t.url
    LEFT JOIN domain_metrics dm ON dm.domain = t.domain
    LEFT JOIN pages p ON p.url = t.url"""
_REF_DOMAINS = """
    SELECT l.target AS url, count(DISTINCT l.source_domain) AS ref_domains
    FROM links l SEMI JOIN hits_pages c ON c.url = l.target
    WHERE l.lost_date IS NULL AND l.source_domain IS DISTINCT FROM l.target_domain
    GROUP BY l.target"""


def _candidates(reader: IndexReader, hits: _Hits, found: list[tuple[float, Any]]) -> None:
    """Put matches into the temporary table `hits_pages`, with their metrics and `hit`, their
    place in `found`. Only small columns: the main text is read from the full-text index for
    the rows shown."""
    con = reader.con
    con.register("hits", hits.keys(found) if hits.index is not None else pa.table(
        {"url_key": pa.array([], pa.uint64()), "score": pa.array([], pa.float64()),
         "hit": pa.array([], pa.int64())}))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE hits_pages AS {_PAGES}")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE hits_pages AS
            SELECT c.*, coalesce(r.ref_domains, 0) AS ref_domains
            FROM hits_pages c LEFT JOIN ({_REF_DOMAINS}) r USING (url)""")
    finally:
        con.unregister("hits")


def _metrics(reader: IndexReader, urls: list[str],
             domains: list[str]) -> tuple[dict[str, float], dict[str, float], dict[str, int]]:
    """UR, DR and referring domains of a few pages (one page of results)."""
    con = reader.con
    ur = dict(con.execute("SELECT url, ur FROM url_metrics WHERE url IN (SELECT unnest(?))",
                          [urls]).fetchall())
    dr = dict(con.execute("SELECT domain, dr FROM domain_metrics WHERE domain IN "
                          "(SELECT unnest(?))", [domains]).fetchall())
    refs = dict(con.execute("""
        SELECT target, count(DISTINCT source_domain) FROM links
        WHERE target_domain IN (SELECT unnest(?)) AND target IN (SELECT unnest(?))
          AND lost_date IS NULL AND source_domain IS DISTINCT FROM target_domain
        GROUP BY target""", [domains, urls]).fetchall())
    return ur, dr, refs


def search(reader: IndexReader, query: SearchQuery | str, **changes: Any) -> ReportResult:
    """Pages whose text matches a query (Content Explorer), or their top sites or authors."""
    q = (SearchQuery(query=query, **changes).check() if isinstance(query, str)
         else as_query(SearchQuery, query, changes))
    after = _day(q.published_after, "published_after")
    before = _day(q.published_before, "published_before")
    hits = _hits(reader)
    parsed = hits.parse(q.query) if hits.index is not None else None
    needs_all = (bool(q.set_filters()) or q.one_per_domain or q.links_to_broken
                 or q.sort != "relevance" or q.aggregate != "none")
    extra: dict[str, Any] = {"query": q.query, "aggregate": q.aggregate}
    found: list[tuple[float, Any]] = []
    matches = 0
    if parsed is not None:
        found, matches = hits.top(parsed, MAX_CANDIDATES if needs_all
                                  else q.offset + q.limit)
    extra["matches"] = matches
    extra["cut"] = needs_all and matches > len(found)
    if not needs_all and parsed is not None:  # the best by relevance, from the index alone
        docs = [hits.stored(address) for _score, address in found[q.offset:]]
        ur, dr, refs = _metrics(reader, [d["url"] for d in docs],
                                sorted({d["domain"] for d in docs if d["domain"]}))
        cut = _snippets(hits, parsed, [d["body"] or "" for d in docs])
        best = [PageHit(d["title"] or None, d["url"], plain, dr.get(d["domain"]),
                        ur.get(d["url"]), int(refs.get(d["url"], 0)),
                        d["authors"][0] if d["authors"] else None, d["published"],
                        d["domain"], d["lang"], int(d["word_count"] or 0), score, html)
                for d, (score, _), (plain, html) in zip(docs, found[q.offset:], cut,
                                                        strict=True)]
        return ReportResult("search", None, None, None, best, matches, q.limit, q.offset,
                            _COUNTING_PAGES, extra, PageHit)
    _candidates(reader, hits, found)
    where, params = _filters(q, after, before)
    pages = f"SELECT * FROM hits_pages WHERE {' AND '.join(where) or 'true'}"
    if q.one_per_domain:
        pages = (f"SELECT * FROM ({pages}) QUALIFY row_number() OVER "
                 f"(PARTITION BY domain ORDER BY {_SORT_SQL[q.sort]}, url) = 1")
    con = reader.con
    if q.aggregate == "site":
        grouped = f"""SELECT domain AS site, count(DISTINCT url) AS pages,
                             count(DISTINCT a) AS authors,
                             max(dr) AS dr, max(ref_domains)::BIGINT AS ref_domains,
                             arg_max(url, score) AS top_url
                      FROM ({pages}) LEFT JOIN LATERAL unnest(authors) AS u(a) ON true
                      GROUP BY domain"""
        order = "pages DESC, authors DESC, site"
        rows, total = _page(con, grouped, params, order, q.limit, q.offset)
        return ReportResult("search", None, None, None, [SiteGroup(*r) for r in rows], total,
                            q.limit, q.offset, _COUNTING_GROUPS, extra, SiteGroup)
    if q.aggregate == "month":
        grouped = f"""SELECT left(published, 7) AS month, count(*) AS pages FROM ({pages})
                      WHERE regexp_matches(published, '^\\d{{4}}-\\d{{2}}') GROUP BY 1"""
        rows, total = _page(con, grouped, params, "month", q.limit, q.offset)
        return ReportResult("search", None, None, None, [MonthGroup(*r) for r in rows], total,
                            q.limit, q.offset, _COUNTING_MONTHS, extra, MonthGroup)
    if q.aggregate == "author":
        grouped = f"""SELECT a AS author, count(DISTINCT url) AS pages,
                             count(DISTINCT domain) AS sites,
                             list(DISTINCT domain ORDER BY domain)[:10] AS site_list
                      FROM ({pages}), unnest(authors) AS u(a) GROUP BY a"""
        order = "sites DESC, pages DESC, author"
        rows, total = _page(con, grouped, params, order, q.limit, q.offset)
        return ReportResult("search", None, None, None, [AuthorGroup(*r) for r in rows], total,
                            q.limit, q.offset, _COUNTING_GROUPS, extra, AuthorGroup)
    rows, total = _page(con, f"""SELECT title, url, hit, dr, ur, ref_domains,
                                        authors[1] AS author, published, domain, language,
                                        word_count, score FROM ({pages})""",
                        params, f"{_SORT_SQL[q.sort]}, url", q.limit, q.offset)
    bodies = [hits.stored(found[r[2]][1])["body"] or "" for r in rows]
    cut = _snippets(hits, parsed, bodies) if parsed is not None else []
    shown = [PageHit(r[0], r[1], plain, r[3], r[4], int(r[5]), r[6], r[7], r[8], r[9],
                     int(r[10] or 0), float(r[11]), html)
             for r, (plain, html) in zip(rows, cut, strict=True)]
    return ReportResult("search", None, None, None, shown, total, q.limit, q.offset,
                        _COUNTING_PAGES, extra, PageHit)


_COUNTING_PAGES = ("pages of the index whose main text or title matches the query (one row a "
                   "page, its latest fetch); ref_domains counts the domains with a live link "
                   "to the page")
_COUNTING_GROUPS = "the matching pages, grouped; each page counts once"
_COUNTING_MONTHS = ("the matching pages that state when they were published, by month of "
                    "publication")


def _filters(q: SearchQuery, after: str | None, before: str | None) -> tuple[list[str],
                                                                            list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for value, sql in ((q.min_dr, "dr >= ?"), (q.min_ur, "ur >= ?"),
                       (q.min_ref_domains, "ref_domains >= ?"), (q.min_words, "word_count >= ?"),
                       (q.max_words, "word_count <= ?"), (after, "left(published, 10) >= ?"),
                       (before, "left(published, 10) < ?")):
        if value is not None:
            where.append(sql)
            params.append(value)
    if q.language:
        where.append("(lower(language) = ? OR lower(language) LIKE ?)")
        lang = q.language.strip().lower()
        params += [lang, lang + "-%"]
    if q.links_to_broken:
        where.append(f"""url IN (SELECT l.source FROM links l
            JOIN ({LATEST_FETCH.format(where='')}) f ON f.url = l.target
            WHERE l.lost_date IS NULL AND l.kind IN ('text', 'image') AND {DEAD})""")
    return where, params


def _page(con: Any, sql: str, params: list[Any], order: str, limit: int,
          offset: int) -> tuple[list[tuple[Any, ...]], int]:
    rows = con.execute(f"SELECT *, count(*) OVER () AS total FROM ({sql}) ORDER BY {order} "
                       f"LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
    total = rows[0][-1] if rows else con.execute(f"SELECT count(*) FROM ({sql})",
                                                 params).fetchall()[0][0]
    return [r[:-1] for r in rows], int(total)


def _domain(value: str, name: str) -> str:
    text = value.strip().lower().removeprefix("http://").removeprefix("https://")
    text = text.split("/")[0].removeprefix("www.")
    if not text or " " in text or "." not in text:
        raise UsageError(f"expected a domain such as example.com, got {value!r}", where=name)
    return text


def mention_query(hits: _Hits, term: str) -> tantivy.Query:
    """A phrase query for `term` on the main text, folded as the index folds it."""
    assert hits.index is not None
    words = fold(term)
    if not words:
        raise UsageError(f"no word to look for in {term!r}", where="term")
    schema = hits.index.schema
    if len(words) == 1:
        return tantivy.Query.term_query(schema, "body", words[0])
    return tantivy.Query.phrase_query(schema, "body", list[str | tuple[int, str]](words))


# a link still on its page at the latest fetch: live, or lost only by turning nofollow or by
# its page turning noindex
_ON_PAGE = "(l.lost_reason IS NULL OR l.lost_reason IN ('nofollow', 'noindex'))"


def mentions(reader: IndexReader, query: MentionsQuery | str, **changes: Any) -> ReportResult:
    """Pages that name a term and do not link to the target domain (nor are on it)."""
    q = (MentionsQuery(term=query, **changes).check() if isinstance(query, str)
         else as_query(MentionsQuery, query, changes))
    target = _domain(q.target, "target") if q.target else None
    competitors = [_domain(c, "competitor") for c in q.competitors]
    hits = _hits(reader)
    extra: dict[str, Any] = {"term": q.term, "target": target, "competitors": competitors}
    parsed = mention_query(hits, q.term) if hits.index is not None else None
    found, extra["matches"] = (hits.top(parsed, MAX_CANDIDATES) if parsed is not None
                               else ([], 0))
    _candidates(reader, hits, found)
    where = ["true"]
    params: list[Any] = []
    if target is not None:
        where.append("domain IS DISTINCT FROM ?")
        params.append(target)
        where.append(f"""url NOT IN (SELECT l.source FROM links l WHERE l.target_domain = ?
                                     AND {_ON_PAGE})""")
        params.append(target)
    if q.new_within is not None:
        where.append("first_seen >= ?")
        params.append(reference_date(reader) - timedelta(days=q.new_within))
    linked = ", ".join("?" for _ in competitors) or "NULL"
    sql = f"""SELECT url, title, hit, dr, ur, domain, first_seen,
                     coalesce((SELECT list(DISTINCT l.target_domain ORDER BY l.target_domain)
                               FROM links l WHERE l.source = c.url AND {_ON_PAGE}
                               AND l.target_domain IN ({linked})), []) AS competitors_linked
              FROM hits_pages c WHERE {' AND '.join(where)}"""
    rows, total = _page(reader.con, sql, competitors + params,
                        "dr DESC NULLS LAST, ur DESC NULLS LAST, url", q.limit, q.offset)
    bodies = [hits.stored(found[r[2]][1])["body"] or "" for r in rows]
    cut = _snippets(hits, parsed, bodies) if parsed is not None else []
    shown = [Mention(r[0], r[1], plain, r[3], r[4], r[5], r[6], list(r[7]), html)
             for r, (plain, html) in zip(rows, cut, strict=True)]
    counting = ("pages whose main text holds the term as a phrase (case and accents ignored, "
                "whole words)" + (f", not on {target} and with no link to it on the page"
                                  if target else ""))
    return ReportResult("mentions", target, None, None, shown, total, q.limit, q.offset,
                        counting, extra, Mention)
