#!/usr/bin/env python3
"""Reference figures for the timing of korea-2024's decision, computed by pyAgrum.

    bench/bayes/install-peers.sh
    bench/.venv-bayes/bin/python bench/bayes/make_timing_fixture.py

Reads scenarios/korea-2024.toml itself (not statecraft's output) and builds the influence
diagram the way docs/bayes.md describes the mapping: one chance node per driver with a `prior`
or CPT rows, one decision node per decision, one utility node per (decision, driver) pair whose
table gives each option's utility in each state of the driver (0 for an option without a term).
Then, with pyAgrum's ShaferShenoyLIMIDInference:

- now: the decision observes what `observes` lists; the maximum expected utility, each option's
  expected utility (the decision forced by evidence) and the headline's probability under it;
- later: the decision also observes each driver it `awaits` (an informational arc); the maximum
  expected utility, the optimal policy (the option in each state), and the headline given each
  state under that policy;
- each option's expected utility given each state of the awaited driver (evidence on both);
- the thresholds: for each state x of the awaited driver, the probabilities of x (the other
  states in proportion) at which the best decide-now option changes, found by intersecting
  every pair of options' lines and keeping the intersections on the upper envelope.

Writes tests/fixtures/bayes/timing-korea-2024.json.
"""
import json
import os
import tomllib

import pyagrum as gum

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCENARIO = os.path.join(ROOT, "scenarios", "korea-2024.toml")
OUT = os.path.join(ROOT, "tests", "fixtures", "bayes", "timing-korea-2024.json")


def diagram(s, later):
    """The influence diagram of scenario `s`; with `later`, decisions also observe `awaits`."""
    idg = gum.InfluenceDiagram()
    drivers = [d for d in s["driver"] if "prior" in d or d.get("cpt")]
    for d in drivers:
        idg.addChanceNode(gum.LabelizedVariable(d["id"], d["name"], d["states"]))
    for dec in s["decision"]:
        idg.addDecisionNode(gum.LabelizedVariable(dec["id"], dec["name"], dec["options"]))
    for d in drivers:
        for p in d.get("parents", []):
            idg.addArc(p, d["id"])
    for dec in s["decision"]:
        seen = dec.get("observes", []) + (dec.get("awaits", []) if later else [])
        for o in seen:
            idg.addArc(o, dec["id"])
    for d in drivers:
        cpt = idg.cpt(d["id"])
        if not d.get("parents"):
            prior = d["prior"]["value"] if isinstance(d["prior"], dict) else d["prior"]
            cpt.fillWith(prior)
        else:
            for row in d["cpt"]:
                cpt[row["when"]] = row["p"]
    for dec in s["decision"]:
        drivers_used = []
        for u in dec["utility"]:
            if u["driver"] not in drivers_used:
                drivers_used.append(u["driver"])
        for drv in drivers_used:
            name = f"u_{dec['id']}_{drv}"
            idg.addUtilityNode(gum.LabelizedVariable(name, name, 1))
            idg.addArc(drv, name)
            idg.addArc(dec["id"], name)
            states = next(d["states"] for d in drivers if d["id"] == drv)
            table = idg.utility(name)
            for opt in dec["options"]:
                values = next((u["values"] for u in dec["utility"]
                               if u["option"] == opt and u["driver"] == drv), [0.0] * len(states))
                for st, v in zip(states, values):
                    table[{drv: st, dec["id"]: opt}] = v
    return idg


def solve(idg, evidence=None):
    ie = gum.ShaferShenoyLIMIDInference(idg)
    ie.setEvidence(evidence or {})
    ie.makeInference()
    return ie


def meu(ie):
    m = ie.MEU()
    return float(m["mean"]) if isinstance(m, dict) else float(m)


def main():
    with open(SCENARIO, "rb") as f:
        s = tomllib.load(f)
    dec = s["decision"][0]
    d_id, options = dec["id"], dec["options"]
    awaited = dec["awaits"][0]
    hd, hs = s["scenario"]["headline"].split(".")
    w_states = next(d["states"] for d in s["driver"] if d["id"] == awaited)

    now = diagram(s, later=False)
    later = diagram(s, later=True)
    ie_now = solve(now)
    out = {
        "generated_by": "bench/.venv-bayes/bin/python bench/bayes/make_timing_fixture.py",
        "pyagrum": gum.__version__,
        "decision": d_id,
        "awaits": awaited,
        "now": {"meu": meu(ie_now), "expected_utility": {}, "headline": {}},
    }
    for o in options:
        ie = solve(now, {d_id: o})
        out["now"]["expected_utility"][o] = meu(ie)
        out["now"]["headline"][o] = float(ie.posterior(hd)[{hd: hs}])

    ie_later = solve(later)
    policy = ie_later.optimalDecision(d_id)
    p_w = ie_now.posterior(awaited)
    rows = []
    for w in w_states:
        choice = max(options, key=lambda o: policy[{awaited: w, d_id: o}])
        ie = solve(later, {awaited: w})
        rows.append({"given": w, "probability": float(p_w[{awaited: w}]), "option": choice,
                     "headline": float(ie.posterior(hd)[{hd: hs}])})
    out["later"] = {"meu": meu(ie_later), "headline": float(ie_later.posterior(hd)[{hd: hs}]),
                    "policy": rows}
    out["value_of_waiting"] = out["later"]["meu"] - out["now"]["meu"]

    # E[U | w, d], by evidence on the awaited driver and the decision.
    eu = {w: {o: meu(solve(now, {awaited: w, d_id: o})) for o in options} for w in w_states}
    out["conditional_expected_utility"] = eu
    p = {w: float(p_w[{awaited: w}]) for w in w_states}
    # The law of total expectation ties them to the expected utilities above.
    for o in options:
        total = sum(p[w] * eu[w][o] for w in w_states)
        assert abs(total - out["now"]["expected_utility"][o]) < 1e-9, (o, total)

    thresholds = []
    for x in w_states:
        rest = 1.0 - p[x]
        other = {o: sum(p[w] / rest * eu[w][o] for w in w_states if w != x) for o in options}
        line = lambda o, t: t * eu[x][o] + (1 - t) * other[o]
        cands = []
        for i, a in enumerate(options):
            for b in options[i + 1:]:
                da, db = eu[x][a] - other[a], eu[x][b] - other[b]
                if da == db:
                    continue
                t = (other[b] - other[a]) / (da - db)
                if not 0 < t < 1:
                    continue
                top = max(line(o, t) for o in options)
                if abs(line(a, t) - top) < 1e-9 and abs(line(b, t) - top) < 1e-9:
                    eps = 1e-7
                    below = max(options, key=lambda o: line(o, t - eps))
                    above = max(options, key=lambda o: line(o, t + eps))
                    cands.append({"driver": awaited, "state": x, "now": p[x], "at": t,
                                  "below": below, "above": above})
        thresholds.extend(sorted(cands, key=lambda c: c["at"]))
    out["thresholds"] = thresholds

    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
