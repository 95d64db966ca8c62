"""The catalogue's data model: frozen dataclasses the rest of the app trusts.

Nothing here parses or validates; :mod:`stretchdesk.core.loader` builds these
objects from YAML after checking every field. Code outside the loader may
assume every invariant documented here holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    STATIC = "static"  # get into position and hold
    DYNAMIC = "dynamic"  # move in and out of a stretch with the breath, in reps
    STRENGTH = "strength"  # controlled reps that build support (core, glutes)
    SELF_CARE = "self-care"  # foam rolling, a ball, heat, ice, a gentle walk


class Level(StrEnum):
    BASIC = "basic"
    DEEPER = "deeper"


class Sides(StrEnum):
    NONE = "none"  # symmetrical: done once per set
    EACH = "each"  # all of the left side, then all of the right side
    ALTERNATING = "alternating"  # reps alternate left, right, left, ...


class Breath(StrEnum):
    IN = "in"
    OUT = "out"
    HOLD = "hold"  # a short pause at the end of a movement, breathing on
    NATURAL = "natural"  # no particular breath for this phase


class TimeOfDay(StrEnum):
    MORNING = "morning"
    EVENING = "evening"


POSITIONS: tuple[str, ...] = ("floor", "standing", "seated", "bed")

DEFAULT_PREPARE_SECONDS = 5.0
DEFAULT_REST_SECONDS = 5.0
DEFAULT_SWITCH_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Area:
    """A body area of the fixed taxonomy (``neck``, ``lower-back``, ...)."""

    id: str
    name: str
    view: str  # "front", "back" or "both": where the body map draws it


@dataclass(frozen=True, slots=True)
class Equipment:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Advice:
    """General guidance (don't bounce, breathe, ...) shown at the right moment.

    ``moments`` says when: ``before-session``, ``warm-up``, ``during-hold``,
    ``during-reps``, ``on-pain``, ``after-session``, ``morning``, ``evening``,
    ``flare-up``, ``progress``.
    """

    id: str
    title: str
    text: str
    moments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """One instruction: a short imperative sentence and the pose that shows it."""

    text: str
    pose: str | None = None


@dataclass(frozen=True, slots=True)
class Phase:
    """One part of a repetition, e.g. "breathe in into cow" for 3 seconds.

    ``step`` is a 0-based index into the stretch's steps: the step the phase
    illustrates.
    """

    breath: Breath
    seconds: float
    step: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class Stretch:
    """One catalogue entry.

    Invariants (enforced by the loader): exactly one of ``hold_seconds`` and
    ``reps`` is set; ``reps`` comes with a non-empty ``tempo``; ``steps`` is
    non-empty; ``hold_step`` and every phase's ``step`` index into ``steps``;
    ``areas`` and ``equipment`` name known taxonomy ids; ``positions`` is
    non-empty and its first entry is the one the figure is drawn in.
    """

    id: str
    name: str
    summary: str
    areas: tuple[str, ...]
    kind: Kind
    level: Level
    positions: tuple[str, ...]
    steps: tuple[Step, ...]
    equipment: tuple[str, ...] = ()
    optional_equipment: tuple[str, ...] = ()
    desk_friendly: bool = False
    flare_safe: bool = False
    sides: Sides = Sides.NONE
    hold_seconds: float | None = None
    reps: int | None = None
    sets: int = 1
    tempo: tuple[Phase, ...] = ()
    hold_step: int = 0  # the step held during a hold; steps before it are set-up
    tips: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()  # ids of general Advice that applies here
    best_time: tuple[TimeOfDay, ...] = (TimeOfDay.MORNING, TimeOfDay.EVENING)
    source: str = ""  # the file it was loaded from (for messages)

    @property
    def position(self) -> str:
        return self.positions[0]

    @property
    def side_count(self) -> int:
        return 1 if self.sides is Sides.NONE else 2

    @property
    def rep_seconds(self) -> float:
        """Seconds one repetition takes (the sum of its tempo phases)."""
        return sum(p.seconds for p in self.tempo)

    @property
    def set_seconds(self) -> float:
        """Working seconds of one set on one side."""
        if self.hold_seconds is not None:
            return self.hold_seconds
        return (self.reps or 0) * self.rep_seconds

    @property
    def duration_seconds(self) -> float:
        """The full working time: every side and every set, without rests.

        For ``alternating`` sides, ``reps`` counts the reps on each side, so
        the move is done ``2 * reps`` times in all.
        """
        return self.sets * self.side_count * self.set_seconds

    @property
    def setup_steps(self) -> tuple[Step, ...]:
        return self.steps[: self.hold_step]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything loaded: taxonomy, advice and stretches, in file order."""

    areas: tuple[Area, ...]
    equipment: tuple[Equipment, ...]
    advice: tuple[Advice, ...]
    stretches: tuple[Stretch, ...]
    _by_id: dict[str, Stretch] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._by_id:
            self._by_id.update((s.id, s) for s in self.stretches)

    def get(self, stretch_id: str) -> Stretch | None:
        return self._by_id.get(stretch_id)

    def __getitem__(self, stretch_id: str) -> Stretch:
        return self._by_id[stretch_id]

    def __contains__(self, stretch_id: object) -> bool:
        return stretch_id in self._by_id

    def __len__(self) -> int:
        return len(self.stretches)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def advice_by_id(self, advice_id: str) -> Advice | None:
        return next((a for a in self.advice if a.id == advice_id), None)


@dataclass(frozen=True, slots=True)
class RoutineItem:
    """One stretch of a routine; ``None`` overrides keep the catalogue's value."""

    stretch_id: str
    hold_seconds: float | None = None
    sets: int | None = None
    reps: int | None = None
    sides: Sides | None = None


@dataclass(frozen=True, slots=True)
class Routine:
    """An ordered list of stretches and how to pace them.

    ``prepare_seconds`` is the time to get into position before each stretch;
    0 means the session waits until the user says they are ready.
    ``rest_seconds`` separates two stretches and ``switch_seconds`` two sides
    (or two sets) of the same stretch; 0 leaves the pause out.
    """

    id: str
    name: str
    description: str
    items: tuple[RoutineItem, ...]
    prepare_seconds: float = DEFAULT_PREPARE_SECONDS
    rest_seconds: float = DEFAULT_REST_SECONDS
    switch_seconds: float = DEFAULT_SWITCH_SECONDS
    source: str = ""  # the file it was loaded from (for messages)

    @property
    def waits_for_ready(self) -> bool:
        return self.prepare_seconds == 0

    @property
    def stretch_ids(self) -> tuple[str, ...]:
        return tuple(item.stretch_id for item in self.items)
