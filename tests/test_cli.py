"""`python -m rnnviz` through subprocess, as a script or a lecturer's Makefile would call it."""

import json
import subprocess
import sys

import pytest

import rnnviz
from rnnviz import export, racer_grammar, specs, stories


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "rnnviz", *args], capture_output=True, text=True, cwd=cwd
    )


def test_run_writes_the_pages_run_as_json_to_the_last_bit(tmp_path):
    out = tmp_path / "run.json"
    done = cli("run", "?eta_p=1.5&eta_n=0.3&iterations=200", "--json", str(out))
    assert done.returncode == 0, done.stderr
    saved = export.read_run_json(out.read_text())
    values = specs.defaults() | {"eta_p": 1.5, "eta_n": 0.3, "iterations": 200}
    X, t = rnnviz.make_dataset()
    expected = rnnviz.run(X, t, specs.run_settings(values))
    assert saved.settings == specs.run_settings(values)
    assert export.same_run(saved.run, expected)
    assert (saved.X == X).all() and (saved.t == t).all()
    assert saved.controls["eta_p"] == 1.5 and saved.version == rnnviz.__version__
    assert done.stderr.strip().startswith("rprop (tutorial): 200 iterations, end (")


def test_a_story_and_standard_output():
    done = cli("run", "--story", "thrown")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["run"]["diverged_at"] == 3  # the story's gradient descent, thrown off
    assert document["controls"]["optimizer"] == "sgd"
    assert "diverged at iteration 3" in done.stderr
    values = stories.values(stories.BY_NAME["thrown"])
    assert document["settings"]["hyperparameters"] == {"learning_rate": values["learning_rate"]}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("run", "?eta_p=abc"), "eta_p=“abc” is not a number"),
        (("run", "?eta_p=7"), "outside"),
        (("run", "?bogus=1"), "unknown setting 'bogus'"),
        (("run", "--story", "nope"), "invalid choice: 'nope'"),
        (("fly",), "invalid choice: 'fly'"),
        ((), "required: command"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_code_2(args, says):
    done = cli(*args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and says in done.stderr, done.stderr
    assert done.stderr.startswith("rnnviz: ") and done.stdout == ""


def test_help_explains_every_option():
    done = cli("run", "--help")
    assert done.returncode == 0
    for option in ("query", "--story", "--json"):
        assert option in done.stdout
    assert "run" in cli("--help").stdout


def test_an_unwritable_path_is_one_line_not_a_traceback(tmp_path):
    done = cli("run", "--json", str(tmp_path / "missing" / "run.json"))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_run_saves_a_race_with_each_racers_iterates(tmp_path):
    out = tmp_path / "race.json"
    done = cli("run", "?iterations=50&racers=adam&racers=sgd%20clip=10", "--json", str(out))
    assert done.returncode == 0, done.stderr
    saved = export.read_run_json(out.read_text())
    values = specs.defaults() | {"iterations": 50}
    X, t = rnnviz.make_dataset()
    assert [racer.text for racer in saved.racers] == [
        racer_grammar.parse_racer("adam")[0],
        racer_grammar.parse_racer("sgd clip=10")[0],
    ]
    for racer in saved.racers:
        expected = rnnviz.run(X, t, racer_grammar.racer_settings(racer.text, values))
        assert export.same_run(racer.run, expected) and len(racer.run.weights) == 51


def test_the_pages_own_links_are_taken_with_their_story_frame_and_probes(tmp_path):
    from PIL import Image

    out = tmp_path / "frame.png"
    link = "?story=clipping&frame=76&probes=(1, 2)"  # what the page's copy link gives
    done = cli("png", link, "--size", "640x360", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "iterate 76 of" in done.stderr
    with Image.open(out) as picture:
        said = picture.text["rnnviz"]
    clipping = stories.values(stories.BY_NAME["clipping"])
    assert said.endswith(" frame=76") and "clip=" in said
    # the run is the story's: the same JSON as --story gives
    by_link = cli("run", "?story=clipping")
    by_flag = cli("run", "--story", "clipping")
    assert (
        by_link.stdout == by_flag.stdout
        and json.loads(by_link.stdout)["controls"]["clip"] == (clipping["clip"])
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("run", "?story=nope"), "is not a story"),
        (("run", "?story=twin", "--story", "clipping"), "disagree"),
        (("png", "?frame=last", "-o", "x.png"), "is not an iteration"),
    ],
)
def test_a_links_bad_story_or_frame_is_one_line(args, says):
    done = cli(*args)
    assert done.returncode == 2 and says in done.stderr and done.stderr.count("\n") == 1


def test_every_command_takes_the_pages_query_and_a_story_alike():
    from rnnviz.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert set(commands) == {"run", "gif", "mp4", "png"}
    for name, command in commands.items():
        arguments = {a.dest: a for a in command._actions}
        assert arguments["query"].nargs == "?" and arguments["query"].default == "", name
        assert arguments["story"].choices == list(stories.BY_NAME), name
        parsed = command.parse_args(
            ["?eta_p=1.5", "--story", "eta", "-o", "x"][: 3 + (name != "run") * 2]
        )
        assert parsed.query == "?eta_p=1.5" and parsed.story == "eta", name
