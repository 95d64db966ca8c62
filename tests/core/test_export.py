"""The JSON shape scripts rely on, and human-readable durations."""

from __future__ import annotations

import json

from stretchdesk.core.export import format_duration, stretch_to_json
from stretchdesk.core.model import Breath, Kind, Level, Phase, Sides, Step, Stretch

REQUIRED = {
    "id",
    "name",
    "areas",
    "kind",
    "level",
    "position",
    "equipment",
    "desk_friendly",
    "flare_safe",
    "sides",
    "hold_seconds",
    "reps",
    "sets",
    "steps",
    "duration_seconds",
    "tips",
    "cautions",
}

CAT_COW = Stretch(
    id="cat-cow",
    name="Cat-Cow",
    summary="Round and arch the back with the breath.",
    areas=("upper-back", "lower-back"),
    kind=Kind.DYNAMIC,
    level=Level.BASIC,
    positions=("floor",),
    steps=(Step("Hands and knees.", "tabletop"), Step("Arch.", "cow"), Step("Round.", "cat")),
    reps=10,
    tempo=(Phase(Breath.IN, 3, 1, "cow"), Phase(Breath.OUT, 3, 2, "cat")),
    flare_safe=True,
)

BIRD_DOG = Stretch(
    id="bird-dog",
    name="Bird Dog",
    summary="Reach out opposite arm and leg.",
    areas=("core",),
    kind=Kind.STRENGTH,
    level=Level.BASIC,
    positions=("floor",),
    steps=(Step("Tabletop."), Step("Reach.")),
    sides=Sides.ALTERNATING,
    reps=5,
    sets=2,
    tempo=(Phase(Breath.OUT, 2, 1), Phase(Breath.HOLD, 2.5, 1), Phase(Breath.IN, 2, 0)),
)

KNEE = Stretch(
    id="knee-to-chest",
    name="Knee-to-Chest",
    summary="Hug one knee.",
    areas=("lower-back",),
    kind=Kind.STATIC,
    level=Level.BASIC,
    positions=("floor", "bed"),
    steps=(Step("Lie on your back."), Step("Hug one knee.")),
    sides=Sides.EACH,
    hold_seconds=20,
    hold_step=1,
)


def test_every_documented_key_is_present_and_serialisable():
    for stretch in (CAT_COW, BIRD_DOG, KNEE):
        data = stretch_to_json(stretch)
        assert data.keys() >= REQUIRED
        assert json.loads(json.dumps(data)) == data


def test_reps_and_tempo():
    data = stretch_to_json(CAT_COW)
    assert data["hold_seconds"] is None
    assert data["reps"] == 10
    assert data["duration_seconds"] == 60
    assert data["steps"] == ["Hands and knees.", "Arch.", "Round."]
    assert data["tempo"][0] == {"breath": "in", "seconds": 3, "step": 2, "label": "cow"}
    assert data["kind"] == "dynamic" and data["sides"] == "none"


def test_duration_counts_every_side_and_set():
    assert stretch_to_json(KNEE)["duration_seconds"] == 40
    assert stretch_to_json(KNEE)["position"] == "floor"
    assert stretch_to_json(KNEE)["positions"] == ["floor", "bed"]
    # 2 sets x 2 sides x 5 reps x 6.5 s
    assert stretch_to_json(BIRD_DOG)["duration_seconds"] == 130


def test_format_duration():
    assert format_duration(0) == "0 s"
    assert format_duration(45) == "45 s"
    assert format_duration(60) == "1 min"
    assert format_duration(150) == "2 min 30 s"
    assert format_duration(3600) == "1 h"
    assert format_duration(3900) == "1 h 5 min"
