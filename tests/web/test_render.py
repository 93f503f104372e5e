"""The filters that format figures for people."""

from __future__ import annotations

from linkscope.web.render import small


def test_link_values_share_one_notation() -> None:
    assert small(0.000148) == "1.48e-04"
    assert small(8.82e-05) == "8.82e-05"
    assert small(0.0) == "0"
    assert small(None) == "–"
