"""The sample web: a seeded, deterministic web of many sites, with its ground truth, served on
loopback. It is the demo's data, the tests' world and the benchmarks' load (docs/sample-web.md).
"""

from linkscope.samples.build import compute_sample_web, read_manifest, write_sample_web
from linkscope.samples.generate import WebConfig
from linkscope.samples.serve import BackgroundServer, SampleWebServer, read_hosts

__all__ = ["BackgroundServer", "SampleWebServer", "WebConfig", "compute_sample_web",
           "read_hosts", "read_manifest", "write_sample_web"]
