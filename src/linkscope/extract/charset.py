"""Turning a page's bytes into text: which charset, in the order a browser trusts them.

1. a byte order mark (a browser lets it override everything),
2. the charset of the HTTP Content-Type header,
3. `<meta charset>` or `<meta http-equiv=content-type content="...; charset=...">` in the first
   few kilobytes,
4. detection: strict UTF-8 first (cheap and right for most of the web), then charset-normalizer.

Bytes that do not decode are replaced, never fatal. Labels are mapped as the WHATWG Encoding
standard maps them where Python differs (latin-1 and ascii mean windows-1252 on the web).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

__all__ = ["decode_body", "charset_from_content_type", "utf8_body"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE
)
_PRESCAN_BYTES = 4096
# WHATWG Encoding standard: labels whose Python codec differs from what browsers decode with.
_WEB_ALIASES = {
    "latin1": "cp1252", "latin-1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "x-user-defined": "cp1252",
    "iso-8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "utf-16": "utf-16-le", "unicode": "utf-16-le", "x-sjis": "shift_jis",
}


def _codec(label: str | bytes | None) -> str | None:
    """The Python codec for an encoding label, or None when Python knows no such codec."""
    if not label:
        return None
    text = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    text = text.strip().lower()
    text = _WEB_ALIASES.get(text, text)
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The codec named by a Content-Type header value, or None."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _codec(match.group(1)) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body, 0, _PRESCAN_BYTES)
    if not match:
        return None
    codec = _codec(match.group(1))
    # a page that reached us as bytes cannot really be UTF-16 because its meta says so
    return "utf-8" if codec and codec.startswith("utf-16") else codec


def _detect(body: bytes) -> tuple[str, str | None]:
    """The codec of a body that declares none, and its text when decoding it told (UTF-8)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", text  # decoded once: the strict decode is the replacing one's result
    from charset_normalizer import from_bytes  # here: only a page that is not UTF-8 needs it

    best = from_bytes(body[:65536]).best()
    return _codec(best.encoding if best else None) or "utf-8", None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page body; return (text, codec name). Never raises on bad bytes."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace"), codec
    codec_name = charset_from_content_type(content_type) or _meta_charset(body)
    if codec_name is None:
        codec_name, text = _detect(body)
        if text is not None:
            return text, codec_name
    try:
        return body.decode(codec_name, "replace"), codec_name
    except (LookupError, ValueError):  # a codec that cannot decode (e.g. a UTF-7 quirk)
        return body.decode("utf-8", "replace"), "utf-8"


def utf8_body(body: bytes, content_type: str | None,
              is_utf8: Callable[[bytes], bool]) -> bytes | None:
    """The body itself when decode_body would decode it as UTF-8 with nothing to replace (no
    byte order mark, UTF-8 declared or nothing declared, valid UTF-8), else None. A parser that
    reads UTF-8 can then take the bytes as they are: the same text, without decoding them to a
    str and encoding that back. `is_utf8(body)` must say whether body.decode("utf-8") succeeds."""
    if body.startswith(_BOM_PREFIXES):
        return None
    codec = charset_from_content_type(content_type) or _meta_charset(body)
    if codec is not None and codec != "utf-8":
        return None
    return body if is_utf8(body) else None

