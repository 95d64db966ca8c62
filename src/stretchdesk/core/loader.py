"""The catalogue loader: YAML files in, a checked :class:`~stretchdesk.core.model.Catalogue` out.

This is the one place where catalogue YAML is read and validated (the format
is documented in ``docs/catalogue.md``). It never raises on bad input and
never writes a file:

* :func:`load_catalogue` reads the built-in catalogue and merges the user's
  stretch files over it. A file that is not valid YAML is skipped whole; in a
  readable file, each stretch with a problem is skipped and every valid one
  still loads. Every problem is returned, with file, line, column and field
  path, and so are notices such as a user stretch replacing a built-in one.
* :func:`check_files` validates files for ``stretchdesk check``. It dispatches
  on a file's top-level key through a registry (:func:`register_document_kind`)
  so other loaders, such as the routine loader, plug in their own checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stretchdesk.core.model import (
    POSITIONS,
    Advice,
    Area,
    Breath,
    Catalogue,
    Equipment,
    Kind,
    Level,
    Phase,
    Sides,
    Step,
    Stretch,
    TimeOfDay,
)
from stretchdesk.core.validate import Checker, Node, did_you_mean
from stretchdesk.core.yamlsafe import Problem, YamlInputError, YMap, YSeq, gc_paused, read_yaml

SUPPORTED_VERSION = 1

STRETCH_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "summary",
    "areas",
    "kind",
    "level",
    "position",
    "equipment",
    "optional_equipment",
    "desk_friendly",
    "flare_safe",
    "sides",
    "hold_seconds",
    "reps",
    "sets",
    "tempo",
    "hold_step",
    "steps",
    "tips",
    "cautions",
    "advice",
    "best_time",
)
REQUIRED_STRETCH_FIELDS: tuple[str, ...] = ("id", "name", "summary", "areas", "kind", "position")
STEP_FIELDS: tuple[str, ...] = ("text", "pose")
PHASE_FIELDS: tuple[str, ...] = ("breath", "seconds", "step", "label")
REQUIRED_PHASE_FIELDS: tuple[str, ...] = ("breath", "seconds", "step")

BUILTIN_FIELDS: tuple[str, ...] = ("version", "areas", "equipment", "advice", "stretches")
USER_FIELDS: tuple[str, ...] = ("version", "stretches")
AREA_FIELDS: tuple[str, ...] = ("id", "name", "view")
EQUIPMENT_FIELDS: tuple[str, ...] = ("id", "name")
ADVICE_FIELDS: tuple[str, ...] = ("id", "title", "text", "moments")

AREA_VIEWS: tuple[str, ...] = ("front", "back", "both")
ADVICE_MOMENTS: tuple[str, ...] = (
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

# Sanity limits, so a typo cannot turn into an hour-long countdown or an
# overflowing timer further on.
MAX_SECONDS = 3600.0  # one hold or one tempo phase
MAX_REPS = 1000
MAX_SETS = 100

_KINDS = tuple(k.value for k in Kind)
_LEVELS = tuple(v.value for v in Level)
_SIDES = tuple(s.value for s in Sides)
_BREATHS = tuple(b.value for b in Breath)
_TIMES = tuple(t.value for t in TimeOfDay)

_NOT_IN_USER_FILES = {
    "areas": "user files cannot define body areas; only the built-in catalogue does",
    "equipment": "user files cannot define equipment; only the built-in catalogue does",
    "advice": "user files cannot define advice; only the built-in catalogue does",
}
_USER_FILE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What :func:`load_catalogue` found: the catalogue, every problem, and notices.

    ``notices`` are plain sentences for the user that are not problems, e.g.
    ``"my.yaml: 'childs-pose' replaces the built-in stretch of that id"``.
    """

    catalogue: Catalogue
    problems: tuple[Problem, ...]
    notices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Taxonomy:
    """The ids stretches may refer to, in file order (for messages)."""

    areas: tuple[str, ...]
    equipment: tuple[str, ...]
    advice: tuple[str, ...]

    @classmethod
    def of(cls, catalogue: Catalogue) -> _Taxonomy:
        return cls(
            tuple(a.id for a in catalogue.areas),
            tuple(e.id for e in catalogue.equipment),
            tuple(a.id for a in catalogue.advice),
        )


_EMPTY = Catalogue((), (), (), ())


# -- loading -----------------------------------------------------------------------


def load_catalogue(builtin_file: Path, user_dir: Path | None = None) -> LoadResult:
    """The built-in catalogue with the user's stretch files (``user_dir/*.yaml``) merged in.

    User files are read in name order; a user stretch with the id of an
    earlier one replaces it in place, with a notice. A missing ``user_dir`` is
    fine. When the built-in file cannot be read, the result is an empty
    catalogue and the problem, and user files are not read (they could not be
    checked against body areas and equipment).
    """
    problems: list[Problem] = []
    notices: list[str] = []
    with gc_paused():  # thousands of new objects that all stay alive
        builtin, builtin_problems, builtin_notices = _load_builtin(Path(builtin_file))
        problems += builtin_problems
        notices += builtin_notices
        if builtin is _EMPTY:
            return LoadResult(_EMPTY, tuple(problems), tuple(notices))
        merged = {s.id: s for s in builtin.stretches}
        origin = dict.fromkeys(merged, "")  # id -> the user file it came from; "" = built-in
        taxonomy = _Taxonomy.of(builtin)
        files, listing_problems = user_files(user_dir)
        problems += listing_problems
        for path in files:
            stretches, file_problems, file_notices = _load_user_file(path, taxonomy)
            problems += file_problems
            notices += file_notices
            for stretch in stretches:
                previous = origin.get(stretch.id)
                if previous == "":
                    notices.append(
                        f"{path.name}: {stretch.id!r} replaces the built-in stretch of that id"
                    )
                elif previous is not None:
                    notices.append(f"{path.name}: {stretch.id!r} replaces the one in {previous}")
                merged[stretch.id] = stretch
                origin[stretch.id] = path.name
        catalogue = Catalogue(
            builtin.areas, builtin.equipment, builtin.advice, tuple(merged.values())
        )
    return LoadResult(catalogue, tuple(problems), tuple(notices))


def user_files(user_dir: Path | None) -> tuple[list[Path], list[Problem]]:
    """The user's stretch files in the order they are read, and a problem if the folder is not.

    ``*.yaml`` and ``*.yml`` files, sorted by name; hidden files (editor
    back-ups such as ``.#my.yaml``) are left alone.
    """
    if user_dir is None:
        return [], []
    folder = Path(user_dir)
    try:
        if not folder.is_dir():
            return [], []
        names = sorted(
            (
                p
                for p in folder.iterdir()
                if p.suffix in _USER_FILE_SUFFIXES and not p.name.startswith(".") and p.is_file()
            ),
            key=lambda p: p.name,
        )
    except OSError as exc:
        message = f"the folder cannot be read: {exc.strerror or exc}"
        return [], [Problem(str(folder), 1, 1, "", message)]
    return names, []


def _read(path: Path) -> tuple[Any, list[Problem], bool]:
    """The parsed document, the problems if it is unreadable, and whether it was read."""
    try:
        return read_yaml(path), [], True
    except YamlInputError as exc:
        return None, list(exc.problems), False


def _load_builtin(path: Path) -> tuple[Catalogue, list[Problem], list[str]]:
    """The built-in catalogue, its problems, and notices; the catalogue is empty if unusable."""
    document, problems, readable = _read(path)
    if not readable:
        return _EMPTY, problems, [_unreadable_notice(path)]
    check = Checker(str(path))
    catalogue = _parse_builtin(check, Node.root(document), str(path))
    if catalogue is None:
        return _EMPTY, _in_order(check.problems), [_unreadable_notice(path)]
    notices = _skipped_notice(path, document, len(catalogue.stretches))
    return catalogue, _in_order(check.problems), notices


def _load_user_file(
    path: Path, taxonomy: _Taxonomy
) -> tuple[list[Stretch], list[Problem], list[str]]:
    """The valid stretches of one user file, its problems, and notices."""
    document, problems, readable = _read(path)
    if not readable:
        return [], problems, [f"{path.name}: skipped, because it is not readable YAML"]
    check = Checker(str(path))
    stretches = _parse_user(check, Node.root(document), taxonomy, str(path))
    notices = _skipped_notice(path, document, len(stretches))
    return stretches, _in_order(check.problems), notices


def _unreadable_notice(path: Path) -> str:
    return f"{path.name}: the built-in catalogue could not be read, so no stretches are available"


def _skipped_notice(path: Path, document: Any, loaded: int) -> list[str]:
    """``my.yaml: 2 stretches skipped because of the problems listed`` (or nothing)."""
    entries = document.get("stretches") if isinstance(document, YMap) else None
    skipped = len(entries) - loaded if isinstance(entries, YSeq) else 0
    if skipped <= 0:
        return []
    noun = "stretch" if skipped == 1 else "stretches"
    return [f"{path.name}: {skipped} {noun} skipped because of the problems listed"]


def _in_order(problems: list[Problem]) -> list[Problem]:
    """A file's problems from top to bottom (stable for problems at one place)."""
    return sorted(problems, key=lambda p: (p.line, p.column))


# -- checking ------------------------------------------------------------------------

DocumentCheck = Callable[[Any, str, Catalogue], list[Problem]]
"""Checks one parsed document: ``(document, filename, catalogue) -> problems``.

``catalogue`` is what the app would load (built-in plus the user's stretches),
for checking references such as a routine's stretch ids.
"""

_DOCUMENT_KINDS: dict[str, DocumentCheck] = {}


def register_document_kind(key: str, check: DocumentCheck) -> None:
    """Make :func:`check_files` hand documents with the top-level ``key`` to ``check``.

    Kinds are tried in the order they were registered; the first key found in
    a document decides. Registering a key again replaces its check.
    """
    _DOCUMENT_KINDS[key] = check


def document_kinds() -> tuple[str, ...]:
    """The top-level keys :func:`check_files` knows, in the order they are tried."""
    return tuple(_DOCUMENT_KINDS)


def check_stretch_document(document: Any, filename: str, catalogue: Catalogue) -> list[Problem]:
    """Every problem in a user stretch file, checked against ``catalogue``'s taxonomy."""
    check = Checker(filename)
    _parse_user(check, Node.root(document), _Taxonomy.of(catalogue), filename)
    return _in_order(check.problems)


def _check_routine_document(document: Any, filename: str, catalogue: Catalogue) -> list[Problem]:
    # Imported here: the routine module builds on the catalogue, not the other way round.
    from stretchdesk.core.routine import parse_routines

    return parse_routines(document, filename, catalogue)[1]


register_document_kind("stretches", check_stretch_document)
register_document_kind("routines", _check_routine_document)


def check_files(
    paths: Iterable[str | Path], builtin_file: Path, user_dir: Path | None = None
) -> list[Problem]:
    """Every problem in ``paths``, for ``stretchdesk check``; empty when all are valid.

    The built-in catalogue file itself is checked as a full catalogue. Any
    other file is handed to the check registered for its top-level key
    (``stretches``, ``routines``, ...), with the catalogue the app would load
    (the built-in one, plus the stretches in ``user_dir`` when given). Problems
    with the built-in file are reported only when it is among ``paths`` or
    cannot be read at all.
    """
    with gc_paused():
        loaded = load_catalogue(builtin_file, user_dir)
        builtin_problems = [p for p in loaded.problems if p.file == str(Path(builtin_file))]
        problems: list[Problem] = []
        if not loaded.catalogue.areas:  # nothing to check the files against
            problems += builtin_problems
        for name in paths:
            path = Path(name)
            if _same_file(path, Path(builtin_file)):
                if loaded.catalogue.areas:
                    problems += [_renamed(p, str(name)) for p in builtin_problems]
                continue
            problems += _check_file(path, str(name), loaded.catalogue)
    return problems


def _check_file(path: Path, filename: str, catalogue: Catalogue) -> list[Problem]:
    try:
        document = read_yaml(path, filename)
    except YamlInputError as exc:
        return list(exc.problems)
    kinds = document_kinds()
    if isinstance(document, YMap):
        for key in kinds:
            if key in document:
                return _DOCUMENT_KINDS[key](document, filename, catalogue)
    check = Checker(filename)
    root = Node.root(document)
    wanted = " or ".join(repr(k) for k in kinds)
    if document is None:
        check.report(root, f"the file is empty; expected a mapping with {wanted}")
    elif not isinstance(document, YMap):
        check.wrong(root, f"a mapping with {wanted}")
    else:
        for key in document:
            guess = did_you_mean(key, kinds)
            if guess is not None:
                check.report(
                    root.key_mark(key), f"unknown field {key!r}; did you mean {guess!r}?", str(key)
                )
                break
        else:
            check.report(root, f"expected a mapping with {wanted}, found none of them")
    return check.problems


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _renamed(problem: Problem, filename: str) -> Problem:
    """``problem`` naming its file as the user wrote it on the command line."""
    return Problem(filename, problem.line, problem.column, problem.path, problem.message)


# -- parsing -------------------------------------------------------------------------


def _version(check: Checker, top: Node) -> bool:
    """False (with a problem) when the file declares a version this code cannot read."""
    version = top.get("version")
    if version is None or version.value == SUPPORTED_VERSION:
        return True
    if type(version.value) is int and version.value > SUPPORTED_VERSION:
        check.report(
            version,
            f"expected version {SUPPORTED_VERSION}, found {version.value}: the file was "
            "written for a newer StretchDesk",
        )
    else:
        check.wrong(version, f"version {SUPPORTED_VERSION}")
    return False


def _parse_builtin(check: Checker, top: Node, source: str) -> Catalogue | None:
    """The full catalogue in ``top``; None when the file's shape is unusable."""
    if top.value is None:
        check.report(top, "the file is empty; expected a mapping with 'areas' and 'stretches'")
        return None
    fields = check.mapping(
        top,
        allowed=BUILTIN_FIELDS,
        required=("areas", "stretches"),
        what="a mapping with 'areas' and 'stretches'",
    )
    if fields is None or not _version(check, top):
        return None
    areas = _parse_entries(check, top, "areas", "body area", _parse_area)
    equipment = _parse_entries(check, top, "equipment", "piece of equipment", _parse_equipment)
    advice = _parse_entries(check, top, "advice", "piece of advice", _parse_advice)
    taxonomy = _Taxonomy(
        tuple(a.id for a in areas), tuple(e.id for e in equipment), tuple(a.id for a in advice)
    )
    stretches = _parse_stretch_list(check, top, taxonomy, source)
    return Catalogue(tuple(areas), tuple(equipment), tuple(advice), tuple(stretches))


def _parse_user(check: Checker, top: Node, taxonomy: _Taxonomy, source: str) -> list[Stretch]:
    """The valid stretches of a user file."""
    if top.value is None:
        check.report(top, "the file is empty; expected a mapping with 'stretches'")
        return []
    fields = check.mapping(
        top,
        allowed=USER_FIELDS,
        required=("stretches",),
        what="a mapping with 'stretches'",
        not_here=_NOT_IN_USER_FILES,
    )
    if fields is None or not _version(check, top):
        return []
    return _parse_stretch_list(check, top, taxonomy, source)


def _parse_entries(
    check: Checker,
    top: Node,
    key: str,
    what: str,
    parse: Callable[[Checker, Node], Any],
) -> list[Any]:
    """The valid entries of a taxonomy list (``areas``, ``equipment``, ``advice``)."""
    node = top.get(key)
    if node is None:
        return []
    entries: list[Any] = []
    seen: dict[str, Node] = {}
    for item in check.sequence(node, what=f"a list of {what} entries"):
        before = check.count
        entry = parse(check, item)
        id_node = item.get("id")
        if id_node is not None and isinstance(id_node.value, str):
            check.unique(id_node, id_node.value, seen, what=f"{what} id")
        if entry is not None and check.count == before:
            entries.append(entry)
    return entries


def _parse_area(check: Checker, node: Node) -> Area | None:
    if check.mapping(node, allowed=AREA_FIELDS, required=AREA_FIELDS, what="a body area") is None:
        return None
    area_id = check.field(node, "id", check.identifier, required=True)
    name = check.field(node, "name", check.text, required=True)
    view = check.field(
        node, "view", lambda n: check.choice(n, AREA_VIEWS, what="view"), required=True
    )
    if area_id is None or name is None or view is None:
        return None
    return Area(area_id, name, view)


def _parse_equipment(check: Checker, node: Node) -> Equipment | None:
    fields = check.mapping(
        node, allowed=EQUIPMENT_FIELDS, required=EQUIPMENT_FIELDS, what="a piece of equipment"
    )
    if fields is None:
        return None
    equipment_id = check.field(node, "id", check.identifier, required=True)
    name = check.field(node, "name", check.text, required=True)
    if equipment_id is None or name is None:
        return None
    return Equipment(equipment_id, name)


def _parse_advice(check: Checker, node: Node) -> Advice | None:
    fields = check.mapping(
        node, allowed=ADVICE_FIELDS, required=("id", "title", "text"), what="a piece of advice"
    )
    if fields is None:
        return None
    advice_id = check.field(node, "id", check.identifier, required=True)
    title = check.field(node, "title", check.text, required=True)
    text = check.field(node, "text", check.text, required=True)
    moments = check.field(
        node,
        "moments",
        lambda n: check.choice_list(n, ADVICE_MOMENTS, what="moment"),
        default=(),
    )
    if advice_id is None or title is None or text is None or moments is None:
        return None
    return Advice(advice_id, title, text, moments)


def _parse_stretch_list(
    check: Checker, top: Node, taxonomy: _Taxonomy, source: str
) -> list[Stretch]:
    """The valid stretches under ``stretches``; a repeated id is a problem, the first one stays."""
    node = top.get("stretches")
    if node is None:
        return []
    reader = _StretchReader(check, taxonomy, source)
    stretches: list[Stretch] = []
    seen: dict[str, Node] = {}
    for item in check.sequence(node, what="a list of stretches"):
        before = check.count
        stretch = reader.read(item)
        id_node = item.get("id")
        if id_node is not None and isinstance(id_node.value, str):
            check.unique(id_node, id_node.value, seen, what="stretch id")
        if stretch is not None and check.count == before:
            stretches.append(stretch)
    return stretches


class _StretchReader:
    """Checks stretch entries against one taxonomy and builds :class:`Stretch` objects.

    The item checks are bound once here, not rebuilt as closures per field:
    a large catalogue has tens of thousands of fields.
    """

    def __init__(self, check: Checker, taxonomy: _Taxonomy, source: str) -> None:
        self.check = check
        self.taxonomy = taxonomy
        self.source = source

    def read(self, node: Node) -> Stretch | None:
        """The stretch at ``node``, or None when anything in it is wrong (all reported)."""
        check = self.check
        before = check.count
        fields = check.mapping(
            node,
            allowed=STRETCH_FIELDS,
            required=REQUIRED_STRETCH_FIELDS,
            what="a stretch (a mapping with id, name, summary, ...)",
        )
        if fields is None:
            return None
        field = check.field
        stretch_id = field(node, "id", check.identifier, required=True)
        name = field(node, "name", check.text, required=True)
        summary = field(node, "summary", check.text, required=True)
        areas = field(node, "areas", self.areas, required=True)
        kind = field(node, "kind", self.kind, required=True)
        level = field(node, "level", self.level, Level.BASIC)
        positions = field(node, "position", self.positions, required=True)
        equipment = field(node, "equipment", self.equipment, ())
        optional_equipment = field(node, "optional_equipment", self.equipment, ())
        desk_friendly = field(node, "desk_friendly", check.boolean, False)
        flare_safe = field(node, "flare_safe", check.boolean, False)
        sides = field(node, "sides", self.sides, Sides.NONE)
        hold_seconds = field(node, "hold_seconds", self.seconds)
        reps = field(node, "reps", self.reps)
        sets = field(node, "sets", self.sets, 1)
        steps = self.steps(node)
        tempo = field(node, "tempo", self.tempo, ())
        raw_steps = fields.get("steps")
        step_count = len(raw_steps) if isinstance(raw_steps, YSeq) else 0
        self.check_phase_steps(node, step_count)
        hold_step = self.hold_step(node, step_count)
        tips = field(node, "tips", self.texts, ())
        cautions = field(node, "cautions", self.texts, ())
        advice = field(node, "advice", self.advice, ())
        best_time = field(node, "best_time", self.best_time, (TimeOfDay.MORNING, TimeOfDay.EVENING))
        self.check_amount(node, fields)
        if check.count != before:
            return None
        return Stretch(
            id=stretch_id,
            name=name,
            summary=summary,
            areas=areas,
            kind=kind,
            level=level,
            positions=positions,
            steps=steps,
            equipment=equipment,
            optional_equipment=optional_equipment,
            desk_friendly=desk_friendly,
            flare_safe=flare_safe,
            sides=sides,
            hold_seconds=hold_seconds,
            reps=reps,
            sets=sets,
            tempo=tempo,
            hold_step=hold_step,
            tips=tips,
            cautions=cautions,
            advice=advice,
            best_time=best_time,
            source=self.source,
        )

    # -- whole-stretch rules ---------------------------------------------------------

    def check_amount(self, node: Node, fields: YMap) -> None:
        """Exactly one of hold_seconds and reps; reps come with a tempo, holds without."""
        has_hold = fields.get("hold_seconds") is not None
        has_reps = fields.get("reps") is not None
        has_tempo = fields.get("tempo") is not None
        check = self.check
        if not has_hold and not has_reps:
            check.report(node, "expected hold_seconds or reps, found neither")
        elif has_hold and has_reps:
            check.report(
                node.key_mark("reps"),
                "expected either hold_seconds or reps, found both",
                f"{node.path}.reps",
            )
        elif has_reps and not has_tempo:
            check.report(
                node,
                "expected a tempo (the phases of one repetition) with reps, found none",
                f"{node.path}.tempo",
            )
        elif has_hold and has_tempo:
            check.report(
                node.key_mark("tempo"),
                "expected no tempo with hold_seconds (a tempo paces reps), found one",
                f"{node.path}.tempo",
            )

    def steps(self, node: Node) -> tuple[Step, ...]:
        """The steps; a problem (and no steps) when they are missing or empty."""
        steps_node = node.get("steps")
        if steps_node is None:
            self.check.report(node, "missing required field 'steps'")
            return ()
        return (
            self.check.list_of(steps_node, self.step, what="a list of steps", non_empty=True) or ()
        )

    def hold_step(self, node: Node, step_count: int) -> int:
        """The 0-based index of the held step; the last step by default."""
        hold_node = node.get("hold_step")
        if hold_node is None or hold_node.value is None:
            return max(step_count - 1, 0)
        number = self.check.positive_int(hold_node)
        if number is None:
            return 0
        self.check_step_number(hold_node, number, step_count)
        return number - 1

    def check_phase_steps(self, node: Node, step_count: int) -> None:
        """Report tempo phases whose step number is past the last step."""
        tempo_node = node.get("tempo")
        if tempo_node is None:
            return
        for item in tempo_node.items():
            step_node = item.get("step")
            if step_node is not None and type(step_node.value) is int and step_node.value > 0:
                self.check_step_number(step_node, step_node.value, step_count)

    def check_step_number(self, node: Node, number: int, step_count: int) -> None:
        """Report a step number (counting from 1) past the last of ``step_count`` steps."""
        if step_count and number > step_count:
            are = "is 1 step" if step_count == 1 else f"are {step_count} steps"
            self.check.report(
                node,
                f"expected a step number from 1 to {step_count}, found {number} (there {are})",
            )

    # -- one field each ---------------------------------------------------------------

    def areas(self, node: Node) -> tuple[str, ...] | None:
        return self.check.choice_list(node, self.taxonomy.areas, what="body area", non_empty=True)

    def kind(self, node: Node) -> Kind | None:
        value = self.check.choice(node, _KINDS, what="kind")
        return None if value is None else Kind(value)

    def level(self, node: Node) -> Level | None:
        value = self.check.choice(node, _LEVELS, what="level")
        return None if value is None else Level(value)

    def positions(self, node: Node) -> tuple[str, ...] | None:
        if isinstance(node.value, YSeq):
            return self.check.choice_list(node, POSITIONS, what="position", non_empty=True)
        position = self.check.choice(node, POSITIONS, what="position")
        return None if position is None else (position,)

    def equipment(self, node: Node) -> tuple[str, ...] | None:
        return self.check.choice_list(
            node, self.taxonomy.equipment, what="equipment", plural="equipment ids"
        )

    def sides(self, node: Node) -> Sides | None:
        value = self.check.choice(node, _SIDES, what="sides value")
        return None if value is None else Sides(value)

    def seconds(self, node: Node) -> float | None:
        return self.check.positive_number(node, maximum=MAX_SECONDS)

    def reps(self, node: Node) -> int | None:
        return self.check.positive_int(node, maximum=MAX_REPS)

    def sets(self, node: Node) -> int | None:
        return self.check.positive_int(node, maximum=MAX_SETS)

    def step(self, node: Node) -> Step | None:
        value = node.value
        if type(value) is str:
            text = self.check.text(node)
            return None if text is None else Step(text)
        if not isinstance(value, YMap):
            self.check.wrong(node, "a step: text, or a mapping with text and pose")
            return None
        check = self.check
        before = check.count
        check.mapping(node, allowed=STEP_FIELDS, required=("text",), what="a step")
        text = check.field(node, "text", check.text, required=True)
        pose = check.field(node, "pose", self.pose)
        return Step(text, pose) if check.count == before and text is not None else None

    def pose(self, node: Node) -> str | None:
        return self.check.identifier(node, what="a pose id")

    def tempo(self, node: Node) -> tuple[Phase, ...] | None:
        return self.check.list_of(node, self.phase, what="a list of tempo phases", non_empty=True)

    def phase(self, node: Node) -> Phase | None:
        check = self.check
        before = check.count
        if (
            check.mapping(
                node,
                allowed=PHASE_FIELDS,
                required=REQUIRED_PHASE_FIELDS,
                what="a tempo phase (a mapping with breath, seconds and step)",
            )
            is None
        ):
            return None
        breath = check.field(node, "breath", self.breath, required=True)
        seconds = check.field(node, "seconds", self.seconds, required=True)
        step = check.field(node, "step", check.positive_int, required=True)
        label = check.field(node, "label", check.text, "")
        if check.count != before or breath is None or seconds is None or step is None:
            return None
        return Phase(breath, seconds, step - 1, label or "")

    def breath(self, node: Node) -> Breath | None:
        value = self.check.choice(node, _BREATHS, what="breath")
        return None if value is None else Breath(value)

    def texts(self, node: Node) -> tuple[str, ...] | None:
        return self.check.text_list(node)

    def advice(self, node: Node) -> tuple[str, ...] | None:
        return self.check.choice_list(
            node, self.taxonomy.advice, what="advice", plural="advice ids"
        )

    def best_time(self, node: Node) -> tuple[TimeOfDay, ...] | None:
        values = self.check.choice_list(
            node, _TIMES, what="time of day", plural="times of day", non_empty=True
        )
        return None if values is None else tuple(TimeOfDay(v) for v in values)
