"""The offline page's lecture (issue 18): the run on the page and the seven stories, each as
the page would draw it, so a lecture runs from a file with no server (a USB stick).

Each scene is what the server would send for it: the plot's parts (by id: the stories share
their view), the stage (story, knobs, the run's settings) and the words above the figure. The
stories are computed here, by the page's own cached functions, at the page's display settings;
the browser switches between them for the stage's arrows and keys 1 to 7 (rnnviz/export.py),
and trains what a knob, a dragged start or a map's cell sets (static/preview.js).
"""

from dashboard import compute
from dashboard.controls import Controls
from dashboard.stage import stage_data
from rnnviz import naming, probe_points, racer_grammar, specs, stories


def story_controls(controls, story):
    """The Controls a story sets, shown as the page shows its own (presenter mode, the maps)."""
    told = stories.values(story)
    values = {
        **controls.values,
        **{key: value for key, value in told.items() if key in specs.SPECS},
    }
    ranges, notice = specs.surface_ranges(values)
    return Controls(
        values=values,
        racers=tuple(told[racer_grammar.RACERS_KEY]),
        probes=tuple(told[probe_points.PROBES_KEY]),
        trail=controls.trail,
        ranges=ranges,
        range_notice=notice,
    )


def scene(controls, parts, shown):
    """One scene: the plot's parts as {name: (id, value)}, its stage, and its words."""
    story, caption = shown
    title = story.title if caption is not None else controls.values["optimizer"]
    return {
        "parts": dict(parts),
        "stage": stage_data(controls, shown),
        "title": f"rnnviz: {title}",
        "caption": caption or "",
        "settings": "Settings: " + naming.settings_caption(controls.values, controls.racers),
    }


def story_scene(controls, story):
    """A story's scene, as the page draws it once the story is chosen."""
    told = story_controls(controls, story)
    parts = {
        "view": compute.view_part(told.surface, told.probes, told.valley, told.present),
        "run": compute.race_part(told.surface, told.race, told.probes, told.trail, told.present),
    }
    run, _ = compute.trajectory(told.data, told.race[0].settings)
    return scene(told, parts, (story, stories.caption(story, run, told.values)))


def lecture(controls, plot_parts, shown):
    """{"scenes": [...], "at": the scene shown first, "parts": {id: value}}: the run on the
    page first unless it is one of the stories (then that story's scene is the page's own),
    then the stories in their order (keys 1 to 7)."""
    story, caption = shown
    own = scene(controls, plot_parts, shown) if caption is not None else None
    scenes = [] if own else [scene(controls, plot_parts, (None, None))]
    for each in stories.STORIES:
        scenes.append(own if own and each is story else story_scene(controls, each))
    table = {}
    for each in scenes:
        table.update(each["parts"].values())
        each["parts"] = {name: part_id for name, (part_id, _) in each["parts"].items()}
    return {
        "scenes": scenes,
        "at": scenes.index(own) if own else 0,
        "parts": table,
        "first_story": len(scenes) - len(stories.STORIES),
    }
