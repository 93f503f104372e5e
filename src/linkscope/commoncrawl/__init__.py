"""Common Crawl as a source (docs/common-crawl.md): its paths files, its URL index (the index
server's API or CDXJ files) read to fetch single captures by HTTP range requests, and its host
graph, to find the pages that link to one domain without reading a whole crawl.

    keys.py      SURT keys and reversed host names as Common Crawl writes them
    captures.py  CDXJ lines and index-server JSON as `Capture` records; which to fetch
    index.py     a client of the index server: paging, 404 as no captures, retries
    paths.py     paths files: read, sample, slice, join to a base URL or mirror
    plan.py      captures grouped into the ingest's reading tasks (byte ranges of files)
    hostgraph.py the hosts that link to a target's hosts, from a host graph
    discover.py  `linkscope discover`: host graph -> index -> range fetches -> index
"""
