import sys, textwrap, re
def header(parts):
    kind, place_up, num, dateline = parts
    city, rest = dateline.split(", ", 1)
    return f"""|
**ỦY BAN NHÂN DÂN
**
{place_up}
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: {num}
|
*{city}, {rest.replace(' tháng', chr(10)+'tháng',1)}*
|

** **
"""
def footer(parts):
    recips = [p for p in parts if p.endswith(";")]
    sig = [p for p in parts if not p.endswith(";")]
    return "\n|\n*Nơi nhận:*\n" + "\n".join("- "+r for r in recips) + "\n- Lưu: VT.\n|\n**TM. ỦY BAN\nNHÂN DÂN**\n" + "\n".join(sig[:-1]) + f"\n**{sig[-1]}**\n|\n"
def wrap(p):
    if not p.strip(): return p
    return "\n".join(textwrap.wrap(p, width=78, break_long_words=False, break_on_hyphens=False))
src, out = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().split("\n")
res = []
for ln in lines:
    if ln.startswith("@@HEADER "): res.append(header(ln[9:].split("|")))
    elif ln.startswith("@@FOOTER "): res.append(footer(ln[9:].split("|")))
    else: res.append(wrap(ln))
text = "\n".join(res).rstrip("\n")
open(out, "w", encoding="utf-8").write(text)
