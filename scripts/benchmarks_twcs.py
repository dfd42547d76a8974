#!/usr/bin/env python3
"""Compute the public care benchmarks the package ships (src/socialaudit/portfolio/data/
twcs_care.json) from the real TWCS multi-brand slice in ../shared/data.

    .venv/bin/python scripts/benchmarks_twcs.py            # writes the package's file
    .venv/bin/python scripts/benchmarks_twcs.py --check    # exit 1 if the shipped file is stale

The file is split into one workspace per brand account (`socialaudit split --by account`), each
brand is audited with the checks the benchmark figures come from, and each figure's values
across the brands are written (numbers only: no text, no handle, no message id), with their
quantiles and where they come from. Run it again whenever a check's definition changes: the
figures are read from the checks' findings, so they follow the definitions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "twcs" / "twcs_head5000_multibrand.csv"
OUT = ROOT / "src" / "socialaudit" / "portfolio" / "data" / "twcs_care.json"

# A brand's figure counts only when it rests on at least this many cases (the count figure of
# the same check): a median of two waits describes two customers, not a brand's practice.
MIN_CASES = 5
# TWCS is customer care: the care figures only. Its brands' few original posts are threads cut
# at the slice's edge (posts per day would measure the slice), and it has no engagement counts.
CASES = {
    "first_response_median": ("SA102", "answered"),
    "unanswered_share": ("SA101", "requests"),
    "conversational_share": ("SA104", "messages"),
}


def compute() -> dict:
    from socialaudit import __version__
    from socialaudit.portfolio import benchmarks
    from socialaudit.portfolio.brands import load_portfolio
    from socialaudit.portfolio.run import audit_portfolio
    from socialaudit.portfolio.split import split_by_account

    checks = sorted({code for code, _ in CASES.values()})
    with tempfile.TemporaryDirectory(prefix="sa-bench-twcs-") as tmp:
        split = split_by_account(DATA, Path(tmp) / "brands")
        portfolio = load_portfolio(split.into)
        result = audit_portfolio(portfolio, select=checks, save=False)
    figures: dict[str, dict] = {}
    for b in benchmarks.BENCHMARKS:
        if b.key not in CASES:
            continue
        code, count = CASES[b.key]
        values = []
        for brand in result.brands:
            assert brand.result is not None
            value = brand.figures[b.key]
            finding = next(f for f in brand.result.findings if f.code == code)
            cases = finding.figures.get(count) if count else None
            if value is not None and (cases or 0) >= MIN_CASES:
                values.append(value)
        if not values:
            continue
        figures[b.key] = {
            "label": b.label,
            "source": b.source,
            "better": b.better,
            "unit": b.unit,
            "brands": len(values),
            "min_cases": MIN_CASES,
            "cases_figure": f"{code} {count}",
            "quantiles": benchmarks.quantiles(values),
            "values": sorted(round(v, 4) for v in values),
        }
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "name": "TWCS care benchmarks",
        "description": (
            "How the brands of the public 'Customer Support on Twitter' data answered their "
            "customers on X in October to December 2017: one value per brand account, from a "
            "slice of the dataset's first 5,000 rows (whole conversations only)."
        ),
        "dataset": {
            "title": "Customer Support on Twitter (TWCS)",
            "author": "Thought Vector / Stuart Axelbrooke, on Kaggle",
            "licence": "CC BY-NC-SA 4.0 (non-commercial, share-alike): these aggregates derive "
            "from it and carry the same terms",
            "file": "shared/data/twcs/twcs_head5000_multibrand.csv (see its PROVENANCE.md: "
            "repository monalisapatra26/data_visualization, commit 40f02792)",
            "sha256": hashlib.sha256(DATA.read_bytes()).hexdigest(),
            "brands": len(result.brands),
            "period": "2017-10-01 to 2017-12-03 (99.7 % of rows)",
            "caveats": "a slice of the head of the file: some conversations are cut at its "
            "edge, and a brand's figures describe its share of the slice, not its whole year",
        },
        "computed": {
            "by": "scripts/benchmarks_twcs.py: socialaudit split --by account, then an audit "
            f"of each brand with {', '.join(checks)}",
            "socialaudit": __version__,
            "commit": commit or None,
            "at": datetime.now(UTC).date().isoformat(),
        },
        "figures": figures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"{DATA}: not found (the shared/ folder beside the project)", file=sys.stderr)
        return 2
    doc = compute()
    if args.check:
        shipped = json.loads(OUT.read_text(encoding="utf-8"))
        same = shipped.get("figures") == doc["figures"]
        print("the shipped benchmarks are current" if same else f"{OUT} is stale: run me")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for key, f in doc["figures"].items():
        print(f"{key}: {f['brands']} brands, quantiles {f['quantiles']}")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
