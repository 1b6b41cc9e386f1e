"""Exports in Chromium: the run's JSON downloads, and loads back into the page (issue 11)."""

import json

import pytest
from harness import slider_input, wait_settled

import rnnviz
from rnnviz import racer_grammar, specs

pytestmark = pytest.mark.e2e

# Where the current iterate's marker is drawn, relative to the plot's grid, in CSS pixels.
CURRENT_ITERATE_IN_GRID = """() => {
  const gd = document.querySelector('.lp-surface .lp-plot');
  const t = gd._fullData.find((d) => d.uid === 'current-iterate');
  const box = gd.getBoundingClientRect();
  const grid = document.querySelector('.lp-grid').getBoundingClientRect();
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  return [box.left - grid.left + xa._offset + xa.d2p(t.x[0]),
          box.top - grid.top + ya._offset + ya.d2p(t.y[0])];
}"""


def saved_run(dashboard, link, tmp_path):
    """(the file, its suggested name): the page at link, saved by its JSON button."""
    dashboard.open(link)
    with dashboard.page.expect_download() as download:
        dashboard.page.get_by_role("button", name="JSON (loads back)").click()
    path = tmp_path / "run.json"
    download.value.save_as(path)
    return path, download.value.suggested_filename


def load_into(dashboard, path):
    """Another run on screen, then path loaded into it: the page."""
    dashboard.open("?eta_p=1.9")
    dashboard.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    return dashboard.page


def test_a_downloaded_run_loads_back_with_its_settings_and_the_same_run(dashboard, tmp_path):
    link = "?eta_p=1.5&eta_n=0.3&iterations=200&racers=adam%20learning_rate=0.05"
    path, name = saved_run(dashboard, link, tmp_path)
    page = dashboard.page
    document = json.loads(path.read_text())
    assert document["controls"]["eta_p"] == 1.5 and len(document["run"]["weights"]) == 201
    (racer,) = document["racers"]
    assert racer["racer"].startswith("adam learning_rate=0.05")
    assert len(racer["run"]["weights"]) == 201
    assert name.endswith("-with-adam0.05.json")
    # another run on screen, then the file: its settings and its racer come back
    load_into(dashboard, path)
    said = "the run and its 1 racer are the file's to the last bit, all 402 iterates"
    page.get_by_text(said).wait_for(timeout=30_000)
    wait_settled(page)
    search = page.evaluate("location.search")
    assert "eta_p=1.5" in search and "eta_n=0.3" in search and "iterations=200" in search
    assert "racers=adam" in search
    assert slider_input(page, "eta_p").input_value() == "1.5"
    assert dashboard.errors == []


def test_a_long_race_saved_by_the_page_loads_back(dashboard, tmp_path):
    """Over a megabyte: 2000 iterations of four runs (Streamlit's upload cap was 1 MB)."""
    path, _ = saved_run(
        dashboard, "?iterations=2000&racers=adam&racers=rmsprop&racers=momentum", tmp_path
    )
    assert path.stat().st_size > 1e6  # the old cap refused it
    page = load_into(dashboard, path)
    said = "the run and its 3 racers are the file's to the last bit, all 8004 iterates"
    page.get_by_text(said).wait_for(timeout=60_000)
    assert dashboard.errors == []


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"controls": {"eta_p": "abc"}}, "eta_p=“abc” is not a number"),
        ({"controls": {"iterations": 10**12, "contours": "maybe"}}, "iterations"),
        ({"controls": "eta_p=1.5"}, "not a table of settings"),
        ({"racers": [{"racer": "<script>alert(1)</script>"}]}, "missing or malformed"),
        (
            {"settings": {"hyperparameters": {"eta_p": 1e308, "eta_n": 0.5, "delta0": 0.001}}},
            "own record of the run's settings disagrees with its controls",
        ),
        ({"data": {"X": [[1, 0], [1]], "t": [1, 1]}}, "malformed part (data)"),
    ],
    ids=[
        "a word for a number",
        "beyond the range",
        "controls not a table",
        "a bad racer",
        "settings against controls",
        "a ragged table",
    ],
)
def test_a_tampered_run_file_is_explained_and_the_page_goes_on(dashboard, tmp_path, change, says):
    """A hand-edited file: each bad value named in plain words, never a crash."""
    import rnnviz
    from rnnviz import export

    X, t = rnnviz.make_dataset()
    values = specs.defaults() | {"iterations": 20}
    settings = specs.run_settings(values)
    document = json.loads(
        export.run_json(rnnviz.run(X, t, settings), settings, values, X, t, "0.1.0")
    )
    for key, value in change.items():
        document[key] = value if not isinstance(value, dict) else document[key] | value
    bad = tmp_path / "edited.json"
    bad.write_text(json.dumps(document))
    dashboard.open()
    page = dashboard.page
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    page.get_by_text(says).first.wait_for(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    assert "encountered an error" not in page.locator("body").inner_text()
    # the page goes on: the plot still answers a key
    page.locator("h1").click()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => { const t = document.querySelector('.lp-iteration').innerText;"
        " const [a, b] = t.split('/').map((s) => parseInt(s)); return a === b && a > 0; }"
    )
    assert dashboard.errors == []


def test_a_file_that_is_not_a_run_is_explained(dashboard, tmp_path):
    dashboard.open()
    page = dashboard.page
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": "world"}')
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    page.get_by_text("not a run saved by rnnviz").wait_for(timeout=30_000)
    alerts = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    assert "Can't load notes.json" in alerts
    assert dashboard.errors == []


def frame_saved_by(dashboard, kind, tmp_path):
    """Iteration 40 saved by the plot's PNG or SVG button: (the grid's box, where the current
    iterate is drawn in it, the page's query, the file), its name checked."""
    dashboard.open("?frame=40")
    page = dashboard.page
    grid = page.locator(".lp-grid").bounding_box()
    at = page.evaluate(CURRENT_ITERATE_IN_GRID)
    search = page.evaluate("location.search") or "?"
    with page.expect_download() as download:
        page.get_by_role("button", name=kind, exact=True).click()
    path = tmp_path / f"frame.{kind.lower()}"
    download.value.save_as(path)
    name = download.value.suggested_filename
    assert name.startswith("rnnviz-rprop-tutorial") and name.endswith(f"-frame-40.{kind.lower()}")
    return grid, at, search, path


def test_the_png_button_saves_this_frame_at_twice_the_screens_pixels(dashboard, tmp_path):
    from PIL import Image

    grid, (x, y), search, path = frame_saved_by(dashboard, "PNG", tmp_path)
    with Image.open(path) as picture:
        # the settings inside: this view's link, at the iteration shown
        assert picture.text["rnnviz"] == f"rnnviz {rnnviz.__version__} {search} frame=40"
        image = picture.convert("RGB")
    assert image.size == (round(grid["width"] * 2), round(grid["height"] * 2))
    # the current iterate is the cyan hexagram (#00e5ff): at its centre, at twice the scale
    r, g, b = image.getpixel((round(2 * x), round(2 * y)))
    assert r < 60 and g > 190 and b > 220, (r, g, b)
    assert dashboard.errors == []


def test_the_gif_button_draws_the_race_in_the_background_with_a_progress_bar(dashboard, tmp_path):
    from harness import iteration_shown
    from PIL import Image

    import rnnviz
    from rnnviz import animation, surface_image
    from rnnviz.palette import RACER_STYLES

    # 500 frames at 1080p: long enough to watch; the clipped twin races the main run
    racer = "sgd learning_rate=0.002 clip=10"
    dashboard.open(f"?iterations=2000&racers={racer.replace(' ', '%20')}")
    page = dashboard.page
    page.get_by_role("radio", name="1080p").click()
    wait_settled(page)
    page.get_by_role("button", name="Make a GIF").click()
    progress = page.locator("[data-testid=stProgress]")
    progress.wait_for(timeout=20_000)
    assert "Drawing the GIF: frame" in page.locator("[data-testid=stProgress]").inner_text()
    # meanwhile the plot still answers its keys
    page.locator("h1").click()
    before = iteration_shown(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"() => parseInt(document.querySelector('.lp-iteration').innerText) === {before + 1}"
    )
    save = page.get_by_role("button", name="Save the GIF: 500 frames")
    save.wait_for(timeout=90_000)
    with page.expect_download() as download:
        save.click()
    path = tmp_path / "run.gif"
    download.value.save_as(path)
    name = download.value.suggested_filename
    assert name.startswith("rnnviz-rprop-tutorial") and name.endswith("-with-sgd0.002clip10.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == 500 and gif.size == (1920, 1080)
        assert "racers=sgd%20learning_rate=0.002%20clip=10" in gif.info["comment"].decode()
        gif.seek(20)
        picture = gif.convert("RGB")
    # the racer's square is in its colour where its run is at frame 20's iterate, placed as
    # the same layout places it (the surface's picture does not move the square)
    X, t = rnnviz.make_dataset()
    values = specs.defaults() | {"iterations": 2000}
    main = rnnviz.run(X, t, specs.run_settings(values))
    twin = rnnviz.run(X, t, racer_grammar.racer_settings(racer, values))
    layout = animation.Frames(
        surface_image.layer_of(X, t, (-3.0, 3.0, -3.0, 3.0), 20),
        animation.runners([(main, None, "main"), (twin, None, "twin")]),
        (1920, 1080),
    )
    i = animation.frame_indices(2001, 500)[20]
    x, y = layout.pixel_of(i, runner=1)
    pixel = picture.getpixel((round(x), round(y)))
    magenta = animation.rgb(RACER_STYLES[0][0])
    assert all(abs(a - b) < 40 for a, b in zip(pixel, magenta, strict=True)), pixel
    assert dashboard.errors == []


def test_the_svg_button_saves_this_frame_as_vector_graphics(dashboard, tmp_path):
    import xml.etree.ElementTree as ET

    grid, (x, y), search, path = frame_saved_by(dashboard, "SVG", tmp_path)
    page = dashboard.page
    ns = {"svg": "http://www.w3.org/2000/svg"}
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    assert float(root.get("width")) == pytest.approx(grid["width"])
    assert float(root.get("height")) == pytest.approx(grid["height"])
    assert root.find("svg:metadata", ns).text == f"rnnviz {rnnviz.__version__} {search} frame=40"
    panels = {p.get("class"): p for p in root.findall("svg:svg", ns)}
    assert set(panels) == {"lp-svg-surface", "lp-svg-gradient", "lp-svg-run"}
    ids = [node.get("id") for node in root.iter() if node.get("id")]
    assert len(ids) == len(set(ids))  # one panel's clip paths cannot clip another's
    # vector, not a picture of one: the current iterate is a path in the page's cyan, where
    # the page draws it (its translate plus the panel's place in the grid)
    surface = panels["lp-svg-surface"]
    parents = {child: parent for parent in surface.iter() for child in parent}

    def shift(node):
        """The sum of the translates of node and its groups up to the panel (plotly's SVG
        places things by translate only)."""
        x = y = 0.0
        while node is not surface:
            transform = node.get("transform") or ""
            if transform.startswith("translate("):
                dx, dy = transform[len("translate(") : transform.index(")")].split(",")
                x, y = x + float(dx), y + float(dy)
            node = parents[node]
        return x, y

    found = []
    for point in surface.iter("{http://www.w3.org/2000/svg}path"):
        if "fill: rgb(0, 229, 255)" in (point.get("style") or ""):
            px, py = shift(point)
            found.append((float(surface.get("x")) + px, float(surface.get("y")) + py))
    assert any(abs(px - x) < 1 and abs(py - y) < 1 for px, py in found), (found, (x, y))
    # the titles are text, and the axes' tick labels are text, not pixels
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert page.locator(".lp-surface .lp-title").inner_text() in texts
    plain = {t.replace("\u200b", "") for t in texts}  # plotly's <sub> leaves zero-width spaces
    assert {"wx", "wrec", "iteration", "cost"} <= plain
    assert dashboard.errors == []
