"""Several runs on one surface, in step: the race (issue 9), joined from each runner's part.

Each runner's part is made by live.run_part with its own rnnviz.parts.Runner: the main run as
a single run is drawn, each racer with its series and traces already named as its own and
styled in its colour and marker shape (never colour alone). Joining them is concatenation: one
"run" part that the plot animates as it animates one run. A racer that diverged has fewer
iterates; the browser holds its last finite iterate while the others go on (a series shorter
than the run keeps its last row). Whether a run diverged is read from the part's own
diverged_at, never from its wording.
"""

from rnnviz.panels.run_chart import current_iteration
from rnnviz.parts import finite_list
from rnnviz.racer_grammar import MAX_RACERS

Y_RANGED = ("gradient", "run")  # the panels whose y axis follows the runs


def race_part(runs):
    """One run part for runs [(part, label), ...]: the main run first, then up to MAX_RACERS
    racers, each part made with its runner (number 2, 3, ... in this order).

    Racers share the main run's data, start and length; each keeps its own iterates.
    """
    (main, main_label), racers = runs[0], runs[1:]
    if len(racers) > MAX_RACERS:
        raise ValueError(f"at most {MAX_RACERS} racers beside the main run")
    if not racers or not main["count"]:  # nothing to race against: the main run says why
        return main
    merged = {
        **main,
        "series": dict(main["series"]),
        "panels": {name: dict(panel) for name, panel in main["panels"].items()},
        "moving": list(main["moving"]),
        "readout": [f"{main_label}: " + main["readout"][0], *main["readout"][1:]],
        "notes": list(main["notes"]),
    }
    for panel in Y_RANGED:  # its own copy: the union of ranges is written into it below
        layout = merged["panels"][panel].get("layout", {})
        merged["panels"][panel]["layout"] = {axis: dict(value) for axis, value in layout.items()}
    ranged = [(main_label, main)]
    said = {}  # racer -> its notes
    for number, (part, label) in enumerate(racers, 2):
        if not part["count"]:
            merged["notes"].append(
                f"Racer {number} ({label}): no iterate: the cost overflows at the start."
            )
            continue
        merged["count"] = max(merged["count"], part["count"])
        merged["series"].update(part["series"])
        for panel, content in part["panels"].items():
            mine = merged["panels"].setdefault(panel, {"traces": []})
            mine["traces"] = mine["traces"] + content["traces"]
        merged["moving"] += part["moving"]
        merged["readout"] += part["readout"]
        ranged.append((label, part))
        said[label] = list(part["notes"])
    merged["panels"]["run"]["layout"]["xaxis"]["range"] = [0, max(merged["count"] - 1, 1)]
    kept = _set_y_ranges(merged, [part for _, part in ranged])
    for label, part in ranged[1:]:
        if part["diverged_at"] is not None and kept:
            said[label].append("the charts keep the range of the runs that did not diverge")
    # one line for each racer with something to say (three boxes pushed a projector's
    # figure below the fold)
    merged["notes"] += [
        f"{label}: " + "; ".join(note.rstrip(".") for note in notes) + "."
        for label, notes in said.items()
        if notes
    ]
    # the current-iteration line spans the joined run chart's range
    merged["panels"]["run"]["traces"] = [
        current_iteration(merged["panels"]["run"]["layout"]["yaxis"]["range"])
        if trace["uid"] == "current-iteration"
        else trace
        for trace in merged["panels"]["run"]["traces"]
    ]
    return merged


def _set_y_ranges(merged, parts):
    """The race's y axes: the union of the runs that did not diverge (a diverged racer reaches
    10^77 and would flatten every other curve into a line; its curve leaves the chart at the
    top, the gradient view marks its values beyond the axis, and a note says so); the union
    of all when every run diverged. Whether some run was left out of the ranges."""
    kept = [part for part in parts if part["diverged_at"] is None] or parts
    for panel in Y_RANGED:
        axis = merged["panels"][panel].get("layout", {}).get("yaxis")
        spans = [p["panels"][panel]["layout"]["yaxis"]["range"] for p in kept]
        if axis is not None and spans:
            axis["range"] = finite_list([min(s[0] for s in spans), max(s[1] for s in spans)])
    return len(kept) < len(parts)
