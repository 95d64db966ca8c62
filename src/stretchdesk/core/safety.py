"""Back-pain safety: the words (``data/safety.yaml``) and the rules that use them.

Two halves, both pure (no Qt, no clock: today's date and the time of day are
passed in):

* **Content.** :func:`load_safety` reads ``safety.yaml`` through
  :mod:`stretchdesk.core.yamlsafe`, checks every field, and returns a frozen
  :class:`SafetyContent`. Any problem (a missing or unknown key, an empty text,
  a warning-sign group or check-in answer missing) is reported with file, line,
  column and field path in a :class:`SafetyFileError`; safety text is never
  half-loaded.
* **Decisions.** :func:`decide` turns a check-in answer into a
  :class:`CheckInOutcome`: whether a routine may start, how urgent it is to see
  someone, gentler holds, which stretches are allowed and which routine to
  suggest. :func:`apply_outcome` applies that to a list of stretches, and
  :func:`routine_allowed` is the single gate the app asks before it starts a
  routine. A warning-signs answer (or any emergency sign) never passes it:
  :class:`CheckInOutcome` refuses to even be built otherwise.

The content only holds words. Which answer leads where lives here, so it can be
tested branch by branch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar
from urllib.parse import urlsplit

from stretchdesk import resources
from stretchdesk.core.model import Catalogue, Kind, Routine, RoutineItem, Stretch, TimeOfDay
from stretchdesk.core.validate import Checker, Node
from stretchdesk.core.yamlsafe import (
    YamlInputError,
    YSeq,
    read_yaml,
    read_yaml_text,
)

SAFETY_FILE = "safety.yaml"
SAFETY_VERSION = 1

#: Routines the check-in suggests (ids in the built-in routines file).
MORNING_ROUTINE_ID = "morning-mobility"
EVENING_ROUTINE_ID = "evening-deep-stretch"
FLARE_UP_ROUTINE_ID = "flare-up-gentle"

#: Holds are multiplied by these on a stiff or sore day and on a flare-up.
GENTLER_HOLD_SCALE = 0.75
FLARE_UP_HOLD_SCALE = 0.5
#: Shortening never takes a hold below this (a hold already shorter is kept as it is).
MIN_HOLD_SECONDS = 5.0

#: Hours (local time) at which the morning and the evening routine start to fit.
MORNING_STARTS_AT = dt.time(4, 0)
EVENING_STARTS_AT = dt.time(12, 0)

PAIN_SCORE_MIN = 0
PAIN_SCORE_MAX = 10

#: When a reminder can be shown (the same moments as the catalogue's advice).
MOMENTS: tuple[str, ...] = (
    "before-session",
    "warm-up",
    "during-hold",
    "during-reps",
    "on-pain",
    "after-session",
    "morning",
    "evening",
    "flare-up",
    "progress",
)


# --- the vocabulary --------------------------------------------------------------------------


class CheckInAnswer(StrEnum):
    """The answers to "How is your back today?"."""

    FINE = "fine"
    STIFF = "stiff"
    SORE = "sore"
    FLARE_UP = "flare-up"  # sharp, inflamed or suddenly worse
    WARNING_SIGNS = "warning-signs"


class Urgency(StrEnum):
    """How soon someone should look at the user's back."""

    NONE = "none"
    SEE_A_PROFESSIONAL = "see-a-professional"
    SEEK_CARE_NOW = "seek-care-now"


class SignGroup(StrEnum):
    """The two groups of warning signs."""

    EMERGENCY = "emergency"
    SEE_A_PROFESSIONAL = "see-a-professional"

    @property
    def urgency(self) -> Urgency:
        if self is SignGroup.EMERGENCY:
            return Urgency.SEEK_CARE_NOW
        return Urgency.SEE_A_PROFESSIONAL


class Suggestion(StrEnum):
    """Something the app suggests after a check-in; its words are in ``suggestions``."""

    GO_AHEAD = "go-ahead"
    WARM_UP = "warm-up"
    GENTLER_HOLDS = "gentler-holds"
    MORNING_ROUTINE = "morning-routine"
    EVENING_ROUTINE = "evening-routine"
    REST = "rest"
    ICE = "ice"
    HEAT = "heat"
    GENTLE_WALK = "gentle-walk"
    FLARE_SAFE_ONLY = "flare-safe-only"
    FLARE_UP_ROUTINE = "flare-up-routine"
    SEE_A_PROFESSIONAL = "see-a-professional"
    SEEK_CARE_NOW = "seek-care-now"


class StretchFilter(StrEnum):
    """Which catalogue stretches an outcome allows."""

    ALL = "all"
    FLARE_SAFE_ONLY = "flare-safe-only"
    NONE = "none"

    def allows(self, stretch: Stretch) -> bool:
        """Whether ``stretch`` may be offered under this filter."""
        if self is StretchFilter.ALL:
            return True
        if self is StretchFilter.FLARE_SAFE_ONLY:
            return stretch.flare_safe
        return False


class DropReason(StrEnum):
    """Why :func:`apply_outcome` left a stretch out; its words are in ``dropped``."""

    NOT_FLARE_SAFE = "not-flare-safe"
    ROUTINE_NOT_ALLOWED = "routine-not-allowed"


class PainTrend(StrEnum):
    """How the pain score after a session compares with the one before."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


def _values(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(e.value for e in enum)


# --- message ids -----------------------------------------------------------------------------

IT_HURTS_MESSAGE = "it-hurts"


def answer_message_id(answer: CheckInAnswer) -> str:
    """The id of the guidance shown after ``answer`` (``check-in.<answer>``)."""
    return f"check-in.{answer.value}"


def group_message_id(group: SignGroup) -> str:
    """The id of what to do about a group of warning signs (``warning-signs.<group>``)."""
    return f"warning-signs.{group.value}"


def reminder_message_id(reminder_id: str) -> str:
    """The id of a short reminder (``reminder.<id>``)."""
    return f"reminder.{reminder_id}"


#: Reminders the decisions below refer to; the safety file must define each of them.
REQUIRED_REMINDERS: tuple[str, ...] = ("stop-if-sharp-pain", "morning-mobility", "evening-depth")


# --- decisions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckInOutcome:
    """What a check-in answer (or a skip, or "It hurts") means for the session.

    ``answer`` is ``None`` when the check-in was skipped and for "It hurts".
    ``hold_scale`` multiplies static holds (1.0 keeps them; 0.0 when no routine
    may start). ``message_ids`` name texts of :class:`SafetyContent` in the order
    to show them; ``suggested_routine`` is a routine id or ``None``.

    Invariant, checked on construction: an outcome with warning signs or any
    urgency never lets a routine start, suggests none and allows no stretch.
    """

    answer: CheckInAnswer | None
    may_start_routine: bool
    urgency: Urgency
    hold_scale: float
    stretch_filter: StretchFilter
    suggested_routine: str | None
    suggestions: tuple[Suggestion, ...]
    message_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        blocked = self.answer is CheckInAnswer.WARNING_SIGNS or self.urgency is not Urgency.NONE
        if blocked and (
            self.may_start_routine
            or self.suggested_routine is not None
            or self.stretch_filter is not StretchFilter.NONE
        ):
            raise ValueError("an outcome with warning signs can never lead into a routine")
        if not self.may_start_routine and (
            self.suggested_routine is not None or self.stretch_filter is not StretchFilter.NONE
        ):
            raise ValueError("an outcome that blocks routines cannot suggest or allow one")
        if not 0.0 <= self.hold_scale <= 1.0:
            raise ValueError(f"hold_scale must be between 0 and 1, not {self.hold_scale}")
        if self.may_start_routine == (self.hold_scale == 0.0):
            raise ValueError("hold_scale is 0 exactly when no routine may start")


def time_of_day_at(clock: dt.time | dt.datetime) -> TimeOfDay:
    """Which routine fits at this local time: morning from 04:00, evening from 12:00."""
    t = clock.time() if isinstance(clock, dt.datetime) else clock
    t = t.replace(tzinfo=None)
    if MORNING_STARTS_AT <= t < EVENING_STARTS_AT:
        return TimeOfDay.MORNING
    return TimeOfDay.EVENING


def _time_of_day_suggestion(
    time_of_day: TimeOfDay | None,
) -> tuple[str | None, tuple[Suggestion, ...], tuple[str, ...]]:
    """The routine, suggestion and reminder that fit ``time_of_day`` (nothing if unknown)."""
    if time_of_day is TimeOfDay.MORNING:
        return (
            MORNING_ROUTINE_ID,
            (Suggestion.MORNING_ROUTINE,),
            (reminder_message_id("morning-mobility"),),
        )
    if time_of_day is TimeOfDay.EVENING:
        return (
            EVENING_ROUTINE_ID,
            (Suggestion.EVENING_ROUTINE,),
            (reminder_message_id("evening-depth"),),
        )
    return None, (), ()


def _blocked(answer: CheckInAnswer | None, *, emergency: bool) -> CheckInOutcome:
    if emergency:
        group, suggestion = SignGroup.EMERGENCY, Suggestion.SEEK_CARE_NOW
        messages: tuple[str, ...] = (group_message_id(group),)
    else:
        group, suggestion = SignGroup.SEE_A_PROFESSIONAL, Suggestion.SEE_A_PROFESSIONAL
        messages = (answer_message_id(CheckInAnswer.WARNING_SIGNS), group_message_id(group))
    return CheckInOutcome(
        answer=answer,
        may_start_routine=False,
        urgency=group.urgency,
        hold_scale=0.0,
        stretch_filter=StretchFilter.NONE,
        suggested_routine=None,
        suggestions=(suggestion,),
        message_ids=messages,
    )


def decide(
    answer: CheckInAnswer,
    *,
    emergency: bool = False,
    time_of_day: TimeOfDay | None = None,
) -> CheckInOutcome:
    """What the check-in answer means for today's session.

    ``emergency`` is True when the user says they have one of the emergency
    signs; it overrides any answer. ``time_of_day`` picks the routine suggested
    on a stiff or sore day (see :func:`time_of_day_at`); without it none is.

    * fine: go ahead as planned.
    * stiff / sore: go ahead with gentler holds (:data:`GENTLER_HOLD_SCALE`),
      and the morning or evening routine; stiff also means warming up first.
    * flare-up: rest, ice, a gentle walk; only flare-safe stretches, with short
      holds (:data:`FLARE_UP_HOLD_SCALE`) and the gentle flare-up routine.
    * warning signs: no routine; see a professional (urgently for emergency signs).
    """
    answer = CheckInAnswer(answer)
    if emergency or answer is CheckInAnswer.WARNING_SIGNS:
        return _blocked(answer, emergency=emergency)
    routine, routine_suggestion, time_reminder = _time_of_day_suggestion(time_of_day)
    if answer is CheckInAnswer.FINE:
        return CheckInOutcome(
            answer=answer,
            may_start_routine=True,
            urgency=Urgency.NONE,
            hold_scale=1.0,
            stretch_filter=StretchFilter.ALL,
            suggested_routine=None,
            suggestions=(Suggestion.GO_AHEAD,),
            message_ids=(answer_message_id(answer), *time_reminder),
        )
    if answer is CheckInAnswer.STIFF:
        return CheckInOutcome(
            answer=answer,
            may_start_routine=True,
            urgency=Urgency.NONE,
            hold_scale=GENTLER_HOLD_SCALE,
            stretch_filter=StretchFilter.ALL,
            suggested_routine=routine,
            suggestions=(Suggestion.WARM_UP, Suggestion.GENTLER_HOLDS, *routine_suggestion),
            message_ids=(answer_message_id(answer), *time_reminder),
        )
    if answer is CheckInAnswer.SORE:
        return CheckInOutcome(
            answer=answer,
            may_start_routine=True,
            urgency=Urgency.NONE,
            hold_scale=GENTLER_HOLD_SCALE,
            stretch_filter=StretchFilter.ALL,
            suggested_routine=routine,
            suggestions=(Suggestion.GENTLER_HOLDS, *routine_suggestion),
            message_ids=(answer_message_id(answer), *time_reminder),
        )
    # CheckInAnswer.FLARE_UP: the only answer left.
    return CheckInOutcome(
        answer=answer,
        may_start_routine=True,
        urgency=Urgency.NONE,
        hold_scale=FLARE_UP_HOLD_SCALE,
        stretch_filter=StretchFilter.FLARE_SAFE_ONLY,
        suggested_routine=FLARE_UP_ROUTINE_ID,
        suggestions=(
            Suggestion.REST,
            Suggestion.ICE,
            Suggestion.GENTLE_WALK,
            Suggestion.FLARE_SAFE_ONLY,
            Suggestion.FLARE_UP_ROUTINE,
        ),
        message_ids=(answer_message_id(answer), reminder_message_id("stop-if-sharp-pain")),
    )


def skipped_check_in() -> CheckInOutcome:
    """The user skipped the check-in: go ahead as planned, with the sharp-pain reminder."""
    return CheckInOutcome(
        answer=None,
        may_start_routine=True,
        urgency=Urgency.NONE,
        hold_scale=1.0,
        stretch_filter=StretchFilter.ALL,
        suggested_routine=None,
        suggestions=(Suggestion.GO_AHEAD,),
        message_ids=(reminder_message_id("stop-if-sharp-pain"),),
    )


def it_hurts() -> CheckInOutcome:
    """The user pressed "It hurts": the session stops and no routine follows straight away.

    The next routine asks the check-in again (see :func:`should_ask_check_in`).
    """
    return CheckInOutcome(
        answer=None,
        may_start_routine=False,
        urgency=Urgency.NONE,
        hold_scale=0.0,
        stretch_filter=StretchFilter.NONE,
        suggested_routine=None,
        suggestions=(
            Suggestion.REST,
            Suggestion.ICE,
            Suggestion.HEAT,
            Suggestion.GENTLE_WALK,
            Suggestion.SEE_A_PROFESSIONAL,
        ),
        message_ids=(IT_HURTS_MESSAGE,),
    )


def routine_allowed(outcome: CheckInOutcome) -> bool:
    """The one gate before a routine starts: may this outcome lead into one?

    Warning signs and any urgency never do, whatever the other fields say. When
    the check-in is skipped or turned off, pass :func:`skipped_check_in`.
    """
    return (
        outcome.may_start_routine
        and outcome.answer is not CheckInAnswer.WARNING_SIGNS
        and outcome.urgency is Urgency.NONE
        and outcome.stretch_filter is not StretchFilter.NONE
    )


def should_ask_check_in(
    last_check_in: dt.date | None,
    today: dt.date,
    asked_explicitly: bool = False,
    *,
    last_outcome: CheckInOutcome | None = None,
) -> bool:
    """Whether to show the check-in before a routine.

    ``last_check_in`` is the date it was last shown, answered or skipped
    (skipping counts: the user is not asked twice a day). It is asked at most
    once a calendar day, unless the user asks for it (``asked_explicitly``) or
    the last outcome blocked routines (warning signs, "It hurts"): then it is
    asked again before any routine, so a routine never starts silently after one.
    A date that moved backwards (clock or time zone change) counts as a new day.
    """
    if asked_explicitly or last_check_in is None:
        return True
    if last_outcome is not None and not routine_allowed(last_outcome):
        return True
    return last_check_in != today


@dataclass(frozen=True, slots=True)
class AdjustedItem:
    """A stretch kept in the routine, with the hold to use (``None`` for reps)."""

    stretch: Stretch
    hold_seconds: float | None
    original_hold_seconds: float | None

    @property
    def shortened(self) -> bool:
        return self.hold_seconds != self.original_hold_seconds


@dataclass(frozen=True, slots=True)
class DroppedItem:
    """A stretch left out of the routine, and why."""

    stretch: Stretch
    reason: DropReason


@dataclass(frozen=True, slots=True)
class AdjustedRoutine:
    """The routine after :func:`apply_outcome`: what is kept, in order, and what was dropped."""

    items: tuple[AdjustedItem, ...]
    dropped: tuple[DroppedItem, ...]

    @property
    def is_empty(self) -> bool:
        return not self.items


def scaled_hold(hold_seconds: float, scale: float) -> float:
    """``hold_seconds`` times ``scale``, rounded to whole seconds, never below the minimum.

    The minimum is :data:`MIN_HOLD_SECONDS`; a hold already shorter than that is
    kept as it is (never lengthened), and a scale of 1 or more keeps every hold.
    """
    if scale >= 1.0:
        return hold_seconds
    floor = min(hold_seconds, MIN_HOLD_SECONDS)
    return max(floor, float(round(hold_seconds * scale)))


def apply_outcome(
    items: Iterable[tuple[Stretch, float | None]], outcome: CheckInOutcome
) -> AdjustedRoutine:
    """Apply a check-in outcome to a routine-like list of ``(stretch, hold_seconds)``.

    ``hold_seconds`` ``None`` means the stretch's own hold. Stretches the
    outcome's filter does not allow are dropped (all of them when no routine may
    start); static holds are shortened by ``hold_scale``. Self-care timings (ice,
    heat, a walk) and rep-based moves keep their length.
    """
    allowed = routine_allowed(outcome)
    kept: list[AdjustedItem] = []
    dropped: list[DroppedItem] = []
    for stretch, hold in items:
        if not allowed:
            dropped.append(DroppedItem(stretch, DropReason.ROUTINE_NOT_ALLOWED))
            continue
        if not outcome.stretch_filter.allows(stretch):
            dropped.append(DroppedItem(stretch, DropReason.NOT_FLARE_SAFE))
            continue
        original = stretch.hold_seconds if hold is None else float(hold)
        new = original
        if original is not None and stretch.kind is Kind.STATIC:
            new = scaled_hold(original, outcome.hold_scale)
        kept.append(AdjustedItem(stretch, new, original))
    return AdjustedRoutine(tuple(kept), tuple(dropped))


# --- pain scores -----------------------------------------------------------------------------


class PainScoreError(ValueError):
    """A pain score that is not a whole number from 0 to 10."""


def validate_pain_score(value: object) -> int:
    """``value`` as a pain score (an int, or its digits as text), or :class:`PainScoreError`."""
    score: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        score = value
    elif isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        score = int(value.strip())
    if score is None or not PAIN_SCORE_MIN <= score <= PAIN_SCORE_MAX:
        raise PainScoreError(
            f"a pain score is a whole number from {PAIN_SCORE_MIN} to {PAIN_SCORE_MAX}, "
            f"not {value!r}"
        )
    return score


def is_valid_pain_score(value: object) -> bool:
    """Whether :func:`validate_pain_score` accepts ``value``."""
    try:
        validate_pain_score(value)
    except PainScoreError:
        return False
    return True


def pain_trend(before: int, after: int) -> PainTrend:
    """Better (lower), the same, or worse (higher) after the session."""
    before, after = validate_pain_score(before), validate_pain_score(after)
    if after < before:
        return PainTrend.BETTER
    if after > before:
        return PainTrend.WORSE
    return PainTrend.SAME


# --- content ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """A text the app shows, addressed by a stable id (see ``*_message_id``)."""

    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Welcome:
    """The first-run welcome, followed by the warning signs."""

    title: str
    paragraphs: tuple[str, ...]
    warning_signs_lead: str
    continue_label: str


@dataclass(frozen=True, slots=True)
class WarningSign:
    id: str
    text: str
    group: SignGroup


@dataclass(frozen=True, slots=True)
class WarningSignGroup:
    """Signs that call for the same action (urgent care, or a professional)."""

    group: SignGroup
    title: str
    intro: str
    action: str
    signs: tuple[WarningSign, ...]

    @property
    def urgency(self) -> Urgency:
        return self.group.urgency


@dataclass(frozen=True, slots=True)
class WarningSigns:
    """The warning-signs page: shown on first run and from the Help menu."""

    title: str
    intro: str
    groups: tuple[WarningSignGroup, ...]  # in file order; every SignGroup exactly once

    def group(self, group: SignGroup) -> WarningSignGroup:
        return next(g for g in self.groups if g.group is group)

    @property
    def signs(self) -> tuple[WarningSign, ...]:
        return tuple(s for g in self.groups for s in g.signs)

    def is_emergency(self, sign_ids: Iterable[str]) -> bool:
        """Whether any of the ticked ``sign_ids`` is an emergency sign."""
        emergency = {s.id for s in self.group(SignGroup.EMERGENCY).signs}
        return any(sign_id in emergency for sign_id in sign_ids)


@dataclass(frozen=True, slots=True)
class AnswerText:
    """How one check-in answer is shown, and the guidance after choosing it."""

    answer: CheckInAnswer
    label: str
    description: str
    guidance: str


@dataclass(frozen=True, slots=True)
class CheckInText:
    question: str
    intro: str
    skip_label: str
    answers: tuple[AnswerText, ...]  # in display order; every CheckInAnswer exactly once
    emergency_question: str
    emergency_yes_label: str
    emergency_no_label: str

    def answer(self, answer: CheckInAnswer) -> AnswerText:
        return next(a for a in self.answers if a.answer is answer)


@dataclass(frozen=True, slots=True)
class ItHurts:
    """What to do after stopping a session because it hurts."""

    title: str
    intro: str
    steps: tuple[str, ...]
    see_a_professional: str
    emergency: str


@dataclass(frozen=True, slots=True)
class Reminder:
    """A one-line piece of general advice, shown at its ``moments``."""

    id: str
    text: str
    moments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """A reputable page to read more, opened in the browser."""

    id: str
    title: str
    url: str
    description: str


@dataclass(frozen=True, slots=True)
class LearnMore:
    intro: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class PainScoreText:
    """The optional 0-10 pain score asked before and after a session."""

    before_prompt: str
    after_prompt: str
    hint: str
    min_label: str
    max_label: str
    skip_label: str
    comparison: Mapping[PainTrend, str]  # templates with {before} and {after}

    def summary(self, before: int, after: int) -> str:
        """E.g. "Your back feels better than before: 6 → 3"."""
        template = self.comparison[pain_trend(before, after)]
        return template.format(before=before, after=after)


@dataclass(frozen=True, slots=True)
class SafetyContent:
    """Everything in ``safety.yaml``, checked."""

    welcome: Welcome
    warning_signs: WarningSigns
    check_in: CheckInText
    suggestions: Mapping[Suggestion, str]
    it_hurts: ItHurts
    reminders: tuple[Reminder, ...]
    learn_more: LearnMore
    pain_score: PainScoreText
    dropped: Mapping[DropReason, str]
    source: str = ""

    def message(self, message_id: str) -> Message:
        """The text with this id; :class:`KeyError` if there is none."""
        kind, _, rest = message_id.partition(".")
        if message_id == IT_HURTS_MESSAGE:
            return Message(message_id, self.it_hurts.title, self.it_hurts.intro)
        if kind == "check-in" and rest in _values(CheckInAnswer):
            a = self.check_in.answer(CheckInAnswer(rest))
            return Message(message_id, a.label, a.guidance)
        if kind == "warning-signs" and rest in _values(SignGroup):
            g = self.warning_signs.group(SignGroup(rest))
            return Message(message_id, g.title, g.action)
        if kind == "reminder":
            for r in self.reminders:
                if r.id == rest:
                    return Message(message_id, "", r.text)
        raise KeyError(message_id)

    def messages_for(self, outcome: CheckInOutcome) -> tuple[Message, ...]:
        """The texts of an outcome, in order."""
        return tuple(self.message(m) for m in outcome.message_ids)

    def suggestion_texts(self, outcome: CheckInOutcome) -> tuple[str, ...]:
        """The words of an outcome's suggestions, in order."""
        return tuple(self.suggestions[s] for s in outcome.suggestions)

    def reminders_for(self, moment: str) -> tuple[Reminder, ...]:
        """The reminders to show at ``moment`` (one of :data:`MOMENTS`)."""
        if moment not in MOMENTS:
            raise ValueError(f"unknown moment {moment!r}")
        return tuple(r for r in self.reminders if moment in r.moments)

    def drop_reason(self, reason: DropReason) -> str:
        """Why a stretch was left out, in words for the user."""
        return self.dropped[reason]

    def pain_summary(self, before: int, after: int) -> str:
        """E.g. "Your back feels better than before: 6 → 3"."""
        return self.pain_score.summary(before, after)


# --- loading ---------------------------------------------------------------------------------


class SafetyFileError(YamlInputError):
    """The safety file has problems; ``problems`` lists each with its location."""


_TOP_KEYS = (
    "version",
    "welcome",
    "warning_signs",
    "check_in",
    "suggestions",
    "it_hurts",
    "reminders",
    "learn_more",
    "pain_score",
    "dropped",
)
_TOP_WHAT = "a mapping of sections (welcome, warning_signs, check_in, ...)"
_WELCOME_KEYS = ("title", "paragraphs", "warning_signs_lead", "continue_label")
_WARNING_SIGNS_KEYS = ("title", "intro", "groups")
_GROUP_KEYS = ("id", "title", "intro", "action", "signs")
_SIGN_KEYS = ("id", "text")
_CHECK_IN_KEYS = (
    "question",
    "intro",
    "skip_label",
    "answers",
    "emergency_question",
    "emergency_yes_label",
    "emergency_no_label",
)
_ANSWER_KEYS = ("id", "label", "description", "guidance")
_IT_HURTS_KEYS = ("title", "intro", "steps", "see_a_professional", "emergency")
_REMINDER_KEYS = ("id", "text", "moments")
_LEARN_MORE_KEYS = ("intro", "sources")
_SOURCE_KEYS = ("id", "title", "url", "description")
_PAIN_TEXT_KEYS = ("before_prompt", "after_prompt", "hint", "min_label", "max_label", "skip_label")
_PAIN_KEYS = (*_PAIN_TEXT_KEYS, "comparison")
_TEMPLATE_FIELDS = frozenset({"before", "after"})

_E = TypeVar("_E", bound=StrEnum)


class _Reader:
    """Walks one safety file with :class:`~stretchdesk.core.validate.Checker`.

    Every section, entry and text is checked even after a problem, so the
    whole file is reported at once; a value that failed reads as ``""`` or
    ``()``, and :func:`parse_safety` raises before such content escapes.
    """

    def __init__(self, filename: str) -> None:
        self.check = Checker(filename)

    def section(self, parent: Node, key: str, fields: Sequence[str], what: str) -> Node | None:
        """The mapping under ``key`` with exactly ``fields``; None if absent or not a mapping."""
        node = parent.get(key)
        if node is None:
            return None  # reported as missing by the parent's mapping check
        return self.entry(node, fields, what)

    def entry(self, node: Node, fields: Sequence[str], what: str) -> Node | None:
        if self.check.mapping(node, allowed=fields, required=fields, what=what) is None:
            return None
        return node

    def text(self, node: Node | None, key: str) -> str:
        """A non-blank text, with runs of spaces and line breaks folded to one space."""
        child = node.get(key) if node is not None else None
        if child is None:
            return ""
        value = self.check.text(child)
        return " ".join(value.split()) if value is not None else ""

    def texts(self, node: Node | None, key: str) -> tuple[str, ...]:
        child = node.get(key) if node is not None else None
        if child is None:
            return ()
        values = self.check.text_list(child, non_empty=True)
        return tuple(" ".join(v.split()) for v in values or ())

    def entries(self, node: Node | None, key: str, what: str) -> list[Node]:
        child = node.get(key) if node is not None else None
        if child is None:
            return []
        return self.check.sequence(child, what=f"a list of {what}", non_empty=True)

    def ident(self, node: Node, seen: dict[str, Node]) -> str:
        """The entry's ``id``, checked and unique among ``seen``."""
        child = node.get("id")
        if child is None:
            return ""
        value = self.check.identifier(child)
        if value is None or not self.check.unique(child, value, seen):
            return ""
        return value

    def member(self, node: Node, enum: type[_E], what: str, seen: dict[str, Node]) -> _E | None:
        """The entry's ``id``, naming one member of ``enum`` once."""
        child = node.get("id")
        if child is None:
            return None
        value = self.check.choice(child, [e.value for e in enum], what=what)
        if value is None or not self.check.unique(child, value, seen, what=what):
            return None
        return enum(value)

    def all_named(
        self,
        node: Node | None,
        key: str,
        enum: type[StrEnum],
        what: str,
        seen: Mapping[str, Node],
    ) -> None:
        """Report each member of ``enum`` that no entry of the list ``key`` names."""
        child = node.get(key) if node is not None else None
        if child is None or not isinstance(child.value, YSeq) or not child.value:
            return
        for e in enum:
            if e.value not in seen:
                self.check.report(child, f"the {what} {e.value!r} is missing")

    def keyed_texts(self, parent: Node | None, key: str, enum: type[_E]) -> dict[_E, str]:
        """A mapping with one text for each member of ``enum``."""
        names = [e.value for e in enum]
        node = self.section(parent, key, names, "a mapping of texts") if parent else None
        if node is None:
            return {}
        return {enum(name): self.text(node, name) for name in names}


def _welcome(r: _Reader, root: Node) -> Welcome:
    node = r.section(root, "welcome", _WELCOME_KEYS, "a mapping")
    return Welcome(
        r.text(node, "title"),
        r.texts(node, "paragraphs"),
        r.text(node, "warning_signs_lead"),
        r.text(node, "continue_label"),
    )


def _warning_signs(r: _Reader, root: Node) -> WarningSigns:
    node = r.section(root, "warning_signs", _WARNING_SIGNS_KEYS, "a mapping")
    seen_groups: dict[str, Node] = {}
    seen_signs: dict[str, Node] = {}
    groups: list[WarningSignGroup] = []
    for item in r.entries(node, "groups", "groups of signs"):
        entry = r.entry(item, _GROUP_KEYS, "a group with id, title, intro, action and signs")
        if entry is None:
            continue
        group = r.member(entry, SignGroup, "warning-sign group", seen_groups)
        signs: list[WarningSign] = []
        for sign_item in r.entries(entry, "signs", "signs"):
            sign = r.entry(sign_item, _SIGN_KEYS, "a sign with id and text")
            if sign is None:
                continue
            sign_id, text = r.ident(sign, seen_signs), r.text(sign, "text")
            if group is not None:
                signs.append(WarningSign(sign_id, text, group))
        if group is not None:
            groups.append(
                WarningSignGroup(
                    group,
                    r.text(entry, "title"),
                    r.text(entry, "intro"),
                    r.text(entry, "action"),
                    tuple(signs),
                )
            )
    r.all_named(node, "groups", SignGroup, "warning-sign group", seen_groups)
    return WarningSigns(r.text(node, "title"), r.text(node, "intro"), tuple(groups))


def _check_in(r: _Reader, root: Node) -> CheckInText:
    node = r.section(root, "check_in", _CHECK_IN_KEYS, "a mapping")
    seen: dict[str, Node] = {}
    answers: list[AnswerText] = []
    for item in r.entries(node, "answers", "answers"):
        entry = r.entry(item, _ANSWER_KEYS, "an answer with id, label, description and guidance")
        if entry is None:
            continue
        answer = r.member(entry, CheckInAnswer, "answer", seen)
        texts = (r.text(entry, "label"), r.text(entry, "description"), r.text(entry, "guidance"))
        if answer is not None:
            answers.append(AnswerText(answer, *texts))
    r.all_named(node, "answers", CheckInAnswer, "answer", seen)
    return CheckInText(
        r.text(node, "question"),
        r.text(node, "intro"),
        r.text(node, "skip_label"),
        tuple(answers),
        r.text(node, "emergency_question"),
        r.text(node, "emergency_yes_label"),
        r.text(node, "emergency_no_label"),
    )


def _it_hurts(r: _Reader, root: Node) -> ItHurts:
    node = r.section(root, "it_hurts", _IT_HURTS_KEYS, "a mapping")
    return ItHurts(
        r.text(node, "title"),
        r.text(node, "intro"),
        r.texts(node, "steps"),
        r.text(node, "see_a_professional"),
        r.text(node, "emergency"),
    )


def _reminders(r: _Reader, root: Node) -> tuple[Reminder, ...]:
    seen: dict[str, Node] = {}
    reminders: list[Reminder] = []
    for item in r.entries(root, "reminders", "reminders"):
        entry = r.entry(item, _REMINDER_KEYS, "a reminder with id, text and moments")
        if entry is None:
            continue
        moments_node = entry.get("moments")
        moments = (
            r.check.choice_list(moments_node, MOMENTS, what="moment", non_empty=True)
            if moments_node is not None
            else None
        )
        reminders.append(Reminder(r.ident(entry, seen), r.text(entry, "text"), moments or ()))
    node = root.get("reminders")
    if node is not None and isinstance(node.value, YSeq) and node.value:
        for needed in REQUIRED_REMINDERS:
            if needed not in seen:
                r.check.report(node, f"the reminder {needed!r} is missing; the check-in uses it")
    return tuple(reminders)


def _learn_more(r: _Reader, root: Node) -> LearnMore:
    node = r.section(root, "learn_more", _LEARN_MORE_KEYS, "a mapping")
    seen: dict[str, Node] = {}
    sources: list[Source] = []
    for item in r.entries(node, "sources", "sources"):
        entry = r.entry(item, _SOURCE_KEYS, "a source with id, title, url and description")
        if entry is None:
            continue
        url = r.text(entry, "url")
        url_node = entry.get("url")
        parts = urlsplit(url)
        bad = parts.scheme != "https" or not parts.netloc or " " in url
        if url and url_node is not None and bad:
            r.check.wrong(url_node, "an https:// address")
        source_id = r.ident(entry, seen)
        sources.append(Source(source_id, r.text(entry, "title"), url, r.text(entry, "description")))
    return LearnMore(r.text(node, "intro"), tuple(sources))


def _pain_score(r: _Reader, root: Node) -> PainScoreText:
    node = r.section(root, "pain_score", _PAIN_KEYS, "a mapping")
    comparison = r.keyed_texts(node, "comparison", PainTrend)
    comparison_node = node.get("comparison") if node is not None else None
    for trend, template in comparison.items():
        if not template or comparison_node is None:
            continue
        where = comparison_node.get(trend.value)
        assert where is not None  # keyed_texts read it
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        except ValueError as exc:
            r.check.report(where, f"not a valid template: {exc}")
            continue
        if fields != _TEMPLATE_FIELDS:
            found = ", ".join(sorted("{" + f + "}" for f in fields)) or "none"
            r.check.report(
                where, f"must use exactly the placeholders {{before}} and {{after}}, not {found}"
            )
    texts = [r.text(node, key) for key in _PAIN_TEXT_KEYS]
    return PainScoreText(*texts, comparison=MappingProxyType(comparison))


def parse_safety(data: Any, filename: str) -> SafetyContent:
    """Check a document read by :mod:`yamlsafe` and build the content.

    Raises :class:`SafetyFileError` listing every problem found.
    """
    r = _Reader(filename)
    root = Node.root(data)
    if r.check.mapping(root, allowed=_TOP_KEYS, required=_TOP_KEYS, what=_TOP_WHAT) is None:
        raise SafetyFileError(r.check.problems)
    version = root.get("version")
    if version is not None and version.value != SAFETY_VERSION:
        r.check.report(
            version,
            f"unsupported version {version.value!r}; this StretchDesk reads {SAFETY_VERSION}",
        )
    content = SafetyContent(
        welcome=_welcome(r, root),
        warning_signs=_warning_signs(r, root),
        check_in=_check_in(r, root),
        suggestions=MappingProxyType(r.keyed_texts(root, "suggestions", Suggestion)),
        it_hurts=_it_hurts(r, root),
        reminders=_reminders(r, root),
        learn_more=_learn_more(r, root),
        pain_score=_pain_score(r, root),
        dropped=MappingProxyType(r.keyed_texts(root, "dropped", DropReason)),
        source=filename,
    )
    if r.check.problems:
        raise SafetyFileError(r.check.problems)
    return content


def load_safety_text(text: str, filename: str = SAFETY_FILE) -> SafetyContent:
    """Parse and check safety content given as YAML text."""
    try:
        data = read_yaml_text(text, filename)
    except YamlInputError as exc:
        raise SafetyFileError(list(exc.problems)) from None
    return parse_safety(data, filename)


def load_safety(path: Path | None = None, filename: str | None = None) -> SafetyContent:
    """Read and check the safety file (default: the built-in ``data/safety.yaml``).

    ``filename`` is how messages name the file (default: the path). Raises
    :class:`SafetyFileError` (a :class:`YamlInputError`) with every problem,
    including a file that cannot be read or is not YAML at all; the app cannot
    run its safety flow on a half-read file.
    """
    if path is None:
        path = resources.data_file(SAFETY_FILE)
    name = filename or str(path)
    try:
        data = read_yaml(path, name)
    except YamlInputError as exc:
        raise SafetyFileError(list(exc.problems)) from None
    return parse_safety(data, name)


# --- a routine after the check-in ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdjustedSession:
    """A routine as today's check-in allows it.

    ``routine`` is ``None`` when nothing of it may be done (warning signs,
    "It hurts", or a flare-up day with no flare-safe stretch in it).
    """

    routine: Routine | None
    adjusted: AdjustedRoutine


def adjust_routine(
    routine: Routine, catalogue: Catalogue, outcome: CheckInOutcome
) -> AdjustedSession:
    """``routine`` with the outcome applied: unsafe stretches dropped, static holds shortened.

    Items whose stretch is not in the catalogue are left out. The returned
    routine keeps its id and pacing, so the player and history see the same
    routine, done more gently.
    """
    from stretchdesk.core.routine import apply_overrides  # the routine loader needs YAML

    kept_items: list[RoutineItem] = []
    kept: list[AdjustedItem] = []
    dropped: list[DroppedItem] = []
    for item in routine.items:
        stretch = catalogue.get(item.stretch_id)
        if stretch is None:
            continue
        one = apply_outcome([(apply_overrides(stretch, item), None)], outcome)
        dropped.extend(one.dropped)
        for adjusted in one.items:
            kept.append(adjusted)
            if adjusted.shortened:
                item = dataclasses.replace(item, hold_seconds=adjusted.hold_seconds)
            kept_items.append(item)
    result = AdjustedRoutine(tuple(kept), tuple(dropped))
    if not kept_items:
        return AdjustedSession(None, result)
    return AdjustedSession(dataclasses.replace(routine, items=tuple(kept_items)), result)


# --- today's check-in, from what the settings remember ----------------------------------------

#: What the settings keep besides the answers (see ``Settings.safety.last_checkin_answer``).
RECORD_SKIPPED = "skipped"
RECORD_HURT = "hurt"


def outcome_from_record(
    record: str | None, *, time_of_day: TimeOfDay | None = None
) -> CheckInOutcome | None:
    """The outcome a remembered check-in stands for (``None`` when nothing is remembered).

    An emergency is not remembered as such: it is stored as warning signs,
    which block routines all the same and ask again before the next one.
    """
    if record is None:
        return None
    if record == RECORD_SKIPPED:
        return skipped_check_in()
    if record == RECORD_HURT:
        return it_hurts()
    return decide(CheckInAnswer(record), time_of_day=time_of_day)


def todays_check_in(
    last_check_in: dt.date | None,
    last_record: str | None,
    today: dt.date,
    *,
    enabled: bool = True,
    asked_explicitly: bool = False,
    time_of_day: TimeOfDay | None = None,
) -> tuple[bool, CheckInOutcome]:
    """Whether to ask before this routine, and the outcome that applies if not.

    When the check-in is turned off the routine goes ahead unchanged. Otherwise
    it is asked once a day, and again after warning signs or "It hurts"; on the
    other days' routines the day's answer keeps applying (a flare-up in the
    morning still means gentle stretches in the afternoon).
    """
    if not enabled and not asked_explicitly:
        return False, skipped_check_in()
    last = outcome_from_record(last_record, time_of_day=time_of_day)
    if last_check_in != today:
        last = None
    ask = should_ask_check_in(last_check_in, today, asked_explicitly, last_outcome=last)
    return ask, (last or skipped_check_in())
