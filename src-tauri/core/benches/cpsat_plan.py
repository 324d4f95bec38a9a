"""OR-Tools CP-SAT model of the visit rotation, written from docs/DOMAIN.md's rules (not from the
Rust engine), for the planner quality benchmark (benches/plan_compare.rs).

    python3 cpsat_plan.py instance.json solution.json [seconds]

Hard rules: a cadre visits only linked villages, only on allowed days (visit weekdays, not on
leave), at most H households a day, at most N distinct visit days a month when they have "N
days a month"; a household at most K visits a calendar month and never two visits (recorded
or planned) less than G days apart. Soft goals, as a linear proxy of the app's evaluation
(coverage ≫ 必到 on time ≫ pairing > continuity ≈ locality > balance ≈ spread): the plan is
then scored by the app's own evaluation, so the proxy only steers the search.

Writes {"assignments": [[household, cadre, day], …], "status", "bestSeconds", "wallSeconds"}.
"""

import datetime as dt
import json
import sys
import time
from collections import defaultdict

from ortools.sat.python import cp_model


def main():
    inst = json.load(open(sys.argv[1], encoding="utf-8"))
    out = sys.argv[2]
    limit = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
    started = time.time()

    days = [dt.date.fromisoformat(d) for d in inst["days"]]
    start = dt.date.fromisoformat(inst["start"])
    end = dt.date.fromisoformat(inst["end"])
    T = len(days)
    G = inst["rules"]["minGapDays"]
    K = inst["rules"]["maxPerMonth"]
    H = inst["rules"]["perCadreDay"]
    hh = inst["households"]
    cadres = inst["cadres"]
    month = lambda d: (d.year, d.month)
    week = lambda d: d.isocalendar()[:2]

    m = cp_model.CpModel()
    x = {}
    by_h = defaultdict(list)
    by_ct = defaultdict(list)
    by_ht = defaultdict(list)
    for h, hd in enumerate(hh):
        hist = [dt.date.fromisoformat(d) for d in hd["history"]]
        for c, cd in enumerate(cadres):
            if hd["village"] not in cd["villages"]:
                continue
            for t in range(T):
                if not cd["allowed"][t]:
                    continue
                # 不扰民 against recorded visits.
                if any(abs((days[t] - r).days) < G for r in hist):
                    continue
                v = m.NewBoolVar(f"x{h}_{c}_{t}")
                x[h, c, t] = v
                by_h[h].append((c, t, v))
                by_ct[c, t].append((h, v))
                by_ht[h, t].append(v)

    # Capacity and visit days.
    used = {}
    for (c, t), vs in by_ct.items():
        y = m.NewBoolVar(f"y{c}_{t}")
        used[c, t] = y
        m.Add(sum(v for _, v in vs) <= H * y)
        for _, v in vs:
            m.AddImplication(v, y)
    for c, cd in enumerate(cadres):
        n = cd["daysPerMonth"]
        if n is None:
            continue
        months = defaultdict(list)
        for t in range(T):
            if (c, t) in used:
                months[month(days[t])].append(used[c, t])
        for ys in months.values():
            m.Add(sum(ys) <= n)

    # 不扰民 between planned visits: any G consecutive calendar days hold at most one visit;
    # at most K a month counting recorded visits.
    for h, hd in enumerate(hh):
        hist = [dt.date.fromisoformat(d) for d in hd["history"]]
        for t in range(T):
            window = [v for t2 in range(t, T) if (days[t2] - days[t]).days < G for v in by_ht.get((h, t2), [])]
            if len(window) > 1:
                m.Add(sum(window) <= 1)
        months = defaultdict(list)
        for c, t, v in by_h[h]:
            months[month(days[t])].append(v)
        for mk, vs in months.items():
            room = K - sum(1 for r in hist if month(r) == mk)
            m.Add(sum(vs) <= max(0, room))

    terms = []
    n_h = len(hh)
    # Coverage (a recorded visit inside the cycle already covers).
    for h, hd in enumerate(hh):
        hist = [dt.date.fromisoformat(d) for d in hd["history"]]
        if any(start <= r <= end for r in hist) or not by_h[h]:
            continue
        cov = m.NewBoolVar(f"cov{h}")
        m.Add(cov <= sum(v for _, _, v in by_h[h]))
        terms.append((round(100000 / n_h), cov))
    # 必到 on time: due N days after the last recorded visit; one never visited or already
    # overdue is due within the cycle's first week (重点户 first). Met by a visit on or
    # before the due date.
    dues = []
    for h, hd in enumerate(hh):
        n = hd["keyEvery"]
        if n is None:
            continue
        hist = [dt.date.fromisoformat(d) for d in hd["history"] if dt.date.fromisoformat(d) < start]
        # A cycle shorter than a week: due by its last day (first_due in problem.rs).
        due = min(start + dt.timedelta(days=6), end)
        if hist:
            due = max(max(hist) + dt.timedelta(days=n), due)
        if due <= end:
            dues.append((h, due))
    for h, due in dues:
        ok = m.NewBoolVar(f"due{h}")
        m.Add(ok <= sum(v for c, t, v in by_h[h] if days[t] <= due))
        terms.append((round(30000 / max(1, len(dues))), ok))
    # Paired by own cadre, previous cadre kept.
    paired = [h for h, hd in enumerate(hh) if hd["paired"] is not None]
    for h in paired:
        own = m.NewBoolVar(f"own{h}")
        m.Add(own <= sum(v for c, t, v in by_h[h] if c == hh[h]["paired"]))
        terms.append((round(5000 / max(1, len(paired))), own))
    prev = [h for h, hd in enumerate(hh) if hd["previous"] is not None and hd["village"] in cadres[hd["previous"]]["villages"]]
    for h in prev:
        keep = m.NewBoolVar(f"keep{h}")
        m.Add(keep <= sum(v for c, t, v in by_h[h] if c == hh[h]["previous"]))
        terms.append((round(2000 / max(1, len(prev))), keep))
    # Locality: a cadre-day in more than one village, and each extra 村民小组, cost.
    expected_days = max(1, n_h // H)
    for (c, t), vs in by_ct.items():
        villages = defaultdict(list)
        groups = defaultdict(list)
        for h, v in vs:
            villages[hh[h]["village"]].append(v)
            groups[hh[h]["group"]].append(v)
        if len(villages) > 1:
            zs = []
            for vv in villages.values():
                z = m.NewBoolVar("")
                for v in vv:
                    m.AddImplication(v, z)
                zs.append(z)
            multi = m.NewBoolVar("")
            m.Add(sum(zs) <= 1 + len(zs) * multi)
            terms.append((-round(2000 / expected_days), multi))
        gs = []
        for gv in groups.values():
            g = m.NewBoolVar("")
            for v in gv:
                m.AddImplication(v, g)
            gs.append(g)
        extra = m.NewIntVar(0, len(gs), "")
        m.Add(extra >= sum(gs) - used[c, t])
        terms.append((-round(1000 / expected_days), extra))
    # Balance: spread of utilisation (per mille of each cadre's capacity), max − min.
    utils = []
    for c, cd in enumerate(cadres):
        cap = cd["capacity"]
        if cap == 0:
            continue
        planned = sum(v for (h, cc, t), v in x.items() if cc == c)
        u = m.NewIntVar(0, 1000, f"u{c}")
        m.Add(u * cap <= planned * 1000)
        m.Add(u * cap > planned * 1000 - cap)
        utils.append(u)
    if utils:
        umax = m.NewIntVar(0, 1000, "umax")
        umin = m.NewIntVar(0, 1000, "umin")
        m.AddMaxEquality(umax, utils)
        m.AddMinEquality(umin, utils)
        terms.append((-1, umax))
        terms.append((1, umin))
    # Spread over the cycle: weekly visit counts, max − min.
    weeks = defaultdict(list)
    for (h, c, t), v in x.items():
        weeks[week(days[t])].append(v)
    if weeks:
        wk = [m.NewIntVar(0, n_h * 2, "") for _ in weeks]
        for w, vs in zip(wk, weeks.values()):
            m.Add(w == sum(vs))
        wmax = m.NewIntVar(0, n_h * 2, "")
        wmin = m.NewIntVar(0, n_h * 2, "")
        m.AddMaxEquality(wmax, wk)
        m.AddMinEquality(wmin, wk)
        scale = round(1000 * len(weeks) / max(1, n_h))
        terms.append((-scale, wmax))
        terms.append((scale, wmin))

    m.Maximize(sum(w * v for w, v in terms))

    class Progress(cp_model.CpSolverSolutionCallback):
        def __init__(self):
            super().__init__()
            self.best_at = 0.0

        def on_solution_callback(self):
            self.best_at = time.time() - started

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_search_workers = 2
    solver.parameters.random_seed = 1
    cb = Progress()
    status = solver.Solve(m, cb)
    assignments = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignments = [[h, c, t] for (h, c, t), v in x.items() if solver.Value(v)]
    json.dump(
        {
            "assignments": assignments,
            "status": solver.StatusName(status),
            "objective": solver.ObjectiveValue() if assignments else None,
            "bestSeconds": cb.best_at,
            "wallSeconds": time.time() - started,
            "variables": len(x),
        },
        open(out, "w", encoding="utf-8"),
    )
    print(f"CP-SAT {solver.StatusName(status)}: {len(assignments)} visits, best at {cb.best_at:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
