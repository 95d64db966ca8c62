"""Fuzzing the loader: whatever the files hold, it reports problems and never raises."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchdesk import resources
from stretchdesk.core.loader import STRETCH_FIELDS, LoadResult, check_files, load_catalogue
from stretchdesk.core.model import Catalogue
from stretchdesk.core.yamlsafe import Problem, YamlInputError, read_yaml_text

REAL_CATALOGUE = resources.data_file("stretches.yaml")

FUZZ_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Words the loader knows, so random documents reach deep into the checks.
KNOWN_WORDS = [
    *STRETCH_FIELDS,
    "stretches",
    "version",
    "areas",
    "equipment",
    "advice",
    "routines",
    "text",
    "pose",
    "breath",
    "seconds",
    "step",
    "label",
    "view",
    "title",
    "moments",
    "static",
    "dynamic",
    "floor",
    "seated",
    "each",
    "in",
    "out",
    "neck",
    "lower-back",
    "morning",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(KNOWN_WORDS),
    st.text(max_size=20),
)
keys = st.one_of(st.sampled_from(KNOWN_WORDS), st.text(max_size=10), st.integers(), st.booleans())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(keys, inner, max_size=6),
    ),
    max_leaves=40,
)
stretch_like = st.dictionaries(
    st.sampled_from(STRETCH_FIELDS), values, max_size=len(STRETCH_FIELDS)
)
documents = st.one_of(
    values,
    st.fixed_dictionaries(
        {"stretches": st.lists(st.one_of(stretch_like, values), max_size=4)},
        optional={"version": values, "areas": values, "equipment": values, "advice": values},
    ),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def assert_well_formed(result: LoadResult) -> None:
    assert isinstance(result.catalogue, Catalogue)
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message
    for stretch in result.catalogue.stretches:
        # the model's invariants hold for everything that loads
        assert (stretch.hold_seconds is None) != (stretch.reps is None)
        assert stretch.steps and stretch.positions and stretch.areas
        assert 0 <= stretch.hold_step < len(stretch.steps)
        assert all(0 <= phase.step < len(stretch.steps) for phase in stretch.tempo)
        assert stretch.reps is None or stretch.tempo
        assert stretch.duration_seconds > 0


def load_everywhere(folder: Path, content: bytes) -> None:
    """Load ``content`` as a built-in catalogue and as a user file, and check it."""
    builtin = folder / "builtin.yaml"
    builtin.write_bytes(content)
    assert_well_formed(load_catalogue(builtin))

    user_dir = folder / "stretches.d"
    user_dir.mkdir(exist_ok=True)
    user_file = user_dir / "mine.yaml"
    user_file.write_bytes(content)
    assert_well_formed(load_catalogue(REAL_CATALOGUE, user_dir))
    assert user_file.read_bytes() == content

    for problem in check_files([user_file, builtin], REAL_CATALOGUE):
        assert isinstance(problem, Problem)


@FUZZ_SETTINGS
@given(document=documents)
def test_random_documents_never_raise(folder, document):
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    load_everywhere(folder, text.encode("utf-8", "surrogatepass"))


# -- mutations of the real catalogue ----------------------------------------------------

REPLACEMENT_VALUES = [
    "true",
    "no",
    "~",
    "-1",
    "0",
    "1e999",
    ".nan",
    "0x_",
    "2024-13-45",
    "[]",
    "{}",
    "[[[]]]",
    "'text'",
    "*nowhere",
    "&anchor x",
    "<<",
    "!!python/object:os.system x",
    "!custom x",
    "|",
    '"unterminated',
    "9" * 5000,
]


class Mutated(bytes):
    """The mutated file, shown in failure reports by the changes made, not its 45 kB."""

    changes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Mutated({list(self.changes)!r})"


@st.composite
def mutated_catalogue(draw: st.DrawFn) -> Mutated:
    lines = REAL_CATALOGUE.read_text(encoding="utf-8").splitlines(keepends=True)
    changes: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        if not lines:
            break
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        operation = draw(
            st.sampled_from(["delete", "duplicate", "swap", "character", "value", "indent"])
        )
        changes.append(f"{operation} {i} {j} {lines[i]!r}")
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "character":
            line = lines[i]
            at = draw(st.integers(min_value=0, max_value=max(len(line) - 1, 0)))
            new = draw(st.sampled_from([*":-[]{}#&*!|>'\" \t\x00é", "\n"]) | st.characters())
            lines[i] = line[:at] + new + line[at + 1 :]
            changes.append(f"-> {lines[i]!r}")
        elif operation == "value" and ": " in lines[i]:
            head = lines[i].split(": ", 1)[0]
            lines[i] = f"{head}: {draw(st.sampled_from(REPLACEMENT_VALUES))}\n"
            changes.append(f"-> {lines[i][:80]!r}")
        elif operation == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "  ", "      "])) + lines[i].lstrip(" ")
    content = Mutated("".join(lines).encode("utf-8", "surrogatepass"))
    content.changes = tuple(changes)
    return content


@FUZZ_SETTINGS
@given(content=mutated_catalogue())
def test_mutations_of_the_real_catalogue_never_raise(folder, content):
    load_everywhere(folder, content)


@FUZZ_SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!<> \n'\"#?|,")), max_size=60))
def test_the_reader_raises_only_its_own_error(text):
    try:
        read_yaml_text(text, "f.yaml")
    except YamlInputError as error:
        assert error.problems and all(p.line >= 1 for p in error.problems)
