"""The safe YAML reader: positions, plain values, and hostile input refused fast."""

from __future__ import annotations

import datetime
import math
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchdesk.core.yamlsafe import (
    MAX_BYTES,
    MAX_DEPTH,
    Mark,
    Problem,
    YamlInputError,
    YMap,
    YSeq,
    key_mark_of,
    mark_of,
    read_yaml,
    read_yaml_bytes,
    read_yaml_text,
)


def refusal(text: str | bytes) -> Problem:
    """The single problem reading ``text`` gives."""
    with pytest.raises(YamlInputError) as caught:
        if isinstance(text, bytes):
            read_yaml_bytes(text, "f.yaml")
        else:
            read_yaml_text(text, "f.yaml")
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


# -- ordinary documents ---------------------------------------------------------------


def test_values_and_their_positions():
    doc = read_yaml_text("name: Cat-Cow\nreps: 8\nareas:\n  - neck\n  - hips\n", "f.yaml")
    assert doc == {"name": "Cat-Cow", "reps": 8, "areas": ["neck", "hips"]}
    assert isinstance(doc, YMap) and isinstance(doc["areas"], YSeq)
    assert doc.mark == Mark(1, 1)
    assert key_mark_of(doc, "reps") == Mark(2, 1)
    assert mark_of(doc, "reps") == Mark(2, 7)
    assert mark_of(doc["areas"], 1) == Mark(5, 5)
    assert mark_of(doc["areas"], 2) is None
    assert mark_of(doc, "missing") is None


def test_scalars_are_typed_as_yaml_does():
    doc = read_yaml_text(
        "a: yes\nb: ~\nc: 1.5\nd: '7'\ne: 0x1f\nf: 2024-01-02\ng: !!str 3\nh: .inf\n", "f"
    )
    assert doc == {
        "a": True,
        "b": None,
        "c": 1.5,
        "d": "7",
        "e": 31,
        "f": "2024-01-02",  # dates stay text
        "g": "3",
        "h": float("inf"),
    }


@pytest.mark.parametrize(
    "written", ["0x_", "0b_", "2024-13-45", "!!int abc", "!!bool maybe", "!!timestamp soon"]
)
def test_values_that_only_look_typed_stay_text(written):
    doc = read_yaml_text(f"a: {written}\n", "f")
    assert doc["a"] == written.split()[-1]


def test_a_number_too_long_to_convert_stays_text():
    digits = "9" * 5000
    assert read_yaml_text(f"a: {digits}\n", "f")["a"] == digits


def test_plain_merge_sign_outside_a_key_is_text():
    assert read_yaml_text("a: <<\nb: [<<]\n", "f") == {"a": "<<", "b": ["<<"]}
    assert read_yaml_text("<<\n", "f") == "<<"


def test_empty_document_is_none_and_a_bom_is_fine():
    assert read_yaml_text("", "f") is None
    assert read_yaml_text("# only a comment\n", "f") is None
    assert read_yaml_bytes("\ufeffa: 1\n".encode(), "f") == {"a": 1}


def test_merge_keys_fill_in_and_explicit_keys_win():
    doc = read_yaml_text(
        "base: &b {x: 1, y: 2}\nmore: &m {z: 3}\n"
        "c:\n  y: 9\n  <<: [*b, *m]\n"
        "d:\n  <<: *b\n  x: 5\n",
        "f",
    )
    assert doc["c"] == {"y": 9, "x": 1, "z": 3}
    assert doc["d"] == {"x": 5, "y": 2}
    assert mark_of(doc["d"], "x") == Mark(8, 6)


def test_merging_something_other_than_a_mapping_is_refused():
    problem = refusal("a:\n  <<: [1, 2]\n")
    assert (problem.line, problem.message) == (2, "'<<' must merge a mapping or a list of mappings")


def test_aliases_are_shared_values():
    doc = read_yaml_text("a: &x [1, 2]\nb: *x\n", "f")
    assert doc["b"] == [1, 2]
    assert mark_of(doc, "b") == Mark(2, 4)


# -- hostile and broken input ---------------------------------------------------------


def test_a_file_over_the_limit_is_refused_without_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"#" * MAX_BYTES)
    started = time.perf_counter()
    with pytest.raises(YamlInputError) as caught:
        read_yaml(big)
    assert time.perf_counter() - started < 1
    (problem,) = caught.value.problems
    assert problem.file == str(big)
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "the file is 5.0 MB; files over 5 MB are refused"


def test_a_file_at_the_limit_is_read(tmp_path):
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"a: 1\n" + b"#" * (MAX_BYTES - 5))
    assert read_yaml(exact) == {"a": 1}


def test_text_over_the_limit_is_refused():
    problem = refusal("#" * (MAX_BYTES + 1))
    assert "files over 5 MB are refused" in problem.message


def test_an_endless_file_is_refused_without_filling_memory():
    with pytest.raises(YamlInputError) as caught:
        read_yaml(Path("/dev/zero"))
    assert "files over 5 MB are refused" in caught.value.problems[0].message


def test_alias_bomb_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        name, previous = chr(ord("a") + i), chr(ord("a") + i - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    started = time.perf_counter()
    problem = refusal("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1
    assert problem.message == (
        "the file holds more than 2,000,000 values once its aliases are expanded; refused"
    )
    assert problem.line == 7  # where the expansion passes the limit


def test_nesting_at_the_limit_is_fine_and_one_deeper_is_refused():
    assert read_yaml_text("[" * MAX_DEPTH + "]" * MAX_DEPTH, "f") is not None
    problem = refusal("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert (problem.line, problem.column) == (1, MAX_DEPTH + 1)
    assert problem.message == "nested deeper than 64 levels; refused"


def test_very_deep_nesting_is_refused_fast():
    started = time.perf_counter()
    problem = refusal("a: " + "[" * 200_000)
    assert time.perf_counter() - started < 1
    assert problem.message == "nested deeper than 64 levels; refused"


def test_block_nesting_is_refused_too():
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 2))
    assert refusal(text).message == "nested deeper than 64 levels; refused"


def test_bytes_that_are_not_utf8_are_refused_with_their_position():
    problem = refusal(b"name: ok\nsummary: caf\xe9 au lait\n")
    assert (problem.file, problem.line, problem.column) == ("f.yaml", 2, 13)
    assert problem.message == "byte 0xe9 is not valid UTF-8; save the file as UTF-8"


def test_control_characters_are_refused_with_their_position():
    problem = refusal("name: ok\nsummary: é\x07\n")
    assert (problem.line, problem.column) == (2, 11)
    assert problem.message == (
        "not valid YAML: the character U+0007 is not allowed in YAML "
        "(control characters are not allowed)"
    )


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system ['echo hacked']\n", "!!python/object/apply:os.system"),
        (
            "a: !!python/object:collections.OrderedDict {}\n",
            "!!python/object:collections.OrderedDict",
        ),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !!set {x}\n", "!!set"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !custom 1\n", "!custom"),
        ("a: !custom [1]\n", "!custom"),
        ("- !custom {x: 1}\n", "!custom"),
    ],
)
def test_tags_that_build_objects_are_refused(text, tag):
    problem = refusal(text)
    assert problem.message == f"the YAML tag {tag} is not allowed here"
    assert problem.line == 1


def test_duplicate_keys_are_refused_at_the_second_one():
    problem = refusal("id: a\nname: A\nid: b\n")
    assert (problem.line, problem.column) == (3, 1)
    assert problem.message == "the key 'id' appears twice (first on line 1)"


def test_duplicate_keys_in_a_flow_mapping_are_refused():
    assert refusal("- {breath: in, breath: out}\n").message == (
        "the key 'breath' appears twice (first on line 1)"
    )


def test_a_mapping_as_a_key_is_refused():
    problem = refusal("? [a, b]\n: 1\n")
    assert problem.message == "a mapping key must be a plain value, not a list or mapping"


def test_multiple_documents_are_refused():
    problem = refusal("a: 1\n---\nb: 2\n")
    assert (problem.line, problem.message) == (2, "only one YAML document is allowed")


def test_unknown_alias_is_refused():
    problem = refusal("a: *nowhere\n")
    assert (problem.line, problem.column, problem.message) == (1, 4, "unknown alias *nowhere")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: [1, 2\nb: 3\n", 2, 2),
        ("a: 1\n b: 2\n", 2, 3),
        ("a: 'unterminated\n", 2, 1),
        ("stretches:\n  - id: x\n   name: y\n", 3, 4),
        ("a:\tb\n\tc: 1\n", 2, 1),
    ],
)
def test_syntax_errors_say_where(text, line, column):
    problem = refusal(text)
    assert problem.message.startswith("not valid YAML: ")
    assert (problem.line, problem.column) == (line, column)


def test_unreadable_paths_are_reported(tmp_path):
    with pytest.raises(YamlInputError) as caught:
        read_yaml(tmp_path / "missing.yaml")
    assert caught.value.problems[0].message == "cannot be read: No such file or directory"
    with pytest.raises(YamlInputError) as caught:
        read_yaml(tmp_path, "shown-name")
    assert caught.value.problems[0].file == "shown-name"
    assert caught.value.problems[0].message.startswith("cannot be read: ")


def test_problem_prints_as_file_line_column_path_message():
    assert str(Problem("f.yaml", 3, 7, "a.b", "bad")) == "f.yaml:3:7: a.b: bad"
    assert str(Problem("f.yaml", 1, 1, "", "bad")) == "f.yaml:1:1: bad"
    error = YamlInputError([Problem("f.yaml", 1, 1, "", "bad"), Problem("f.yaml", 2, 1, "", "x")])
    assert str(error) == "f.yaml:1:1: bad\nf.yaml:2:1: x"


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789+-._:eExXbBoOaAfFnNyYtTrRuUlL~ ")), max_size=12
    )
)
def test_plain_scalars_are_typed_like_pyyaml_safe_load(word):
    """Plain scalars get PyYAML's values, except text PyYAML itself cannot convert."""
    text = f"a: {word}\n"
    try:
        expected = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, KeyError):  # PyYAML fails; the reader keeps text
        return
    try:
        got = read_yaml_text(text, "f")
    except YamlInputError:  # both refuse it as YAML (checked by the reader's own tests)
        return
    if isinstance(expected, dict) and isinstance(expected.get("a"), datetime.date):
        assert got["a"] == word.strip()
        return
    value, wanted = got["a"], expected["a"]
    assert type(value) is type(wanted)
    assert value == wanted or (
        isinstance(value, float) and math.isnan(value) and math.isnan(wanted)
    )
