"""``socialchoice report DATA`` and ``socialchoice demo``: argument parsing and handlers.

The report itself lives in :mod:`socialchoice.report`; this module reads the options, calls
it, writes the files and prints the terminal summary. Errors are package errors (one line on
stderr through :func:`socialchoice.cli.main`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

__all__ = ["add_arguments", "run", "add_demo_arguments", "run_demo", "load_polis_demo",
           "DEMO_DIR"]

#: Default output directories.
REPORT_DIR = "socialchoice-report"
DEMO_DIR = "socialchoice-demo"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", metavar="DATA",
                   help="a long-format table (.csv, .tsv, .parquet; ratings, ranks, RLHF "
                        "pairwise records a/b/outcome, or answer distributions), a PrefLib file "
                        "(.soc .soi .toc .toi) or a netCDF/zarr store")
    p.add_argument("--out", default=REPORT_DIR, metavar="DIR",
                   help=f"directory to write (default: ./{REPORT_DIR}/)")
    p.add_argument("--attribute", action="append", dest="attributes", metavar="COL",
                   help="rater attribute column defining groups (repeatable; the first one "
                        "drives welfare, juries and agreement per group)")
    p.add_argument("--model", metavar="FILE",
                   help="model answer distributions: a table with question, distribution "
                        "(JSON list) [, group]")
    p.add_argument("--objectives", metavar="COLS",
                   help="comma-separated numeric columns to trade off (Pareto front, "
                        "hypervolume)")
    p.add_argument("--format", choices=("html", "md", "json"), action="append", dest="formats",
                   help="what to write (repeatable; default: all three)")
    p.add_argument("--no-open", action="store_true",
                   help="do not open index.html in a browser (the default when there is no "
                        "display)")
    p.add_argument("--open", action="store_true", help="open index.html in a browser")
    p.add_argument("--seed", type=int, default=0, help="seed of every resampling (default 0)")
    p.add_argument("--resamples", type=int, default=200,
                   help="bootstrap resamples (default 200)")
    from ._cli_options import add_column_options

    g = add_column_options(p)
    g.add_argument("--weight", help="rater weight column")


def _progress_enabled() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _build(data, *, attributes, model, objectives, seed, n_resamples) -> dict:
    from .report import compute

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute(data, attributes=attributes, model=model, objectives=objectives,
                       seed=seed, progress=_progress_enabled(), n_resamples=n_resamples)


def run(args: argparse.Namespace) -> int:
    """Write a pluralism report on your data: winners, axioms, welfare, groups, juries."""
    from .errors import ValidationError
    from .report import load, load_model
    from .report._markdown import render_markdown
    from .report._write import check_out, write_report

    if args.resamples < 20:
        raise ValidationError("--resamples must be at least 20")
    out = os.path.abspath(args.out)
    check_out(out)
    attrs = list(args.attributes or [])
    data = load(args.data, rater=args.rater, item=args.item, alternative=args.alternative,
                rating=args.rating, rank=args.rank, attributes=attrs, weight=args.weight)
    model = load_model(args.model) if args.model else None
    objectives = [c.strip() for c in args.objectives.split(",") if c.strip()] \
        if args.objectives else None
    rep = _build(data, attributes=attrs, model=model, objectives=objectives, seed=args.seed,
                 n_resamples=args.resamples)
    formats = tuple(args.formats or ("html", "json", "md"))
    paths = write_report(rep, out, formats=formats)
    print(render_markdown(rep))
    print()
    for f in ("html", "json", "md"):
        if f in paths:
            print(f"{ {'html': 'Report', 'json': 'Numbers', 'md': 'Summary'}[f] }: {paths[f]}")
    if "html" in paths and args.open and not args.no_open:
        import webbrowser

        webbrowser.open("file://" + paths["html"])
    return 0


# ------------------------------------------------------------------ demo
def add_demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=DEMO_DIR, metavar="DIR",
                   help=f"directory to write the demo reports (default: ./{DEMO_DIR}/)")
    p.add_argument("--seed", type=int, default=0, help="seed of every resampling (default 0)")
    p.add_argument("--margins", action=argparse.BooleanOptionalAction, default=True,
                   help="print the Burlington margin matrix (default: yes)")
    p.add_argument("--report", action=argparse.BooleanOptionalAction, default=True,
                   help="also build the HTML reports (default: yes)")


def load_polis_demo():
    """The packaged Polis vTaiwan UberX subset as report data (statement labels attached).

    The profile is :func:`socialchoice.datasets.load_polis` (which knows where the data live);
    the report shows each statement as ``"label (#id)"``.
    """
    from .datasets import POLIS_DIR, load_polis
    from .report import Data

    prof = load_polis()
    names = prof.metadata["alternative_names"]
    cols = dict(rater="participant", item=None, alternative="statement", rating="vote",
                rank=None, attributes=["group"], weight=None)
    return Data("ratings", prof, None,
                f"socialchoice/data/{POLIS_DIR}/votes.csv (shipped with the package)", "csv",
                cols, labels={c: f"{n} (#{int(c)})" for c, n in names.items()},
                title=("vTaiwan UberX 2015 (Polis): 1,149 participants in 2 opinion groups vote "
                       "on 10 statements"),
                notes=["Polis data, CC BY 4.0, The Computational Democracy Project; subset and "
                       "English glosses: socialchoice/data/README.md"])


def _index_page(entries: list[tuple[str, str, dict]]) -> str:
    from .report._html import CSS, _e

    cards = []
    for sub, title, rep in entries:
        items = "".join(f"<li>{_e(s)}</li>" for s in rep.get("summary", []))
        cards.append(f"<section class='summary'><h2><a href='{sub}/index.html'>{_e(title)}"
                     f"</a></h2><ul>{items}</ul><p><a href='{sub}/index.html'>Open the full "
                     "report →</a></p></section>")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>socialchoice "
            f"demo</title><style>{CSS}</style></head><body><main><header><h1>socialchoice demo"
            "</h1><p>Two real data sets shipped with the package, each with its own report."
            "</p></header>" + "".join(cards) + "<footer>Burlington 2009: PrefLib, GPL-3.0. "
            "vTaiwan UberX: Polis, CC BY 4.0 (The Computational Democracy Project). See "
            "socialchoice/data/README.md.</footer></main></body></html>")


def run_demo(args: argparse.Namespace, burlington_text) -> int:
    """Burlington 2009 and vTaiwan (Polis): the report on embedded real data."""
    from .datasets import demo_path
    from .report import load
    from .report._markdown import render_markdown
    from .report._write import atomic_dir, check_out, write_files

    burlington_text(args)
    if not args.report:
        return 0
    out = os.path.abspath(args.out)
    check_out(out, allowed=("index.html", "burlington-2009", "vtaiwan-uberx"))
    t0 = time.perf_counter()
    print()
    print("Building the reports (rules, axioms in the data, welfare, bargaining, groups, "
          "juries)...", flush=True)
    bur = load(str(demo_path()))
    bur.path = f"socialchoice/data/{os.path.basename(str(demo_path()))} (shipped with the package)"
    bur.title = "Burlington, Vermont, 2009 mayoral election (8,980 ranked ballots)"
    rep_b = _build(bur, attributes=[], model=None, objectives=None, seed=args.seed,
                   n_resamples=200)
    pol = load_polis_demo()
    rep_p = _build(pol, attributes=["group"], model=None, objectives=None, seed=args.seed,
                   n_resamples=200)
    entries = [("burlington-2009", rep_b["meta"]["title"], rep_b),
               ("vtaiwan-uberx", rep_p["meta"]["title"], rep_p)]
    with atomic_dir(out) as tmp:
        for sub, _, rep in entries:
            os.mkdir(os.path.join(tmp, sub))
            write_files(rep, os.path.join(tmp, sub))
        with open(os.path.join(tmp, "index.html"), "w", encoding="utf-8") as fh:
            fh.write(_index_page(entries))
    print()
    print(render_markdown(rep_p))
    print(f"Reports built in {time.perf_counter() - t0:.1f} s:")
    print(f"  {os.path.join(out, 'index.html')}")
    print(f"  {os.path.join(out, 'burlington-2009', 'index.html')}")
    print(f"  {os.path.join(out, 'vtaiwan-uberx', 'index.html')}")
    return 0


