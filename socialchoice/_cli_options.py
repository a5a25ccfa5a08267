"""Command-line options shared by the subcommands that read long-format tables."""

from __future__ import annotations

import argparse


def add_column_options(p: argparse.ArgumentParser, title: str = "long-format table columns"):
    """The column-name options of a long table (rater, item, alternative, rating, rank);
    returns the argument group so a command can add its own."""
    g = p.add_argument_group(title)
    g.add_argument("--rater", default="rater", help="rater column (default: rater)")
    g.add_argument("--item", default="item",
                   help="item column (default: item; absent = one election)")
    g.add_argument("--alternative", default="alternative",
                   help="alternative column (default: alternative)")
    g.add_argument("--rating", default="rating", help="rating column (default: rating)")
    g.add_argument("--rank", default="rank",
                   help="rank-level column, used when there is no rating column (default: rank)")
    return g
