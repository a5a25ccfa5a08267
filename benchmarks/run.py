"""Run every benchmark: ``python benchmarks/run.py [--quick] [--only NAME ...]``.

Imports each ``benchmarks/bench_*.py``, calls its ``run(quick)`` and writes
``benchmarks/results.json`` and ``benchmarks/RESULTS.md``. Baselines are measured in the same
run, so ratios are comparable across machines.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _fmt_s(s):
    if s is None:
        return ""
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def machine_info() -> dict:
    import numba
    import numpy

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpus": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "numpy": numpy.__version__,
        "numba": numba.__version__,
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def to_markdown(results: dict) -> str:
    lines = ["# Benchmark results", "",
             f"Command: `{results['command']}`; machine: {results['machine']}", "",
             "`speedup` = baseline time / socialchoice time, both measured in this run; "
             "`bandwidth` = time of a plain numpy sum over the same bytes / socialchoice time "
             "(1.0 = memory-bandwidth bound).", ""]
    if results.get("merged"):
        lines += [f"Modules re-run afterwards (`--only ... --merge`, each row with its own "
                  f"baseline from the same run): {', '.join(results['merged'])}.", ""]
    groups: dict[str, list] = {}
    for r in results["rows"]:
        groups.setdefault(r["group"], []).append(r)
    for g, rows in groups.items():
        lines += [f"## {g}", "",
                  "| operation | size | socialchoice | baseline | baseline time | speedup | bandwidth | target |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            sp = f"{r['speedup']:.1f}x" if r.get("speedup") else ""
            bw = f"{r['bandwidth_fraction']:.2f}" if r.get("bandwidth_fraction") else ""
            base = (r.get("baseline") or "") + (f" ({r['baseline_note']})" if r.get("baseline_note") else "")
            lines.append(f"| {r['name']} | {r['size']} | {_fmt_s(r['seconds'])} | {base} | "
                         f"{_fmt_s(r.get('baseline_seconds'))} | {sp} | {bw} | {r.get('target', '')} |")
        lines.append("")
    if results.get("errors"):
        lines += ["## Errors", ""] + [f"- `{e['module']}`: {e['error']}" for e in results["errors"]]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes, a few minutes in all")
    ap.add_argument("--only", nargs="*", help="run only these modules (e.g. bench_pairwise)")
    ap.add_argument("--out", default=str(HERE), help="folder for results.json and RESULTS.md")
    ap.add_argument("--merge", action="store_true",
                    help="with --only: replace just these modules' rows in the existing "
                         "results.json (every row keeps the baseline measured with it)")
    args = ap.parse_args(argv)
    mods = sorted(p for p in HERE.glob("bench_*.py"))
    if args.only:
        mods = [p for p in mods if p.stem in args.only or p.stem.removeprefix("bench_") in args.only]
    results = {"command": "python benchmarks/run.py" + (" --quick" if args.quick else ""),
               "machine": machine_info(), "rows": [], "errors": []}
    for p in mods:
        print(f"== {p.stem}", flush=True)
        spec = importlib.util.spec_from_file_location(p.stem, p)
        mod = importlib.util.module_from_spec(spec)
        t0 = time.perf_counter()
        try:
            spec.loader.exec_module(mod)
            rows = mod.run(args.quick)
        except Exception as exc:  # a broken benchmark must not hide the others
            traceback.print_exc()
            results["errors"].append({"module": p.stem, "error": repr(exc)})
            continue
        for r in rows:
            r["module"] = p.stem
            sp = f"{r['speedup']:.1f}x" if r.get("speedup") else "-"
            print(f"   {r['name']:<45} {r['size']:<28} {_fmt_s(r['seconds']):>10}  speedup {sp}", flush=True)
        results["rows"] += rows
        print(f"   ({time.perf_counter() - t0:.0f} s)", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.merge and (out / "results.json").exists():
        old = json.loads((out / "results.json").read_text())
        ran = {p.stem for p in mods}
        results["rows"] = [r for r in old["rows"] if r.get("module") not in ran] + results["rows"]
        results["errors"] = [e for e in old.get("errors", []) if e["module"] not in ran] + \
            results["errors"]
        results["merged"] = sorted(set(old.get("merged", [])) | ran)
        results["command"] = old.get("command", results["command"])
    (out / "results.json").write_text(json.dumps(results, indent=1, default=float))
    (out / "RESULTS.md").write_text(to_markdown(results))
    print(f"wrote {out / 'results.json'} and {out / 'RESULTS.md'}")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
