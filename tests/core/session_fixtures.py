"""Stretches, catalogues and routines built in code, for the routine and engine tests."""

from __future__ import annotations

from stretchdesk.core.model import Breath, Catalogue, Kind, Level, Phase, Sides, Step, Stretch
from stretchdesk.core.routine import Routine, RoutineItem


def hold_stretch(
    stretch_id: str = "hold",
    *,
    hold: float = 30,
    sides: Sides = Sides.NONE,
    sets: int = 1,
    desk: bool = False,
    flare: bool = False,
) -> Stretch:
    return Stretch(
        id=stretch_id,
        name=stretch_id.replace("-", " ").title(),
        summary="A hold.",
        areas=("lower-back",),
        kind=Kind.STATIC,
        level=Level.BASIC,
        positions=("floor",),
        steps=(Step("Kneel."), Step("Sit back."), Step("Breathe and hold.")),
        sides=sides,
        hold_seconds=hold,
        sets=sets,
        hold_step=2,
        desk_friendly=desk,
        flare_safe=flare,
    )


def rep_stretch(
    stretch_id: str = "reps",
    *,
    reps: int = 3,
    sides: Sides = Sides.NONE,
    sets: int = 1,
    tempo: tuple[tuple[Breath, float], ...] = ((Breath.IN, 3), (Breath.OUT, 4)),
) -> Stretch:
    phases = tuple(
        Phase(breath, seconds, step=min(i + 1, 2), label=f"phase {i + 1}")
        for i, (breath, seconds) in enumerate(tempo)
    )
    return Stretch(
        id=stretch_id,
        name=stretch_id.replace("-", " ").title(),
        summary="A move.",
        areas=("lower-back",),
        kind=Kind.DYNAMIC,
        level=Level.BASIC,
        positions=("floor",),
        steps=(Step("Hands and knees."), Step("Arch."), Step("Round.")),
        sides=sides,
        reps=reps,
        sets=sets,
        tempo=phases,
        hold_step=0,
    )


def catalogue(*stretches: Stretch) -> Catalogue:
    return Catalogue(areas=(), equipment=(), advice=(), stretches=tuple(stretches))


def routine(
    *items: str | RoutineItem,
    prepare: float = 5,
    rest: float = 5,
    switch: float = 5,
    routine_id: str = "test-routine",
) -> Routine:
    return Routine(
        id=routine_id,
        name="Test routine",
        description="For tests.",
        items=tuple(RoutineItem(i) if isinstance(i, str) else i for i in items),
        prepare_seconds=prepare,
        rest_seconds=rest,
        switch_seconds=switch,
    )


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now
