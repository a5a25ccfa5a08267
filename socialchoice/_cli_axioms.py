"""``socialchoice axioms``: check axioms from the command line (thin over ``sc.axioms``).

Examples::

    socialchoice axioms --rule irv                      # every applicable axiom, Y/N per axiom
    socialchoice axioms --rule irv --axiom monotonicity --max-voters 12
    socialchoice axioms --matrix --format md
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rule", action="append", help="rule name (repeatable)")
    p.add_argument("--axiom", action="append", help="axiom id (repeatable); default: all that apply")
    p.add_argument("--matrix", action="store_true", help="print the rules x axioms table")
    p.add_argument("--format", choices=("md", "csv", "json"), default="md")
    p.add_argument("--max-voters", type=int, default=None)
    p.add_argument("--max-candidates", type=int, default=None)
    p.add_argument("--ballots", choices=("linear", "truncated", "weak"), default="linear")
    p.add_argument("--method", choices=("exhaustive", "random", "hypothesis"), default="exhaustive")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--time-limit", type=float, default=None)
    p.add_argument("--json", action="store_true", help="print witnesses as JSON")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``axioms`` subcommand to an argparse ``subparsers`` object."""
    p = subparsers.add_parser("axioms", help="check voting axioms (minimal counterexamples)",
                              description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(p)
    p.set_defaults(func=run)
    return p


def _matrix_text(df, fmt: str) -> str:
    if fmt == "csv":
        return df.to_csv()
    if fmt == "json":
        return df.to_json(orient="index", indent=1)
    cols = list(df.columns)
    lines = ["| rule | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for r, row in df.iterrows():
        lines.append(f"| {r} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; returns the exit status (0 ok, 1 a violation found with --axiom,
    2 bad input)."""
    from . import axioms
    from .errors import SocialChoiceError

    out = sys.stdout
    try:
        if args.matrix:
            kw = {}
            if args.max_voters is not None:
                kw["max_voters"] = args.max_voters
            if args.max_candidates is not None:
                kw["max_candidates"] = args.max_candidates
            df = axioms.matrix(args.rule, args.axiom, ballots=args.ballots,
                               time_limit=args.time_limit, **kw)
            print(_matrix_text(df, args.format), file=out)
            return 0
        if not args.rule:
            print("socialchoice axioms: pass --rule NAME or --matrix", file=sys.stderr)
            return 2
        from . import rules as _rules

        for rule in args.rule:  # unknown names are an error up front, not n.a. per axiom
            _rules.info(rule)
        for a in args.axiom or ():
            axioms.info(a)
        status = 0
        for rule in args.rule:
            names = args.axiom or [a for a in axioms.names()
                                   if axioms.info(a).family != "bargaining"]
            for a in names:
                kw = {"max_voters": args.max_voters or (7 if args.axiom else 5),
                      "max_candidates": args.max_candidates or (4 if args.axiom else 3),
                      "ballots": args.ballots, "method": args.method, "seed": args.seed,
                      "time_limit": args.time_limit}
                if axioms.info(a).meta["ballots"] == ("truncated",) and not args.axiom:
                    kw["ballots"] = "truncated"
                try:
                    rep = axioms.check(rule, a, **kw)
                except SocialChoiceError as exc:
                    if args.axiom:
                        raise
                    print(f"{rule:>20} {a:<24} n.a. ({exc})", file=out)
                    continue
                if args.axiom:
                    print(rep, file=out)
                    if args.json and rep.counterexample is not None:
                        print(rep.counterexample.to_json(), file=out)
                else:
                    c = rep.counterexample
                    verdict = "Y" if rep.holds else ("N" if c is not None else "?")
                    size = f"  (n={c.n_voters}, m={c.n_candidates})" if c is not None else ""
                    print(f"{rule:>20} {a:<24} {verdict}{size}", file=out)
                if rep.counterexample is not None:
                    status = 1 if args.axiom else status
        return status
    except SocialChoiceError as exc:
        print(f"socialchoice axioms: error: {exc}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socialchoice axioms")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
