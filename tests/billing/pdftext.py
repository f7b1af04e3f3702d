"""A small text extractor for the PDFs WeasyPrint writes (no PDF library is installed).

WeasyPrint (pydyf) writes text as hex glyph strings in Flate-compressed content streams and
gives every font a ToUnicode CMap; this reads the CMaps, then maps every hex string of every
content stream back to Unicode. Good enough to find words in our own invoices.
"""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", re.S)
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
TRIPLE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for head, body in STREAM.findall(pdf):
        if b"FlateDecode" in head:
            try:
                body = zlib.decompress(body)
            except zlib.error:
                continue
        out.append(body)
    return out


def _unicode(hex_value: bytes) -> str:
    raw = bytes.fromhex(hex_value.decode())
    return raw.decode("utf-16-be", errors="ignore")


def text(pdf: bytes) -> str:
    streams = _streams(pdf)
    cmap: dict[int, str] = {}
    width = 4
    for body in streams:
        if b"beginbfchar" not in body and b"beginbfrange" not in body:
            continue
        for block in BFCHAR.findall(body):
            for src, dst in PAIR.findall(block):
                width = len(src)
                cmap[int(src, 16)] = _unicode(dst)
        for block in BFRANGE.findall(body):
            for lo, hi, dst in TRIPLE.findall(block):
                width = len(lo)
                start = ord(_unicode(dst)[0])
                for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    cmap[code] = chr(start + offset)
    chunks = []
    for body in streams:
        if (
            b"beginbfchar" in body
            or b"beginbfrange" in body
            or (b"TJ" not in body and b"Tj" not in body)
        ):
            continue
        for hex_string in HEX.findall(body):
            codes = [int(hex_string[i : i + width], 16) for i in range(0, len(hex_string), width)]
            chunks.append("".join(cmap.get(code, "") for code in codes))
    return "".join(chunks)
