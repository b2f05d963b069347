#!/usr/bin/env python3
"""Larder's drift scores beside Evidently's, on the same baseline and current data.

Generates one view whose features each show one kind of change (a shifted normal, a wider one,
a skewed one, counts, categories that shift or gain a value, and features that do not change),
materializes the baseline as snapshot 1 and the current data as snapshot 2, runs
`larder drift --baseline 1 --current 2 --json`, scores the same rows with Evidently's
ValueDrift (PSI, Jensen-Shannon, normed Wasserstein, and its default test), and scores them
with Larder's method on the exact values (numpy: the baseline's deciles as bins) to separate
what the sketches cost from what the binning changes.

Usage: compare.py --larder PATH --work DIR [--rows N] [--seed N] [--json FILE]
"""
import argparse, json, os, shutil, subprocess, sys

import numpy as np
import pandas as pd
from scipy import stats
from evidently import Report, Dataset, DataDefinition
from evidently.metrics import ValueDrift

# name → (type, baseline generator, current generator): each feature one kind of change.
def scenarios(rng, n):
    def choice(values, p):
        return lambda: rng.choice(values, n, p=p)
    return {
        "normal_shift":    ("float64", lambda: rng.normal(0, 1, n), lambda: rng.normal(0.25, 1, n)),
        "normal_small":    ("float64", lambda: rng.normal(0, 1, n), lambda: rng.normal(0.05, 1, n)),
        "normal_same":     ("float64", lambda: rng.normal(0, 1, n), lambda: rng.normal(0, 1, n)),
        "normal_wider":    ("float64", lambda: rng.normal(0, 1, n), lambda: rng.normal(0, 1.5, n)),
        "lognormal_shift": ("float64", lambda: rng.lognormal(0, 1, n), lambda: rng.lognormal(0.2, 1, n)),
        "counts":          ("int64", lambda: rng.poisson(5, n), lambda: rng.poisson(5.5, n)),
        "city":            ("string", choice(["a", "b", "c", "d"], [0.4, 0.3, 0.2, 0.1]),
                                      choice(["a", "b", "c", "d"], [0.3, 0.3, 0.25, 0.15])),
        "device":          ("string", choice(["ios", "android", "web"], [0.5, 0.4, 0.1]),
                                      choice(["ios", "android", "web"], [0.5, 0.4, 0.1])),
        "segment":         ("string", choice(["s1", "s2", "s3"], [0.5, 0.3, 0.2]),
                                      choice(["s1", "s2", "s3", "new"], [0.45, 0.28, 0.19, 0.08])),
    }

def write_repository(work, n, seed):
    rng = np.random.default_rng(seed)
    shapes = scenarios(rng, n)
    days = {}
    for day, side in (("2024-05-01", 1), ("2024-05-02", 2)):
        frame = pd.DataFrame({"driver_id": np.arange(n), "event_timestamp": f"{day}T10:00:00Z"})
        for name, (_, *generators) in shapes.items():
            frame[name] = generators[side - 1]()
        days[day] = frame
    pd.concat(days.values()).to_csv(os.path.join(work, "features.csv"), index=False, float_format="%.17g")
    features = "\n".join(f"      - {{name: {name}, type: {kind}}}" for name, (kind, *_) in shapes.items())
    with open(os.path.join(work, "features.yaml"), "w") as f:
        f.write(f"""entities: [{{name: driver, join_key: driver_id}}]
sources: [{{name: exported, csv: features.csv}}]
views:
  - name: drift
    entities: [driver]
    source: exported
    features:
{features}
""")
    return shapes, days["2024-05-01"], days["2024-05-02"]

def larder_scores(larder, work):
    def run(*args, ok=(0,)):
        done = subprocess.run([larder, *args], cwd=work, capture_output=True, text=True)
        if done.returncode not in ok:
            sys.exit(f"larder {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done.stdout
    run("apply")
    run("materialize", "2024-05-01", "2024-05-02")
    run("materialize", "2024-05-02", "2024-05-03")
    report = json.loads(run("drift", "--baseline", "1", "--current", "2", "--json", ok=(0, 3)))
    return {f["feature"]: f for f in report["features"]}

def evidently_scores(shapes, baseline, current):
    """Each feature's PSI, Jensen-Shannon and (numbers) normed Wasserstein by Evidently's
    ValueDrift, and its default test: the one Evidently picks when no method is given."""
    numeric = [name for name, (kind, *_) in shapes.items() if kind != "string"]
    categorical = [name for name, (kind, *_) in shapes.items() if kind == "string"]
    definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    asked = []  # (column, score name or "default"), in the order of the report's metrics
    for name in shapes:
        methods = ["psi", "jensenshannon"] + (["wasserstein"] if name in numeric else [])
        asked += [(name, method) for method in methods] + [(name, "default")]
    metrics = [ValueDrift(column=name) if method == "default" else ValueDrift(column=name, method=method) for name, method in asked]
    result = Report(metrics).run(Dataset.from_pandas(current[list(shapes)], data_definition=definition),
                                 Dataset.from_pandas(baseline[list(shapes)], data_definition=definition)).dict()
    names = {"psi": "psi", "jensenshannon": "jensen_shannon", "wasserstein": "wasserstein"}
    scores = {name: {} for name in shapes}
    for (column, method), metric in zip(asked, result["metrics"]):
        value = float(metric["value"])
        if method == "default":
            config = metric["config"]
            scores[column]["default"] = {"method": config["method"], "value": value, "drifts": value >= config["threshold"]}
        else:
            scores[column][names[method]] = value
    return scores

def exact_scores(kind, baseline, current):
    """Larder's method on every value: bins by the baseline's deciles (numbers) or by value."""
    floor = 0.0001
    if kind == "string":
        categories = sorted(set(baseline) | set(current))
        b = np.array([np.mean(baseline == c) for c in categories])
        c = np.array([np.mean(current == c) for c in categories])
    else:
        edges = np.unique(np.quantile(baseline, np.arange(1, 10) / 10, method="inverted_cdf"))
        def shares(values):
            ranks = np.searchsorted(np.sort(values), edges, side="right") / len(values)
            return np.diff(np.concatenate([[0], ranks, [1]]))
        b, c = shares(baseline), shares(current)
    bf, cf = np.maximum(b, floor), np.maximum(c, floor)
    psi = float(np.sum((cf - bf) * np.log(cf / bf)))
    m = (b + c) / 2
    def kl(p):
        mask = p > 0
        return np.sum(p[mask] * np.log(p[mask] / m[mask]))
    js = float(np.sqrt(max(0.0, (kl(b) + kl(c)) / 2)))
    wasserstein = None if kind == "string" else float(stats.wasserstein_distance(baseline, current) / np.std(baseline))
    return {"psi": psi, "jensen_shannon": js, "wasserstein": wasserstein}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--larder", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--rows", type=int, default=100_000, help="rows on each side")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the comparison as JSON to this file")
    options = parser.parse_args()
    shutil.rmtree(options.work, ignore_errors=True)
    os.makedirs(options.work)
    shapes, baseline, current = write_repository(options.work, options.rows, options.seed)
    larder = larder_scores(os.path.abspath(options.larder), options.work)
    evidently = evidently_scores(shapes, baseline, current)

    rows = []
    for name, (kind, *_) in shapes.items():
        mine, theirs = larder[name], evidently[name]
        exact = exact_scores(kind, baseline[name].to_numpy(), current[name].to_numpy())
        rows.append({"feature": name, "type": kind, "larder": {k: mine.get(k) for k in ("psi", "jensen_shannon", "wasserstein", "drifts")},
                     "exact": exact, "evidently": theirs})

    def cell(value):
        return "" if value is None else f"{value:.4f}"
    print(f"{options.rows:,} rows on each side; Larder from its stored sketches, 'exact' = Larder's method on every value, "
          f"Evidently {__import__('evidently').__version__} ValueDrift on the same rows.\n")
    header = ["feature", "PSI larder", "exact", "evidently", "JS larder", "exact", "evidently", "W larder", "exact", "evidently",
              "larder drifts", "evidently's test", "drifts"]
    table = [header]
    for row in rows:
        l, x, e = row["larder"], row["exact"], row["evidently"]
        default = e["default"]
        table.append([row["feature"], cell(l["psi"]), cell(x["psi"]), cell(e["psi"]),
                      cell(l["jensen_shannon"]), cell(x["jensen_shannon"]), cell(e["jensen_shannon"]),
                      cell(l["wasserstein"]), cell(x["wasserstein"]), cell(e.get("wasserstein")),
                      "yes" if l["drifts"] else "no", f"{default['method']} {default['value']:.4f}", "yes" if default["drifts"] else "no"])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for index, r in enumerate(table):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if index == 0:
            print("  ".join("-" * w for w in widths))
    if options.json:
        with open(options.json, "w") as f:
            json.dump({"rows": options.rows, "seed": options.seed, "features": rows}, f, indent=2)

if __name__ == "__main__":
    main()
