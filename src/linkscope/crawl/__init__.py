"""linkscope's crawler: polite, resumable, writing WARC, then indexing what it fetched.

    config = CrawlConfig(seeds=("https://example.com/",), scope="domain", max_pages=1000)
    report = crawl(index, config)                 # INDEX/crawls/<id>/, then one snapshot
    report = run(resume_directory(index, ()), index)   # go on after a kill
    report = recrawl(index, max_pages=500)        # revisit indexed pages, most valuable first

See docs/crawl.md for the rules (politeness, robots.txt, safety, resume, recrawl order).
"""

from linkscope.crawl.config import CrawlConfig, Scope, check_hosts_file, check_seeds
from linkscope.crawl.jobs import (
    CrawlHooks,
    CrawlReport,
    crawl,
    find_unfinished,
    resume_directory,
    run,
    start,
)

__all__ = ["CrawlConfig", "CrawlHooks", "CrawlReport", "Scope", "check_hosts_file",
           "check_seeds", "crawl", "find_unfinished", "resume_directory", "run", "start"]
