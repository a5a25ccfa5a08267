"""Command line: ``socialchoice info FILE``, ``report DATA``, ``demo``, ``axioms`` (``--help`` on each).

Subcommands live in :data:`COMMANDS`, a dict ``name -> (add_arguments, handler)``:
``add_arguments(parser)`` declares the options on an :class:`argparse.ArgumentParser` and
``handler(args) -> int`` runs the command and returns the exit status (its docstring's first
line is the help text). Add a command with :func:`register_command`. Every error (a missing
file, a malformed file, bad arguments, even an internal one) ends with one line on stderr and
exit status 2, never a traceback.

For ratings, ``info`` counts "x beats y" over the raters who rated both (``--pairs
both_rated``, the default) or with a missing rating below every given one (``--pairs
missing_below``) and says which in its output (docs/conventions.md §5).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import numpy as np

from .errors import SocialChoiceError

__all__ = ["main", "COMMANDS", "register_command", "load_profile"]

AddArguments = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace], int]

#: Subcommands: name -> (add_arguments, handler).
COMMANDS: dict[str, tuple[AddArguments, Handler]] = {}

_PREFLIB_EXT = (".soc", ".soi", ".toc", ".toi")


class UsageError(Exception):
    """A bad command line: reported as one line, exit status 2."""


def register_command(name: str, add_arguments: AddArguments, handler: Handler) -> None:
    """Add (or replace) a subcommand; ``handler.__doc__``'s first line becomes its help."""
    COMMANDS[name] = (add_arguments, handler)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line instead of usage + message
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


# ------------------------------------------------------------------ loading
def load_profile(path: str, *, fmt: str = "auto", strict: bool = True, **csv_options: Any):
    """Read ``path`` as PrefLib (by extension or ``fmt="preflib"``) or long-format CSV."""
    from . import io

    if os.path.isdir(path):
        raise UsageError(f"{path} is a directory; pass a file")
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path}")
    ext = os.path.splitext(path)[1].lower()
    if fmt == "auto":
        if ext in _PREFLIB_EXT:
            fmt = "preflib"
        elif ext in (".csv", ".tsv", ".txt"):
            fmt = "csv"
        else:
            raise UsageError(f"cannot tell the format of {path!r} from its extension; "
                             "pass --format preflib or --format csv")
    if fmt == "preflib":
        return io.read_preflib(path, strict=strict)
    opts = {k: v for k, v in csv_options.items() if v is not None}
    if ext == ".tsv":
        opts["sep"] = "\t"
    return io.read_csv(path, **opts)


def _add_csv_options(p: argparse.ArgumentParser) -> None:
    from ._cli_options import add_column_options

    g = add_column_options(p, "long-format CSV columns")
    g.add_argument("--attribute", action="append", dest="attributes", metavar="COLUMN",
                   help="per-rater attribute column such as a group (repeatable)")
    g.add_argument("--weight", help="rater weight column")


def _summary_text(profile, *, title: list[str], show_margins: bool | None, as_json: bool,
                  pairs: str = "both_rated") -> str:
    from ._summary import describe, format_summary

    names = profile.metadata.get("alternative_names") if hasattr(profile, "metadata") else None
    facts = describe(profile, names=names, pairs=pairs)
    if as_json:
        return json.dumps(facts, indent=2, default=str)
    return format_summary(facts, header=title, show_margins=show_margins)


# ------------------------------------------------------------------ info
def _info_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a PrefLib file (.soc, .soi, .toc, .toi) or a long-format CSV")
    p.add_argument("--format", choices=("auto", "preflib", "csv"), default="auto",
                   help="file format (default: from the extension)")
    p.add_argument("--margins", action=argparse.BooleanOptionalAction, default=None,
                   help="print the margin matrix (default: when there are at most 12 candidates)")
    p.add_argument("--json", action="store_true", help="print the facts as JSON")
    p.add_argument("--strict", action=argparse.BooleanOptionalAction, default=True,
                   help="check a PrefLib header's counts and data type against the ballots "
                        "(default: yes)")
    p.add_argument("--pairs", choices=("both_rated", "missing_below"), default=None,
                   help="ratings only: count 'x beats y' over raters who rated both (both_rated, "
                        "the default) or rank a missing rating below every given one "
                        "(missing_below)")
    _add_csv_options(p)


def _info(args: argparse.Namespace) -> int:
    """Summarise a preference file: voters, candidates, ballot types, Condorcet winner or Smith set."""
    prof = load_profile(args.file, fmt=args.format, strict=args.strict, rater=args.rater,
                        item=args.item, alternative=args.alternative, rating=args.rating,
                        rank=args.rank, attributes=args.attributes, weight=args.weight)
    from .profiles import Ratings

    if args.pairs is not None and not isinstance(prof, Ratings):
        raise UsageError("--pairs applies to ratings; rankings always count an unranked "
                         "candidate below every ranked one")
    md = prof.metadata
    title = [f"File: {args.file}"]
    if md.get("title"):
        title.append(f"Title: {md['title']}")
    if md.get("data_type"):
        from .io.preflib import _DESCRIBE

        dt = str(md["data_type"]).lower()
        title.append(f"Data type: {dt}" + (f" ({_DESCRIBE[dt]})" if dt in _DESCRIBE else ""))
    print(_summary_text(prof, title=title, show_margins=args.margins, as_json=args.json,
                        pairs=args.pairs or "both_rated"))
    return 0


# ------------------------------------------------------------------ demo
def _demo_arguments(p: argparse.ArgumentParser) -> None:
    from . import _cli_report

    _cli_report.add_demo_arguments(p)


#: rules the demo runs, in the order printed: (registry name, short description)
DEMO_RULES = (
    ("plurality", "first choices"),
    ("borda", "positional scores"),
    ("instant_runoff", "eliminate the last first-choice, repeat"),
    ("plurality_with_runoff", "top two first-choice candidates meet"),
    ("coombs", "eliminate the most last places"),
    ("bucklin", "first majority of top-k mentions"),
    ("strict_nanson", "eliminate below-average Borda"),
    ("baldwin", "eliminate the Borda loser"),
    ("copeland", "pairwise wins"),
    ("maximin", "best worst defeat"),
    ("schulze", "beatpaths"),
    ("ranked_pairs", "lock in majorities, strongest first"),
    ("kemeny_young", "closest ranking"),
    ("smith_set", "smallest unbeaten set"),
    ("maximal_lottery", "probabilistic: no lottery preferred by a majority"),
    ("bradley_terry", "statistical: pairwise strengths"),
)


def _demo(args: argparse.Namespace) -> int:
    """The report on embedded real data: Burlington 2009 (ranked ballots) and vTaiwan (Polis)."""
    from . import _cli_report

    return _cli_report.run_demo(args, _demo_burlington)


def _demo_burlington(args: argparse.Namespace) -> int:
    """Burlington 2009: the Condorcet winner who lost an instant-runoff election (real ballots)."""
    from . import rules
    from .datasets import DEMO_FILE, load_demo

    prof = load_demo()
    md = prof.metadata
    names = md.get("alternative_names", {})
    title = [f"Demo data: {md.get('title', DEMO_FILE)} (PrefLib {DEMO_FILE}; GPL-3.0, "
             "see socialchoice/data/README.md)"]
    print(_summary_text(prof, title=title, show_margins=args.margins, as_json=False))

    def label(c: Any) -> str:
        return f"{names.get(c, str(c))} (id {c})"

    print()
    print("Winners by rule (sc.rules; ties are reported as sets). The first run compiles the")
    print("Numba kernels, which takes a minute or two; they are cached, later runs take seconds.",
          flush=True)
    results = {}
    width = max(len(n) for n, _ in DEMO_RULES)
    for name, what in DEMO_RULES:
        res = rules.get(name)(prof)
        results[name] = res
        if res.lottery is not None:
            lot = np.asarray(res.lottery)
            shown = ", ".join(f"{label(c)} {p:.2f}" for c, p in zip(prof.candidates, lot) if p > 1e-9)
        else:
            shown = ", ".join(label(c) for c in res.winners)
        print(f"  {name.ljust(width)}  {shown}   [{what}]")
    cw = rules.get("condorcet_winner")(prof).winners
    irv = results["instant_runoff"].winners
    print()
    if not cw:
        print("These ballots have no Condorcet winner.")
        return 0
    c = cw[0]
    if irv == [c]:
        print(f"{label(c)} is the Condorcet winner and the instant-runoff winner.")
        return 0
    M = prof.margins()
    i, j = prof.candidates.index(c), prof.candidates.index(irv[0])
    agree = [n for n, _ in DEMO_RULES if results[n].lottery is None and results[n].winners == [c]]
    print(textwrap.fill(
        f"{label(c)} is the Condorcet winner of these ballots: a majority ranks them above each "
        f"rival, {M[i, j]:+.0f} over {label(irv[0])}. Instant runoff elects {label(irv[0])} -- "
        "as the official 2009 count did (final round Kiss 4313, Wright 4061; "
        "socialchoice/data/README.md). Rules that elect " + names.get(c, str(c)) + " here: "
        + ", ".join(agree) + ".", width=88))
    return 0


def _report_arguments(p: argparse.ArgumentParser) -> None:
    from . import _cli_report

    _cli_report.add_arguments(p)


def _report(args: argparse.Namespace) -> int:
    """Write a pluralism report on your data: winners, axioms, welfare, groups and juries."""
    from . import _cli_report

    return _cli_report.run(args)


def _axioms_arguments(p: argparse.ArgumentParser) -> None:
    from . import _cli_axioms

    _cli_axioms.add_arguments(p)


def _axioms(args: argparse.Namespace) -> int:
    """Check voting axioms: minimal counterexamples, or the rules x axioms matrix."""
    from . import _cli_axioms

    return _cli_axioms.run(args)


register_command("info", _info_arguments, _info)
register_command("demo", _demo_arguments, _demo)
register_command("axioms", _axioms_arguments, _axioms)
register_command("report", _report_arguments, _report)


# ------------------------------------------------------------------ entry point
def build_parser() -> argparse.ArgumentParser:
    """The parser with every registered subcommand."""
    parser = _Parser(prog="socialchoice",
                     description="Social choice toolkit for pluralistic AI evaluation.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"socialchoice {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (add_arguments, handler) in COMMANDS.items():
        doc = (handler.__doc__ or "").strip().splitlines()
        sp = sub.add_parser(name, help=doc[0] if doc else None,
                            description=doc[0] if doc else None)
        add_arguments(sp)
        sp.set_defaults(_handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 = success)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if getattr(args, "_handler", None) is None:
            raise UsageError("socialchoice: error: no command given; choose one of "
                             f"{', '.join(COMMANDS)} (see socialchoice --help)")
        return int(args._handler(args) or 0)
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    except UsageError as exc:
        msg = str(exc)
        print(msg if msg.startswith("socialchoice") else f"socialchoice: error: {msg}",
              file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        msg = exc.args[0] if len(exc.args) == 1 else f"no such file: {exc.filename}"
        print(f"socialchoice: error: {_one_line(msg)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `socialchoice info f | head`
        return 0
    except KeyboardInterrupt:
        print("socialchoice: interrupted", file=sys.stderr)
        return 130
    except (SocialChoiceError, OSError, UnicodeDecodeError) as exc:
        print(f"socialchoice: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still one line, with what to report
        print(f"socialchoice: internal error: {type(exc).__name__}: {_one_line(exc)} "
              "(please report this with the command line)", file=sys.stderr)
        return 2


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
