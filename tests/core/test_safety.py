"""Back-pain safety: the content file, every check-in branch, and the routine gate."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchdesk import resources
from stretchdesk.core.model import Kind, Level, Sides, Step, Stretch, TimeOfDay
from stretchdesk.core.safety import (
    EVENING_ROUTINE_ID,
    FLARE_UP_HOLD_SCALE,
    FLARE_UP_ROUTINE_ID,
    GENTLER_HOLD_SCALE,
    MIN_HOLD_SECONDS,
    MOMENTS,
    MORNING_ROUTINE_ID,
    REQUIRED_REMINDERS,
    CheckInAnswer,
    CheckInOutcome,
    DropReason,
    PainScoreError,
    PainTrend,
    SafetyContent,
    SafetyFileError,
    SignGroup,
    StretchFilter,
    Suggestion,
    Urgency,
    answer_message_id,
    apply_outcome,
    decide,
    group_message_id,
    is_valid_pain_score,
    it_hurts,
    load_safety,
    load_safety_text,
    pain_trend,
    reminder_message_id,
    routine_allowed,
    scaled_hold,
    should_ask_check_in,
    skipped_check_in,
    time_of_day_at,
    validate_pain_score,
)
from stretchdesk.core.yamlsafe import read_yaml

SAFETY_PATH = resources.data_file("safety.yaml")
SAFETY_TEXT = SAFETY_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def content() -> SafetyContent:
    return load_safety()


def make_stretch(
    stretch_id: str,
    *,
    flare_safe: bool = False,
    kind: Kind = Kind.STATIC,
    hold: float | None = 30.0,
    reps: int | None = None,
) -> Stretch:
    return Stretch(
        id=stretch_id,
        name=stretch_id.replace("-", " ").title(),
        summary="A test stretch.",
        areas=("lower-back",),
        kind=kind,
        level=Level.BASIC,
        positions=("floor",),
        steps=(Step("Do it."),),
        flare_safe=flare_safe,
        sides=Sides.NONE,
        hold_seconds=hold,
        reps=reps,
    )


CHILDS_POSE = make_stretch("childs-pose", flare_safe=True, hold=40.0)
PIGEON = make_stretch("pigeon-pose", hold=60.0)
DEAD_BUG = make_stretch("dead-bug", kind=Kind.STRENGTH, hold=None, reps=8)
ICE = make_stretch("ice-on-flare-up", flare_safe=True, kind=Kind.SELF_CARE, hold=600.0)
SHORT = make_stretch("short-hold", flare_safe=True, hold=4.0)
ROUTINE: list[tuple[Stretch, float | None]] = [
    (CHILDS_POSE, None),
    (PIGEON, 40.0),
    (DEAD_BUG, None),
    (ICE, None),
    (SHORT, None),
]

answers = st.sampled_from(list(CheckInAnswer))
times_of_day = st.sampled_from([None, *TimeOfDay])


# --- the data file ------------------------------------------------------------------------


def test_the_data_file_loads_with_no_problems(content: SafetyContent) -> None:
    assert content.source == str(SAFETY_PATH)
    assert content.welcome.title
    assert len(content.welcome.paragraphs) >= 2
    assert {g.group for g in content.warning_signs.groups} == set(SignGroup)
    assert [a.answer for a in content.check_in.answers] == list(CheckInAnswer)
    assert set(content.suggestions) == set(Suggestion)
    assert set(content.dropped) == set(DropReason)
    assert set(content.pain_score.comparison) == set(PainTrend)


def test_the_welcome_says_what_the_app_is_and_is_not(content: SafetyContent) -> None:
    text = " ".join(content.welcome.paragraphs).lower()
    assert "self-care" in text
    assert "not medical advice" in text
    assert "listen to your body" in text


EXPECTED_SIGNS = [
    (SignGroup.EMERGENCY, "bladder-bowel-control", ("bladder", "bowel")),
    (SignGroup.EMERGENCY, "saddle-numbness", ("numbness", "groin", "buttocks")),
    (SignGroup.EMERGENCY, "leg-weakness", ("new or worsening", "weakness", "leg")),
    (SignGroup.SEE_A_PROFESSIONAL, "shooting-leg-pain", ("shoots", "down a leg")),
    (SignGroup.SEE_A_PROFESSIONAL, "numbness-tingling", ("numbness", "tingling")),
    (SignGroup.SEE_A_PROFESSIONAL, "night-or-rest-pain", ("night", "resting")),
    (SignGroup.SEE_A_PROFESSIONAL, "after-fall-or-injury", ("fall", "injury")),
    (SignGroup.SEE_A_PROFESSIONAL, "fever-or-weight-loss", ("fever", "weight loss")),
    (SignGroup.SEE_A_PROFESSIONAL, "not-improving", ("not getting better", "few weeks")),
]


@pytest.mark.parametrize(("group", "sign_id", "words"), EXPECTED_SIGNS)
def test_every_warning_sign_is_in_its_group(
    content: SafetyContent, group: SignGroup, sign_id: str, words: tuple[str, ...]
) -> None:
    signs = {s.id: s for s in content.warning_signs.group(group).signs}
    assert sign_id in signs
    sign = signs[sign_id]
    assert sign.group is group
    for word in words:
        assert word in sign.text.lower()


def test_the_data_has_exactly_the_expected_warning_signs(content: SafetyContent) -> None:
    found = {(s.group, s.id) for s in content.warning_signs.signs}
    assert found == {(group, sign_id) for group, sign_id, _ in EXPECTED_SIGNS}


def test_warning_sign_groups_carry_their_urgency(content: SafetyContent) -> None:
    emergency = content.warning_signs.group(SignGroup.EMERGENCY)
    professional = content.warning_signs.group(SignGroup.SEE_A_PROFESSIONAL)
    assert emergency.urgency is Urgency.SEEK_CARE_NOW
    assert professional.urgency is Urgency.SEE_A_PROFESSIONAL
    assert "now" in emergency.title.lower()
    assert "straight away" in emergency.action
    assert "doctor or physiotherapist" in professional.action


def test_any_ticked_emergency_sign_is_an_emergency(content: SafetyContent) -> None:
    signs = content.warning_signs
    assert signs.is_emergency(["shooting-leg-pain", "leg-weakness"])
    assert not signs.is_emergency(["shooting-leg-pain", "night-or-rest-pain"])
    assert not signs.is_emergency([])
    for sign in signs.group(SignGroup.EMERGENCY).signs:
        assert signs.is_emergency([sign.id])


def test_check_in_texts(content: SafetyContent) -> None:
    check_in = content.check_in
    assert check_in.question == "How is your back today?"
    assert check_in.skip_label
    flare = check_in.answer(CheckInAnswer.FLARE_UP).description.lower()
    assert all(word in flare for word in ("sharp", "inflamed", "suddenly worse"))
    for text in check_in.answers:
        assert text.label and text.description and text.guidance
        assert len(text.label) <= 20, text.label
        assert len(text.description) <= 80, text.description  # one line
        assert len(text.guidance) <= 240, text.guidance  # short
    assert "don't stretch" in check_in.answer(CheckInAnswer.WARNING_SIGNS).guidance
    flare_guidance = check_in.answer(CheckInAnswer.FLARE_UP).guidance.lower()
    assert all(word in flare_guidance for word in ("rest", "ice", "walk", "gentlest"))


def test_it_hurts_says_stop_rest_ice_or_heat_walk_and_when_to_get_help(
    content: SafetyContent,
) -> None:
    hurts = content.it_hurts
    steps = " ".join(hurts.steps).lower()
    assert hurts.steps[0].lower().startswith("stop")
    for word in ("rest", "ice", "heat", "walk", "flare-up"):
        assert word in steps
    assert "doctor or physiotherapist" in hurts.see_a_professional
    assert "straight away" in hurts.emergency


def test_general_advice_reminders(content: SafetyContent) -> None:
    ids = {r.id for r in content.reminders}
    assert {
        "no-bouncing",
        "stop-if-sharp-pain",
        "warm-up-when-tight",
        "breathe",
        "morning-mobility",
        "evening-depth",
        "frequency-over-intensity",
    } <= ids
    assert set(REQUIRED_REMINDERS) <= ids
    during_hold = {r.id for r in content.reminders_for("during-hold")}
    assert {"no-bouncing", "breathe", "stop-if-sharp-pain"} <= during_hold
    assert [r.id for r in content.reminders_for("morning")] == ["morning-mobility"]
    assert "heat" in content.message(reminder_message_id("warm-up-when-tight")).text
    little_and_often = content.message(reminder_message_id("frequency-over-intensity"))
    assert "ten minutes" in little_and_often.text.lower()
    for moment in MOMENTS:
        content.reminders_for(moment)
    with pytest.raises(ValueError, match="unknown moment"):
        content.reminders_for("lunchtime")


def test_reminder_ids_match_the_catalogue_advice(content: SafetyContent) -> None:
    catalogue = read_yaml(resources.data_file("stretches.yaml"))
    advice_ids = {a["id"] for a in catalogue["advice"]}
    assert {r.id for r in content.reminders} <= advice_ids


def test_learn_more_names_the_articles_sources(content: SafetyContent) -> None:
    sources = {s.id: s for s in content.learn_more.sources}
    assert sources["mayo-clinic"].url == "https://www.mayoclinic.org/diseases-conditions/back-pain"
    assert "Mayo Clinic" in sources["mayo-clinic"].title
    assert sources["spine-health"].url == "https://www.spine-health.com/"
    assert sources["spine-health"].title == "Spine-health"
    assert all(s.description for s in sources.values())


def test_pain_score_prompts(content: SafetyContent) -> None:
    pain = content.pain_score
    assert pain.before_prompt and pain.after_prompt and pain.skip_label
    assert "0" in pain.hint and "10" in pain.hint


def test_texts_are_tidy(content: SafetyContent) -> None:
    texts = [
        *content.welcome.paragraphs,
        *(s.text for s in content.warning_signs.signs),
        *(a.guidance for a in content.check_in.answers),
        *content.suggestions.values(),
        *content.it_hurts.steps,
        *(r.text for r in content.reminders),
    ]
    for text in texts:
        assert text == text.strip()
        assert "  " not in text
        assert text[0].isupper(), text


def test_unknown_message_ids_are_refused(content: SafetyContent) -> None:
    for bad in ("check-in.great", "warning-signs.mild", "reminder.nope", "nothing"):
        with pytest.raises(KeyError):
            content.message(bad)


# --- the check-in, branch by branch ---------------------------------------------------------


def test_fine_goes_ahead_as_planned() -> None:
    outcome = decide(CheckInAnswer.FINE)
    assert routine_allowed(outcome)
    assert outcome.urgency is Urgency.NONE
    assert outcome.hold_scale == 1.0
    assert outcome.stretch_filter is StretchFilter.ALL
    assert outcome.suggested_routine is None
    assert outcome.suggestions == (Suggestion.GO_AHEAD,)
    assert outcome.message_ids == (answer_message_id(CheckInAnswer.FINE),)


def test_fine_in_the_morning_adds_the_morning_reminder() -> None:
    outcome = decide(CheckInAnswer.FINE, time_of_day=TimeOfDay.MORNING)
    assert outcome.message_ids[-1] == reminder_message_id("morning-mobility")
    assert outcome.suggested_routine is None


@pytest.mark.parametrize("answer", [CheckInAnswer.STIFF, CheckInAnswer.SORE])
@pytest.mark.parametrize(
    ("time_of_day", "routine", "suggestion", "reminder"),
    [
        (TimeOfDay.MORNING, MORNING_ROUTINE_ID, Suggestion.MORNING_ROUTINE, "morning-mobility"),
        (TimeOfDay.EVENING, EVENING_ROUTINE_ID, Suggestion.EVENING_ROUTINE, "evening-depth"),
    ],
)
def test_stiff_or_sore_go_ahead_gently_with_the_routine_for_the_time_of_day(
    answer: CheckInAnswer,
    time_of_day: TimeOfDay,
    routine: str,
    suggestion: Suggestion,
    reminder: str,
) -> None:
    outcome = decide(answer, time_of_day=time_of_day)
    assert routine_allowed(outcome)
    assert outcome.urgency is Urgency.NONE
    assert outcome.hold_scale == GENTLER_HOLD_SCALE < 1
    assert outcome.stretch_filter is StretchFilter.ALL
    assert outcome.suggested_routine == routine
    assert Suggestion.GENTLER_HOLDS in outcome.suggestions
    assert outcome.suggestions[-1] is suggestion
    assert outcome.message_ids == (answer_message_id(answer), reminder_message_id(reminder))


def test_stiff_suggests_warming_up_and_sore_does_not() -> None:
    assert decide(CheckInAnswer.STIFF).suggestions[0] is Suggestion.WARM_UP
    assert Suggestion.WARM_UP not in decide(CheckInAnswer.SORE).suggestions


@pytest.mark.parametrize("answer", [CheckInAnswer.STIFF, CheckInAnswer.SORE])
def test_stiff_or_sore_without_a_time_of_day_suggest_no_routine(answer: CheckInAnswer) -> None:
    outcome = decide(answer)
    assert outcome.suggested_routine is None
    assert Suggestion.MORNING_ROUTINE not in outcome.suggestions
    assert Suggestion.EVENING_ROUTINE not in outcome.suggestions
    assert outcome.message_ids == (answer_message_id(answer),)


@pytest.mark.parametrize("time_of_day", [None, *TimeOfDay])
def test_flare_up_offers_rest_ice_a_walk_and_only_flare_safe_stretches(
    time_of_day: TimeOfDay | None,
) -> None:
    outcome = decide(CheckInAnswer.FLARE_UP, time_of_day=time_of_day)
    assert routine_allowed(outcome)
    assert outcome.urgency is Urgency.NONE
    assert outcome.hold_scale == FLARE_UP_HOLD_SCALE < GENTLER_HOLD_SCALE
    assert outcome.stretch_filter is StretchFilter.FLARE_SAFE_ONLY
    assert outcome.suggested_routine == FLARE_UP_ROUTINE_ID
    assert outcome.suggestions[:3] == (Suggestion.REST, Suggestion.ICE, Suggestion.GENTLE_WALK)
    assert Suggestion.FLARE_SAFE_ONLY in outcome.suggestions
    assert outcome.message_ids == (
        answer_message_id(CheckInAnswer.FLARE_UP),
        reminder_message_id("stop-if-sharp-pain"),
    )


@pytest.mark.parametrize("time_of_day", [None, *TimeOfDay])
def test_warning_signs_say_see_a_professional_and_start_nothing(
    time_of_day: TimeOfDay | None,
) -> None:
    outcome = decide(CheckInAnswer.WARNING_SIGNS, time_of_day=time_of_day)
    assert not outcome.may_start_routine
    assert not routine_allowed(outcome)
    assert outcome.urgency is Urgency.SEE_A_PROFESSIONAL
    assert outcome.suggested_routine is None
    assert outcome.stretch_filter is StretchFilter.NONE
    assert outcome.hold_scale == 0.0
    assert outcome.suggestions == (Suggestion.SEE_A_PROFESSIONAL,)
    assert outcome.message_ids == (
        answer_message_id(CheckInAnswer.WARNING_SIGNS),
        group_message_id(SignGroup.SEE_A_PROFESSIONAL),
    )


@pytest.mark.parametrize("answer", list(CheckInAnswer))
def test_an_emergency_sign_means_seek_care_now_whatever_the_answer(
    answer: CheckInAnswer,
) -> None:
    outcome = decide(answer, emergency=True, time_of_day=TimeOfDay.MORNING)
    assert not routine_allowed(outcome)
    assert outcome.urgency is Urgency.SEEK_CARE_NOW
    assert outcome.suggested_routine is None
    assert outcome.suggestions == (Suggestion.SEEK_CARE_NOW,)
    assert outcome.message_ids == (group_message_id(SignGroup.EMERGENCY),)


def test_answers_may_be_given_as_their_text() -> None:
    assert decide("flare-up") == decide(CheckInAnswer.FLARE_UP)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        decide("great")  # type: ignore[arg-type]


def test_a_skipped_check_in_goes_ahead_with_the_sharp_pain_reminder() -> None:
    outcome = skipped_check_in()
    assert outcome.answer is None
    assert routine_allowed(outcome)
    assert outcome.hold_scale == 1.0
    assert outcome.message_ids == (reminder_message_id("stop-if-sharp-pain"),)


def test_it_hurts_stops_and_starts_nothing(content: SafetyContent) -> None:
    outcome = it_hurts()
    assert not routine_allowed(outcome)
    assert outcome.urgency is Urgency.NONE
    assert outcome.suggestions[0] is Suggestion.REST
    assert {Suggestion.ICE, Suggestion.HEAT, Suggestion.GENTLE_WALK} <= set(outcome.suggestions)
    assert content.messages_for(outcome)[0].title == content.it_hurts.title


_CACHE: dict[str, SafetyContent] = {}


def load_safety_cached() -> SafetyContent:
    """The built-in content, loaded once (hypothesis tests cannot take fixtures)."""
    if "content" not in _CACHE:
        _CACHE["content"] = load_safety()
    return _CACHE["content"]


@given(answer=answers, emergency=st.booleans(), time_of_day=times_of_day)
def test_every_outcome_has_its_words(
    answer: CheckInAnswer, emergency: bool, time_of_day: TimeOfDay | None
) -> None:
    content = load_safety_cached()
    outcome = decide(answer, emergency=emergency, time_of_day=time_of_day)
    messages = content.messages_for(outcome)
    assert messages and all(m.text for m in messages)
    assert all(content.suggestion_texts(outcome))


# --- the routine gate ----------------------------------------------------------------------


@given(answer=answers, emergency=st.booleans(), time_of_day=times_of_day)
def test_warning_signs_can_never_lead_into_a_routine(
    answer: CheckInAnswer, emergency: bool, time_of_day: TimeOfDay | None
) -> None:
    outcome = decide(answer, emergency=emergency, time_of_day=time_of_day)
    blocked = emergency or answer is CheckInAnswer.WARNING_SIGNS
    assert routine_allowed(outcome) is not blocked
    if blocked:
        assert outcome.suggested_routine is None
        assert outcome.urgency is not Urgency.NONE
        adjusted = apply_outcome(ROUTINE, outcome)
        assert adjusted.is_empty
        assert {d.reason for d in adjusted.dropped} == {DropReason.ROUTINE_NOT_ALLOWED}
        assert len(adjusted.dropped) == len(ROUTINE)


outcome_fields = st.fixed_dictionaries(
    {
        "answer": st.sampled_from([None, *CheckInAnswer]),
        "may_start_routine": st.booleans(),
        "urgency": st.sampled_from(list(Urgency)),
        "hold_scale": st.sampled_from([0.0, 0.5, 0.75, 1.0]),
        "stretch_filter": st.sampled_from(list(StretchFilter)),
        "suggested_routine": st.sampled_from([None, FLARE_UP_ROUTINE_ID, MORNING_ROUTINE_ID]),
        "suggestions": st.just(()),
        "message_ids": st.just(()),
    }
)


@given(fields=outcome_fields)
def test_no_outcome_with_warning_signs_or_urgency_can_be_built_to_allow_a_routine(
    fields: dict[str, object],
) -> None:
    try:
        outcome = CheckInOutcome(**fields)  # type: ignore[arg-type]
    except ValueError:
        return
    if outcome.answer is CheckInAnswer.WARNING_SIGNS or outcome.urgency is not Urgency.NONE:
        assert not routine_allowed(outcome)
        assert outcome.suggested_routine is None
        assert apply_outcome(ROUTINE, outcome).is_empty


def test_a_warning_signs_outcome_cannot_be_edited_into_one_that_allows_a_routine() -> None:
    outcome = decide(CheckInAnswer.WARNING_SIGNS)
    with pytest.raises(ValueError, match="never lead into a routine"):
        dataclasses.replace(
            outcome, may_start_routine=True, hold_scale=1.0, stretch_filter=StretchFilter.ALL
        )
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.may_start_routine = True  # type: ignore[misc]


def test_outcome_invariants() -> None:
    fine = decide(CheckInAnswer.FINE)
    with pytest.raises(ValueError, match="blocks routines"):
        dataclasses.replace(fine, may_start_routine=False, hold_scale=0.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        dataclasses.replace(fine, hold_scale=1.5)
    with pytest.raises(ValueError, match="exactly when"):
        dataclasses.replace(fine, hold_scale=0.0)


# --- when to ask ---------------------------------------------------------------------------

TODAY = dt.date(2025, 3, 14)


def test_asked_on_first_use() -> None:
    assert should_ask_check_in(None, TODAY)


def test_asked_at_most_once_a_day() -> None:
    assert not should_ask_check_in(TODAY, TODAY)
    assert should_ask_check_in(TODAY - dt.timedelta(days=1), TODAY)
    assert should_ask_check_in(dt.date(2024, 12, 31), dt.date(2025, 1, 1))


def test_asked_again_when_the_user_asks() -> None:
    assert should_ask_check_in(TODAY, TODAY, asked_explicitly=True)


def test_a_date_that_moved_back_counts_as_a_new_day() -> None:
    assert should_ask_check_in(TODAY + dt.timedelta(days=1), TODAY)


def test_asked_again_the_same_day_after_an_outcome_that_blocked_routines() -> None:
    assert should_ask_check_in(TODAY, TODAY, last_outcome=decide(CheckInAnswer.WARNING_SIGNS))
    assert should_ask_check_in(TODAY, TODAY, last_outcome=it_hurts())
    assert not should_ask_check_in(TODAY, TODAY, last_outcome=decide(CheckInAnswer.FLARE_UP))
    assert not should_ask_check_in(TODAY, TODAY, last_outcome=skipped_check_in())


@given(
    last=st.dates(),
    today=st.dates(),
    explicit=st.booleans(),
    answer=st.sampled_from([None, *CheckInAnswer]),
    emergency=st.booleans(),
)
def test_the_once_a_day_rule_across_dates(
    last: dt.date,
    today: dt.date,
    explicit: bool,
    answer: CheckInAnswer | None,
    emergency: bool,
) -> None:
    outcome = None if answer is None else decide(answer, emergency=emergency)
    asked = should_ask_check_in(last, today, explicit, last_outcome=outcome)
    blocked = outcome is not None and not routine_allowed(outcome)
    assert asked == (explicit or last != today or blocked)


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (dt.time(3, 59), TimeOfDay.EVENING),
        (dt.time(4, 0), TimeOfDay.MORNING),
        (dt.time(11, 59, 59), TimeOfDay.MORNING),
        (dt.time(12, 0), TimeOfDay.EVENING),
        (dt.time(21, 30), TimeOfDay.EVENING),
        (dt.datetime(2025, 3, 14, 7, 15), TimeOfDay.MORNING),
        (dt.datetime(2025, 3, 14, 7, 15, tzinfo=dt.UTC), TimeOfDay.MORNING),
    ],
)
def test_time_of_day(clock: dt.time | dt.datetime, expected: TimeOfDay) -> None:
    assert time_of_day_at(clock) is expected


# --- applying an outcome to a routine -------------------------------------------------------


def test_fine_keeps_the_routine_as_it_is() -> None:
    adjusted = apply_outcome(ROUTINE, decide(CheckInAnswer.FINE))
    assert not adjusted.dropped
    assert [i.stretch for i in adjusted.items] == [s for s, _ in ROUTINE]
    assert [i.hold_seconds for i in adjusted.items] == [40.0, 40.0, None, 600.0, 4.0]
    assert not any(i.shortened for i in adjusted.items)


def test_gentler_holds_shorten_static_holds_only() -> None:
    adjusted = apply_outcome(ROUTINE, decide(CheckInAnswer.SORE))
    holds = {i.stretch.id: (i.original_hold_seconds, i.hold_seconds) for i in adjusted.items}
    assert holds["childs-pose"] == (40.0, 30.0)  # the stretch's own hold, times 0.75
    assert holds["pigeon-pose"] == (40.0, 30.0)  # the routine's hold, times 0.75
    assert holds["dead-bug"] == (None, None)  # reps are left alone
    assert holds["ice-on-flare-up"] == (600.0, 600.0)  # self-care keeps its time
    assert holds["short-hold"] == (4.0, 4.0)  # never below the minimum, never lengthened
    assert not adjusted.dropped


def test_a_flare_up_drops_stretches_that_are_not_flare_safe_and_halves_holds() -> None:
    adjusted = apply_outcome(ROUTINE, decide(CheckInAnswer.FLARE_UP))
    assert [i.stretch.id for i in adjusted.items] == [
        "childs-pose",
        "ice-on-flare-up",
        "short-hold",
    ]
    assert [i.hold_seconds for i in adjusted.items] == [20.0, 600.0, 4.0]
    assert [(d.stretch.id, d.reason) for d in adjusted.dropped] == [
        ("pigeon-pose", DropReason.NOT_FLARE_SAFE),
        ("dead-bug", DropReason.NOT_FLARE_SAFE),
    ]


def test_it_hurts_drops_everything() -> None:
    adjusted = apply_outcome(ROUTINE, it_hurts())
    assert adjusted.is_empty
    assert all(d.reason is DropReason.ROUTINE_NOT_ALLOWED for d in adjusted.dropped)


def test_drop_reasons_have_words(content: SafetyContent) -> None:
    for reason in DropReason:
        assert content.drop_reason(reason)


def test_the_stretch_filter() -> None:
    assert StretchFilter.ALL.allows(PIGEON)
    assert StretchFilter.FLARE_SAFE_ONLY.allows(CHILDS_POSE)
    assert not StretchFilter.FLARE_SAFE_ONLY.allows(PIGEON)
    assert not StretchFilter.NONE.allows(CHILDS_POSE)


@pytest.mark.parametrize(
    ("hold", "scale", "expected"),
    [
        (30.0, 1.0, 30.0),
        (30.0, 0.5, 15.0),
        (60.0, 0.75, 45.0),
        (8.0, 0.5, MIN_HOLD_SECONDS),
        (4.0, 0.5, 4.0),
        (31.0, 0.5, 16.0),
    ],
)
def test_scaled_hold(hold: float, scale: float, expected: float) -> None:
    assert scaled_hold(hold, scale) == expected


@given(hold=st.floats(1, 3600), scale=st.sampled_from([0.5, 0.75, 1.0]))
def test_scaled_holds_are_never_longer_and_never_below_the_minimum(
    hold: float, scale: float
) -> None:
    new = scaled_hold(hold, scale)
    assert new <= hold
    assert new >= min(hold, MIN_HOLD_SECONDS)


# --- pain scores ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 5, 10, "7", " 3 ", "10"])
def test_valid_pain_scores(value: object) -> None:
    assert validate_pain_score(value) == int(str(value).strip())
    assert is_valid_pain_score(value)


@pytest.mark.parametrize(
    "value", [-1, 11, 3.5, 3.0, True, False, None, "", "abc", "1e1", "-2", "\u0663", [3]]
)
def test_invalid_pain_scores(value: object) -> None:
    with pytest.raises(PainScoreError, match="whole number from 0 to 10"):
        validate_pain_score(value)
    assert not is_valid_pain_score(value)


def test_pain_trend() -> None:
    assert pain_trend(6, 3) is PainTrend.BETTER
    assert pain_trend(4, 4) is PainTrend.SAME
    assert pain_trend(2, 5) is PainTrend.WORSE
    with pytest.raises(PainScoreError):
        pain_trend(6, 12)


def test_pain_summary_sentences(content: SafetyContent) -> None:
    assert content.pain_summary(6, 3) == "Your back feels better than before: 6 → 3"
    assert content.pain_summary(4, 4) == "Your back feels about the same as before: 4 → 4"
    worse = content.pain_summary(2, 5)
    assert worse.startswith("Your back feels worse than before: 2 → 5.")
    assert "see a professional" in worse


# --- validation errors with locations --------------------------------------------------------


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def load_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "safety.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SafetyFileError) as info:
        load_safety(path, "safety.yaml")
    return [str(p) for p in info.value.problems]


def test_a_small_broken_file_reports_every_problem_with_its_place(tmp_path: Path) -> None:
    text = "version: 2\nwelcome:\n  title: Hi\n  paragrafs: [x]\ncolour: blue\n"
    problems = load_problems(tmp_path, text)
    assert "safety.yaml:1:10: version: unsupported version 2; this StretchDesk reads 1" in problems
    assert (
        "safety.yaml:4:3: welcome.paragrafs: unknown field 'paragrafs'; did you mean 'paragraphs'?"
        in problems
    )
    assert "safety.yaml:3:3: welcome: missing required field 'paragraphs'" in problems
    assert any(p.startswith("safety.yaml:5:1: colour: unknown field 'colour'") for p in problems)
    assert "safety.yaml:1:1: missing required field 'check_in'" in problems
    assert len(problems) == 14  # eight missing sections, three missing welcome fields


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "- just\n- a list\n")
    assert problems == [
        "safety.yaml:1:1: expected a mapping of sections (welcome, warning_signs, check_in, ...), "
        "found a list"
    ]


def test_unreadable_yaml_is_reported_too(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "welcome: [unclosed\n")
    assert len(problems) == 1
    assert problems[0].startswith("safety.yaml:2:1: not valid YAML")
    with pytest.raises(SafetyFileError, match="cannot be read"):
        load_safety(tmp_path / "missing.yaml")


def broken(*replacements: tuple[str, str]) -> str:
    """The built-in safety file with each ``old`` text (found exactly once) replaced."""
    text = SAFETY_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_a_missing_check_in_answer(tmp_path: Path) -> None:
    text = broken(("    - id: warning-signs\n", "    - id: warning-sign\n"))
    problems = load_problems(tmp_path, text)
    line = line_of(text, "id: warning-sign")
    first_answer = line_of(text, "answers:") + 1
    assert problems == [
        f"safety.yaml:{line}:11: check_in.answers[4].id: unknown answer 'warning-sign'; "
        "did you mean 'warning-signs'?",
        f"safety.yaml:{first_answer}:5: check_in.answers: the answer 'warning-signs' is missing",
    ]


def test_a_missing_warning_sign_group_and_a_duplicate_sign(tmp_path: Path) -> None:
    text = broken(
        ("    - id: emergency\n", "    - id: urgent\n"),
        ("        - id: leg-weakness\n", "        - id: saddle-numbness\n"),
    )
    problems = load_problems(tmp_path, text)
    urgent = line_of(text, "id: urgent")
    first, duplicate = line_of(text, "id: saddle-numbness"), line_of(text, "id: saddle-numbness", 2)
    assert problems == [
        f"safety.yaml:{urgent}:11: warning_signs.groups[0].id: unknown warning-sign group "
        "'urgent'; expected one of: emergency, see-a-professional",
        f"safety.yaml:{duplicate}:15: warning_signs.groups[0].signs[2].id: duplicate id "
        f"'saddle-numbness'; already used by warning_signs.groups[0].signs[1].id on line {first}",
        f"safety.yaml:{urgent}:5: warning_signs.groups: the warning-sign group 'emergency' "
        "is missing",
    ]


def test_unknown_and_missing_keys_in_nested_entries(tmp_path: Path) -> None:
    text = broken(
        ("      label: Stiff\n", "      lable: Stiff\n"),
        ("      description: Sharp, inflamed", "      descripton: Sharp, inflamed"),
    )
    problems = load_problems(tmp_path, text)
    lable, descripton = line_of(text, "lable: Stiff"), line_of(text, "descripton:")
    assert problems == [
        f"safety.yaml:{lable}:7: check_in.answers[1].lable: unknown field 'lable'; "
        "did you mean 'label'?",
        f"safety.yaml:{lable - 1}:7: check_in.answers[1]: missing required field 'label'",
        f"safety.yaml:{descripton}:7: check_in.answers[3].descripton: unknown field "
        "'descripton'; did you mean 'description'?",
        f"safety.yaml:{descripton - 2}:7: check_in.answers[3]: missing required field "
        "'description'",
    ]


def test_bad_values_are_reported(tmp_path: Path) -> None:
    text = broken(
        ("url: https://www.spine-health.com/", "url: http://www.spine-health.com/"),
        ("moments: [during-hold]\n  - id: stop", "moments: [during-hold, lunch]\n  - id: stop"),
        ("  skip_label: Skip\n", "  skip_label: ''\n"),
        ('better: "Your back feels better than before: {before}', 'better: "Better: {befor}'),
        ("  rest: Rest in", "  nap: Rest in"),
    )
    problems = load_problems(tmp_path, text)
    joined = "\n".join(problems)
    url_line = line_of(text, "url: http://")
    assert (
        f"safety.yaml:{url_line}:12: learn_more.sources[1].url: expected an https:// address, "
        "found the text 'http://www.spine-health.com/'" in problems
    )
    assert "reminders[0].moments[1]: unknown moment 'lunch'" in joined
    assert "pain_score.skip_label: expected text, found empty text" in joined
    assert (
        "pain_score.comparison.better: must use exactly the placeholders {before} and {after}, "
        "not {after}, {befor}" in joined
    )
    assert "suggestions.nap: unknown field 'nap'" in joined
    assert "suggestions: missing required field 'rest'" in joined
    assert len(problems) == 6


def test_a_required_reminder_cannot_be_removed(tmp_path: Path) -> None:
    text = broken(("  - id: morning-mobility\n", "  - id: mornings\n"))
    problems = load_problems(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].endswith(
        "reminders: the reminder 'morning-mobility' is missing; the check-in uses it"
    )


def test_load_safety_text_reads_the_same_content(content: SafetyContent) -> None:
    assert load_safety_text(SAFETY_TEXT) == dataclasses.replace(content, source="safety.yaml")


def test_empty_sections_and_entries_that_are_not_mappings(tmp_path: Path) -> None:
    text = broken(
        ("\nit_hurts:\n  title: Stop here\n", "\nit_hurts:\nit_hurts_old:\n  title: Stop here\n"),
        ("        - id: leg-weakness\n", "        - leg-weakness\n        - id: leg-weakness\n"),
        ('same: "Your back feels about the same', 'same: "{before} {after} {oops'),
    )
    problems = load_problems(tmp_path, text)
    joined = "\n".join(problems)
    it_hurts = line_of(text, "it_hurts:")
    assert f"safety.yaml:{it_hurts}:10: it_hurts: expected a mapping, found nothing" in problems
    assert "it_hurts_old: unknown field 'it_hurts_old'" in joined
    assert (
        "warning_signs.groups[0].signs[2]: expected a sign with id and text, "
        "found the text 'leg-weakness'" in joined
    )
    assert "pain_score.comparison.same: not a valid template: " in joined
    assert len(problems) == 4


def test_a_blank_sign_text_is_refused(tmp_path: Path) -> None:
    text = broken(("          text: Loss of bladder or bowel control\n", "          text: '  '\n"))
    problems = load_problems(tmp_path, text)
    line = line_of(text, "text: '  '")
    assert problems == [
        f"safety.yaml:{line}:17: warning_signs.groups[0].signs[0].text: "
        "expected text, found only spaces"
    ]
