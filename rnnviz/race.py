"""Several runs on one surface, in step: the race (issue 9), built from live.run_part's parts.

The first run is drawn as live.py draws a single run (white path, steps coloured by length).
Each other racer's part is renamed (its series and trace ids get a prefix, so nothing clashes
and the browser still fills every moving trace by name), restyled in a colour and a marker
shape of its own (never colour alone), and merged: one "run" part that the plot animates as
it animates one run. A racer that diverged has fewer iterates; the browser holds its last
finite iterate while the others go on (static/live_plot.js clamps a series to its length).
"""

import copy
import re

from rnnviz.palette import RACER_DASHES, RACER_STYLES
from rnnviz.parts import finite_list

GEOMETRIC_FIELDS = ("scale", "scale_sign", "ratio", "ratio_sign")
SERIES_FIELDS = ("upto", "at_last", "where", "series")
DROPPED = {  # the single run's extras that would clutter a race: its shape line, its steps
    "gradient": ("shape",),
    "run": ("step-x", "step-rec", "current-iteration"),
    "surface": (),
}


def _rename(value, names, prefix):
    """value with every reference to a series in names given the prefix (and uids too)."""
    if isinstance(value, list):
        return [_rename(v, names, prefix) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key in SERIES_FIELDS + GEOMETRIC_FIELDS and isinstance(v, str) and v in names:
            out[key] = prefix + v
        else:
            out[key] = _rename(v, names, prefix)
    return out


def _prefixed(part, prefix):
    """A run part whose series and traces carry prefix, referring to each other as before."""
    names = set(part["series"])
    series = {}
    for name, spec in part["series"].items():
        spec = dict(spec)
        if isinstance(spec.get("mask"), str):
            spec["mask"] = prefix + spec["mask"]
        series[prefix + name] = spec
    panels = {}
    for panel, content in part["panels"].items():
        traces = [
            dict(_rename(trace, names, prefix), uid=prefix + trace["uid"])
            for trace in content["traces"]
            if trace["uid"] not in DROPPED[panel]
        ]
        panels[panel] = dict(content, traces=traces)
    moving = []
    for spec in part["moving"]:
        if spec["trace"] in DROPPED[spec["panel"]]:
            continue
        renamed = {}
        for field, value in spec.items():
            if field in ("trace", "edge") or (isinstance(value, str) and value in names):
                renamed[field] = prefix + value
            else:
                renamed[field] = _rename(value, names, prefix)
        moving.append(renamed)
    return dict(part, series=series, panels=panels, moving=moving)


def _styled(part, prefix, colour, symbol, label, dash):
    """The racer's traces in its colour and shape, named after it for the legends."""
    for trace in part["panels"]["surface"]["traces"]:
        uid = trace["uid"].removeprefix(prefix)
        if uid == "path":
            trace["name"] = label
            trace["line"] = dict(color=colour, width=2)
            trace["marker"] = dict(symbol=symbol, size=6, color=colour, line=dict(width=0.5))
        elif uid == "current-iterate":
            trace["marker"] = dict(
                symbol=symbol, size=16, color=colour, line=dict(width=1.5, color="white")
            )
        elif uid in ("start", "end"):
            trace["marker"] = dict(trace["marker"], color=colour)
            trace["name"] = f"{label}: {uid}"
            trace["showlegend"] = False
        elif uid == "sign-flips":
            trace["showlegend"] = False
        elif uid == "left-view":
            trace["text"] = [f"{label}: {text}" for text in trace["text"]]
            trace["showlegend"] = False
    for trace in part["panels"]["gradient"]["traces"]:
        if trace["uid"].removeprefix(prefix) == "gradient-now":
            trace["name"] = f"{label}: |dE/dS<sub>k</sub>|"
            trace["line"] = dict(color=colour, width=2)
            trace["marker"] = dict(trace["marker"], symbol=symbol)
    for trace in part["panels"]["run"]["traces"]:
        if trace["uid"].removeprefix(prefix) == "cost":
            trace["name"] = f"{label}: cost"
            trace["line"] = dict(color=colour, width=1.5, dash=dash)
    return part


def _union(ranges):
    return finite_list([min(r[0] for r in ranges), max(r[1] for r in ranges)])


def _diverged(part):
    return any(note.startswith("Diverged at") for note in part.get("notes", []))


def _y_ranges(part):
    """{panel: its y axis range} of a run part, for the panels whose axis follows the run."""
    ranges = {}
    for panel in ("gradient", "run"):
        layout = part["panels"][panel].get("layout", {})
        if "yaxis" in layout and "range" in layout["yaxis"]:
            ranges[panel] = layout["yaxis"]["range"]
    return ranges


def _set_y_ranges(merged, ranges):
    """The race's y axes: the union of the runs that did not diverge (a diverged racer reaches
    10^77 and would flatten every other curve into a line; its curve leaves the chart at the
    top, the gradient view marks its values beyond the axis, and a note says so); the union
    of all when every run diverged. Whether some run was left out of the ranges."""
    kept = [r for _, r, gone in ranges if not gone] or [r for _, r, _ in ranges]
    diverged_labels = [label for label, _, gone in ranges if gone]
    for panel in ("gradient", "run"):
        axis = merged["panels"][panel].get("layout", {}).get("yaxis")
        spans = [r[panel] for r in kept if panel in r]
        if axis is not None and spans:
            axis["range"] = _union(spans)
    return bool(diverged_labels) and len(kept) < len(ranges)


def race_part(runs):
    """One run part for runs [(part, label), ...]: the main run first, then up to three racers.

    Racers share the main run's data, start and length; each keeps its own iterates.
    """
    (main, main_label), racers = runs[0], runs[1:]
    if len(racers) > len(RACER_STYLES):
        raise ValueError(f"at most {len(RACER_STYLES)} racers beside the main run")
    merged = copy.deepcopy(main)
    if not racers or not main["count"]:  # nothing to race against: the main run says why
        return merged
    if merged["readout"]:
        merged["readout"] = [f"{main_label}: " + merged["readout"][0], *merged["readout"][1:]]
    styles = RACER_STYLES[: len(racers)]
    # each run's name, its axes' ranges, and whether it diverged
    ranges = [(main_label, _y_ranges(merged), _diverged(main))]
    said = {}  # racer -> its notes
    for k, ((part, label), (colour, symbol)) in enumerate(zip(racers, styles, strict=True), 2):
        if not part["count"]:
            merged["notes"].append(
                f"Racer {k} ({label}): no iterate: the cost overflows at the start."
            )
            continue
        prefix = f"r{k}_"
        racer = _prefixed(copy.deepcopy(part), prefix)
        racer = _styled(racer, prefix, colour, symbol, label, RACER_DASHES[k - 2])
        merged["count"] = max(merged["count"], racer["count"])
        merged["series"].update(racer["series"])
        for panel, content in racer["panels"].items():
            mine = merged["panels"].setdefault(panel, {"traces": []})
            mine["traces"] = mine["traces"] + content["traces"]
        ranges.append((label, _y_ranges(racer), _diverged(part)))
        merged["panels"]["run"]["layout"]["xaxis"]["range"] = [0, max(merged["count"] - 1, 1)]
        merged["moving"] += racer["moving"]
        line = (
            f"{label}: cost {{{prefix}cost:.4g}} | w = ({{{prefix}w_x:.4f}}, {{{prefix}w_rec:.4f}})"
        )
        if racer["count"] < merged["count"] or part.get("notes"):
            stopped = [n for n in part.get("notes", []) if n.startswith("Diverged at")]
            if stopped:
                at = re.search(r"iteration (\d+)", stopped[0]).group(1)
                line += f" | diverged at iteration {at}"
        merged["readout"].append(line)
        said[label] = list(part.get("notes", []))
    if _set_y_ranges(merged, ranges):
        for label, _, gone in ranges[1:]:
            if gone:
                said[label].append("the charts keep the range of the runs that did not diverge")
    # one line for each racer with something to say (three boxes pushed a projector's
    # figure below the fold)
    merged["notes"] += [
        f"{label}: " + "; ".join(note.rstrip(".") for note in notes) + "."
        for label, notes in said.items()
        if notes
    ]
    # the current-iteration line spans the merged run chart's range
    for trace in merged["panels"]["run"]["traces"]:
        if trace["uid"] == "current-iteration":
            lo, hi = merged["panels"]["run"]["layout"]["yaxis"]["range"]
            trace["y"] = [10.0**lo, 10.0**hi]
    return merged
