"""Settings: defaults, validation with locations, the YAML form, migrations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchdesk.core.settings import (
    CURRENT_VERSION,
    MIGRATIONS,
    ROUTINE_ID_PATTERN,
    Appearance,
    FixedReminder,
    ParsedSettings,
    Player,
    Reminders,
    Settings,
    Spec,
    Theme,
    TimeSpan,
    UnreadableSettings,
    WorkingHours,
    migrate,
    parse_settings,
    spec_of,
    to_yaml_dict,
)
from stretchdesk.core.yamlsafe import YMap, read_yaml_text


def parse(text: str) -> ParsedSettings:
    return parse_settings(read_yaml_text(text, "settings.yaml"), "settings.yaml")


def messages(parsed: ParsedSettings) -> list[str]:
    return [str(p) for p in parsed.problems]


def dump(settings_: Settings) -> str:
    return yaml.safe_dump(to_yaml_dict(settings_), sort_keys=False, allow_unicode=True)


# --- defaults -----------------------------------------------------------------------------


def test_defaults_match_the_product_brief() -> None:
    s = Settings()
    assert s.appearance.theme is Theme.SYSTEM
    assert s.player.prepare_seconds == 5
    assert s.player.chimes and s.player.voice
    assert 0 <= s.player.chime_volume <= 100
    assert s.player.voice_rate == 0.0
    assert s.reminders.enabled
    assert s.reminders.short_every_minutes == 30
    assert s.reminders.long_every_minutes == 120
    assert s.reminders.postpone_minutes == 5
    assert s.reminders.natural_breaks
    assert s.reminders.fixed == ()
    assert s.reminders.working_hours.monday == TimeSpan(dt.time(9), dt.time(17))
    assert s.reminders.working_hours.sunday is None
    assert s.safety.last_checkin is None
    assert not s.safety.welcome_shown
    assert not s.desktop.start_at_login
    assert not s.desktop.close_to_tray_notice_shown


def test_settings_are_frozen_and_hashable() -> None:
    s = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.player = Player()  # type: ignore[misc]
    assert hash(s) == hash(Settings())


def test_every_field_declares_a_spec_with_a_doc() -> None:
    def walk(cls: type, prefix: str) -> list[str]:
        paths = []
        for f in dataclasses.fields(cls):
            spec = f.metadata["spec"]
            assert isinstance(spec, Spec) and spec.doc
            hint = typing.get_type_hints(cls)[f.name]
            if dataclasses.is_dataclass(hint):
                paths += walk(hint, prefix + f.name + ".")
            else:
                paths.append(prefix + f.name)
        return paths

    paths = walk(Settings, "")
    assert "reminders.working_hours.friday" in paths
    assert spec_of("player.voice_rate") == Spec(
        spec_of("player.voice_rate").doc, minimum=-1.0, maximum=1.0
    )
    assert spec_of("reminders.postpone_minutes").choices == (5, 10)
    with pytest.raises(KeyError):
        spec_of("player.nope")


def test_empty_document_gives_defaults() -> None:
    assert parse("") == ParsedSettings(Settings())
    assert parse("version: 2\n") == ParsedSettings(Settings())


# --- changing settings --------------------------------------------------------------------


def test_replace_and_evolve_check_values() -> None:
    s = Settings()
    changed = s.replace(player=s.player.replace(chimes=False))
    assert changed.player.chimes is False
    assert s.player.chimes is True  # the original is untouched

    evolved = s.evolve({"reminders.short_every_minutes": 20, "appearance.theme": "dark"})
    assert evolved.reminders.short_every_minutes == 20
    assert evolved.appearance.theme is Theme.DARK
    assert evolved.get("reminders.short_every_minutes") == 20

    with pytest.raises(ValueError, match=r"short_every_minutes: expected a whole number"):
        s.evolve({"reminders.short_every_minutes": 1})
    with pytest.raises(ValueError, match=r"postpone_minutes: expected 5 or 10, found 7"):
        s.evolve({"reminders.postpone_minutes": 7})
    with pytest.raises(KeyError):
        s.evolve({"reminders.short_every_minute": 20})
    with pytest.raises(KeyError):
        s.evolve({"reminders.enabled.deeper": True})
    with pytest.raises(KeyError):
        s.get("player.nope")


def test_construction_checks_and_normalises() -> None:
    with pytest.raises(ValueError, match=r"Player.prepare_seconds"):
        Player(prepare_seconds=-1)
    with pytest.raises(ValueError, match=r"Player.chimes: expected true or false"):
        Player(chimes="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Reminders.working_hours"):
        Reminders(working_hours={"monday": None})  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Player(voice_rate=float("nan"))
    assert isinstance(Player(voice_rate=1).voice_rate, float)  # type: ignore[arg-type]
    reminder = FixedReminder("08:30", "morning")  # type: ignore[arg-type]
    assert reminder.time == dt.time(8, 30)
    assert Reminders(fixed=[reminder]).fixed == (reminder,)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"at most 24"):
        Reminders(fixed=(reminder,) * 25)


def test_time_span() -> None:
    span = TimeSpan.parse("09:00-17:30")
    assert str(span) == "09:00-17:30"
    assert span.contains(dt.time(9)) and not span.contains(dt.time(17, 30))
    night = TimeSpan.parse(" 22:00 - 6:00 ")
    assert night.contains(dt.time(23)) and night.contains(dt.time(5, 59))
    assert not night.contains(dt.time(12))
    for bad in ("9-17", "09:00", "24:00-25:00", "10:00-10:00"):
        with pytest.raises(ValueError):
            TimeSpan.parse(bad)


def test_working_hours_by_weekday() -> None:
    hours = WorkingHours(saturday=TimeSpan(dt.time(10), dt.time(12)))
    assert hours.for_weekday(dt.date(2024, 6, 1).weekday()) == hours.saturday  # a Saturday
    assert hours.for_weekday(6) is None


# --- writing ------------------------------------------------------------------------------


def test_only_non_defaults_are_written() -> None:
    assert to_yaml_dict(Settings()) == {"version": CURRENT_VERSION}
    s = Settings().evolve(
        {
            "appearance.theme": Theme.DARK,
            "player.voice_rate": -0.5,
            "reminders.working_hours.monday": None,
            "reminders.working_hours.saturday": TimeSpan(dt.time(10), dt.time(12)),
            "reminders.fixed": (FixedReminder(dt.time(8, 30), "morning", "after coffee"),),
            "safety.last_checkin": dt.date(2024, 5, 31),
        }
    )
    assert to_yaml_dict(s) == {
        "version": CURRENT_VERSION,
        "appearance": {"theme": "dark"},
        "player": {"voice_rate": -0.5},
        "reminders": {
            "working_hours": {"monday": None, "saturday": "10:00-12:00"},
            "fixed": [{"time": "08:30", "routine": "morning", "label": "after coffee"}],
        },
        "safety": {"last_checkin": "2024-05-31"},
    }
    # A fixed reminder's own defaults are left out too.
    plain = Settings().evolve({"reminders.fixed": (FixedReminder(dt.time(7), "wake-up"),)})
    assert to_yaml_dict(plain)["reminders"]["fixed"] == [{"time": "07:00", "routine": "wake-up"}]


def test_yaml_round_trip() -> None:
    s = Settings().evolve(
        {
            "player.prepare_seconds": 0,
            "reminders.fixed": (
                FixedReminder(dt.time(17, 30), "evening-unwind", "yes"),
                FixedReminder(dt.time(8, 5), "morning", "08:30 ☕ — after coffee"),
            ),
        }
    )
    parsed = parse(dump(s))
    assert parsed.problems == ()
    assert parsed.settings == s


# --- validation: every path, with locations -----------------------------------------------


def test_unknown_key_in_a_section_suggests_the_right_one() -> None:
    parsed = parse("player:\n  chime_volme: 30\n")
    assert messages(parsed) == [
        "settings.yaml:2:3: player.chime_volme: unknown setting, ignored; "
        "did you mean 'chime_volume'?"
    ]
    assert parsed.settings == Settings()


def test_setting_in_the_wrong_section_suggests_its_full_path() -> None:
    parsed = parse("version: 2\ntheme: dark\nreminders:\n  prepare_second: 3\n")
    assert messages(parsed) == [
        "settings.yaml:2:1: theme: unknown setting, ignored; did you mean 'appearance.theme'?",
        "settings.yaml:4:3: reminders.prepare_second: unknown setting, ignored; "
        "did you mean 'player.prepare_seconds'?",
    ]


def test_unknown_key_without_a_close_match() -> None:
    parsed = parse("colour_scheme_of_doom: 1\n")
    assert messages(parsed) == [
        "settings.yaml:1:1: colour_scheme_of_doom: unknown setting, ignored"
    ]


def test_wrong_types_fall_back_to_the_default_for_that_field_only() -> None:
    text = (
        "player:\n"
        "  prepare_seconds: soon\n"  # 2
        "  chimes: 'yes'\n"  # 3
        "  rest_seconds: 20\n"  # 4
        "  voice_rate: [1]\n"  # 5
        "reminders: 30\n"  # 6
        "safety:\n"
        "  last_checkin: yesterday\n"  # 8
        "  welcome_shown: true\n"
    )
    parsed = parse(text)
    assert messages(parsed) == [
        "settings.yaml:2:20: player.prepare_seconds: expected a whole number from 0 to 60, "
        "found 'soon'; using the default (5)",
        "settings.yaml:3:11: player.chimes: expected true or false, found 'yes'; "
        "using the default (true)",
        "settings.yaml:5:15: player.voice_rate: expected a number from -1 to 1, found a list; "
        "using the default (0.0)",
        "settings.yaml:6:12: reminders: expected a mapping of settings, found 30; "
        "using the defaults",
        "settings.yaml:8:17: safety.last_checkin: expected a date like 2024-05-31, or nothing, "
        "found 'yesterday'; using the default (off)",
    ]
    # The good values next to the bad ones are kept.
    assert parsed.settings.player.rest_seconds == 20
    assert parsed.settings.safety.welcome_shown is True
    assert parsed.settings.player.prepare_seconds == 5


def test_out_of_range_values() -> None:
    parsed = parse(
        "player:\n  chime_volume: 101\n  voice_rate: -1.5\n"
        "reminders:\n  short_every_minutes: 0\n  max_postpones: .inf\n"
    )
    assert messages(parsed) == [
        "settings.yaml:2:17: player.chime_volume: expected a whole number from 0 to 100, "
        "found 101; using the default (70)",
        "settings.yaml:3:15: player.voice_rate: expected a number from -1 to 1, found -1.5; "
        "using the default (0.0)",
        "settings.yaml:5:24: reminders.short_every_minutes: expected a whole number from 5 to "
        "240, found 0; using the default (30)",
        "settings.yaml:6:18: reminders.max_postpones: expected a whole number from 0 to 10, "
        "found inf; using the default (3)",
    ]


def test_bad_choices_suggest_the_closest_one() -> None:
    parsed = parse("appearance:\n  theme: drak\nreminders:\n  postpone_minutes: 15\n")
    assert messages(parsed) == [
        "settings.yaml:2:10: appearance.theme: expected system, light or dark, found 'drak' "
        "(did you mean 'dark'?); using the default (system)",
        "settings.yaml:4:21: reminders.postpone_minutes: expected 5 or 10, found 15; "
        "using the default (5)",
    ]


def test_yaml_conveniences_are_understood() -> None:
    parsed = parse(
        "player:\n  rest_seconds: 20.0\n  voice_rate: 1\n"
        "reminders:\n"
        "  working_hours:\n"
        "    monday: off\n"  # YAML reads this as false
        "    tuesday: 'off'\n"
        "    wednesday:\n"
        "    saturday: 10:00 - 12:30\n"
        "  fixed:\n"
        "    - {time: 8:30, routine: morning}\n"  # YAML 1.1 reads 8:30 as 510
        "    - {time: '17:45', routine: evening}\n"
        "appearance:\n"  # an empty section
    )
    assert parsed.problems == ()
    s = parsed.settings
    assert s.player.rest_seconds == 20 and s.player.voice_rate == 1.0
    hours = s.reminders.working_hours
    assert hours.monday is hours.tuesday is hours.wednesday is None
    assert hours.saturday == TimeSpan(dt.time(10), dt.time(12, 30))
    assert [r.time for r in s.reminders.fixed] == [dt.time(8, 30), dt.time(17, 45)]
    assert s.appearance == Appearance()


def test_bad_fixed_reminders_are_left_out_one_by_one() -> None:
    text = (
        "reminders:\n"
        "  fixed:\n"
        "    - time: 25:00\n"  # 3: read as 1500 by YAML
        "      routine: morning\n"
        "    - just a string\n"  # 5
        "    - label: no time\n"  # 6
        "      routine: Bad Id\n"  # 7
        "    - time: '12:00'\n"
        "      routine: lunch-walk\n"
        '      label: "after lunch\\nwalk"\n'  # 10
        "    - time: '18:00'\n"
        "      routine: evening\n"
        "      lable: typo\n"  # 13
    )
    parsed = parse(text)
    assert messages(parsed) == [
        "settings.yaml:3:13: reminders.fixed[0].time: expected a time of day like 08:30, "
        "found 25:00; this item is left out",
        "settings.yaml:5:7: reminders.fixed[1]: expected a mapping, found 'just a string'; "
        "left out",
        "settings.yaml:6:7: reminders.fixed[2].time: missing; this item is left out",
        "settings.yaml:7:16: reminders.fixed[2].routine: expected an id of lowercase letters, "
        "digits and hyphens, starting with a letter, found 'Bad Id'; this item is left out",
        "settings.yaml:10:14: reminders.fixed[3].label: expected one line of text of at most "
        "120 characters, found 'after lunch\\nwalk' (line breaks and control characters are "
        "not allowed); using the default ()",
        "settings.yaml:13:7: reminders.fixed[4].lable: unknown setting, ignored; "
        "did you mean 'label'?",
    ]
    assert parsed.settings.reminders.fixed == (
        FixedReminder(dt.time(12), "lunch-walk"),
        FixedReminder(dt.time(18), "evening"),
    )


def test_too_many_fixed_reminders() -> None:
    items = "".join(f"    - {{time: '08:{i:02d}', routine: r}}\n" for i in range(26))
    parsed = parse("reminders:\n  fixed:\n" + items)
    assert messages(parsed) == [
        "settings.yaml:27:7: reminders.fixed[24]: at most 24 are allowed; the rest are left out"
    ]
    assert len(parsed.settings.reminders.fixed) == 24


def test_wrong_container_types() -> None:
    parsed = parse("reminders:\n  fixed: 08:30\n  working_hours: [1]\n")
    assert messages(parsed) == [
        "settings.yaml:2:10: reminders.fixed: expected a list, found '08:30'; using none",
        "settings.yaml:3:18: reminders.working_hours: expected a mapping of settings, "
        "found a list; using the defaults",
    ]


def test_plain_dicts_without_marks_are_read_too() -> None:
    parsed = parse_settings({"player": {"prepare_seconds": 99}}, "<memory>")
    assert messages(parsed) == [
        "<memory>:1:1: player.prepare_seconds: expected a whole number from 0 to 60, found 99; "
        "using the default (5)"
    ]


# --- unreadable as a whole ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b\n", "settings.yaml:1:1: expected a mapping of setting names to values, "),
        ("just text\n", "settings.yaml:1:1: expected a mapping of setting names to values, "),
        ("version: two\n", "settings.yaml:1:10: version: expected a whole number from 1 to 2, "),
        ("a: 1\nversion: 0\n", "settings.yaml:2:10: version: expected a whole number"),
        ("version: true\n", "settings.yaml:1:10: version: expected a whole number"),
    ],
)
def test_unreadable_as_settings(text: str, expected: str) -> None:
    with pytest.raises(UnreadableSettings) as info:
        parse(text)
    assert str(info.value.problem).startswith(expected)
    assert info.value.future_version is None


def test_a_future_version_is_refused() -> None:
    with pytest.raises(UnreadableSettings) as info:
        parse("version: 3\nplayer: {chimes: false}\n")
    assert info.value.future_version == 3
    assert "newer version of StretchDesk" in str(info.value)


# --- migrations ---------------------------------------------------------------------------


V1_TEXT = """\
version: 1
break_interval: 1200
theme: dark
sounds: false
"""


def test_migration_from_version_1() -> None:
    assert len(MIGRATIONS) == CURRENT_VERSION - 1
    parsed = parse(V1_TEXT)
    assert parsed.problems == ()
    assert parsed.migrated_from == 1
    assert parsed.settings == Settings().evolve(
        {
            "reminders.short_every_minutes": 20,
            "appearance.theme": "dark",
            "player.chimes": False,
        }
    )


def test_migration_rounds_seconds_to_minutes_and_keeps_locations() -> None:
    parsed = parse("version: 1\nbreak_interval: 1000\n")
    assert parsed.settings.reminders.short_every_minutes == 17  # 16.7 minutes
    # A bad old value is reported where it is written, under its new name.
    parsed = parse("version: 1\nsounds: 1\nbreak_interval: 60\n")
    assert messages(parsed) == [
        "settings.yaml:2:9: player.chimes: expected true or false, found 1; "
        "using the default (true)",
        "settings.yaml:3:17: reminders.short_every_minutes: expected a whole number from 5 "
        "to 240, found 1; using the default (30)",
    ]
    parsed = parse("version: 1\nbreak_interval: often\n")
    assert "found 'often'" in messages(parsed)[0]


def test_migration_leaves_its_input_alone_and_new_values_win() -> None:
    raw = read_yaml_text(
        "version: 1\nbreak_interval: 600\nreminders:\n  short_every_minutes: 45\n", "s.yaml"
    )
    before = {k: (dict(v) if isinstance(v, dict) else v) for k, v in raw.items()}
    migrated = migrate(raw, 1)
    assert {k: (dict(v) if isinstance(v, dict) else v) for k, v in raw.items()} == before
    assert isinstance(migrated, YMap)
    assert migrated["version"] == 2
    assert migrated["reminders"] == {"short_every_minutes": 45}
    assert "break_interval" not in migrated


def test_migration_of_plain_dicts() -> None:
    migrated = migrate({"version": 1, "break_interval": 900, "player": 5}, 1)
    assert migrated == {"version": 2, "reminders": {"short_every_minutes": 15}, "player": 5}


def test_a_file_without_a_version_is_taken_as_current() -> None:
    parsed = parse("reminders:\n  short_every_minutes: 25\n")
    assert parsed.migrated_from is None
    assert parsed.settings.reminders.short_every_minutes == 25
    # A version-1 key in such a file is only an unknown key, not migrated.
    assert messages(parse("break_interval: 1200\n")) == [
        "settings.yaml:1:1: break_interval: unknown setting, ignored"
    ]


# --- property: any valid Settings survives the round trip exactly -------------------------


def _leaf(tp: Any, spec: Spec) -> st.SearchStrategy[Any]:
    if isinstance(tp, types.UnionType):  # X | None
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return st.none() | _leaf(inner, spec)
    if tp is bool:
        return st.booleans()
    if tp is int:
        if spec.choices:
            return st.sampled_from(spec.choices)
        return st.integers(int(spec.minimum or 0), int(spec.maximum or 0))
    if tp is float:
        return st.floats(spec.minimum, spec.maximum, allow_nan=False)
    if tp is str and spec.pattern:
        return st.from_regex(ROUTINE_ID_PATTERN, fullmatch=True).filter(
            lambda s: len(s) <= (spec.max_length or 0)
        )
    if tp is str:
        alphabet = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
        return st.text(alphabet, max_size=spec.max_length)
    if isinstance(tp, type) and issubclass(tp, enum.StrEnum):
        return st.sampled_from(tp)
    if tp is dt.time:
        return st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
    if tp is dt.date:
        return st.dates()
    if tp is TimeSpan:
        times = _leaf(dt.time, spec)
        return st.tuples(times, times).filter(lambda t: t[0] != t[1]).map(lambda t: TimeSpan(*t))
    raise AssertionError(f"no strategy for {tp!r}")


def settings_strategy(cls: type = Settings) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        tp, spec = hints[f.name], f.metadata["spec"]
        if dataclasses.is_dataclass(tp):
            kwargs[f.name] = settings_strategy(tp)
        elif typing.get_origin(tp) is tuple and typing.get_args(tp)[0] is str:  # a list of ids
            ids = _leaf(str, spec)
            kwargs[f.name] = st.lists(ids, max_size=spec.max_items, unique=True).map(tuple)
        elif typing.get_origin(tp) is tuple:
            item = settings_strategy(typing.get_args(tp)[0])
            kwargs[f.name] = st.lists(item, max_size=spec.max_items).map(tuple)
        else:
            kwargs[f.name] = _leaf(tp, spec)
    return st.builds(cls, **kwargs)


@settings(max_examples=200, deadline=None)
@given(settings_strategy())
def test_any_settings_round_trip_through_yaml_text(s: Settings) -> None:
    parsed = parse(dump(s))
    assert parsed.problems == ()
    assert parsed.settings == s
    assert to_yaml_dict(parsed.settings) == to_yaml_dict(s)


def test_reminder_areas_are_ids_without_repeats() -> None:
    parsed = parse("reminders:\n  areas: [neck, lower-back, neck]\n")
    assert parsed.problems == ()
    assert parsed.settings.reminders.areas == ("neck", "lower-back")
    assert to_yaml_dict(parsed.settings) == {
        "version": 2,
        "reminders": {"areas": ["neck", "lower-back"]},
    }
    bad = parse("reminders:\n  areas: [Neck]\n")
    assert bad.settings.reminders.areas == ()
    assert "using the default (none)" in bad.problems[0].message
    assert messages(parse("reminders:\n  areas: neck\n")) == [
        "settings.yaml:2:10: reminders.areas: expected a list of at most 20 ids, "
        "found 'neck'; using the default (none)"
    ]
