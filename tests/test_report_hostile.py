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


def formula_cells(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would run: starting with = + - @ tab or CR, and not a plain number
    (-0.25 is a number, not a formula)."""

    def number(c: str) -> bool:
        try:
            float(c)
        except ValueError:
            return False
        return True

    return [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not number(c)]


def test_no_csv_cell_starts_a_formula(reports):
    rows = list(csv.reader(io.StringIO(reports["csv"])))
    assert rows[0][:6] == ["code", "name", "area", "verdict", "severity", "message"]
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # the formula is kept as text, neutralised by a leading quote
    assert (
        "'" + FORMULA + " my order still hasn't arrived after two weeks, this is terrible service"
        in cells
    )
    assert "'+SUM(1,2) third time my delivery is late again. I am so frustrated with this" in cells
    text_col = rows[0].index("text")
    assert any(SCRIPT in row[text_col] for row in rows[1:])


def test_csv_cell_rule():
    from socialaudit.report.csvsafe import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "\rx")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
    ]
    assert safe_cell("plain text") == "plain text" and safe_cell("a=b") == "a=b"
    assert safe_cell(-3) == -3 and safe_cell(None) is None


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
    assert formula_cells([c for row in rows for c in row]) == []
    texts = [row[rows[0].index("text")] for row in rows[1:]]
    assert "'" + FORMULA in texts and "'@acme hi" in texts


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
