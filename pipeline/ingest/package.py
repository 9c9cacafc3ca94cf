"""Office packages read defensively: zip members with an inflated-size cap, XML without DTDs.

Why: a .docx is a zip of XML, and both layers can be weapons. A zip member can inflate from
kilobytes to gigabytes (its declared size may lie, so the cap is enforced while inflating),
and XML can declare entities that expand exponentially ("billion laughs") or fetch files.
WordprocessingML never uses a DTD, so any DOCTYPE is refused; entities are never resolved
and the network is never touched.
"""
from __future__ import annotations

import zipfile

from lxml import etree

from ..errors import IngestError
from ..limits import STAGE, current

CHUNK = 1 << 20


def _bomb(name: str, limit_mb: float, what: str) -> IngestError:
    return IngestError("zip_bomb", f"Phần {name} của tệp giải nén ra quá lớn (hơn {limit_mb:g} MB {what}): "
                                   "có thể là tệp độc hại (bom zip); nếu tệp đúng là lớn, hãy tăng giới "
                                   "hạn bằng --max-unzipped-mb / --max-unzipped-total-mb.", stage=STAGE)


def read_members(z: zipfile.ZipFile, names: list[str]) -> dict[str, bytes]:
    """The named members that exist, each and all together within the inflated-size limits.

    zipfile's own errors on damaged archives (BadZipFile, zlib.error, ValueError, ...) pass
    through for the reader to report.
    """
    lim = current()
    per, total_cap = lim.unzipped_mb * (1 << 20), lim.unzipped_total_mb * (1 << 20)
    out: dict[str, bytes] = {}
    total = 0
    for name in names:
        try:
            info = z.getinfo(name)
        except KeyError:
            continue
        if info.file_size > per:  # honest headers: refuse before inflating anything
            raise _bomb(name, lim.unzipped_mb, "mỗi phần")
        parts, size = [], 0
        with z.open(info) as fh:  # lying headers: count while inflating
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > per:
                    raise _bomb(name, lim.unzipped_mb, "mỗi phần")
                if total + size > total_cap:
                    raise _bomb(name, lim.unzipped_total_mb, "cho cả tệp")
                parts.append(chunk)
        total += size
        out[name] = b"".join(parts)
    return out


def parse_xml(data: bytes, name: str = "XML"):
    """lxml root of `data`; a DOCTYPE (entity bombs, external entities) is refused as xml_bomb.

    Other malformed XML raises lxml's XMLSyntaxError, which the reader reports as it sees fit.
    (libxml2 itself stops entity amplification; the error it gives is mapped here too.)
    """
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        if b"<!DOCTYPE" in data or "amplification" in str(err) or "loop" in str(err):
            raise _xml_bomb(name) from None
        raise
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _xml_bomb(name)
    return root


def _xml_bomb(name: str) -> IngestError:
    return IngestError("xml_bomb", f"Phần {name} của tệp chứa khai báo DTD/thực thể XML, điều tệp Word "
                                      "thật không bao giờ có: có thể là tệp độc hại (bom XML); hãy mở "
                                      "bằng Word và lưu lại dưới dạng .docx.")
