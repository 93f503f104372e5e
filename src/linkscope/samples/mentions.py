"""The truth of unlinked mentions: which pages name which site's brand and do not link to it.

`mentions.jsonl` lists where the generator planted a brand in a sentence without a link; an
unlinked-mentions report answers a stricter question, which this truth answers from the
generator's own records (never from the rendered HTML or from extraction):

- the page's main text (its title heading, then its paragraphs, anchors included; the words
  the renderer adds to a German or French page's first paragraph too) holds the brand as a
  phrase on word boundaries, case and accents ignored: planted or by chance (brands are made of
  the topics' words);
- the page is HTML, answers 200, and is not on the brand's own site;
- none of the page's links (any placement, any kind: links.jsonl) goes to the brand's domain,
  so a page whose only mention is the anchor of a link to the brand is left out.

Written to `truth/unlinked_mentions.jsonl`: source, site (the brand's domain), brand.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from linkscope.samples.model import LinkSpec, SampleWeb
from linkscope.samples.render import LOCAL_WORDS
from linkscope.urls import registrable_domain, split_host

__all__ = ["fold_words", "unlinked_mention_rows", "write_unlinked_mentions"]

_WORD = re.compile(r"[^\W_]+")
# letters that no accent takes apart, spelled as ASCII folding spells them
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l",
                          "þ": "th", "ð": "d", "ı": "i"})


def fold_words(text: str) -> list[str]:
    """Lower-case words of `text` with accents removed (and ß, æ, œ, ø... spelled in ASCII),
    split on what is not a letter or digit."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain.lower().translate(_LETTERS))


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    first = phrase[0]
    return any(words[i:i + n] == phrase for i, w in enumerate(words) if w == first)


def unlinked_mention_rows(web: SampleWeb,
                          linked: dict[str, set[str]]) -> Iterator[dict[str, Any]]:
    """`linked`: the registrable domains each page links to (from links.jsonl)."""
    brands = [(site.domain, site.index, site.brand, fold_words(site.brand)) for site in web.sites]
    for page in web.pages.values():
        if not page.is_html:
            continue
        pieces = [page.title]
        for k, para in enumerate(page.paragraphs):
            for part in para:
                if isinstance(part, LinkSpec):
                    if part.kind == "text":
                        pieces.append(part.anchor)
                else:
                    pieces.append(part)
            if k == 0:
                pieces.append(LOCAL_WORDS.get(page.language, ""))
        words = fold_words(" ".join(pieces))
        targets = linked.get(page.url, set())
        for domain, index, brand, phrase in brands:
            if index != page.site and domain not in targets and phrase \
                    and _contains(words, phrase):
                yield {"source": page.url, "site": domain, "brand": brand}


def write_unlinked_mentions(truth: Path, web: SampleWeb) -> int:
    """Write truth/unlinked_mentions.jsonl from the web and its links.jsonl; the row count."""
    linked: dict[str, set[str]] = {}
    with (truth / "links.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            link = json.loads(line)
            domain = registrable_domain(split_host(link["target"]))
            if domain:
                linked.setdefault(link["source"], set()).add(domain)
    count = 0
    with (truth / "unlinked_mentions.jsonl").open("w", encoding="utf-8") as out:
        for row in unlinked_mention_rows(web, linked):
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count
