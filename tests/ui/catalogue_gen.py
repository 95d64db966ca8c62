"""Generated catalogues of any size, for filter tests and the browser benchmark."""

from __future__ import annotations

import random

from stretchdesk.core.model import (
    POSITIONS,
    Breath,
    Catalogue,
    Kind,
    Level,
    Phase,
    Sides,
    Step,
    Stretch,
    TimeOfDay,
)

WORDS = (
    "reach",
    "arch",
    "fold",
    "twist",
    "lean",
    "breathe",
    "soften",
    "knee",
    "hip",
    "shoulder",
    "chest",
    "spine",
    "wall",
    "chair",
    "towel",
    "slowly",
    "gently",
    "curl",
    "press",
    "lift",
    "lower",
    "open",
    "side",
    "rest",
    "hold",
    "roll",
)


def generated_stretches(base: Catalogue, count: int, seed: int = 1) -> tuple[Stretch, ...]:
    """``count`` plausible stretches over ``base``'s taxonomy, the same for the same seed."""
    rng = random.Random(seed)
    areas = [a.id for a in base.areas]
    equipment = [e.id for e in base.equipment]
    poses = [step.pose for s in base.stretches for step in s.steps if step.pose]
    out = []
    for n in range(count):
        steps = tuple(
            Step(
                " ".join(rng.choices(WORDS, k=rng.randint(4, 9))).capitalize() + ".",
                rng.choice(poses) if poses else None,
            )
            for _ in range(rng.randint(1, 4))
        )
        held = rng.random() < 0.6
        sides = rng.choice([Sides.NONE, Sides.EACH] + ([] if held else [Sides.ALTERNATING]))
        out.append(
            Stretch(
                id=f"gen-{n}",
                name=" ".join(rng.choices(WORDS, k=rng.randint(2, 3))).title() + f" {n}",
                summary=" ".join(rng.choices(WORDS, k=8)),
                areas=tuple(rng.sample(areas, rng.randint(1, 3))),
                kind=rng.choice(list(Kind)),
                level=rng.choice(list(Level)),
                positions=tuple(rng.sample(POSITIONS, rng.randint(1, 2))),
                steps=steps,
                equipment=tuple(rng.sample(equipment, rng.choice([0, 0, 0, 1, 2]))),
                desk_friendly=rng.random() < 0.3,
                flare_safe=rng.random() < 0.4,
                sides=sides,
                hold_seconds=float(rng.choice([20, 30, 45, 60])) if held else None,
                reps=None if held else rng.randint(4, 12),
                sets=rng.randint(1, 3),
                tempo=()
                if held
                else (Phase(Breath.IN, 3.0, 0), Phase(Breath.OUT, 3.0, len(steps) - 1)),
                hold_step=len(steps) - 1,
                best_time=rng.choice(
                    [(TimeOfDay.MORNING,), (TimeOfDay.EVENING,), tuple(TimeOfDay)]
                ),
            )
        )
    return tuple(out)


def generated_catalogue(base: Catalogue, count: int, seed: int = 1) -> Catalogue:
    """A catalogue with ``base``'s taxonomy and ``count`` generated stretches."""
    return Catalogue(
        base.areas, base.equipment, base.advice, generated_stretches(base, count, seed)
    )
