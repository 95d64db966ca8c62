"""Quick routines: "I have N minutes, and it hurts here".

:func:`quick_routine` builds a :class:`~stretchdesk.core.model.Routine` from the
body areas the user picked, a time budget, the time of day, a level and a
flare-up flag. It is pure and deterministic: the same catalogue and request
always give the same routine, and nothing random is involved.

How a routine is put together:

1. **Eligible stretches.** Only stretches that work at least one chosen area
   are targets. ``basic`` allows basic stretches only, ``deeper`` allows both
   levels and prefers the deeper ones; a flare-up allows flare-safe stretches
   only. Stretches that need equipment the user did not say they have (by
   default only household things: a wall, a chair, a desk, a doorway, a towel,
   a bed) are left out, and so are long self-care items (heat, ice, a walk)
   that are not moves for a short session.
2. **Choice.** Each chosen area gets its best stretch first (one that suits the
   time of day, the level, and works that area as its main one), then more
   stretches are added while they fit the budget at their usual length.
3. **Warm-up.** Static holds are never done cold. Dynamic moves among the
   chosen stretches warm up first (two in the morning, one otherwise); when
   there are none, a gentle dynamic move for a neighbouring area (cat-cow
   before a hamstring stretch, say) is added and named as a warm-up.
4. **Fit.** Holds, reps and sets are adjusted within sane bounds (see
   :func:`dose_ladder`) until the length that
   :func:`~stretchdesk.core.timeline.expand` computes, rests and getting into
   position included, is within a few percent of the budget. When even the
   longest sane doses fall short, a second round of the main stretches is
   added; when even the shortest are too long, the least important stretches
   are dropped.
5. **Order.** Warm-ups first, then the rest grouped by position so the user
   gets down to the floor once (in the morning the floor comes first, as the
   day starts there; otherwise it comes last, to end lying down). Within a
   position, dynamic moves come before strength work and holds, and basic
   before deeper.

Every chosen item carries a reason ("warm-up for the hips", "targets your
lower back", "gentle enough for a flare-up day"). When the request cannot be
met in full (no flare-safe stretch for an area, a budget longer than the
stretches available can sensibly fill) the result says so in ``notes``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from stretchdesk.core.model import (
    Catalogue,
    Kind,
    Level,
    Routine,
    RoutineItem,
    Stretch,
    TimeOfDay,
)
from stretchdesk.core.timeline import routine_duration
from stretchdesk.core.validate import unknown_message

#: What most homes and offices have; other equipment must be asked for.
HOUSEHOLD_EQUIPMENT: frozenset[str] = frozenset(
    {"wall", "chair", "desk", "doorway", "towel", "bed"}
)

#: How far from the budget a quick routine may end up (a fraction of it).
TOLERANCE = 0.10
#: How close the fitting aims, leaving room within :data:`TOLERANCE`.
_AIM = 0.04

MIN_MINUTES = 1.0
MAX_MINUTES = 120.0
#: The most times the main stretches are gone through when the budget is long.
MAX_ROUNDS = 2
#: About one stretch per this many seconds of budget, so time goes into stretching, not moving.
SECONDS_PER_ITEM = 90.0
#: A stretch whose usual working time is longer than this is not a quick-routine move.
MAX_ITEM_WORK_SECONDS = 180.0

#: Sane bounds for holds (seconds) by level; a flare-up day keeps them short.
HOLD_BOUNDS: dict[str, tuple[int, int]] = {"basic": (15, 60), "deeper": (20, 90), "flare": (10, 40)}
#: Sane bounds for reps (per side), and for sets.
MIN_REPS = 3
MAX_REPS = 20
MAX_SETS = 3
MAX_SETS_FLARE = 2
#: A second or third set is only worth it with at least this much in each.
_MIN_HOLD_FOR_SETS = 20
_MIN_REPS_FOR_SETS = 5
_HOLD_STEP = 5

#: Pacing: seconds to get into position, between stretches, and between sides.
PACING = (5.0, 5.0, 5.0)
PACING_FLARE = (8.0, 10.0, 5.0)

#: Areas next to each other, for choosing a warm-up when no chosen stretch is dynamic.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "neck": ("upper-back", "shoulders"),
    "shoulders": ("upper-back", "neck", "chest"),
    "upper-back": ("shoulders", "neck", "lower-back"),
    "lower-back": ("hips", "upper-back", "core"),
    "chest": ("shoulders", "upper-back"),
    "core": ("lower-back", "hips"),
    "side-body": ("lower-back", "upper-back", "hips"),
    "hips": ("lower-back", "glutes", "hip-flexors"),
    "hip-flexors": ("hips", "quads"),
    "glutes": ("hips", "lower-back"),
    "hamstrings": ("hips", "lower-back", "glutes"),
    "quads": ("hip-flexors", "hips"),
}

#: Position groups: lying on the floor or in bed counts as one.
_GROUP = {"floor": "floor", "bed": "floor", "seated": "seated", "standing": "standing"}
_GROUP_ORDER = {
    TimeOfDay.MORNING: ("floor", "seated", "standing"),
    TimeOfDay.EVENING: ("standing", "seated", "floor"),
    None: ("standing", "seated", "floor"),
}
_KIND_ORDER = {Kind.DYNAMIC: 0, Kind.STRENGTH: 1, Kind.SELF_CARE: 2, Kind.STATIC: 3}


class Role(StrEnum):
    WARM_UP = "warm-up"  # done first to warm up; may work an area next to the chosen ones
    TARGET = "target"  # works a chosen area


class QuickRoutineError(ValueError):
    """The request cannot give a routine; ``str(error)`` is a sentence for the user."""


@dataclass(frozen=True, slots=True)
class QuickRequest:
    """What the user asked for.

    ``areas`` are body-area ids (empty: any area). ``time_of_day`` ``None``
    means no preference. ``equipment`` is what the user has at hand.
    """

    minutes: float
    areas: tuple[str, ...] = ()
    time_of_day: TimeOfDay | None = None
    level: Level = Level.BASIC
    flare: bool = False
    equipment: frozenset[str] = HOUSEHOLD_EQUIPMENT

    @property
    def budget_seconds(self) -> float:
        return self.minutes * 60.0


@dataclass(frozen=True, slots=True)
class QuickChoice:
    """Why one item of a quick routine is there.

    ``areas`` are the chosen areas the stretch works (none for a warm-up of a
    neighbouring area); ``position`` is where it is done in this routine (a
    stretch that can be done seated or standing goes with its neighbours);
    ``round`` counts from 1.
    """

    stretch_id: str
    role: Role
    reason: str
    areas: tuple[str, ...]
    position: str
    round: int = 1


@dataclass(frozen=True, slots=True)
class QuickRoutine:
    """A generated routine, one :class:`QuickChoice` per item, and what could not be met."""

    routine: Routine
    choices: tuple[QuickChoice, ...]
    duration: float  # seconds, as expand() computes them
    budget: float  # seconds asked for
    notes: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        """Whether the length is within :data:`TOLERANCE` of the budget."""
        return abs(self.duration - self.budget) <= TOLERANCE * self.budget

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(choice.reason for choice in self.choices)


# --- doses ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Dose:
    """How much of a stretch: ``sets`` of ``amount`` (seconds held, or reps per side)."""

    sets: int
    amount: int


def _is_hold(stretch: Stretch) -> bool:
    return stretch.hold_seconds is not None


def dose_ladder(stretch: Stretch, request: QuickRequest) -> tuple[Dose, ...]:
    """Every sane dose of ``stretch`` for this request, by sets and then amount.

    Holds go in steps of 5 seconds within :data:`HOLD_BOUNDS` for the level
    (or the flare-up day); reps from half to twice the catalogue's number,
    within :data:`MIN_REPS` and :data:`MAX_REPS` (never more than the
    catalogue's on a flare-up day); up to :data:`MAX_SETS` sets when each set
    is long enough to be worth it. The catalogue's own dose is always included.
    """
    max_sets = MAX_SETS_FLARE if request.flare else MAX_SETS
    doses: set[Dose] = set()
    if _is_hold(stretch):
        key = "flare" if request.flare else str(request.level)
        lo, hi = HOLD_BOUNDS[key]
        amounts = list(range(lo, hi + 1, _HOLD_STEP))
        floor = _MIN_HOLD_FOR_SETS
        default = round(stretch.hold_seconds or lo)
    else:
        usual = stretch.reps or MIN_REPS
        lo = max(MIN_REPS, math.ceil(usual / 2))
        hi = usual if request.flare else max(lo, min(MAX_REPS, usual * 2))
        amounts = list(range(lo, hi + 1))
        floor = _MIN_REPS_FOR_SETS
        default = usual
    for sets in range(1, max_sets + 1):
        for amount in amounts:
            if sets == 1 or amount >= floor:
                doses.add(Dose(sets, amount))
    if lo <= default <= (hi if amounts else default) and stretch.sets <= max_sets:
        doses.add(Dose(stretch.sets, default))
    return tuple(sorted(doses))


def _item(stretch: Stretch, dose: Dose) -> RoutineItem:
    if _is_hold(stretch):
        return RoutineItem(stretch.id, hold_seconds=float(dose.amount), sets=dose.sets)
    return RoutineItem(stretch.id, reps=dose.amount, sets=dose.sets)


@functools.lru_cache(maxsize=16384)
def _item_seconds(
    stretch: Stretch, dose: Dose, prepare: float, rest: float, switch: float
) -> float:
    """Seconds of a one-item routine of ``stretch`` at ``dose``, as expand() times it."""
    probe = Routine("probe", "probe", "", (_item(stretch, dose),), prepare, rest, switch)
    return routine_duration(probe, Catalogue((), (), (), (stretch,)))


# --- the builder ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    """One item being fitted: its ladder (sorted by length) and the current rung."""

    stretch: Stretch
    role: Role
    areas: tuple[str, ...]  # chosen areas it works
    ladder: tuple[Dose, ...]
    costs: tuple[float, ...]  # seconds of each rung, prepare included, rest not
    preferred: int  # the rung it starts on
    weight: float  # how readily it grows (more than 1: preferred for this time of day)
    index: int = 0
    round: int = 1
    coverage: bool = False  # picked as the best stretch for an area (dropped last)
    warm_up_for: tuple[str, ...] = ()  # the areas a general warm-up prepares

    @property
    def cost(self) -> float:
        return self.costs[self.index]

    @property
    def growth(self) -> float:
        """How far this item has grown from where it started, weighted."""
        return self.costs[self.index] / self.costs[self.preferred] / self.weight


@dataclass(slots=True)
class _Builder:
    """Makes entries for one request and fits their doses to a budget."""

    request: QuickRequest
    prepare: float
    rest: float
    switch: float

    # -- costs --------------------------------------------------------------------------

    def item_cost(self, stretch: Stretch, dose: Dose) -> float:
        """Seconds one item takes in this routine, its prepare included (expand() decides)."""
        return _item_seconds(stretch, dose, self.prepare, self.rest, self.switch)

    def total(self, entries: Sequence[_Entry]) -> float:
        return sum(e.cost for e in entries) + self.rest * max(len(entries) - 1, 0)

    def entry(
        self,
        stretch: Stretch,
        role: Role,
        areas: tuple[str, ...],
        *,
        coverage: bool = False,
        round_no: int = 1,
        warm_up_for: tuple[str, ...] = (),
    ) -> _Entry:
        doses = dose_ladder(stretch, self.request)
        costs = [self.item_cost(stretch, d) for d in doses]
        order = sorted(range(len(doses)), key=lambda i: (costs[i], doses[i]))
        ladder = tuple(doses[i] for i in order)
        sorted_costs = tuple(costs[i] for i in order)
        wanted = self.item_cost(stretch, self.preferred_dose(stretch, ladder))
        preferred = min(range(len(ladder)), key=lambda i: (abs(sorted_costs[i] - wanted), i))
        return _Entry(
            stretch,
            role,
            areas,
            ladder,
            sorted_costs,
            preferred,
            self.weight(stretch),
            index=preferred,
            round=round_no,
            coverage=coverage,
            warm_up_for=warm_up_for,
        )

    def preferred_dose(self, stretch: Stretch, ladder: Sequence[Dose]) -> Dose:
        """The catalogue's dose, held longer in the evening or at the deeper level."""
        request = self.request
        if _is_hold(stretch):
            amount = stretch.hold_seconds or 0.0
            sets = stretch.sets
            if stretch.kind is Kind.STATIC and not request.flare:
                if request.time_of_day is TimeOfDay.EVENING:
                    amount *= 1.5
                if request.level is Level.DEEPER:
                    amount *= 1.25
            wanted = Dose(sets, int(round(amount / _HOLD_STEP) * _HOLD_STEP))
        else:
            wanted = Dose(stretch.sets, stretch.reps or MIN_REPS)
        return min(ladder, key=lambda d: (abs(d.sets - wanted.sets), abs(d.amount - wanted.amount)))

    def weight(self, stretch: Stretch) -> float:
        """Morning grows the moves, evening the holds; deeper stretches grow at that level."""
        weight = 1.0
        time = self.request.time_of_day
        if time is TimeOfDay.MORNING and stretch.kind is Kind.DYNAMIC:
            weight *= 1.5
        if time is TimeOfDay.EVENING and stretch.kind is Kind.STATIC:
            weight *= 1.5
        if self.request.level is Level.DEEPER and stretch.level is Level.DEEPER:
            weight *= 1.25
        return weight

    # -- fitting ------------------------------------------------------------------------

    def tune(self, entries: list[_Entry], budget: float) -> float:
        """Move the entries' rungs until the total is within :data:`_AIM` of ``budget``.

        Grows the item that has grown least (weighted) or shrinks the one that
        has grown most, one rung at a time; keeps the closest total seen.
        """
        low, high = budget * (1 - _AIM), budget * (1 + _AIM)
        best_total = self.total(entries)
        best = [e.index for e in entries]
        limit = sum(len(e.ladder) for e in entries) * 2 + 10
        for _ in range(limit):
            total = self.total(entries)
            if abs(total - budget) < abs(best_total - budget):
                best_total, best = total, [e.index for e in entries]
            if low <= total <= high:
                break
            if total < low:
                growable = [e for e in entries if e.index < len(e.ladder) - 1]
                if not growable:
                    break
                pick = min(growable, key=lambda e: (e.growth, e.round, entries.index(e)))
                pick.index += 1
            else:
                shrinkable = [e for e in entries if e.index > 0]
                if not shrinkable:
                    break
                pick = max(shrinkable, key=lambda e: (e.growth, e.round, -entries.index(e)))
                pick.index -= 1
        for entry, index in zip(entries, best, strict=True):
            entry.index = index
        return self.total(entries)


def _area_words(area_ids: Iterable[str], catalogue: Catalogue) -> str:
    """``lower back``, ``lower back and hips``, ``neck, shoulders and upper back``."""
    names = []
    for area_id in area_ids:
        area = catalogue.area(area_id)
        names.append(area.name.lower() if area is not None else area_id.replace("-", " "))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _check_request(catalogue: Catalogue, request: QuickRequest) -> tuple[str, ...]:
    minutes = request.minutes
    if not (isinstance(minutes, int | float) and math.isfinite(minutes)):
        raise QuickRoutineError("the time must be a number of minutes")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise QuickRoutineError(
            f"the time must be between {MIN_MINUTES:g} and {MAX_MINUTES:g} minutes"
        )
    known = [a.id for a in catalogue.areas]
    for area in request.areas:
        if area not in known:
            raise QuickRoutineError(unknown_message("body area", area, known))
    selected = tuple(dict.fromkeys(request.areas)) or tuple(known)
    return selected


def _eligible(stretch: Stretch, request: QuickRequest) -> bool:
    if request.flare and not stretch.flare_safe:
        return False
    if request.level is Level.BASIC and stretch.level is not Level.BASIC:
        return False
    if not set(stretch.equipment) <= request.equipment:
        return False
    return stretch.duration_seconds <= MAX_ITEM_WORK_SECONDS


def _rank_key(stretch: Stretch, index: int, request: QuickRequest, selected: Sequence[str]):
    """Sort key for target stretches, best first."""
    time = request.time_of_day
    fits_time = time is None or time in stretch.best_time
    kind_rank = 0 if stretch.kind in (Kind.STATIC, Kind.DYNAMIC) else 1
    if time is TimeOfDay.MORNING and stretch.kind is Kind.DYNAMIC:
        kind_rank = -1
    if time is TimeOfDay.EVENING and stretch.kind is Kind.STATIC:
        kind_rank = -1
    level_rank = 0
    if request.level is Level.DEEPER and stretch.level is not Level.DEEPER:
        level_rank = 1
    primary = 0 if stretch.areas[0] in selected else 1
    coverage = len(set(stretch.areas) & set(selected))
    return (not fits_time, kind_rank, level_rank, primary, -coverage, index)


def _coverage_order(
    ranked: Sequence[Stretch], selected: Sequence[str]
) -> list[tuple[Stretch, bool]]:
    """The best stretch for each area in turn, then the rest in rank order."""
    picked: list[tuple[Stretch, bool]] = []
    taken: set[str] = set()
    covered: set[str] = set()
    for area in selected:
        if area in covered:
            continue
        best = next((s for s in ranked if area in s.areas and s.id not in taken), None)
        if best is None:
            continue
        picked.append((best, True))
        taken.add(best.id)
        covered.update(best.areas)
    picked.extend((s, False) for s in ranked if s.id not in taken)
    return picked


def _is_warm_up_move(stretch: Stretch) -> bool:
    return stretch.kind is Kind.DYNAMIC and stretch.level is Level.BASIC


def _general_warm_up(
    pool: Sequence[Stretch], chosen_ids: set[str], selected: Sequence[str], request: QuickRequest
) -> tuple[Stretch, tuple[str, ...]] | None:
    """A gentle dynamic move for an area next to the chosen ones, and the areas it warms."""
    near = [n for area in selected for n in NEIGHBOURS.get(area, ())]
    near = list(dict.fromkeys(n for n in near if n not in selected)) or list(selected)
    order = _GROUP_ORDER[request.time_of_day]
    best: tuple[tuple, Stretch, tuple[str, ...]] | None = None
    for index, stretch in enumerate(pool):
        if stretch.id in chosen_ids or not _is_warm_up_move(stretch):
            continue
        warms = tuple(a for a in near if a in stretch.areas)
        if not warms:
            continue
        fits_time = request.time_of_day is None or request.time_of_day in stretch.best_time
        key = (
            not fits_time,
            -len(warms),
            order.index(_group(stretch.position)),
            stretch.duration_seconds,
            index,
        )
        if best is None or key < best[0]:
            best = (key, stretch, warms)
    return None if best is None else (best[1], best[2])


def _group(position: str) -> str:
    return _GROUP.get(position, "floor")


def _positions(entries: Sequence[_Entry]) -> dict[str, str]:
    """Where each stretch is done: a stretch with a choice goes with the single-position ones."""
    fixed = {_group(e.stretch.position) for e in entries if len(e.stretch.positions) == 1}
    where: dict[str, str] = {}
    for entry in entries:
        options = entry.stretch.positions
        chosen = next((p for p in options if _group(p) in fixed), options[0])
        where[entry.stretch.id] = chosen
    return where


def _ordered(
    warm_ups: list[_Entry], main: list[_Entry], where: dict[str, str], time: TimeOfDay | None
) -> list[_Entry]:
    """Warm-ups first, then the main stretches grouped by position (see the module doc)."""

    def key(entry: _Entry, order: Sequence[str]) -> tuple:
        s = entry.stretch
        group = order.index(_group(where[s.id]))
        return (entry.round, group, _KIND_ORDER[s.kind], s.level is Level.DEEPER, entry.cost)

    order = _GROUP_ORDER[time]
    warm_sorted = sorted(warm_ups, key=lambda e: key(e, order))
    if warm_sorted:  # carry on where the warm-ups left off, then the usual order
        last = _group(where[warm_sorted[-1].stretch.id])
        order = (last, *(g for g in order if g != last))
    return warm_sorted + sorted(main, key=lambda e: key(e, order))


def _reason(entry: _Entry, request: QuickRequest, catalogue: Catalogue) -> str:
    stretch = entry.stretch
    if entry.role is Role.WARM_UP:
        if entry.areas:
            text = f"warm-up for your {_area_words(entry.areas, catalogue)}"
        else:
            text = f"warm-up for the {_area_words(entry.warm_up_for, catalogue)}"
        if request.time_of_day is TimeOfDay.MORNING:
            text = "morning mobility: " + text
    else:
        words = _area_words(entry.areas, catalogue)
        if stretch.level is Level.DEEPER:
            text = f"a deeper stretch that targets your {words}"
        else:
            text = f"targets your {words}"
        if entry.round > 1:
            text = "second round: " + text if entry.round == 2 else f"round {entry.round}: " + text
        elif (
            request.time_of_day is TimeOfDay.EVENING
            and stretch.kind is Kind.STATIC
            and not request.flare
        ):
            text += ", held longer in the evening"
    if request.flare:
        text += "; gentle enough for a flare-up day"
    return text


def _routine_id(request: QuickRequest, selected: Sequence[str]) -> str:
    """``quick-lower-back-hips``; at most three areas are named."""
    if not request.areas:
        return "quick-whole-body"
    return "quick-" + "-".join(selected[:3]) + ("-and-more" if len(selected) > 3 else "")


def _routine_title(request: QuickRequest, selected: Sequence[str], catalogue: Catalogue) -> str:
    """``lower back and hips``, ``neck, shoulders and 4 more areas``, ``whole body``."""
    if not request.areas:
        return "whole body"
    if len(selected) <= 3:
        return _area_words(selected, catalogue)
    named = _area_words(selected[:2], catalogue).replace(" and ", ", ")
    return f"{named} and {len(selected) - 2} more areas"


def _describe(request: QuickRequest) -> str:
    parts = [f"Built for {request.minutes:g} minutes"]
    if request.time_of_day is not None:
        parts.append(f"in the {request.time_of_day}")
    text = " ".join(parts) + f", {request.level} level"
    if request.flare:
        text += ", on a flare-up day (flare-safe stretches only)"
    return text + "."


def quick_routine(catalogue: Catalogue, request: QuickRequest) -> QuickRoutine:
    """A routine for the request; see the module documentation for how it is built.

    Raises :class:`QuickRoutineError` for an unknown area, a time out of
    range (:data:`MIN_MINUTES` to :data:`MAX_MINUTES`), or when no eligible
    stretch works any chosen area.
    """
    selected = _check_request(catalogue, request)
    prepare, rest, switch = PACING_FLARE if request.flare else PACING
    builder = _Builder(request, prepare, rest, switch)
    budget = request.budget_seconds

    pool = [s for s in catalogue.stretches if _eligible(s, request)]
    targets = [s for s in pool if set(s.areas) & set(selected)]
    notes: list[str] = []
    what = "flare-safe stretch" if request.flare else "suitable stretch"
    missing = [a for a in selected if not any(a in s.areas for s in targets)]
    if not targets:
        raise QuickRoutineError(
            f"No {what} works the {_area_words(selected, catalogue)}"
            + (
                ". On a flare-up day, rest, ice or a gentle walk may help more."
                if request.flare
                else " with the equipment you have."
            )
        )
    if missing and request.areas:
        notes.append(
            f"No {what} works the {_area_words(missing, catalogue)}, so this routine leaves "
            f"{'it' if len(missing) == 1 else 'them'} out."
        )
    index = {s.id: i for i, s in enumerate(catalogue.stretches)}
    ranked = sorted(targets, key=lambda s: _rank_key(s, index[s.id], request, selected))

    def areas_of(stretch: Stretch) -> tuple[str, ...]:
        return tuple(a for a in selected if a in stretch.areas)

    # 2. choose the main stretches at their preferred length
    main: list[_Entry] = []
    most = max(2, math.ceil(budget / SECONDS_PER_ITEM))
    for stretch, coverage in _coverage_order(ranked, selected):
        if len(main) >= most:
            break
        entry = builder.entry(stretch, Role.TARGET, areas_of(stretch), coverage=coverage)
        if builder.total([*main, entry]) <= budget or not main:
            main.append(entry)

    # 3. warm-ups: the chosen dynamic moves, or a named one for a neighbouring area
    wanted_warm_ups = 2 if request.time_of_day is TimeOfDay.MORNING else 1
    warm_ups: list[_Entry] = []
    order = _GROUP_ORDER[request.time_of_day]
    movers = sorted(
        (e for e in main if _is_warm_up_move(e.stretch)),
        key=lambda e: (order.index(_group(e.stretch.position)), main.index(e)),
    )
    for entry in movers:  # warm-ups in one position, so the user moves once after them
        room = len(main) - len(warm_ups) > 1  # keep at least one target
        same_place = not warm_ups or _group(entry.stretch.position) == _group(
            warm_ups[0].stretch.position
        )
        if room and same_place and len(warm_ups) < wanted_warm_ups:
            entry.role = Role.WARM_UP
            warm_ups.append(entry)
    main = [e for e in main if e.role is Role.TARGET]
    needs_warm_up = any(e.stretch.kind is not Kind.DYNAMIC for e in main)
    if not warm_ups and needs_warm_up:
        general = _general_warm_up(pool, {e.stretch.id for e in main}, selected, request)
        if general is not None:
            stretch, warms = general
            warm_ups.append(builder.entry(stretch, Role.WARM_UP, (), warm_up_for=warms))
            while (
                builder.total(warm_ups + main) > budget
                and len(main) > 1
                and any(not e.coverage for e in main)
            ):
                main.remove(next(e for e in reversed(main) if not e.coverage))

    # 4. fit the doses; add a round when too short, drop stretches when too long
    entries = warm_ups + main
    total = builder.tune(entries, budget)
    rounds = 1
    while total < budget * (1 - _AIM) and rounds < MAX_ROUNDS and main:
        rounds += 1
        for entry in main:
            if entry.round == 1:
                extra = builder.entry(entry.stretch, Role.TARGET, entry.areas, round_no=rounds)
                extra.index = 0
                entries.append(extra)
        total = builder.tune(entries, budget)
    while total > budget * (1 + _AIM) and len(entries) > 1:
        droppable = [e for e in entries if e.role is Role.TARGET]
        if len(droppable) > 1:
            victim = max(droppable, key=lambda e: (e.round, not e.coverage, entries.index(e)))
        else:
            victim = next((e for e in entries if e.role is Role.WARM_UP), droppable[0])
        entries.remove(victim)
        total = builder.tune(entries, budget)

    final_main = [e for e in entries if e.role is Role.TARGET]
    final_warm = [e for e in entries if e.role is Role.WARM_UP]
    where = _positions(entries)
    ordered = _ordered(final_warm, final_main, where, request.time_of_day)

    covered = {a for e in final_main for a in e.areas} | {a for e in final_warm for a in e.areas}
    left_out = [a for a in selected if a not in covered and a not in missing]
    if left_out and request.areas:
        notes.append(
            f"{request.minutes:g} minutes is not enough for every area you chose; "
            f"the {_area_words(left_out, catalogue)} can wait for another session."
        )

    routine = Routine(
        id=_routine_id(request, selected),
        name=f"Quick {request.minutes:g} minutes: {_routine_title(request, selected, catalogue)}",
        description=_describe(request),
        items=tuple(_item(e.stretch, e.ladder[e.index]) for e in ordered),
        prepare_seconds=prepare,
        rest_seconds=rest,
        switch_seconds=switch,
    )
    duration = routine_duration(routine, catalogue)
    choices = tuple(
        QuickChoice(
            e.stretch.id,
            e.role,
            _reason(e, request, catalogue),
            e.areas,
            where[e.stretch.id],
            e.round,
        )
        for e in ordered
    )
    if duration < budget * (1 - TOLERANCE):
        notes.append(
            f"Only about {round(duration / 60)} minutes of {what}es for the "
            f"{_area_words(selected, catalogue)} can be done without repeating them more than "
            f"{'once' if MAX_ROUNDS == 2 else f'{MAX_ROUNDS - 1} times'}, so this routine is "
            "shorter than you asked."
        )
    return QuickRoutine(routine, choices, duration, budget, tuple(notes))
