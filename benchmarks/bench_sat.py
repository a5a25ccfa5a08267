"""SAT encodings (socialchoice.axioms.sat): build and solve times, CNF sizes and peak memory.

Each instance runs in a fresh subprocess so that its peak resident memory (``VmHWM``) is its
own. The baseline is the *plain* encoding of the same instance (``reductions=False``: one
variable per allowed (profile, candidate) pair, every clause, no propagation), measured in the
same run where it fits in memory and time; the maximin n <= 7 plain instance (3.3 M variables)
is not run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from _harness import row

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})

def peak_mb():
    # VmHWM belongs to this process image: ru_maxrss survives exec and would report the
    # resident size of the (forked) benchmark parent
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from socialchoice.axioms import sat
t = time.perf_counter()
r = {call}
wall = time.perf_counter() - t
print(json.dumps({{
    "satisfiable": bool(r.satisfiable), "n_vars": r.n_vars, "n_clauses": r.n_clauses,
    "n_profiles": r.n_profiles, "build": r.build_seconds, "solve": r.solve_seconds,
    "wall": wall, "peak_mb": peak_mb(),
    "stats": {{k: v for k, v in r.stats.items() if isinstance(v, (int, float, str, bool))}},
}}))
"""


def measure(call: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT), call=call)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


INSTANCES = [
    # (name, call, plain call or None, quick?)
    ("arrow, linear social orders, 2 voters x 3", "sat.arrow()", None, True),
    ("arrow, weak social orders, 2 voters x 3", "sat.arrow(weak=True)", None, True),
    ("arrow self-test: models without non-dictatorship", "sat.arrow(non_dictatorial=False, count_models=True)", None, True),
    ("gibbard_satterthwaite, 2 voters x 3", "sat.gibbard_satterthwaite()", None, True),
    ("no_show kemeny m=4 n<=3 (SAT)", "sat.no_show('kemeny', 3)",
     "sat.exists_rule(4, 3, ['participation'], refines='kemeny', reductions=False)", True),
    ("no_show kemeny m=4 n<=4 (UNSAT)", "sat.no_show('kemeny', 4)",
     "sat.exists_rule(4, 4, ['participation'], refines='kemeny', reductions=False)", True),
    ("no_show maximin m=4 n<=5 (SAT)", "sat.no_show('maximin', 5)",
     "sat.exists_rule(4, 5, ['participation'], refines='maximin', reductions=False)", True),
    ("no_show maximin m=4 n<=6 (SAT)", "sat.no_show('maximin', 6)",
     "sat.exists_rule(4, 6, ['participation'], refines='maximin', reductions=False)", False),
    ("no_show maximin m=4 n<=7 (UNSAT)", "sat.no_show('maximin', 7)", None, False),
]


def run(quick: bool) -> list[dict]:
    rows = []
    for name, call, plain_call, in_quick in INSTANCES:
        if quick and not in_quick:
            continue
        ours = measure(call)
        base = measure(plain_call) if plain_call else None
        st = ours["stats"]
        extra = {
            "satisfiable": ours["satisfiable"],
            "n_profiles": ours["n_profiles"],
            "n_vars": ours["n_vars"],
            "n_clauses": ours["n_clauses"],
            "build_seconds": ours["build"],
            "solve_seconds": ours["solve"],
            "peak_mb": round(ours["peak_mb"], 1),
            "decided_by": st.get("decided_by"),
            "vars_plain": st.get("vars_plain"),
            "confirm_vars": st.get("confirm_vars"),
            "confirm_clauses": st.get("confirm_clauses"),
        }
        note = ""
        if base is not None:
            extra.update(plain_vars=base["n_vars"], plain_clauses=base["n_clauses"],
                         plain_peak_mb=round(base["peak_mb"], 1),
                         plain_satisfiable=base["satisfiable"])
            if base["satisfiable"] != ours["satisfiable"]:
                raise AssertionError(f"{name}: plain and reduced encodings disagree")
            note = (f"plain: {base['n_vars']:,} vars, {base['n_clauses']:,} clauses, "
                    f"{base['peak_mb']:.0f} MB peak")
        rows.append(row(
            group="sat encodings",
            name=f"{name}: {'SAT' if ours['satisfiable'] else 'UNSAT'}, {ours['n_vars']:,} vars, "
                 f"{ours['n_clauses']:,} clauses, {ours['peak_mb']:.0f} MB peak",
            size=f"{ours['n_profiles']:,} profiles",
            seconds=ours["build"] + ours["solve"],
            baseline="plain encoding (reductions=False)" if base else None,
            baseline_seconds=(base["build"] + base["solve"]) if base else None,
            baseline_note=note,
            target="maximin n<=7: < 30 s and < 1 GB" if "n<=7" in name else "",
            extra=extra,
        ))
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(json.dumps(r))
