"""Bytes -> text: BOMs, strict UTF-8, a flagged repair of stray bytes, legacy encodings, binary refusal.

A UTF-8 file with a few invalid bytes (a stray byte pasted into a UTF-8 article) stays UTF-8: the
bad bytes become U+FFFD and ``Decoded.replaced`` counts them, so the reader can flag the article.
Only text with no valid multi-byte UTF-8 at all is tried in legacy encodings; it is never re-decoded
as a whole in another encoding because of one bad byte.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import InputError

BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b") + b"\x7f"
MAX_CONTROL_RATIO = 0.05
LEGACY_ENCODINGS = (  # most common first: the order breaks ties between equally plausible decodings
    "cp1252", "cp1251", "koi8_r", "iso8859_15", "cp1250", "iso8859_2", "cp1253", "cp1254", "cp1257",
    "mac_cyrillic", "cp866", "iso8859_5", "koi8_u", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
)
MAX_GARBLED_RATIO = 0.1
UTF8_MAJORITY = 1  # valid multi-byte UTF-8 characters per invalid byte for a repaired UTF-8 reading
_INVALID_UTF8 = re.compile("[\udc80-\udcff]")
_WORD = re.compile(r"[^\W\d_]+")
_CJK = {"CJK", "HIRAGANA", "KATAKANA"}  # Japanese words mix these natively


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # invalid bytes replaced by U+FFFD (only in otherwise valid UTF-8)


def decode_bytes(data: bytes, name: str) -> str:
    """``decode`` for callers that need only the text."""
    return decode(data, name).text


def decode(data: bytes, name: str) -> Decoded:
    """Decode a file's bytes: UTF-8 (BOM or not), UTF-16/32 with BOM, else charset detection.

    Rejects empty/whitespace-only and binary input. Newlines are normalized to ``\\n``.
    """
    text, encoding, replaced = None, "", 0
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: invalid {codec.upper()} data after its byte-order mark") from None
            encoding = codec.replace("-sig", "")
            break
    if text is None:
        check_text(data, name)
        text, encoding, replaced = _decode_unmarked(data, name)
    text = normalize_newlines(text.lstrip("\ufeff"))
    if not text.strip():
        raise InputError(f"{name}: empty input (no text)")
    return Decoded(text, encoding or "utf-8", replaced)


def check_text(data: bytes, name: str) -> None:
    """InputError for bytes without a byte-order mark that look binary (NUL or many control bytes)."""
    if b"\x00" in data:
        raise InputError(f"{name}: looks binary (NUL bytes); expected a text file (UTF-16 needs a byte-order mark)")
    sample = data[:65536]
    if sample and sum(sample.count(b) for b in _CONTROL_BYTES) / len(sample) > MAX_CONTROL_RATIO:
        raise InputError(f"{name}: looks binary (many control characters); expected a text file")


def _decode_unmarked(data: bytes, name: str) -> tuple[str, str, int]:
    """UTF-8 (stray invalid bytes replaced and counted when the rest is valid multi-byte UTF-8),
    else the most plausible legacy encoding: charset-normalizer's candidates ranked by how many
    words look garbled (case flips or mixed scripts inside a word), its chaos and coherence, then
    by how common the encoding is (ties between look-alike decodings)."""
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    repaired = mostly_utf8(data)
    if repaired is not None:
        return repaired
    from charset_normalizer import from_bytes

    ranked = []
    for match in from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)):
        text = str(match)
        rank = min((LEGACY_ENCODINGS.index(e) for e in match.could_be_from_charset if e in LEGACY_ENCODINGS),
                   default=len(LEGACY_ENCODINGS))
        ranked.append((round(garbled_ratio(text), 2), match.chaos, -match.coherence, rank, match.encoding, text))
    if not ranked or min(ranked)[0] > MAX_GARBLED_RATIO:
        raise InputError(f"{name}: cannot detect encoding; convert to UTF-8")
    best = min(ranked)
    return best[-1], best[-2], 0


def mostly_utf8(data: bytes) -> tuple[str, str, int] | None:
    """UTF-8 with its invalid bytes replaced, when valid multi-byte characters are at least
    ``UTF8_MAJORITY`` times as many (a legacy 8-bit file almost never has any)."""
    escaped = data.decode("utf-8", "surrogateescape")
    bad = len(_INVALID_UTF8.findall(escaped))
    valid = sum(1 for c in escaped if ord(c) > 127) - bad
    if not valid or valid < UTF8_MAJORITY * bad:
        return None
    return _INVALID_UTF8.sub("\ufffd", escaped), "utf-8", bad


def _script(char: str) -> str:
    first = unicodedata.name(char, "?").split(" ")[0]
    return "CJK" if first in _CJK else first


def garbled_ratio(text: str) -> float:
    """Share of words with a lower->upper case flip or letters of several scripts (mojibake)."""
    words = _WORD.findall(text)
    if not words:
        return 1.0
    bad = sum(
        1 for w in words
        if any(a.islower() and b.isupper() for a, b in zip(w, w[1:])) or len({_script(c) for c in w}) > 1
    )
    return bad / len(words)

