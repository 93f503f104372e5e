"""The hosts that link to a domain's hosts, from a Common Crawl host graph.

A host graph is two gzip text files: vertices `id<TAB>reversed.host.name` (sorted by name,
`www.` dropped: `com.example` stands for example.com and www.example.com) and edges
`from_id<TAB>to_id`. A crawl's host graph has hundreds of millions of vertices and a few
billion edges (several GB compressed): DuckDB scans them (gzip CSV, in parallel), keeping only
the target's vertices and the edges into them, so memory stays small. Edges can come from hosts
that have no capture in the crawl (the graph is built from several crawls' links): their index
look-up answers 404 and costs one request.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from linkscope.commoncrawl.keys import graph_host, host_of_vertex
from linkscope.errors import SourceError


def linking_hosts(vertices: Path, edges: Path, domain: str) -> tuple[list[str], list[str]]:
    """(the target's hosts, the hosts outside it that link to them), as host names, sorted.

    The target's hosts are `domain` and every host under it."""
    for path in (vertices, edges):
        if not path.is_file():
            raise SourceError("no such file", where=str(path),
                              hint="pass the host graph's vertices and edges files")
    name = graph_host(domain)
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TEMP TABLE v AS SELECT * FROM read_csv(?, delim='\t', header=false, "
            "columns={'id': 'BIGINT', 'name': 'VARCHAR'}, quote='', escape='')", [str(vertices)])
        con.execute("CREATE TEMP TABLE t AS SELECT id, name FROM v WHERE name = ? "
                    "OR starts_with(name, ?)", [name, name + "."])
        rows = con.execute(
            "WITH e AS (SELECT * FROM read_csv(?, delim='\t', header=false, "
            "columns={'src': 'BIGINT', 'dst': 'BIGINT'})) "
            "SELECT DISTINCT v.name FROM e JOIN t ON e.dst = t.id JOIN v ON e.src = v.id "
            "WHERE e.src NOT IN (SELECT id FROM t) ORDER BY v.name", [str(edges)]).fetchall()
        targets = [r[0] for r in con.execute("SELECT name FROM t ORDER BY name").fetchall()]
    except duckdb.Error as problem:
        first = str(problem).splitlines()[0]
        raise SourceError(f"cannot read the host graph: {first}",
                          where=f"{vertices}, {edges}") from None
    finally:
        con.close()
    return [host_of_vertex(t) for t in targets], [host_of_vertex(r[0]) for r in rows]
