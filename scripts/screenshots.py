#!/usr/bin/env python3
"""Screenshots of the demo brand's HTML report in headless Chromium, at a desktop width (1280 px)
and a phone width (390 px), for docs/img and for looking at the layout.

    .venv/bin/python scripts/screenshots.py                 # writes docs/img/report-demo*.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --full   # whole pages, to inspect
    .venv/bin/python scripts/screenshots.py --portfolio     # docs/img/portfolio-*.png

--portfolio builds an agency's portfolio from the real TWCS file in ../shared/data: six of its
brands split out (`socialaudit split --account`), audited on the data up to 2017-11-25 and again
on all of it (two weeks of an agency's life), then `socialaudit portfolio report`.

Needs Chromium (Debian: `apt-get install chromium`). The demo is built in a temporary folder with
the installed `socialaudit` (the same command a user runs), so nothing else is touched. Also
prints, per width, whether anything in the page is wider than the screen.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.headless_chromium import Chromium, find_chromium

ROOT = Path(__file__).resolve().parents[1]
SA = str(Path(sys.executable).with_name("socialaudit"))
# (file name, width, height shown): the top of the report, where the score, the areas, the
# changes and the charts are; --full takes whole pages instead.
SHOTS = (("report-demo.png", 1280, 1500), ("report-demo-phone.png", 390, 2600))

# Elements that stick out past the right edge of the screen, unless a scrolling box holds them
# (a wide table may scroll inside its card; the page itself must not).
OVERFLOW_JS = """
(() => {
  const width = %d, out = [];
  // folded parts (evidence, per-account tables) count too: open them all
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const clipped = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip')
        return a.getBoundingClientRect().right <= width + 0.5;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 0.5 && !clipped(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.classList.length ? '.' + [...el.classList].join('.') : '');
      out.push(name + ' right=' + Math.round(r.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, offenders: out};
})()
"""


def overflow(page, width: int) -> dict:
    """What sticks out past `width` CSS pixels in the page."""
    return page.evaluate(OVERFLOW_JS % width)


def build_report(workdir: Path) -> Path:
    report = workdir / "report.html"
    subprocess.run(
        [SA, "demo", "-w", str(workdir / "demo"), "-o", str(report)],
        check=True,
        capture_output=True,
    )
    return report


PORTFOLIO_SHOTS = (
    ("portfolio-overview.png", "index.html", 1280, 1500),
    ("portfolio-overview-phone.png", "index.html", 390, 2600),
    ("portfolio-brand.png", "brands/sainsburys.html", 1280, 2000),
    ("portfolio-brand-phone.png", "brands/sainsburys.html", 390, 3400),
)
PORTFOLIO_BRANDS = ("AmazonHelp", "AppleSupport", "Delta", "SpotifyCares", "Tesco", "sainsburys")
TWCS = ROOT.parent / "shared" / "data" / "twcs" / "twcs_head5000_multibrand.csv"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="40" height="40" rx="8" fill="#1f5fa8"/><path d="M10 30 L20 10 L30 30" '
    'stroke="#fff" stroke-width="4" fill="none"/><text x="48" y="27" font-family="sans-serif" '
    'font-size="16" font-weight="700" fill="#1d2330">NWD</text></svg>'
)


def build_portfolio(workdir: Path) -> Path:
    """Two weeks of an agency: the first audits on the data up to the cutoff, the second on all
    of it; returns the folder of the report pages."""
    from datetime import UTC, datetime

    import pyarrow.compute as pc

    from socialaudit.sources import read_path
    from socialaudit.workspace import Workspace

    batch = read_path(TWCS)
    messages = batch.tables["messages"]
    cutoff = datetime(2017, 11, 25, tzinfo=UTC)
    batch.tables["messages"] = messages.filter(pc.less(messages["created_at"], cutoff))
    with Workspace.open(workdir / "first-weeks") as ws:
        ws.write(batch)
    folder = workdir / "agency"
    accounts = [a for handle in PORTFOLIO_BRANDS for a in ("--account", handle)]
    for source in (workdir / "first-weeks", TWCS):
        for cmd in (
            ["split", str(source), "--into", str(folder), *accounts],
            ["portfolio", "audit", str(folder)],
        ):
            done = subprocess.run([SA, *cmd], capture_output=True, text=True)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(cmd)}: {done.stderr}")
        if source != TWCS:
            (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
            (folder / "portfolio.toml").write_text(
                '[agency]\nname = "Northwind Digital"\nlogo = "logo.svg"\n', encoding="utf-8"
            )
    pages = workdir / "pages"
    subprocess.run(
        [SA, "portfolio", "report", str(folder), "-o", str(pages)], check=True, capture_output=True
    )
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="where to write")
    parser.add_argument("--full", action="store_true", help="whole pages, not the top")
    parser.add_argument("--portfolio", action="store_true", help="the portfolio's pages")
    args = parser.parse_args()
    if find_chromium() is None:
        print("no Chromium on PATH: apt-get install chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with tempfile.TemporaryDirectory(prefix="sa-shots-") as tmp, Chromium() as browser:
        if args.portfolio:
            pages = build_portfolio(Path(tmp))
            shots = [(name, pages / page, w, h) for name, page, w, h in PORTFOLIO_SHOTS]
        else:
            report = build_report(Path(tmp))
            shots = [(name, report, w, h) for name, w, h in SHOTS]
        for name, report, width, height in shots:
            page = browser.open(report.as_uri(), width=width)
            found = overflow(page, width)
            target = args.out / name
            page.screenshot(target, full_page=True, max_height=None if args.full else height)
            wide = found["offenders"]
            problems += bool(wide)
            print(
                f"{target}: {width} px wide, page {found['scrollWidth']} px; "
                + (
                    f"{len(wide)} elements stick out: {', '.join(wide[:8])}"
                    if wide
                    else "nothing sticks out"
                )
            )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
