"""Hostile and broken inputs, made at test time (never committed as large binaries).

Each builder is small in memory and on disk even when the file claims gigabytes: the zip
bomb repeats one byte-aligned deflate block, the image bomb is a PNG of compressed white
rows, the encrypted PDF is hand-made with the standard (RC4, revision 2) security handler.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from ingest_helpers import make_pdf, pdf_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"

PLAN = """ỦY BAN NHÂN DÂN TỈNH TÂY NINH

Số: 14/KH-UBND

Tây Ninh, ngày 15 tháng 01 năm 2018

KẾ HOẠCH

Thực hiện phong trào thi đua giai đoạn 2018 - 2020

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

- Phấn đấu đến năm 2020 giới thiệu việc làm cho 8.000 lượt thanh niên.

II. TỔ CHỨC THỰC HIỆN

Sở Lao động - Thương binh và Xã hội chủ trì, báo cáo trước ngày 15/12 hằng năm.
"""

_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       b'<Default Extension="xml" ContentType="application/xml"/></Types>')
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def good_docx() -> bytes:
    paras = b"".join(b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % line.encode("utf-8")
                     for line in PLAN.splitlines() if line.strip())
    return docx_bytes(b'<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>%s</w:body></w:document>'
                      % (_W, paras))


def xml_bomb_docx(levels: int = 10) -> bytes:
    """Billion laughs: 10 levels of 10 references inflate 'lol' to 10**10 copies."""
    ents = [b'<!ENTITY l0 "lol">'] + [
        b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10))) for i in range(1, levels)]
    xml = (b'<?xml version="1.0"?><!DOCTYPE w:document [' + b"".join(ents) + b"]>"
           b"<w:document %s><w:body><w:p><w:r><w:t>&l%d;</w:t></w:r></w:p></w:body></w:document>"
           % (_W, levels - 1))
    return docx_bytes(xml)


def _zip_entry(name: bytes, method: int, crc: int, csize: int, usize: int, data_off: int):
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, csize, usize, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, csize, usize,
                          len(name), 0, 0, 0, 0, 0, data_off) + name
    return local, central


def zip_bomb_docx(path: Path, gigabytes: int = 3, declared: int | None = None) -> None:
    """A .docx whose word/document.xml inflates to `gigabytes` GiB of spaces (a few MB on disk).

    One 1 MiB block of spaces is deflated after a full flush, so the same bytes can be written
    again and again; `declared` (default: the true size) is the size the headers claim.
    """
    block = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(block)
    c.flush(zlib.Z_FULL_FLUSH)
    rep = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)  # the dictionary was reset: repeatable
    tail = c.flush(zlib.Z_FINISH)
    n = gigabytes << 10
    crc, part, part_len, k = 0, zlib.crc32(block), len(block), n
    while k:  # crc32 of n blocks by doubling, without reading 3 GB
        if k & 1:
            crc = _crc_combine(crc, part, part_len)
        part, part_len, k = _crc_combine(part, part, part_len), part_len * 2, k >> 1
    usize = n << 20
    usize = min(usize, 0xFFFFFFFF) if declared is None else declared
    members = [(b"[Content_Types].xml", 0, zlib.crc32(_CT), _CT, len(_CT))]
    with open(path, "wb") as fh:
        centrals = []
        for name, method, mcrc, data, size in members:
            local, central = _zip_entry(name, method, mcrc, len(data), size, fh.tell())
            fh.write(local + data)
            centrals.append(central)
        csize = len(rep) * n + len(tail)
        local, central = _zip_entry(b"word/document.xml", 8, crc, csize, usize, fh.tell())
        fh.write(local)
        for _ in range(n):
            fh.write(rep)
        fh.write(tail)
        centrals.append(central)
        cd_off = fh.tell()
        cd = b"".join(centrals)
        fh.write(cd)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(centrals), len(centrals), len(cd), cd_off, 0))


def _crc_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine (GF(2) matrix method), so the bomb's CRC is right without 3 GB of work."""
    def times(mat, vec):
        s, i = 0, 0
        while vec:
            if vec & 1:
                s ^= mat[i]
            vec >>= 1
            i += 1
        return s

    def square(mat):
        return [times(mat, mat[n]) for n in range(32)]

    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = square(odd)
    odd = square(even)
    while True:
        even = square(odd)
        if len2 & 1:
            crc1 = times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = square(even)
        if len2 & 1:
            crc1 = times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def png_bomb(width: int = 40000, height: int = 40000) -> bytes:
    """A valid 1-bit PNG of width x height white pixels (200 MB raw, ~300 KB compressed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    c = zlib.compressobj(9)
    rows = 1000
    idat = b"".join(c.compress(row * rows) for _ in range(height // rows))
    idat += c.compress(row * (height % rows)) + c.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def encrypted_pdf(user: bytes = b"matkhau", owner: bytes = b"chu") -> bytes:
    """A one-page PDF under the standard security handler (RC4 40-bit, R2) with a user password."""
    doc_id = hashlib.md5(b"kehoach").digest()
    o = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    p = -44
    key = hashlib.md5((user + _PAD)[:32] + o + struct.pack("<i", p) + doc_id).digest()[:5]
    u = _rc4(key, _PAD)
    ops = b"BT /F1 12 Tf 72 720 Td (Ke hoach so 14) Tj ET"
    obj_key = hashlib.md5(key + struct.pack("<I", 4)[:3] + b"\x00\x00").digest()[:10]
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
            b"<</Length %d>>stream\n" % len(ops) + _rc4(obj_key, ops) + b"\nendstream",
            b"<</Filter/Standard/V 1/R 2/O<%s>/U<%s>/P %d>>" % (o.hex().encode(), u.hex().encode(), p)]
    return pdf_bytes(objs, b"/Encrypt 5 0 R/ID[<%s><%s>]" % (doc_id.hex().encode(), doc_id.hex().encode()))


def huge_page_pdf(side: int = 14400) -> bytes:
    """A page of 200 x 200 inches holding one 1-pixel image: 60000 x 60000 pixels when rendered for OCR."""
    ops = b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (side, side)
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %d %d]/Resources<</XObject<</Im1 5 0 R>>>>"
            b"/Contents 4 0 R>>" % (side, side),
            b"<</Length %d>>stream\n" % len(ops) + ops + b"\nendstream",
            b"<</Type/XObject/Subtype/Image/Width 1/Height 1/ColorSpace/DeviceGray/BitsPerComponent 8"
            b"/Length 1>>stream\n\x80\nendstream"]
    return pdf_bytes(objs, b"")


def cp1258_combining(text: str) -> bytes:
    """Windows-1258 as Vietnamese keyboards wrote it: base letter + combining tone mark."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out, cluster = [], ""
    for ch in unicodedata.normalize("NFD", text) + "\0":
        if cluster and not unicodedata.combining(ch):
            base = unicodedata.normalize("NFC", "".join(c for c in cluster if c not in tones))
            out.append(base + "".join(c for c in cluster if c in tones))
            cluster = ""
        cluster += ch
    return "".join(out).encode("cp1258")


def build_folder(root: Path) -> dict[str, tuple[str, str | None]]:
    """Write every hostile input under `root`; returns {output stem: (status, error code)} expected."""
    root.mkdir(parents=True, exist_ok=True)
    sub = root / "thư mục có dấu #1"
    sub.mkdir()
    expect: dict[str, tuple[str, str | None]] = {}

    def put(rel: str, data: bytes, status: str, code: str | None) -> None:
        p = root / rel
        p.write_bytes(data)
        expect[Path(rel).stem] = (status, code)

    put("empty.txt", b"", "failed", "empty_file")
    put("garbage.txt", os.urandom(64 << 10), "failed", "not_text")
    put("truncated.pdf", (FIXTURES / "seed000.pdf").read_bytes()[:1500], "failed", "bad_pdf")
    put("not-a-pdf.pdf", b"<html><body>404 Not Found</body></html>\n", "failed", "bad_pdf")
    put("locked.pdf", encrypted_pdf(), "failed", "pdf_encrypted")
    put("not-a-zip.docx", PLAN.encode("utf-8"), "failed", "bad_docx")
    zip_bomb_docx(root / "zip-bomb.docx")
    expect["zip-bomb"] = ("failed", "zip_bomb")
    zip_bomb_docx(root / "zip-bomb-lying.docx", gigabytes=1, declared=4096)
    expect["zip-bomb-lying"] = ("failed", "bad_docx")  # inflating stops at the size claimed: a bad CRC
    put("xml-bomb.docx", xml_bomb_docx(), "failed", "xml_bomb")
    put("image-bomb.png", png_bomb(), "failed", "image_too_large")
    put("one-line-12mb.txt", ("Kế hoạch số 14 thực hiện phong trào thi đua. " * 300_000).encode("utf-8")[: 12 << 20],
        "failed", "text_too_long")
    put("utf16-bom.txt", codecs.BOM_UTF16_LE + PLAN.encode("utf-16-le"), "ok", None)
    put("windows-1258.txt", cp1258_combining(PLAN), "ok", None)
    put("huge-page.pdf", huge_page_pdf(), "failed", "image_too_large")
    put("good-word.docx", good_docx(), "ok", None)
    put("good-text-layer.pdf", make_pdf([[(72, 72 + 16 * i, line) for i, line in enumerate(
        ["KE HOACH", "So: 14/KH-UBND", "I. MUC DICH", "1. Muc dich", "- Dat 8.000 luot nam 2020."])]]),
        "ok", None)
    put(f"{sub.name}/Kế hoạch số 14 #2.txt", PLAN.encode("utf-8"), "ok", None)
    with open(os.fsencode(root) + b"/K\xea ho\xb6ch c\xfb.txt", "wb") as fh:  # a name that is not UTF-8
        fh.write(PLAN.encode("utf-8"))
    expect["K\ufffd ho\ufffdch c\ufffd"] = ("ok", None)
    loop = root / "loop.txt"
    os.symlink(loop.name, loop)  # a link to itself: ELOOP on open
    expect["loop"] = ("failed", "unreadable")
    os.mkfifo(root / "pipe.txt")  # reading it would block forever
    expect["pipe"] = ("failed", "unreadable")
    os.symlink("..", sub / "back-up")  # a folder loop: must be walked once, not forever
    return expect
