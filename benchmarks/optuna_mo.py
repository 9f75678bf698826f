#!/usr/bin/python3
"""Optuna 3.1's multi-objective TPE and NSGA-II on boex-bench's multi-objective problems.

Not part of the test suite. Needs Debian's python3-optuna (apt-get install python3-optuna).
Writes one JSON line per run in boex-bench's multi-objective row format (values in minimisation
units, feasible flags, log10 hypervolume difference to the true front) to --output and prints a
median table, e.g.

    python3 benchmarks/optuna_mo.py --problem BraninCurrin,DTLZ2,ConstrainedBraninCurrin --seeds 10

Problems, reference points, max hypervolumes and budgets follow benchmarks/multi_objective_problems.cpp
(BoTorch's test_functions.multi_objective).
"""
import argparse
import json
import math
import statistics
import sys
import time

import optuna


def branin(x0, x1):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x1 - b * x0 ** 2 + c * x0 - 6) ** 2 + 10 * (1 - t) * math.cos(x0) + 10


def branin_currin(x):
    b = branin(15 * x[0] - 5, 15 * x[1])
    factor = 1 - math.exp(-1 / (2 * x[1])) if x[1] > 0 else 1.0
    x0 = x[0]
    currin = factor * (2300 * x0 ** 3 + 1900 * x0 ** 2 + 2092 * x0 + 60) / (100 * x0 ** 3 + 500 * x0 ** 2 + 4 * x0 + 20)
    return [b, currin]


def constrained_branin_currin(x):
    a, b = 15 * x[0] - 5, 15 * x[1]
    return branin_currin(x), [-(50 - (a - 2.5) ** 2 - (b - 7.5) ** 2)]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[1:])
    angle = x[0] * math.pi / 2
    return [(1 + g) * math.cos(angle), (1 + g) * math.sin(angle)]


PROBLEMS = {
    # name: (dimension, reference, max hypervolume, budget, function -> (values, constraints))
    "BraninCurrin": (2, [18.0, 6.0], 59.36011874867746, 40, lambda x: (branin_currin(x), [])),
    "ConstrainedBraninCurrin": (2, [80.0, 12.0], 608.4004237022673, 40, constrained_branin_currin),
    "DTLZ2": (6, [1.1, 1.1], 1.1 * 1.1 - math.pi / 4, 60, lambda x: (dtlz2(x), [])),
}


def hypervolume_2d(points, reference):
    """Dominated area of minimised 2-objective points below the reference (a sweep)."""
    inside = sorted(p for p in points if p[0] < reference[0] and p[1] < reference[1])
    area, best1 = 0.0, reference[1]
    for i, p in enumerate(inside):
        if p[1] >= best1:
            continue
        nxt = min((q[0] for q in inside[i + 1:] if q[1] < p[1]), default=reference[0])
        area += (nxt - p[0]) * (reference[1] - p[1])
        best1 = p[1]
    return area


def run(problem, method, seed, budget):
    d, reference, max_hv, default_budget, function = PROBLEMS[problem]
    budget = budget or default_budget
    constrained = problem.startswith("Constrained")
    constraints_func = (lambda t: t.user_attrs["c"]) if constrained else None
    if method == "optuna-tpe":
        sampler = optuna.samplers.TPESampler(seed=seed, constraints_func=constraints_func)
    else:
        sampler = optuna.samplers.NSGAIISampler(seed=seed, constraints_func=constraints_func)
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler)
    values, feasible, curve, seconds = [], [], [], []
    for _ in range(budget):
        start = time.perf_counter()
        trial = study.ask()
        x = [trial.suggest_float("x%d" % (i + 1), 0.0, 1.0) for i in range(d)]
        seconds.append(time.perf_counter() - start)
        f, c = function(x)
        trial.set_user_attr("c", c)
        study.tell(trial, f)
        values.append(f)
        feasible.append(all(v <= 0 for v in c))
        curve.append(hypervolume_2d([v for v, ok in zip(values, feasible) if ok], reference))
    gap = max_hv - curve[-1]
    return {"problem": problem, "method": method, "seed": seed, "n_init": None, "budget": budget,
            "reference": reference, "max_hypervolume": max_hv, "values": values, "feasible": feasible,
            "hypervolume_curve": curve, "log_hv_difference": math.log10(gap) if gap > 0 else None,
            "suggest_seconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem", default="BraninCurrin,DTLZ2,ConstrainedBraninCurrin")
    parser.add_argument("--method", default="optuna-tpe,optuna-nsga2")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budget", type=int, default=0)
    parser.add_argument("--output", default="")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rows = []
    out = open(args.output, "a") if args.output else None
    for problem in args.problem.split(","):
        for method in args.method.split(","):
            for seed in range(args.seeds):
                row = run(problem, method, seed, args.budget)
                rows.append(row)
                if out:
                    out.write(json.dumps(row) + "\n")
                    out.flush()
    print("%-24s %-14s %5s %14s" % ("problem", "method", "seeds", "median log HVd"))
    for problem in args.problem.split(","):
        for method in args.method.split(","):
            gaps = [r["log_hv_difference"] for r in rows if r["problem"] == problem and r["method"] == method]
            gaps = [g if g is not None else -math.inf for g in gaps]
            print("%-24s %-14s %5d %14.3f" % (problem, method, len(gaps), statistics.median(gaps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
