"""The catalogue loader: building the model, every kind of problem, merging, checking files."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from stretchdesk import resources
from stretchdesk.core import loader
from stretchdesk.core.loader import LoadResult, check_files, load_catalogue
from stretchdesk.core.model import (
    Advice,
    Area,
    Breath,
    Equipment,
    Kind,
    Level,
    Phase,
    Sides,
    Step,
    TimeOfDay,
)
from stretchdesk.core.yamlsafe import Problem

BUILTIN = """\
version: 1
areas:
  - {id: neck, name: Neck, view: both}
  - {id: lower-back, name: Lower back, view: back}
  - {id: hips, name: Hips, view: both}
equipment:
  - {id: foam-roller, name: Foam roller}
  - {id: chair, name: Chair}
advice:
  - id: no-bouncing
    title: Ease in, don't bounce
    text: Move slowly into the stretch and stay there.
    moments: [during-hold]
stretches:
  - id: childs-pose
    name: Child's Pose
    summary: Rest the lower back.
    areas: [lower-back, hips]
    kind: static
    position: floor
    hold_seconds: 30
    steps:
      - Kneel with your knees apart.
      - {text: Sit back on your heels and reach forward., pose: kneel-fold}
    advice: [no-bouncing]
    cautions: [Skip it if your knees hurt.]
  - id: cat-cow
    name: Cat-Cow
    summary: Move the spine with the breath.
    areas: [lower-back]
    kind: dynamic
    level: basic
    position: [floor, bed]
    equipment: []
    desk_friendly: false
    flare_safe: true
    sides: none
    reps: 6
    sets: 2
    tempo:
      - {breath: in, seconds: 3, step: 2, label: cow}
      - {breath: out, seconds: 2.5, step: 3}
    steps: [Come onto hands and knees., Arch your back., Round your back.]
    hold_step: 1
    tips: [Move slowly.]
    best_time: [morning]
"""

# A valid user stretch. In a user file written by ``user_problems`` its lines are:
# 2 id, 3 name, 4 summary, 5 areas, 6 kind, 7 position, 8 hold_seconds, 9 steps,
# and any extra fields from line 10 on. A value starts at column len(key) + 7.
BASE_FIELDS = {
    "id": "neck-glide",
    "name": "Neck Glide",
    "summary": "Glide the head straight back.",
    "areas": "[neck]",
    "kind": "static",
    "position": "seated",
    "hold_seconds": "10",
    "steps": "[Sit tall., Glide your head back.]",
}


def entry(**fields: str | None) -> str:
    """One stretch entry: BASE_FIELDS with ``fields`` changed (None removes a field)."""
    merged = {**BASE_FIELDS, **fields}
    lines = [f"{key}: {value}" for key, value in merged.items() if value is not None]
    return "  - " + "\n    ".join(lines) + "\n"


@pytest.fixture
def builtin(tmp_path: Path) -> Path:
    path = tmp_path / "stretches.yaml"
    path.write_text(BUILTIN)
    return path


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "stretches.d"
    folder.mkdir()
    return folder


def load_user(builtin: Path, user_dir: Path, text: str, name: str = "my.yaml") -> LoadResult:
    (user_dir / name).write_text(text)
    return load_catalogue(builtin, user_dir)


def where(problems: tuple[Problem, ...] | list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.column, p.path, p.message) for p in problems]


def user_problems(builtin: Path, user_dir: Path, *entries: str) -> list[tuple[int, int, str, str]]:
    result = load_user(builtin, user_dir, "stretches:\n" + "".join(entries))
    assert all(p.file == str(user_dir / "my.yaml") for p in result.problems)
    return where(result.problems)


# -- the happy path -------------------------------------------------------------------


def test_builtin_catalogue_loads_into_the_model(builtin):
    result = load_catalogue(builtin)
    assert result.problems == ()
    assert result.notices == ()
    catalogue = result.catalogue
    assert catalogue.areas == (
        Area("neck", "Neck", "both"),
        Area("lower-back", "Lower back", "back"),
        Area("hips", "Hips", "both"),
    )
    assert catalogue.equipment == (
        Equipment("foam-roller", "Foam roller"),
        Equipment("chair", "Chair"),
    )
    assert catalogue.advice == (
        Advice(
            "no-bouncing",
            "Ease in, don't bounce",
            "Move slowly into the stretch and stay there.",
            ("during-hold",),
        ),
    )
    assert [s.id for s in catalogue.stretches] == ["childs-pose", "cat-cow"]

    pose = catalogue["childs-pose"]
    assert pose.kind is Kind.STATIC and pose.level is Level.BASIC
    assert pose.positions == ("floor",)
    assert pose.hold_seconds == 30.0 and pose.reps is None and pose.sets == 1
    assert pose.steps == (
        Step("Kneel with your knees apart."),
        Step("Sit back on your heels and reach forward.", "kneel-fold"),
    )
    assert pose.hold_step == 1  # the last step by default, counted from 0
    assert pose.sides is Sides.NONE
    assert pose.equipment == () and pose.tips == ()
    assert pose.cautions == ("Skip it if your knees hurt.",)
    assert pose.advice == ("no-bouncing",)
    assert pose.best_time == (TimeOfDay.MORNING, TimeOfDay.EVENING)
    assert pose.source == str(builtin)
    assert pose.duration_seconds == 30

    cat_cow = catalogue["cat-cow"]
    assert cat_cow.kind is Kind.DYNAMIC
    assert cat_cow.positions == ("floor", "bed") and cat_cow.position == "floor"
    assert cat_cow.flare_safe is True and cat_cow.desk_friendly is False
    assert cat_cow.reps == 6 and cat_cow.sets == 2 and cat_cow.hold_seconds is None
    assert cat_cow.tempo == (
        Phase(Breath.IN, 3.0, 1, "cow"),
        Phase(Breath.OUT, 2.5, 2, ""),
    )
    assert cat_cow.hold_step == 0
    assert cat_cow.tips == ("Move slowly.",)
    assert cat_cow.best_time == (TimeOfDay.MORNING,)
    assert cat_cow.duration_seconds == 2 * 6 * 5.5


def test_the_real_builtin_catalogue_loads_without_problems():
    result = load_catalogue(resources.data_file("stretches.yaml"))
    assert [str(p) for p in result.problems] == []
    assert result.notices == ()
    assert len(result.catalogue) >= 10


def test_a_valid_user_file_adds_its_stretches(builtin, user_dir):
    result = load_user(builtin, user_dir, "version: 1\nstretches:\n" + entry())
    assert result.problems == () and result.notices == ()
    assert [s.id for s in result.catalogue.stretches] == ["childs-pose", "cat-cow", "neck-glide"]
    assert result.catalogue["neck-glide"].source == str(user_dir / "my.yaml")


def test_a_missing_user_folder_is_fine(builtin, tmp_path):
    result = load_catalogue(builtin, tmp_path / "nowhere")
    assert result.problems == () and len(result.catalogue) == 2


# -- every kind of problem, with its place and message ---------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"id": "Neck_Glide"},
            [
                (
                    2,
                    9,
                    "stretches[0].id",
                    "expected an id of lowercase letters, digits and hyphens that starts "
                    "with a letter, found the text 'Neck_Glide'",
                )
            ],
            id="bad-id",
        ),
        pytest.param(
            {"name": None},
            [(2, 5, "stretches[0]", "missing required field 'name'")],
            id="missing-field",
        ),
        pytest.param(
            {"position": "~"},
            [
                (
                    7,
                    15,
                    "stretches[0].position",
                    "expected a position, found nothing",
                )
            ],
            id="required-field-empty",
        ),
        pytest.param(
            {"steps": "~"},
            [
                (
                    9,
                    12,
                    "stretches[0].steps",
                    "expected a list of steps, found nothing",
                )
            ],
            id="steps-empty",
        ),
        pytest.param(
            {"steps": "[Sit tall., {text: ~}]"},
            [
                (
                    9,
                    31,
                    "stretches[0].steps[1].text",
                    "expected text, found nothing",
                )
            ],
            id="step-text-empty",
        ),
        pytest.param(
            {"name": "42"},
            [(3, 11, "stretches[0].name", "expected text, found 42")],
            id="number-for-text",
        ),
        pytest.param(
            {"summary": "''"},
            [(4, 14, "stretches[0].summary", "expected text, found empty text")],
            id="empty-text",
        ),
        pytest.param(
            {"areas": "[neck, lowerback]"},
            [
                (
                    5,
                    19,
                    "stretches[0].areas[1]",
                    "unknown body area 'lowerback'; did you mean 'lower-back'?",
                )
            ],
            id="unknown-area",
        ),
        pytest.param(
            {"areas": "[knees]"},
            [
                (
                    5,
                    13,
                    "stretches[0].areas[0]",
                    "unknown body area 'knees'; expected one of: neck, lower-back, hips",
                )
            ],
            id="unknown-area-no-guess",
        ),
        pytest.param(
            {"areas": "[]"},
            [
                (
                    5,
                    12,
                    "stretches[0].areas",
                    "expected a list of body areas with at least one item, found an empty list",
                )
            ],
            id="no-areas",
        ),
        pytest.param(
            {"areas": "[neck, neck]"},
            [(5, 19, "stretches[0].areas[1]", "'neck' is listed twice")],
            id="area-twice",
        ),
        pytest.param(
            {"areas": "neck"},
            [(5, 12, "stretches[0].areas", "expected a list of body areas, found the text 'neck'")],
            id="area-not-a-list",
        ),
        pytest.param(
            {"kind": "statik"},
            [(6, 11, "stretches[0].kind", "unknown kind 'statik'; did you mean 'static'?")],
            id="unknown-kind",
        ),
        pytest.param(
            {"position": "sofa"},
            [
                (
                    7,
                    15,
                    "stretches[0].position",
                    "unknown position 'sofa'; expected one of: floor, standing, seated, bed",
                )
            ],
            id="unknown-position",
        ),
        pytest.param(
            {"position": "[seated, Standing]"},
            [
                (
                    7,
                    24,
                    "stretches[0].position[1]",
                    "unknown position 'Standing'; did you mean 'standing'?",
                )
            ],
            id="unknown-position-in-list",
        ),
        pytest.param(
            {"hold_seconds": "thirty"},
            [
                (
                    8,
                    19,
                    "stretches[0].hold_seconds",
                    "expected a positive number, found the text 'thirty'",
                )
            ],
            id="text-for-number",
        ),
        pytest.param(
            {"hold_seconds": "true"},
            [(8, 19, "stretches[0].hold_seconds", "expected a positive number, found true")],
            id="bool-for-number",
        ),
        pytest.param(
            {"hold_seconds": "0"},
            [(8, 19, "stretches[0].hold_seconds", "expected a positive number, found 0")],
            id="zero-hold",
        ),
        pytest.param(
            {"hold_seconds": "-5"},
            [(8, 19, "stretches[0].hold_seconds", "expected a positive number, found -5")],
            id="negative-hold",
        ),
        pytest.param(
            {"hold_seconds": ".inf"},
            [(8, 19, "stretches[0].hold_seconds", "expected a positive number, found infinity")],
            id="infinite-hold",
        ),
        pytest.param(
            {"hold_seconds": "7200"},
            [(8, 19, "stretches[0].hold_seconds", "expected a number up to 3600, found 7200")],
            id="hold-too-long",
        ),
        pytest.param(
            {"hold_seconds": None},
            [(2, 5, "stretches[0]", "expected hold_seconds or reps, found neither")],
            id="neither-hold-nor-reps",
        ),
        pytest.param(
            {"reps": "5", "tempo": "[{breath: in, seconds: 2, step: 1}]"},
            [(10, 5, "stretches[0].reps", "expected either hold_seconds or reps, found both")],
            id="both-hold-and-reps",
        ),
        pytest.param(
            {"hold_seconds": None, "reps": "5"},
            [
                (
                    2,
                    5,
                    "stretches[0].tempo",
                    "expected a tempo (the phases of one repetition) with reps, found none",
                )
            ],
            id="reps-without-tempo",
        ),
        pytest.param(
            {"tempo": "[{breath: in, seconds: 2, step: 1}]"},
            [
                (
                    10,
                    5,
                    "stretches[0].tempo",
                    "expected no tempo with hold_seconds (a tempo paces reps), found one",
                )
            ],
            id="tempo-on-a-hold",
        ),
        pytest.param(
            {"hold_seconds": None, "reps": "0", "tempo": "[{breath: in, seconds: 2, step: 1}]"},
            [(9, 11, "stretches[0].reps", "expected a positive whole number, found 0")],
            id="zero-reps",
        ),
        pytest.param(
            {"sets": "2.5"},
            [(10, 11, "stretches[0].sets", "expected a positive whole number, found 2.5")],
            id="fractional-sets",
        ),
        pytest.param(
            {"steps": "[]"},
            [
                (
                    9,
                    12,
                    "stretches[0].steps",
                    "expected a list of steps with at least one item, found an empty list",
                )
            ],
            id="empty-steps",
        ),
        pytest.param(
            {"steps": None},
            [(2, 5, "stretches[0]", "missing required field 'steps'")],
            id="no-steps",
        ),
        pytest.param(
            {"steps": "[Sit tall., [nested]]"},
            [
                (
                    9,
                    24,
                    "stretches[0].steps[1]",
                    "expected a step: text, or a mapping with text and pose, found a list",
                )
            ],
            id="step-of-wrong-type",
        ),
        pytest.param(
            {"steps": "[{txt: Sit tall.}]"},
            [
                (9, 13, "stretches[0].steps[0]", "missing required field 'text'"),
                (9, 14, "stretches[0].steps[0].txt", "unknown field 'txt'; did you mean 'text'?"),
            ],
            id="step-misspelt-key",
        ),
        pytest.param(
            {"steps": "[{text: Sit tall., pose: Seated Upright}]"},
            [
                (
                    9,
                    37,
                    "stretches[0].steps[0].pose",
                    "expected a pose id: an id of lowercase letters, digits and hyphens that "
                    "starts with a letter, found the text 'Seated Upright'",
                )
            ],
            id="bad-pose-id",
        ),
        pytest.param(
            {"hold_step": "3"},
            [
                (
                    10,
                    16,
                    "stretches[0].hold_step",
                    "expected a step number from 1 to 2, found 3 (there are 2 steps)",
                )
            ],
            id="hold-step-out-of-range",
        ),
        pytest.param(
            {"hold_step": "0"},
            [(10, 16, "stretches[0].hold_step", "expected a positive whole number, found 0")],
            id="hold-step-zero",
        ),
        pytest.param(
            {
                "hold_seconds": None,
                "reps": "4",
                "tempo": "[{breath: in, seconds: 2, step: 1}, {breath: out, seconds: 2, step: 5}]",
            },
            [
                (
                    10,
                    80,
                    "stretches[0].tempo[1].step",
                    "expected a step number from 1 to 2, found 5 (there are 2 steps)",
                )
            ],
            id="phase-step-out-of-range",
        ),
        pytest.param(
            {"hold_seconds": None, "reps": "4", "tempo": "[{breath: inhale, seconds: 0, step: 1}]"},
            [
                (
                    10,
                    22,
                    "stretches[0].tempo[0].breath",
                    "unknown breath 'inhale'; expected one of: in, out, hold, natural",
                ),
                (10, 39, "stretches[0].tempo[0].seconds", "expected a positive number, found 0"),
            ],
            id="bad-phase",
        ),
        pytest.param(
            {"hold_seconds": None, "reps": "4", "tempo": "[{breath: in, step: 1}]"},
            [(10, 13, "stretches[0].tempo[0]", "missing required field 'seconds'")],
            id="phase-missing-seconds",
        ),
        pytest.param(
            {"hold_seconds": None, "reps": "4", "tempo": "[]"},
            [
                (
                    10,
                    12,
                    "stretches[0].tempo",
                    "expected a list of tempo phases with at least one item, found an empty list",
                )
            ],
            id="empty-tempo",
        ),
        pytest.param(
            {"level": "deep"},
            [(10, 12, "stretches[0].level", "unknown level 'deep'; did you mean 'deeper'?")],
            id="unknown-level",
        ),
        pytest.param(
            {"sides": "both"},
            [
                (
                    10,
                    12,
                    "stretches[0].sides",
                    "unknown sides value 'both'; expected one of: none, each, alternating",
                )
            ],
            id="unknown-sides",
        ),
        pytest.param(
            {"best_time": "[noon]"},
            [
                (
                    10,
                    17,
                    "stretches[0].best_time[0]",
                    "unknown time of day 'noon'; expected one of: morning, evening",
                )
            ],
            id="unknown-best-time",
        ),
        pytest.param(
            {"equipment": "[foamroller]"},
            [
                (
                    10,
                    17,
                    "stretches[0].equipment[0]",
                    "unknown equipment 'foamroller'; did you mean 'foam-roller'?",
                )
            ],
            id="unknown-equipment",
        ),
        pytest.param(
            {"optional_equipment": "[stool]"},
            [
                (
                    10,
                    26,
                    "stretches[0].optional_equipment[0]",
                    "unknown equipment 'stool'; expected one of: foam-roller, chair",
                )
            ],
            id="unknown-optional-equipment",
        ),
        pytest.param(
            {"advice": "[no-bounce]"},
            [
                (
                    10,
                    14,
                    "stretches[0].advice[0]",
                    "unknown advice 'no-bounce'; did you mean 'no-bouncing'?",
                )
            ],
            id="unknown-advice",
        ),
        pytest.param(
            {"desk_friendly": "yes please"},
            [
                (
                    10,
                    20,
                    "stretches[0].desk_friendly",
                    "expected true or false, found the text 'yes please'",
                )
            ],
            id="text-for-bool",
        ),
        pytest.param(
            {"tips": "[Relax., 3]"},
            [(10, 20, "stretches[0].tips[1]", "expected text, found 3")],
            id="number-in-tips",
        ),
        pytest.param(
            {"hold_second": "10"},
            [
                (
                    10,
                    5,
                    "stretches[0].hold_second",
                    "unknown field 'hold_second'; did you mean 'hold_seconds'?",
                )
            ],
            id="misspelt-key",
        ),
        pytest.param(
            {"colour": "red"},
            [(10, 5, "stretches[0].colour", "unknown field 'colour'")],
            id="unknown-key",
        ),
    ],
)
def test_each_problem_is_reported_where_it_is(builtin, user_dir, fields, expected):
    assert user_problems(builtin, user_dir, entry(**fields)) == expected
    # the broken stretch is left out; nothing else is lost
    result = load_catalogue(builtin, user_dir)
    assert "neck-glide" not in result.catalogue
    assert len(result.catalogue) == 2
    assert result.notices == ("my.yaml: 1 stretch skipped because of the problems listed",)


def test_every_problem_in_a_stretch_is_reported_not_just_the_first(builtin, user_dir):
    found = user_problems(
        builtin, user_dir, entry(id="X", areas="[nek]", kind="stretchy", hold_seconds="0")
    )
    assert [(line, path) for line, _, path, _ in found] == [
        (2, "stretches[0].id"),
        (5, "stretches[0].areas[0]"),
        (6, "stretches[0].kind"),
        (8, "stretches[0].hold_seconds"),
    ]


def test_duplicate_id_in_one_file_keeps_the_first(builtin, user_dir):
    found = user_problems(builtin, user_dir, entry(), entry(name="Another"))
    assert found == [
        (
            10,
            9,
            "stretches[1].id",
            "duplicate stretch id 'neck-glide'; already used by stretches[0].id on line 2",
        )
    ]
    assert load_catalogue(builtin, user_dir).catalogue["neck-glide"].name == "Neck Glide"


def test_an_entry_that_is_not_a_mapping(builtin, user_dir):
    found = user_problems(builtin, user_dir, "  - just some text\n", entry())
    assert found == [
        (
            2,
            5,
            "stretches[0]",
            "expected a stretch (a mapping with id, name, summary, ...), found the text "
            "'just some text'",
        )
    ]
    assert "neck-glide" in load_catalogue(builtin, user_dir).catalogue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "- a\n- b\n",
            [(1, 1, "", "expected a mapping with 'stretches', found a list")],
            id="top-level-list",
        ),
        pytest.param(
            "just text\n",
            [(1, 1, "", "expected a mapping with 'stretches', found the text 'just text'")],
            id="top-level-text",
        ),
        pytest.param(
            "",
            [(1, 1, "", "the file is empty; expected a mapping with 'stretches'")],
            id="empty-file",
        ),
        pytest.param(
            "version: 1\n",
            [(1, 1, "", "missing required field 'stretches'")],
            id="no-stretches",
        ),
        pytest.param(
            "stretches: {id: x}\n",
            [(1, 12, "stretches", "expected a list of stretches, found a mapping")],
            id="stretches-not-a-list",
        ),
        pytest.param(
            "version: 2\nstretches: []\n",
            [
                (
                    1,
                    10,
                    "version",
                    "expected version 1, found 2: the file was written for a newer StretchDesk",
                )
            ],
            id="newer-version",
        ),
        pytest.param(
            "version: one\nstretches: []\n",
            [(1, 10, "version", "expected version 1, found the text 'one'")],
            id="bad-version",
        ),
        pytest.param(
            "stretchs: []\n",
            [
                (1, 1, "stretchs", "unknown field 'stretchs'; did you mean 'stretches'?"),
                (1, 1, "", "missing required field 'stretches'"),
            ],
            id="misspelt-top-level-key",
        ),
        pytest.param(
            "areas: []\nstretches: []\n",
            [
                (
                    1,
                    1,
                    "areas",
                    "user files cannot define body areas; only the built-in catalogue does",
                )
            ],
            id="user-file-defines-areas",
        ),
    ],
)
def test_problems_with_the_whole_file(builtin, user_dir, text, expected):
    result = load_user(builtin, user_dir, text)
    assert where(result.problems) == expected
    assert len(result.catalogue) == 2


def test_builtin_problems_duplicates_and_bad_taxonomy(tmp_path):
    path = tmp_path / "stretches.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            areas:
              - {id: neck, name: Neck, view: both}
              - {id: neck, name: Neck again, view: front}
              - {id: hips, name: Hips, view: sideways}
            equipment:
              - {id: chair}
            advice:
              - {id: breathe, title: Breathe, text: Keep breathing., moments: [always]}
            stretches:
            """
        )
        + entry(areas="[neck, hips]")
        + entry()
    )
    result = load_catalogue(path)
    assert where(result.problems) == [
        (
            3,
            10,
            "areas[1].id",
            "duplicate body area id 'neck'; already used by areas[0].id on line 2",
        ),
        (
            4,
            34,
            "areas[2].view",
            "unknown view 'sideways'; expected one of: front, back, both",
        ),
        (6, 5, "equipment[0]", "missing required field 'name'"),
        (
            8,
            68,
            "advice[0].moments[0]",
            "unknown moment 'always'; expected one of: before-session, warm-up, during-hold, "
            "during-reps, on-pain, after-session, morning, evening, flare-up, progress",
        ),
        (13, 19, "stretches[0].areas[1]", "unknown body area 'hips'; expected one of: neck"),
        (
            18,
            9,
            "stretches[1].id",
            "duplicate stretch id 'neck-glide'; already used by stretches[0].id on line 10",
        ),
    ]
    assert [a.id for a in result.catalogue.areas] == ["neck"]
    assert result.catalogue.equipment == () and result.catalogue.advice == ()
    assert result.catalogue.stretches == ()
    assert result.notices == ("stretches.yaml: 2 stretches skipped because of the problems listed",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"areas: [\n", "not valid YAML: "),
        (b"- just\n- a list\n", "expected a mapping with 'areas' and 'stretches', found a list"),
        (b"\xff\xfe", "byte 0xff is not valid UTF-8"),
    ],
)
def test_an_unreadable_builtin_file_gives_an_empty_catalogue(tmp_path, user_dir, content, message):
    path = tmp_path / "stretches.yaml"
    path.write_bytes(content)
    (user_dir / "mine.yaml").write_text("stretches:\n" + entry())
    result = load_catalogue(path, user_dir)
    assert len(result.catalogue) == 0 and result.catalogue.areas == ()
    assert len(result.problems) == 1
    assert result.problems[0].file == str(path)
    assert message in result.problems[0].message
    assert result.notices == (
        "stretches.yaml: the built-in catalogue could not be read, so no stretches are available",
    )


def test_a_missing_builtin_file_gives_an_empty_catalogue(tmp_path):
    result = load_catalogue(tmp_path / "gone.yaml")
    assert len(result.catalogue) == 0
    assert where(result.problems) == [(1, 1, "", "cannot be read: No such file or directory")]


# -- merging user files -----------------------------------------------------------------


def test_a_user_stretch_replaces_the_builtin_one_in_place(builtin, user_dir):
    result = load_user(
        builtin, user_dir, "stretches:\n" + entry(id="childs-pose", name="My Child's Pose")
    )
    assert result.problems == ()
    assert result.notices == ("my.yaml: 'childs-pose' replaces the built-in stretch of that id",)
    assert [s.id for s in result.catalogue.stretches] == ["childs-pose", "cat-cow"]
    assert result.catalogue["childs-pose"].name == "My Child's Pose"


def test_later_user_files_replace_earlier_ones(builtin, user_dir):
    (user_dir / "b.yaml").write_text("stretches:\n" + entry(name="From B"))
    (user_dir / "a.yaml").write_text("stretches:\n" + entry(name="From A"))
    result = load_catalogue(builtin, user_dir)
    assert result.notices == ("b.yaml: 'neck-glide' replaces the one in a.yaml",)
    assert result.catalogue["neck-glide"].name == "From B"


def test_a_broken_user_file_is_skipped_and_the_others_load(builtin, user_dir):
    (user_dir / "a-broken.yaml").write_text("stretches:\n  - id: [oops\n")
    (user_dir / "b-good.yaml").write_text("stretches:\n" + entry())
    (user_dir / "c-half.yaml").write_text(
        "stretches:\n" + entry(id="one", kind="nope") + entry(id="two")
    )
    result = load_catalogue(builtin, user_dir)
    assert [s.id for s in result.catalogue.stretches] == [
        "childs-pose",
        "cat-cow",
        "neck-glide",
        "two",
    ]
    assert [(Path(p.file).name, p.line) for p in result.problems] == [
        ("a-broken.yaml", 3),
        ("c-half.yaml", 6),
    ]
    assert result.problems[0].message.startswith("not valid YAML: ")
    assert result.notices == (
        "a-broken.yaml: skipped, because it is not readable YAML",
        "c-half.yaml: 1 stretch skipped because of the problems listed",
    )


def test_user_files_are_never_modified(builtin, user_dir):
    files = {
        "broken.yaml": b"stretches:\n  - {id: x\n",
        "bad.yaml": ("stretches:\n" + entry(hold_seconds="-1")).encode(),
        "good.yaml": ("# mine\r\nstretches:\r\n" + entry(id="childs-pose")).encode(),
        "latin1.yaml": b"stretches: [caf\xe9]\n",
    }
    for name, content in files.items():
        (user_dir / name).write_bytes(content)
        os.utime(user_dir / name, (1_000_000_000, 1_000_000_000))
    load_catalogue(builtin, user_dir)
    check_files(sorted(user_dir.iterdir()), builtin)
    assert sorted(p.name for p in user_dir.iterdir()) == sorted(files)
    for name, content in files.items():
        assert (user_dir / name).read_bytes() == content
        assert (user_dir / name).stat().st_mtime == 1_000_000_000


def test_only_visible_yaml_files_are_read_in_name_order(builtin, user_dir):
    (user_dir / "notes.txt").write_text("not yaml at all: [")
    (user_dir / ".#draft.yaml").write_text("not yaml at all: [")
    (user_dir / "folder.yaml").mkdir()
    (user_dir / "z.yml").write_text("stretches:\n" + entry(id="from-yml"))
    (user_dir / "a.yaml").write_text("stretches:\n" + entry(id="from-yaml"))
    result = load_catalogue(builtin, user_dir)
    assert result.problems == ()
    assert [s.id for s in result.catalogue.stretches][2:] == ["from-yaml", "from-yml"]


# -- stretchdesk check ------------------------------------------------------------------


def test_check_files_reports_each_file_as_named(builtin, tmp_path, monkeypatch):
    good = tmp_path / "good.yaml"
    good.write_text("stretches:\n" + entry())
    bad = tmp_path / "bad.yaml"
    bad.write_text("stretches:\n" + entry(areas="[lowerback]"))
    monkeypatch.chdir(tmp_path)
    assert check_files([good], builtin) == []
    problems = check_files(["good.yaml", "bad.yaml"], builtin)
    assert [str(p) for p in problems] == [
        "bad.yaml:5:13: stretches[0].areas[0]: unknown body area 'lowerback'; "
        "did you mean 'lower-back'?"
    ]


def test_check_files_checks_the_builtin_file_as_a_full_catalogue(tmp_path):
    path = tmp_path / "stretches.yaml"
    path.write_text(BUILTIN.replace("hold_seconds: 30", "hold_seconds: 0"))
    problems = check_files([path], path)
    assert where(problems) == [
        (21, 19, "stretches[0].hold_seconds", "expected a positive number, found 0")
    ]
    assert check_files([tmp_path / "missing.yaml"], path)[0].message == (
        "cannot be read: No such file or directory"
    )


def test_check_files_reports_an_unusable_builtin_file(tmp_path):
    broken = tmp_path / "stretches.yaml"
    broken.write_text("areas: [")
    problems = check_files([], broken)
    assert len(problems) == 1 and problems[0].file == str(broken)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (1, 1, "", "the file is empty; expected a mapping with 'stretches' or 'routines'")),
        (
            "[1, 2]\n",
            (1, 1, "", "expected a mapping with 'stretches' or 'routines', found a list"),
        ),
        (
            "stretchs: []\n",
            (1, 1, "stretchs", "unknown field 'stretchs'; did you mean 'stretches'?"),
        ),
        (
            "colour: red\n",
            (1, 1, "", "expected a mapping with 'stretches' or 'routines', found none of them"),
        ),
    ],
)
def test_check_files_explains_files_it_cannot_place(builtin, tmp_path, text, expected):
    path = tmp_path / "what.yaml"
    path.write_text(text)
    assert where(check_files([path], builtin)) == [expected]


def test_check_files_dispatches_on_the_top_level_key(builtin, tmp_path, monkeypatch):
    seen = []

    def check_poses(document, filename, catalogue):
        seen.append((dict(document), filename, len(catalogue)))
        return [Problem(filename, 1, 1, "poses", "checked")]

    monkeypatch.setitem(loader._DOCUMENT_KINDS, "poses", check_poses)
    path = tmp_path / "poses.yaml"
    path.write_text("poses: {}\n")
    problems = check_files([str(path)], builtin)
    assert seen == [({"poses": {}}, str(path), 2)]
    assert where(problems) == [(1, 1, "poses", "checked")]
    assert "poses" in loader.document_kinds()


def test_check_files_hands_routine_files_to_the_routine_loader(builtin, tmp_path):
    path = tmp_path / "routines.yaml"
    path.write_text("routines: [1]\n")
    problems = check_files([path], builtin)
    assert problems and all(p.file == str(path) for p in problems)


# -- scale ----------------------------------------------------------------------------


def big_catalogue(count: int) -> str:
    """A built-in catalogue with ``count`` generated stretches, half holds and half reps."""
    base = yaml.safe_load(BUILTIN)
    templates = base["stretches"]
    base["stretches"] = [
        {**templates[i % 2], "id": f"stretch-{i}", "name": f"Stretch {i}"} for i in range(count)
    ]
    return yaml.dump(base, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)


def test_five_thousand_stretches_load_quickly(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(big_catalogue(5000))
    started = time.perf_counter()
    result = load_catalogue(path)
    elapsed = time.perf_counter() - started
    assert result.problems == ()
    assert len(result.catalogue) == 5000
    # The target is well under a second; the bound leaves room for a busy CI machine.
    assert elapsed < 5, f"{elapsed:.2f} s"
