import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import plotly
import pytest

import rnnviz
from dashboard import live_plot
from rnnviz import export, live, racer_grammar, specs, surface_image

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run():
    return rnnviz.train(*rnnviz.make_dataset(), rnnviz.rprop(), iterations=50)


def test_csv_round_trips_the_trajectory_exactly(run):
    text = export.trajectory_csv(run, {"optimizer": "rprop", "eta_p": 1.2})
    assert text.startswith("# optimizer=rprop\n# eta_p=1.2\n")  # every setting, first
    rows = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert len(rows) == 51 and tuple(rows[0]) == export.CSV_COLUMNS
    weights = np.array([[float(r["w_x"]), float(r["w_rec"])] for r in rows])
    np.testing.assert_array_equal(weights, run.weights)  # repr keeps every bit
    np.testing.assert_array_equal([float(r["cost"]) for r in rows], run.costs)
    assert float(rows[0]["step_size_x"]) == run.step_sizes[0, 0]
    assert [int(r["sign_flip_x"]) for r in rows[:-1]] == run.sign_flips[:, 0].astype(int).tolist()
    assert rows[-1]["step_size_x"] == "" and rows[-1]["sign_flip_x"] == ""


def test_csv_for_gradient_descent_has_no_step_sizes():
    gd = rnnviz.train(*rnnviz.make_dataset(), rnnviz.sgd(1e-7), iterations=3)
    rows = list(csv.DictReader(io.StringIO(export.trajectory_csv(gd))))
    assert [r["step_size_x"] for r in rows] == ["", "", "", ""]


def live_page(run, title="my run"):
    X, t = rnnviz.make_dataset()
    grid = surface_image.pixel_centres(-3, 3, 20)
    C = rnnviz.cost_surface(X, t, grid, grid)
    layer = surface_image.surface_layer(C, C, (-3, 3, -3, 3))
    gtt = rnnviz.gradient_through_time(X, t, run.weights[:, 0], run.weights[:, 1]).signed
    parts = {"view": live.view_part(layer, {}, None, 10), "run": live.run_part(run, gtt)}
    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    modules = live_plot.modules("loader.js", "live_plot.js")
    style = (ROOT / "static" / "live_plot.css").read_text()
    return parts, export.live_html(parts, plotly_js, modules, style, title=title)


def inline_json(page, element_id):
    return json.loads(re.search(rf'id="{element_id}">(.*?)</script>', page, re.S).group(1))


def relative_imports(text):
    """The modules a module imports, as static/loader.js links them: from "./name.js"."""
    return live_plot.IMPORT.findall(text)


def test_html_is_standalone_and_mounts_the_pages_own_plot_on_its_data(run):
    parts, page = live_page(run, title="my <run>")
    assert page.startswith("<!doctype html>") and "<title>my &lt;run&gt;</title>" in page
    assert "<script src=" not in page and "<link" not in page  # nothing to fetch: offline
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert len(scripts) == 4  # plotly.js, the data, the modules, the mount
    data = inline_json(page, "plot-data")
    assert {name: part["value"] for name, part in data["parts"].items()} == json.loads(
        json.dumps(parts)
    )
    assert "plotly.js v" in scripts[0][:300]
    # the page's own modules, every one of them, each as the file holds it
    modules = inline_json(page, "plot-modules")
    assert "export const mount" in modules["live_plot.js"]
    assert "export function linker" in modules["loader.js"]
    for name, text in modules.items():
        assert text == (ROOT / "static" / name).read_text()
        assert set(relative_imports(text)) <= set(modules), name  # nothing left to fetch
    assert {"series.js", "player.js", "mount.js"} <= set(modules)
    assert "map_plot.js" not in modules  # the page showed no maps


def test_html_with_maps_mounts_the_pages_map_module_with_its_imports(run):
    from rnnviz import batch, map_panels

    X, t = rnnviz.make_dataset()
    axis = surface_image.pixel_centres(-3, 3, 4)
    outcome = batch.basin_map(X, t, rnnviz.rprop(), axis, axis, 20, 1e-3)
    maps = {
        "basin": map_panels.panel_part(map_panels.map_panel("basin", outcome, "final cost"))[1],
        "marks": map_panels.marks_part({"basin": (-1.5, 2.0)})[1],
    }
    map_js = live_plot.map_script()
    # the maps share the plot's mount and clicks: the offline page links those imports too
    assert {"map_plot.js", "mount.js", "clicks.js"} <= set(map_js)
    parts, _ = live_page(run)
    page = export.live_html(parts, "", {}, "", maps=maps, map_js=map_js)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert len(scripts) == 6  # plotly.js, the data, the modules, the maps' data and modules, mount
    data = inline_json(page, "map-data")
    assert {name: part["value"] for name, part in data["parts"].items()} == json.loads(
        json.dumps(maps)
    )
    assert inline_json(page, "map-modules") == map_js
    assert '<div id="maps">' in page and "Where each choice leads" in page
    with pytest.raises(ValueError, match="modules"):
        export.live_html(parts, "", {}, "", maps=maps)


def test_no_module_text_can_end_its_script_element(run):
    """The modules are JSON inside <script>: a "</script" in one must not end the element."""
    parts, _ = live_page(run)
    page = export.live_html(parts, "", {"x.js": 'const s = "</script>";'}, "")
    assert inline_json(page, "plot-modules") == {"x.js": 'const s = "</script>";'}
    assert page.count("</script>") == page.count("<script")


def test_a_run_saved_as_json_loads_back_to_the_same_run_and_data():

    X, t = rnnviz.make_dataset(30, 12, 4)
    values = specs.defaults() | {"optimizer": "adam", "clip": 5.0, "n_samples": 30}
    settings = specs.run_settings(values)
    run = rnnviz.run(X, t, settings)
    text = export.run_json(run, settings, values, X, t, rnnviz.__version__)
    saved = export.read_run_json(text)
    assert saved.settings == settings and saved.controls == values
    assert export.same_run(saved.run, run)  # every float read back to the same bits
    assert export.same_run(rnnviz.run(saved.X, saved.t, saved.settings), run)
    assert saved.run.step_sizes is None and saved.run.sign_flips.dtype == bool


def test_a_diverged_run_round_trips_with_where_it_stopped():

    X, t = rnnviz.make_dataset()
    values = specs.defaults() | {"optimizer": "sgd", "learning_rate": 1e-6}
    settings = specs.run_settings(values)
    run = rnnviz.run(X, t, settings)
    saved = export.read_run_json(export.run_json(run, settings, values, X, t, "x"))
    assert saved.run.diverged_at == run.diverged_at == 3
    assert saved.run.divergence_reason == run.divergence_reason


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not JSON"),
        ('{"format": "something else"}', "not a run saved by rnnviz"),
        ('{"format": "rnnviz run", "format_version": 99}', "format version 99"),
        ('{"format": "rnnviz run", "format_version": 1, "settings": {}}', "missing or malformed"),
        (
            '{"format": "rnnviz run", "format_version": 1, "data": {"X": [[1, 0], [1]], "t": [1]}}',
            r"malformed part \(data\)$",  # a ragged table: in our words, not numpy's
        ),
    ],
)
def test_a_file_that_is_not_a_run_is_refused_in_plain_words(text, says):
    with pytest.raises(ValueError, match=says):
        export.read_run_json(text)


def test_the_version_is_the_projects():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert rnnviz.__version__ == project["project"]["version"]


def test_a_race_saved_as_json_keeps_each_racer_to_the_last_bit():

    X, t = rnnviz.make_dataset()
    values = specs.defaults() | {"iterations": 100}
    texts = ["sgd learning_rate=0.002 clip=10", "sgd learning_rate=0.002"]  # the twin
    racers = []
    for text in texts:
        settings = racer_grammar.racer_settings(text, values)
        racers.append(export.Racer(text, settings, rnnviz.run(X, t, settings)))
    main = specs.run_settings(values)
    text = export.run_json(rnnviz.run(X, t, main), main, values, X, t, "x", racers)
    saved = export.read_run_json(text)
    assert [racer.text for racer in saved.racers] == texts
    for racer, expected in zip(saved.racers, racers, strict=True):
        assert racer.settings == expected.settings
        # recomputed from the file's own settings and data: the file's run, every bit
        assert export.same_run(racer.run, rnnviz.run(saved.X, saved.t, racer.settings))
    assert saved.racers[1].run.diverged_at == 2 and saved.racers[0].run.diverged_at is None
    # a run saved before races (no "racers") still loads, with none
    document = json.loads(text)
    del document["racers"]
    assert export.read_run_json(json.dumps(document)).racers == ()


def test_html_tells_the_story_shown_and_only_the_runs_own_settings():
    """The offline page keeps the story's title and caption, and a settings line naming the
    run's own optimiser and hyper-parameters (an SGD run has no eta_p), its start and data."""
    from rnnviz import naming, stories

    story = stories.BY_NAME["clipping"]
    values = specs.defaults() | stories.values(story) | {"iterations": 30}
    X, t = rnnviz.make_dataset()
    run = rnnviz.run(X, t, specs.run_settings(values))
    caption = stories.caption(story, run, values)
    settings = "Settings: " + naming.settings_caption(values, ["adam learning_rate=0.05"])
    parts, _ = live_page(run)
    page = export.live_html(
        parts, "", {}, "", title=f"rnnviz: {story.title}", caption=caption, settings=settings
    )
    assert "<h1>rnnviz: Clipping saves it</h1>" in page
    (shown,) = re.findall(r'<p class="caption">(.*?)</p>', page, re.S)
    assert shown == caption.replace("&", "&amp;") and "clipped to a norm of 10" in shown
    (line,) = re.findall(r'<p class="settings">(.*?)</p>', page, re.S)
    assert line.startswith("Settings: sgd learning_rate=0.002 clip=10 · start (-1.5, 2)")
    assert "30 iterations" in line and "racing adam" in line
    for other in ("eta_p", "eta_n", "delta0", "momentum", "adam_lr", "beta", "seq_len"):
        assert other not in line, other


def test_html_without_a_story_has_no_caption_and_escapes_its_words(run):
    parts, _ = live_page(run)
    page = export.live_html(parts, "", {}, "", settings="Settings: <b>rprop</b>")
    assert '<p class="caption">' not in page
    assert '<p class="settings">Settings: &lt;b&gt;rprop&lt;/b&gt;</p>' in page
    page = export.live_html(parts, "", {}, "", caption="a <script>x</script> & y")
    assert '<p class="caption">a &lt;script&gt;x&lt;/script&gt; &amp; y</p>' in page
    assert page.count("</script>") == page.count("<script")
