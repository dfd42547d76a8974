"""Hostile text stays inert in every report: customers' messages that carry script, HTML event
handlers and spreadsheet formulas are imported through the CLI as unanswered complaints (so the
audit lists them as evidence), and the HTML, Markdown and CSV reports show them as text."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","x")'
START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

# Each text is a complaint or question addressed to the brand, so SA101 lists it as evidence.
HOSTILE = [
    ("h1", "angry1", f"@acme {SCRIPT} my order never arrived, this is terrible service", None),
    (
        "h2",
        "angry2",
        f"@acme {IMG} the grinder is broken after one week, really disappointed",
        None,
    ),
    # a reply to the brand's post, so the text can start with the formula and still be addressed
    (
        "h3",
        "angry3",
        f"{FORMULA} my order still hasn't arrived after two weeks, this is terrible service",
        "p0",
    ),
    (
        "h4",
        "angry4",
        "+SUM(1,2) third time my delivery is late again. I am so frustrated with this",
        "p1",
    ),
    (
        "h5",
        "angry5",
        "-2+3 I was charged twice for my subscription and nobody answers. Awful.",
        "p2",
    ),
    ("h6", "angry6", "@SUM(A1) do you ship to Canada?", "p3"),
    ("h7", "<svg onload=alert(1)>", "@acme where is my refund? worst experience ever", None),
    # the bare payloads too, as replies under the brand's posts
    ("h8", "angry8", SCRIPT, "p4"),
    ("h9", "angry9", IMG, "p5"),
    ("h10", "angry10", FORMULA, "p6"),
]


def hostile_jsonl() -> str:
    rows = []
    for day in range(20):
        rows.append(
            {
                "id": f"p{day}",
                "platform": "x",
                "author": "acme",
                "created_at": _t(day),
                "text": f"Coffee news, day {day}.",
            }
        )
    for i, (mid, author, text, parent) in enumerate(HOSTILE):
        row = {
            "id": mid,
            "platform": "x",
            "author": author,
            "created_at": _t(i, hours=3),
            "text": text,
            "url": f"https://x.com/{author}/status/{mid}" if i != 1 else "javascript:alert(1)",
        }
        if parent:
            row["in_reply_to"] = parent
        rows.append(row)
    return "\n".join(json.dumps(r) for r in rows) + "\n"


def _t(day: int, hours: int = 0) -> str:
    return (START + timedelta(days=day, hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_cli(*args: str) -> tuple[int, str, str]:
    """The CLI in-process, as the `cli` fixture runs it (that one is per test; this module
    shares one workspace between its tests)."""
    import sys

    from rich.console import Console

    from socialaudit import cli as cli_module

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "argv", ["socialaudit", *args])
        mp.setattr(sys, "stdout", out)
        mp.setattr(sys, "stderr", err)
        mp.setattr(
            cli_module, "err_console", Console(file=err, highlight=False, soft_wrap=True, width=200)
        )
        cli_module.state.workspace = None
        try:
            cli_module.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """Import through the CLI, then write every report format of the same workspace."""
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "hostile.jsonl"
    data.write_text(hostile_jsonl(), encoding="utf-8")
    ws = str(tmp / "ws")
    code, _, err = run_cli("import", str(data), "--brand", "acme", "--workspace", ws)
    assert code == 0, err
    out = {}
    for fmt in ("json", "html", "markdown", "csv"):
        target = tmp / f"report.{fmt}"
        code, _, err = run_cli(
            "audit", "--format", fmt, "--output", str(target), "--no-save", "--workspace", ws
        )
        assert code in (0, 1), err
        out[fmt] = target.read_text(encoding="utf-8")
    return out


def test_the_hostile_messages_are_evidence(reports):
    findings = {f["code"]: f for f in json.loads(reports["json"])["findings"]}
    texts = {e.get("text") for e in findings["SA101"]["evidence"]}
    assert any(SCRIPT in (t or "") for t in texts)
    assert any(IMG in (t or "") for t in texts)
    assert any((t or "").startswith(FORMULA) for t in texts)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def test_html_shows_hostile_text_as_text(reports):
    page = reports["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;svg onload=alert(1)&gt;" in page  # a hostile author name, too
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;x&#34;)" in page
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "<svg onload" not in page.lower()

    parser = Elements()
    parser.feed(page)
    tags = parser.tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object", "embed", "link")]
    assert not [(t, a) for t, a in tags for name in a if name.lower().startswith("on")]
    for tag, attrs in tags:
        if tag == "a":
            href = attrs.get("href") or ""
            assert href.startswith(("#", "https://", "http://")), href
            if not href.startswith("#"):
                assert attrs.get("rel") == "noopener noreferrer"
    assert 'href="javascript' not in page.lower()
    csp = [
        a
        for t, a in tags
        if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert csp and "default-src 'none'" in csp[0]["content"]


def test_markdown_escapes_hostile_text(reports):
    md = reports["markdown"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "<script" not in md.lower() and "<img" not in md.lower()
    assert "javascript:" not in md.lower()


# What the hostile texts become in a CSV cell: the ones a spreadsheet would run get a leading
# quote; the others (ordinary words after @ or -, text that no spreadsheet can evaluate) stay as
# written (docs/report.md, "Formulas in CSV cells").
QUOTED = {
    "h3": "'"
    + FORMULA
    + " my order still hasn't arrived after two weeks, this is terrible service",
    "h4": "'+SUM(1,2) third time my delivery is late again. I am so frustrated with this",
    "h6": "'@SUM(A1) do you ship to Canada?",
}
AS_WRITTEN = {
    "h5": "-2+3 I was charged twice for my subscription and nobody answers. Awful.",
    "h7": "@acme where is my refund? worst experience ever",
}


def test_no_csv_cell_starts_a_formula(reports):
    rows = list(csv.reader(io.StringIO(reports["csv"])))
    assert rows[0][:6] == ["code", "name", "area", "verdict", "severity", "message"]
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.lstrip(" \t\r\n").startswith("=")]
    # the formulas are kept as text, neutralised by a leading quote; plain text is left alone
    assert set(QUOTED.values()) <= set(cells)
    assert set(AS_WRITTEN.values()) <= set(cells)
    text_col = rows[0].index("text")
    assert any(SCRIPT in row[text_col] for row in rows[1:])


# (text, whether a spreadsheet would run it): OWASP's CSV-injection payloads, the arithmetic and
# references a sheet would compute, and the everyday texts that only look like them.
CELL_RULE = [
    ("=1+1", True),
    ('=HYPERLINK("http://evil.example","x")', True),
    ("=cmd|' /C calc'!A0", True),
    ("+cmd|' /C calc'!A0", True),
    ("-2+3+cmd|' /C calc'!A0", True),
    ("@SUM(1+1)*cmd|' /C calc'!A0", True),
    ('+HYPERLINK("http://evil.example")', True),
    ("-(1+SUM(A1))", True),
    ("- 1 * SUM(A1)", True),
    ("-Sheet2!A1", True),
    ("\t=1+1", True),
    ("\r\n@SUM(1)", True),
    (" =1", True),
    ("-1+1", True),
    ("+A1", True),
    ("-$A$1", True),
    ("@B12", True),
    ("+44-20-7946", True),
    ('+"a"&"b"', True),
    ("@acme thanks for the quick reply!", False),
    ("@acme hi", False),
    ("- great service, thank you", False),
    ("-- Jane", False),
    ("-1", False),
    ("+1", False),
    ("-0.25", False),
    ("-50%", False),
    ("+44 20 7946 0000", False),
    ("-5 stars, never again", False),
    ("-2+3 I was charged twice", False),
    ("@united the agent McLarren(sp?) was rude", False),
    ("@user (see above)", False),
    ("\tx", False),
    ("\rx", False),
    ("a=b", False),
    ("plain text", False),
    ("", False),
]


def test_csv_cell_rule():
    from socialaudit.report.csvsafe import safe_cell

    for text, runs in CELL_RULE:
        assert safe_cell(text) == ("'" + text if runs else text), text
    assert safe_cell(-3) == -3 and safe_cell(None) is None


def test_csv_cell_rule_is_the_same_for_a_cell_and_a_whole_column():
    """The audit's CSV quotes cell by cell (Python's re), classify whole columns (pyarrow's RE2):
    one rule, so both must agree, on the cases and on arbitrary formula-like text."""
    import pyarrow as pa
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from socialaudit.report.csvsafe import safe_cell, safe_column

    texts = [t for t, _ in CELL_RULE]
    assert safe_column(pa.array([*texts, None])).to_pylist() == [*map(safe_cell, texts), None]

    alphabet = st.sampled_from(list("=+-@ \t\r\nAaZz019.$%\"'()|!,*/^&:_?é"))

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.text(alphabet, max_size=24), min_size=1, max_size=20))
    def agree(values: list[str]) -> None:
        assert safe_column(pa.array(values)).to_pylist() == [safe_cell(v) for v in values]

    agree()


def test_classify_csv_output_neutralises_formulas_too(tmp_path):
    source = tmp_path / "texts.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for mid, _, text, _ in HOSTILE:
            w.writerow([mid, text])
        w.writerow(["h11", "@acme hi"])
    code, out, err = run_cli("classify", str(source), "--text-column", "text")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) == len(HOSTILE) + 2
    by_id = {row[0]: row[rows[0].index("text")] for row in rows[1:]}
    for mid, text in {**QUOTED, **AS_WRITTEN}.items():
        assert by_id[mid] == text
    assert by_id["h10"] == "'" + FORMULA  # the bare payload (not evidence in the audit's CSV)
    # an ordinary reply is the user's text, unchanged
    assert by_id["h11"] == "@acme hi"


def test_text_report_keeps_terminal_escapes_out(tmp_path):
    """The terminal report never passes a stranger's control characters through: an ESC would
    clear the screen or retitle the window, a bidi override would reorder what a person reads."""
    escapes = "\x1b[2J\x1b]0;pwned\x07 \u202eevil"
    rows = [
        {"id": "p0", "platform": "x", "author": "acme", "created_at": _t(0), "text": "News."},
        {
            "id": "c1\x1b[31m",
            "platform": "x",
            "author": "angry\x1b[5m",
            "created_at": _t(0, hours=1),
            "text": f"@acme {escapes} my order never arrived, this is terrible service",
            "url": "https://x.com/a/status/1\x1b[2J",
        },
        {"id": "p1", "platform": "x", "author": "acme", "created_at": _t(9), "text": "More."},
    ]
    data = tmp_path / "escapes.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ws = str(tmp_path / "ws")
    code, _, err = run_cli("import", str(data), "--brand", "acme", "--workspace", ws)
    assert code == 0, err
    code, out, err = run_cli("audit", "--no-save", "--workspace", ws)
    assert code in (0, 1), err
    assert "my order never arrived" in out  # the complaint is shown as evidence
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
