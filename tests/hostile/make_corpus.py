#!/usr/bin/env python3
"""The hostile corpus: inputs a stranger could hand to socialaudit, one per way it once broke.

    python tests/hostile/make_corpus.py            # (re)writes tests/hostile/corpus/
    python tests/hostile/make_corpus.py --check    # exit 1 when the committed files differ

Small files are committed under corpus/ (deterministic: the same bytes on every run, so the
check above holds). The big ones (a zip of 1 GiB of zeros, a 1 GiB JSON member, a 3 GiB file
in a folder export, 100 k-deep JSON, a 200 KiB header, a 10 MB draft) are made by the
functions `big_*` at test time in a temporary folder, never committed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
# A fixed time for zip members, so the zips are the same bytes on every run.
ZIP_TIME = (2024, 1, 31, 0, 0, 0)

TWCS_HEADER = (
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
)
TIME = "Tue Oct 31 22:10:47 +0000 2017"
HOSTILE_TEXT = (
    "ESC \x1b[2J\x1b]0;owned\x07 CSI \x9b31m NEL \x85 RLO \u202eexe.pdf LRI \u2066x\u2069 "
    'LS \u2028 end =HYPERLINK("http://evil.example")'
)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def _ytd(global_name: str, value: object) -> bytes:
    return f"window.{global_name} = {json.dumps(value, indent=1)}".encode()


def x_archive(
    tweet_overrides: dict | None = None, extra: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """The members of a small, valid X archive (one tweet), with fields of the tweet replaced."""
    tweet = {
        "id_str": "1750000000000000000",
        "id": "1750000000000000000",
        "created_at": "Wed Jan 24 00:00:00 +0000 2024",
        "full_text": "Hello",
        "favorite_count": "3",
        "retweet_count": "1",
        "lang": "en",
        "entities": {"hashtags": [], "urls": [], "user_mentions": []},
    }
    tweet.update(tweet_overrides or {})
    manifest = {
        "userInfo": {"accountId": "1000", "userName": "acme", "displayName": "Acme"},
        "dataTypes": {"tweets": {"files": [{"fileName": "data/tweets.js", "count": "1"}]}},
    }
    members = {
        "data/manifest.js": _ytd("__THAR_CONFIG", manifest),
        "data/tweets.js": _ytd("YTD.tweets.part0", [{"tweet": tweet}]),
    }
    members.update(extra or {})
    return members


def small_files() -> dict[str, bytes]:
    rng = random.Random(18)
    files: dict[str, bytes] = {}
    # 1. Inputs that gave tracebacks.
    files["binary.dat"] = bytes(rng.randrange(256) for _ in range(4096))
    files["bare_cr.csv"] = (
        b"id,author,created_at\r1,a,2024-01-01T00:00:00Z\r2,b,2024-01-02T00:00:00Z\r"
    )
    good = _zip(x_archive())
    # Corrupt the deflate data of tweets.js: flip bytes in the middle of its compressed stream.
    z = zipfile.ZipFile(io.BytesIO(good))
    info = z.getinfo("data/tweets.js")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = bytearray(good)
    for i in range(start + 5, start + min(info.compress_size, 40)):
        broken[i] ^= 0x5A
    files["corrupt_deflate.zip"] = bytes(broken)
    files["overflow_utc.jsonl"] = (
        b'{"id": "1", "author": "acme", "from_brand": true, '
        b'"created_at": "9999-12-31T23:00:00-05:00", "text": "late"}\n'
    )
    files["beyond_int64.jsonl"] = (
        b'{"id": "1", "author": "acme", "from_brand": true, '
        b'"created_at": "2024-01-01T00:00:00Z", "likes": 1180591620717411303424}\n'
    )
    files["lone_surrogate.jsonl"] = (
        b'{"id": "1", "author": "acme", "from_brand": true, '
        b'"created_at": "2024-01-01T00:00:00Z", "text": "half \\ud800 of a pair"}\n'
    )
    files["x_minus_minus_5.zip"] = _zip(x_archive({"favorite_count": "--5"}))
    files["x_superscript_id.zip"] = _zip(
        x_archive({"id_str": "17500000000000000\u00b2", "id": "17500000000000000\u00b2"})
    )
    files["x_overflow_utc.zip"] = _zip(x_archive({"created_at": "Fri Dec 31 23:00:00 -0500 9999"}))
    # 5. Error lines that must point to the right place.
    files["multiline_record.csv"] = (
        b"id,author,from_brand,created_at,text\n"
        b'1,acme,true,2024-01-01T00:00:00Z,"fine"\n'
        b'2,acme,true,not-a-time,"a text\nover three\nlines"\n'
    )
    latin = [TWCS_HEADER.encode()]
    for i in range(2, 121):
        text = "caf\xe9 ok" if i == 14 else f"hello {i}"
        latin.append(f"{i},u{i},True,{TIME},{text},,\n".encode("latin-1"))
    files["latin1_twcs.csv"] = b"".join(latin)
    files["invalid_utf8.jsonl"] = (
        b'{"id": "1", "author": "acme", "from_brand": true, "created_at": "2024-01-01T00:00:00Z"}\n'
        b'{"id": "2", "author": "acme", "from_brand": true, "created_at": "2024-01-01T00:00:00Z", '
        b'"text": "bad \xff byte"}\n'
    )
    files["damaged.zip"] = b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(300))
    files["utf16.csv"] = "id,author,created_at\n1,a,2024-01-01T00:00:00Z\n".encode("utf-16")
    files["year_10000_twcs.csv"] = (
        TWCS_HEADER + "1,acme,False,Fri Dec 31 23:00:00 -0500 9999,hello,,\n"
    ).encode()
    # 3. A spreadsheet that declares a huge sheet (A1:XFD1048576) with two cells in it.
    files["huge_sheet.xlsx"] = _huge_xlsx()
    # 7. Promises: a zip-slip member beside a valid archive.
    files["zip_slip.zip"] = _zip(x_archive(extra={"../../evil.txt": b"outside"}))
    # 4. Text that must stay inert in every output.
    rows = [
        "id,author,from_brand,created_at,in_reply_to,text",
        "1,acme,true,2024-01-01T00:00:00Z,,welcome",
        f'2,bob\x1b[31m,false,2024-01-02T00:00:00Z,,"@acme help? {HOSTILE_TEXT}"',
        "3,acme,true,2024-01-09T00:00:00Z,,a week later",
    ]
    files["hostile_text.csv"] = ("\n".join(rows) + "\n").encode()
    files["hostile_classify.csv"] = (
        "text\n" + f'"why is my order late? {HOSTILE_TEXT}"\n'
    ).encode()
    return files


def _huge_xlsx() -> bytes:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Post title</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Post link</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far away</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    members = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            b"</Relationships>"
        ),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Posts" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b"</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet.encode(),
    }
    return _zip(members)


# -- the big ones, made at test time ------------------------------------------------------------


def big_zip_of_zeros(target: Path, gib: int = 1) -> Path:
    """A zip (about 1 MB) whose data/manifest.js is `gib` GiB of zero bytes."""
    with (
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("data/manifest.js", "w", force_zip64=True) as f,
    ):
        block = bytes(1 << 24)
        for _ in range(gib * 64):
            f.write(block)
    return target


def big_json_member(target: Path, gib: float = 1.0) -> Path:
    """An X archive zip whose tweets.js is `gib` GiB of valid JSON (one tweet repeated)."""
    members = x_archive()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("data/manifest.js", members["data/manifest.js"])
        with z.open("data/tweets.js", "w", force_zip64=True) as f:
            f.write(b"window.YTD.tweets.part0 = [\n")
            record = json.dumps({"tweet": {"id_str": "1", "full_text": "x" * 900}}).encode()
            chunk = b",\n".join([record] * 1000) + b",\n"
            for _ in range(int(gib * 1024**3 / len(chunk))):
                f.write(chunk)
            f.write(record + b"\n]")
    return target


def big_folder_file(target: Path, gib: int = 3) -> Path:
    """An unpacked X archive whose data/tweets.js is a `gib` GiB file (sparse: instant)."""
    for name, data in x_archive().items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    with (target / "data" / "tweets.js").open("r+b") as f:
        f.truncate(gib * 1024**3)
    return target


def big_deep_jsonl(target: Path, depth: int = 100_000) -> Path:
    target.write_text(
        '{"id": "1", "author": "a", "created_at": "2024-01-01T00:00:00Z", "raw": '
        + "[" * depth
        + "]" * depth
        + "}\n"
    )
    return target


def big_header_csv(target: Path, size: int = 200 * 1024) -> Path:
    target.write_text("id,author,created_at," + "x" * size + "\n1,acme,2024-01-01T00:00:00Z,q\n")
    return target


def big_field_csv(target: Path, size: int) -> Path:
    """A generic CSV whose second message's text is `size` bytes long (on line 3)."""
    target.write_text(
        "id,author,from_brand,created_at,text\n"
        "1,acme,true,2024-01-01T00:00:00Z,short\n"
        f"2,acme,true,2024-01-02T00:00:00Z,{'y' * size}\n"
    )
    return target


def big_draft(target: Path, size: int = 10 * 1000**2) -> Path:
    with target.open("w") as f:
        words = ("social media draft with words " * 1000)[: 1 << 16]
        for _ in range(size // len(words) + 1):
            f.write(words)
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    files = small_files()
    if args.check:
        bad = [
            n
            for n, data in files.items()
            if not (CORPUS / n).is_file() or (CORPUS / n).read_bytes() != data
        ]
        if bad:
            print("differs from the generator:", ", ".join(bad))
            sys.exit(1)
        print(f"{len(files)} files match")
        return
    CORPUS.mkdir(exist_ok=True)
    for name, data in files.items():
        (CORPUS / name).write_bytes(data)
    for stale in set(os.listdir(CORPUS)) - set(files):
        (CORPUS / stale).unlink()
    print(f"wrote {len(files)} files to {CORPUS}")


if __name__ == "__main__":
    main()
