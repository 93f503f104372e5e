"""search and mentions on the sample web: against its truth and a brute-force scan of the texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tantivy

from linkscope.errors import UsageError
from linkscope.reports.search import _escape, _snippets, mentions, search
from linkscope.samples.mentions import fold_words
from linkscope.store import IndexDir, IndexReader, open_index
from linkscope.store.fulltext import open_search, update_search


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_mentions_match_the_truth(reader: IndexReader, sample_web_epoch1: Path) -> None:
    have = {url for (url,) in reader.con.execute("SELECT url FROM texts").fetchall()}
    truth = {(str(r["source"]), str(r["site"]))
             for r in _lines(sample_web_epoch1 / "truth" / "unlinked_mentions.jsonl")
             if r["source"] in have}
    assert len(truth) > 30
    found = set()
    for site in _lines(sample_web_epoch1 / "truth" / "sites.jsonl"):
        result = mentions(reader, str(site["brand"]), target=str(site["domain"]), limit=10_000)
        found |= {(row.url, str(site["domain"])) for row in result.rows}
        assert all(row.domain != site["domain"] for row in result.rows)
    hits = len(found & truth)
    assert hits / len(found) >= 0.95 and hits / len(truth) >= 0.95


def test_a_page_linking_to_the_target_is_no_unlinked_mention(reader: IndexReader) -> None:
    # a brand that is the anchor of a link to its own site: some page says it only there
    row = reader.con.execute("""
        SELECT l.anchor, l.target_domain FROM links l JOIN texts t ON t.url = l.source
        WHERE l.lost_date IS NULL AND l.placement = 'content' AND l.kind = 'text'
          AND l.anchor LIKE '% %' AND l.source_domain <> l.target_domain
        LIMIT 1""").fetchall()[0]
    anchor, domain = row
    linking = {u for (u,) in reader.con.execute(
        "SELECT source FROM links WHERE target_domain = ? AND lost_date IS NULL",
        [domain]).fetchall()}
    everywhere = {r.url for r in mentions(reader, anchor, limit=10_000).rows}
    unlinked = {r.url for r in mentions(reader, anchor, target=domain, limit=10_000).rows}
    assert everywhere & linking  # the anchor's page names it...
    assert not unlinked & linking  # ...and is left out once it links to the target


def _brute(reader: IndexReader, words: list[str]) -> set[str]:
    """Pages whose title or main text holds every word (folded), by scanning every text."""
    found = set()
    for url, title, text in reader.con.execute(
            "SELECT url, title, main_text FROM texts").fetchall():
        have = set(fold_words(f"{title or ''} {text or ''}"))
        if all(w in have for w in words):
            found.add(url)
    return found


def _brute_phrase(reader: IndexReader, phrase: list[str]) -> set[str]:
    found = set()
    for url, text in reader.con.execute("SELECT url, main_text FROM texts").fetchall():
        words = fold_words(text or "")
        n = len(phrase)
        if any(words[i:i + n] == phrase for i in range(len(words))):
            found.add(url)
    return found


@pytest.mark.parametrize("words", [["recipe"], ["garlic", "oven"], ["cafe"], ["grusse"],
                                   ["team", "says"]])
def test_search_equals_a_scan_of_the_texts(reader: IndexReader, words: list[str]) -> None:
    result = search(reader, " ".join(words), limit=100_000)
    assert {r.url for r in result.rows} == _brute(reader, words)
    assert result.total == len(result.rows) > 0


def test_phrase_search_equals_a_scan(reader: IndexReader) -> None:
    result = search(reader, 'body:"the team at"', limit=100_000)
    assert {r.url for r in result.rows} == _brute_phrase(reader, ["the", "team", "at"])


def test_filters_sorts_and_groups(reader: IndexReader) -> None:
    every = search(reader, "the", limit=100_000).rows
    rich = search(reader, "the", min_dr=30, sort="dr", limit=100_000).rows
    assert {r.url for r in rich} == {r.url for r in every if (r.dr or 0) >= 30}
    assert [r.dr for r in rich] == sorted((r.dr for r in rich), reverse=True)
    one = search(reader, "the", one_per_domain=True, limit=100_000).rows
    assert len({r.domain for r in one}) == len(one) == len({r.domain for r in every})
    sites = search(reader, "the", aggregate="site", limit=100_000).rows
    assert sum(s.pages for s in sites) == len(every)
    site = one[0].domain
    assert {r.url for r in search(reader, f"the site:{site}", limit=100_000).rows} == {
        r.url for r in every if r.domain == site}
    german = search(reader, "the", language="de", limit=100_000).rows
    assert german and all(r.language == "de" for r in german)


def test_links_to_broken(reader: IndexReader) -> None:
    found = {r.url for r in search(reader, "the", links_to_broken=True, limit=100_000).rows}
    dead = {u for (u,) in reader.con.execute("""
        SELECT DISTINCT l.source FROM links l JOIN (
            SELECT url, arg_max(status, fetch_time) AS status FROM fetches GROUP BY url) f
            ON f.url = l.target
        WHERE l.lost_date IS NULL AND l.kind IN ('text', 'image')
          AND (f.status IS NULL OR f.status >= 400)""").fetchall()}
    every = {r.url for r in search(reader, "the", limit=100_000).rows}
    assert found and found == every & dead


@pytest.mark.parametrize(("call", "where"), [
    (lambda r: search(r, 'title:"unclosed'), "query"),
    (lambda r: search(r, "x", published_after="2026-13-01"), "published_after"),
    (lambda r: mentions(r, "Brand", target="not a domain"), "target"),
    (lambda r: mentions(r, "--- ...", target="example.test"), "term"),
])
def test_bad_input_names_the_parameter(reader: IndexReader, call: object, where: str) -> None:
    with pytest.raises(UsageError) as raised:
        call(reader)  # type: ignore[operator]
    assert raised.value.where == where


def test_snippets_escape_the_page_text(reader: IndexReader) -> None:
    from linkscope.reports.search import _hits

    hits = _hits(reader)
    query = hits.parse("recipe")
    plain, html = _snippets(hits, query, ['<script>alert("x")</script> a recipe & more'])[0]
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>recipe</b>" in html
    assert "<script>" in plain
    assert _escape("<a href='x'>") == "&lt;a href=&#39;x&#39;&gt;"


def test_incremental_index_equals_a_rebuild(two_epoch_index: Path, tmp_path: Path) -> None:
    import duckdb

    generation = IndexDir(two_epoch_index).require_current()
    (tmp_path / "texts.parquet").symlink_to(generation / "texts.parquet")
    con = duckdb.connect()
    counts = update_search(con, None, tmp_path)
    rebuilt, served = open_search(tmp_path), open_search(generation)
    assert served.searcher().num_docs == counts["search_docs"] > 0
    for text in ("recipe", '"the team at"', "garlic AND NOT oven", "lang:de"):
        def urls(index: tantivy.Index, text: str = text) -> set[str]:
            searcher = index.searcher()
            found = searcher.search(index.parse_query(text, ["title", "body"]), limit=10_000)
            return {searcher.doc(a)["url"][0] for _, a in found.hits}
        assert urls(rebuilt) == urls(served)


def test_a_generation_without_text_answers_empty(tmp_path: Path) -> None:
    from linkscope.store import ingest

    index = tmp_path / "idx"
    ingest(index, [], workers=1)
    if IndexDir(index).current() is None:
        pytest.skip("an ingest of nothing publishes no generation")
    with open_index(index) as reader:
        assert search(reader, "anything").rows == []


def test_bylines_are_read_and_searchable(reader: IndexReader, sample_web_epoch1: Path) -> None:
    from linkscope.samples.bylines import byline
    from linkscope.samples.epochs import apply_epochs
    from linkscope.samples.generate import WebConfig, compute_web

    manifest = json.loads((sample_web_epoch1 / "manifest.json").read_text())
    config = WebConfig(**{k: manifest[k] for k in ("sites", "seed", "port", "pages_per_site",
                                                    "max_addresses")})
    web = compute_web(config)
    apply_epochs(web, manifest["epoch"])
    stated = {url: byline(page) for url, page in web.pages.items()}
    rows = reader.con.execute("SELECT url, authors, published FROM texts").fetchall()
    articles = [(url, authors, published) for url, authors, published in rows if stated[url]]
    assert len(articles) > 50
    for url, authors, published in rows:
        expected = stated[url]
        if expected is None:
            assert not authors and published is None, url
        else:
            assert (list(authors), published[:10]) == ([expected[0]], expected[1]), url
    every = {r.url for r in search(reader, "the", limit=100_000).rows}
    by_month = search(reader, "the", aggregate="month", limit=1000).rows
    months: dict[str, int] = {}
    for url in every:
        if stated[url]:
            month = stated[url][1][:7]  # type: ignore[index]
            months[month] = months.get(month, 0) + 1
    assert {r.month: r.pages for r in by_month} == months
    author = articles[0][1][0]
    found = search(reader, f'author:"{author}"', limit=1000).rows
    indexed = {url for url, _authors, _published in rows}
    assert found and {r.url for r in found} == {
        url for url, who in stated.items() if who and who[0] == author and url in indexed}


def test_a_previous_index_of_another_schema_is_rebuilt(two_epoch_index: Path,
                                                       tmp_path: Path) -> None:
    import duckdb

    served = IndexDir(two_epoch_index).require_current()
    old, new = tmp_path / "old", tmp_path / "new"
    for generation in (old, new):
        generation.mkdir()
        (generation / "texts.parquet").symlink_to(served / "texts.parquet")
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("url", stored=True, tokenizer_name="raw")
    (old / "search").mkdir()
    writer = tantivy.Index(builder.build(), path=str(old / "search")).writer(15_000_000, 1)
    writer.commit()
    writer.wait_merging_threads()
    counts = update_search(duckdb.connect(), old, new)
    assert counts["search_docs"] == counts["search_added"] == open_search(
        served).searcher().num_docs
