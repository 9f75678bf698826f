#!/usr/bin/python3
"""Optuna's TPE on boex-bench's unconstrained problems, for comparison at the same budgets.

Not part of the test suite. Needs Debian's python3-optuna (apt-get install python3-optuna).
Prints one JSON line per run (boex-bench's row format) to --output and a median-gap table, e.g.

    /usr/bin/python3 benchmarks/optuna_tpe.py --problem GoldsteinPrice,DixonPrice4,Rosenbrock4 --seeds 10

(Debian's interpreter: the one python3-optuna installs into.)

The problem definitions follow engine/problems.cpp (minimisation, known optima); budgets follow
boex-bench's defaults (30 evaluations for d <= 2, else 60) unless --budget is given.
"""
import argparse
import json
import math
import re
import statistics
import sys


def branin(x):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(x):
    return -sum(a * math.exp(-sum(A[j] * (x[j] - 1e-4 * P[j]) ** 2 for j in range(6)))
                for a, A, P in zip(HARTMANN_ALPHA, HARTMANN_A, HARTMANN_P))


def goldstein_price(x):
    x1, x2 = x
    a = 1 + (x1 + x2 + 1) ** 2 * (19 - 14 * x1 + 3 * x1 * x1 - 14 * x2 + 6 * x1 * x2 + 3 * x2 * x2)
    b = 30 + (2 * x1 - 3 * x2) ** 2 * (18 - 32 * x1 + 12 * x1 * x1 + 48 * x2 - 36 * x1 * x2 + 27 * x2 * x2)
    return a * b


def dixon_price(x):
    return (x[0] - 1) ** 2 + sum((i + 1) * (2 * x[i] ** 2 - x[i - 1]) ** 2 for i in range(1, len(x)))


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def make_problem(name):
    """(bounds, optimal value, function) of a problem name as boex-bench takes it."""
    fixed = {
        "Branin": ([(-5, 10), (0, 15)], 0.397887357729739, branin),
        "Hartmann6": ([(0, 1)] * 6, -3.32236801141551, hartmann6),
        "GoldsteinPrice": ([(-2, 2)] * 2, 3.0, goldstein_price),
    }
    if name in fixed:
        return fixed[name]
    m = re.fullmatch(r"(DixonPrice|Rosenbrock)([0-9]+)", name)
    if m:
        d = int(m.group(2))
        if m.group(1) == "DixonPrice":
            return [(-10, 10)] * d, 0.0, dixon_price
        return [(-5, 10)] * d, 0.0, rosenbrock
    raise SystemExit(f"optuna_tpe.py: unknown problem '{name}' (Branin, Hartmann6, GoldsteinPrice, DixonPrice<d>, Rosenbrock<d>)")


def run(optuna, name, seed, budget):
    bounds, optimum, f = make_problem(name)
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    curve, best = [], math.inf
    for _ in range(budget):
        trial = study.ask()
        x = [trial.suggest_float(f"x{j + 1}", lo, hi) for j, (lo, hi) in enumerate(bounds)]
        value = f(x)
        study.tell(trial, value)
        best = min(best, value)
        curve.append(best)
    return {"problem": name, "method": "optuna-tpe", "seed": seed, "n_init": 10, "budget": budget,
            "optimal_value": optimum, "best_curve": curve, "n_done": budget}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem", default="GoldsteinPrice,DixonPrice4,Rosenbrock4", help="comma-separated names")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0 .. N-1")
    parser.add_argument("--budget", type=int, default=0, help="evaluations per run (0: 30 for d <= 2, else 60)")
    parser.add_argument("--output", help="append one JSON line per run to this file")
    args = parser.parse_args()
    if args.seeds < 1 or args.budget < 0:
        parser.error("--seeds must be >= 1 and --budget >= 0")
    try:
        import optuna
    except ImportError:
        sys.exit("optuna_tpe.py: needs python3-optuna (apt-get install python3-optuna)")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    out = open(args.output, "a") if args.output else None
    print(f"{'problem':<26} {'method':<10} {'seeds':>5} {'budget':>6} {'median gap':>12} {'q1 gap':>12} {'q3 gap':>12}")
    for name in args.problem.split(","):
        bounds = make_problem(name)[0]
        budget = args.budget or (30 if len(bounds) <= 2 else 60)
        gaps = []
        for seed in range(args.seeds):
            row = run(optuna, name, seed, budget)
            gaps.append(row["best_curve"][-1] - row["optimal_value"])
            if out:
                out.write(json.dumps(row) + "\n")
        q1, med, q3 = statistics.quantiles(gaps, n=4, method="inclusive") if len(gaps) > 1 else (gaps[0],) * 3
        print(f"{name:<26} {'tpe':<10} {len(gaps):>5} {budget:>6} {med:>12.4g} {q1:>12.4g} {q3:>12.4g}")


if __name__ == "__main__":
    main()
