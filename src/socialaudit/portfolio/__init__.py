"""An agency's portfolio: many brands, each audited on its own, set side by side.

* `brands.py`: what a portfolio is (a folder of brand workspaces, or a workspace whose config
  names several brands), the agency's name and logo;
* `scope.py`: which rows are one brand's, and a workspace seen through them;
* `split.py`: a multi-brand file or workspace into one workspace per brand account;
* `run.py`: every brand's audit (the library's `run_audit`), its history and the table;
* `benchmarks.py`: the figures with a benchmark, percentile ranks, the public reference, and
  goals against peers' observed growth;
* `digest.py`: the week's new and fixed findings per brand.

It reads checks only through their findings (`Finding.figures`, `per_account`), so a change to a
check's definition shows in the portfolio without a change here. Rendering is in `report/`
(`portfolio.py`, `portfolio_html.py`), the commands in `cli_portfolio.py`, the dashboard's pages
in `web/portfolio.py`. docs/agency.md is the user's guide.
"""
