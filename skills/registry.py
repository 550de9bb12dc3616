"""The skill registry: reads each `<root>/<name>/SKILL.md` and its Jinja2 templates, pairs it with
its Python gather function, and adds the skills written wholly in Python (noop). The built-in
set is `skills.builtin.default_registry()`.

One broken skill never hides the others: its problem is recorded in `registry.errors`, naming the
file and the field, and the rest load.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import yaml
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
)

from models.errors import NotFound, SkillError
from models.tables.automations import OUTPUT_CHANNELS, TRIGGER_TYPES
from skills.base import (
    PARAM_TYPES,
    SKILL_MODES,
    Gather,
    Gathered,
    OwnCopy,
    ParamSpec,
    ReportDocument,
    Skill,
    SkillContext,
    SkillMode,
    SkillOutput,
    SkillSpec,
    coerce_param,
    validate_params,
)
from skills.param_words import SpecsBySkill, WordsError, check_words

BUILTIN_DIR = Path(__file__).parent / "builtin"
# layouts every skill's templates may extend ({% extends "_layout.html.j2" %})
SHARED_TEMPLATES = BUILTIN_DIR / "_shared"
PROJECT_DIR = Path(__file__).parent.parent
SKILL_FILE = "SKILL.md"
TEXT_TEMPLATE = "email.txt.j2"
HTML_TEMPLATE = "email.html.j2"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# what an automation may run at most once per ("oncePer" in the front matter)
ONCE_PER = ("application",)
# who a skill's output can go to by role ("roles" in the front matter)
ADDRESSEE_ROLES = ("candidate", "interviewer", "hiring_manager")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?(.*)\Z", re.S | re.M)


class SkillFileError(Exception):
    """A skill folder that cannot be loaded; the message names what is wrong."""


def _label(path: Path) -> str:
    """Paths in messages are relative to the project when they can be (skills/builtin/x/...)."""
    try:
        return path.resolve().relative_to(PROJECT_DIR.resolve()).as_posix()
    except ValueError:
        return str(path)


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The template line a render error happened on: Jinja rewrites tracebacks so template
    frames carry the template's file name and line number."""
    line = getattr(exc, "lineno", None)
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if filename is not None and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


class TemplateSkill:
    """A skill declared by SKILL.md: Python gathers the data, Jinja2 templates render it."""

    def __init__(
        self, spec: SkillSpec, gather: Gather | None, templates: Mapping[str, Template]
    ) -> None:
        self.spec = spec
        self._gather = gather
        self._templates = dict(templates)

    def run(self, ctx: SkillContext) -> SkillOutput:
        if self._gather is None:
            raise SkillError(
                f"Skill {self.spec.name} runs in {self.spec.mode} mode, "
                "which cannot run without an LLM yet"
            )
        return self.render(self.gather(ctx))

    @property
    def can_gather(self) -> bool:
        return self._gather is not None

    def gather(self, ctx: SkillContext) -> Gathered:
        """The data half: checks params, reads the ATS; nothing rendered yet."""
        if self._gather is None:
            raise SkillError(f"Skill {self.spec.name} has no deterministic mode")
        ctx = dataclasses.replace(ctx, params=validate_params(self.spec, ctx.params))
        gathered = self._gather(ctx)
        if ctx.footer is not None:  # a message with its own (a note to a candidate) keeps it
            for context in [gathered.context, *(c for _, c in gathered.copies.values())]:
                context.setdefault("footer", ctx.footer)
        return gathered

    def render(self, gathered: Gathered) -> SkillOutput:
        document = None
        copies: dict[str, OwnCopy] = {}
        if gathered.skipped_reason or not gathered.deliver:
            text = html = ""  # nothing will be sent: do not render what nobody reads
        else:
            text = self._render(TEXT_TEMPLATE, gathered.context)
            html = self._render(HTML_TEMPLATE, gathered.context)
            document = gathered.document
            if document is None and "sections" in gathered.context:
                document = ReportDocument("sections", gathered.context)
            for key, (subject, context) in gathered.copies.items():
                copies[key] = OwnCopy(
                    subject,
                    self._render(TEXT_TEMPLATE, context),
                    self._render(HTML_TEMPLATE, context),
                    ReportDocument("sections", context) if "sections" in context else None,
                )
        return SkillOutput(
            subject=gathered.subject,
            text=text,
            html=html,
            summary=gathered.summary,
            targets=list(gathered.targets),
            skipped_reason=gathered.skipped_reason,
            addressees=dict(gathered.addressees),
            actions=list(gathered.actions),
            after_actions=gathered.after_actions,
            deliver=gathered.deliver,
            document=document,
            llm={"mode": "deterministic"},
            copies=copies,
        )

    def _render(self, name: str, context: Mapping[str, Any]) -> str:
        template = self._templates[name]
        try:
            return template.render(context)
        except TemplateError as exc:
            line = _template_line(exc, template.filename)
            where = f"{self.spec.name}/{name}" + (f" line {line}" if line else "")
            raise SkillError(f"Template {where} failed: {exc.message or exc}") from exc


class SkillRegistry:
    """Skills by name. `errors` lists the skill files that could not be loaded, and why."""

    def __init__(
        self,
        root: Path,
        *,
        gatherers: Mapping[str, Gather],
        python_skills: Iterable[Skill],
    ) -> None:
        self.root = root
        self.errors: list[str] = []
        self._skills: dict[str, Skill] = {}
        for skill in python_skills:
            self._skills[skill.spec.name] = skill
        for folder in sorted(p for p in self.root.iterdir() if (p / SKILL_FILE).is_file()):
            try:
                skill = load_skill_folder(folder, gatherers)
            except SkillFileError as exc:
                self.errors.append(str(exc))
                continue
            if skill.spec.name in self._skills:
                self.errors.append(
                    f"{_label(folder / SKILL_FILE)}: skill '{skill.spec.name}' is defined twice"
                )
                continue
            self._skills[skill.spec.name] = skill

    def get(self, name: str) -> Skill:
        try:
            return self._skills[name]
        except KeyError:
            available = ", ".join(sorted(self._skills)) or "(none)"
            raise NotFound(f"Unknown skill '{name}'. Available: {available}") from None

    def list(self) -> list[SkillSpec]:
        return [self._skills[name].spec for name in sorted(self._skills)]

    def specs(self) -> SpecsBySkill:
        """Each skill's spec by name: how its params read, for read-backs."""
        return {name: skill.spec for name, skill in self._skills.items()}

    def __contains__(self, name: object) -> bool:
        return name in self._skills


def load_skill_folder(folder: Path, gatherers: Mapping[str, Gather]) -> TemplateSkill:
    """Load one skill folder; SkillFileError names the file and the field at fault."""
    skill_file = folder / SKILL_FILE
    label = _label(skill_file)
    spec = parse_skill_file(skill_file, label)
    if spec.name != folder.name:
        raise SkillFileError(
            f"{label}: field 'name' ({spec.name!r}) must match its folder name {folder.name!r}"
        )
    gather = gatherers.get(spec.name)
    if spec.mode == "deterministic" and gather is None:
        raise SkillFileError(
            f"{label}: deterministic skill '{spec.name}' has no Python gather function "
            "(register it in skills/builtin/__init__.py GATHERERS)"
        )
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(folder), FileSystemLoader(SHARED_TEMPLATES)]),
        autoescape=lambda name: bool(
            name and (name.endswith(".html.j2") or name.endswith(".html"))
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    templates: dict[str, Template] = {}
    for name in (TEXT_TEMPLATE, HTML_TEMPLATE):
        path = folder / name
        if not path.is_file():
            if gather is not None:
                raise SkillFileError(f"{_label(path)}: template is missing")
            continue
        try:
            templates[name] = env.get_template(name)
        except TemplateSyntaxError as exc:
            raise SkillFileError(
                f"{_label(path)}: template syntax error at line {exc.lineno}: {exc.message}"
            ) from exc
    return TemplateSkill(spec, gather, templates)


def parse_skill_file(path: Path, label: str) -> SkillSpec:
    """Read SKILL.md: YAML front matter between '---' lines, then the instructions."""
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise SkillFileError(f"{label}: no YAML front matter (the file must start with '---')")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""  # +1 for the '---' line
        problem = getattr(exc, "problem", None) or str(exc)
        raise SkillFileError(f"{label}: front matter is not valid YAML{where}: {problem}") from exc
    if not isinstance(meta, dict):
        raise SkillFileError(f"{label}: front matter must be a mapping of fields")

    def fail(field: str, problem: str) -> SkillFileError:
        return SkillFileError(f"{label}: field '{field}' {problem}")

    name = meta.get("name")
    if not isinstance(name, str) or not name:
        raise fail("name", "is required")
    if not NAME_PATTERN.match(name):
        raise fail("name", "must be lowercase words joined by hyphens, e.g. pipeline-report")
    description = meta.get("description")
    if not isinstance(description, str) or not description.strip():
        raise fail("description", "is required")
    mode = meta.get("automationMode")
    if mode not in SKILL_MODES:
        raise fail("automationMode", "must be one of " + ", ".join(SKILL_MODES))
    triggers = meta.get("triggers", ["cron"])
    if not isinstance(triggers, list) or not all(t in TRIGGER_TYPES for t in triggers):
        raise fail("triggers", "must be a list of " + ", ".join(TRIGGER_TYPES))
    default_output = meta.get("defaultOutput", "email")
    if default_output not in OUTPUT_CHANNELS:
        raise fail("defaultOutput", "must be one of " + ", ".join(OUTPUT_CHANNELS))
    once_per = meta.get("oncePer")
    if once_per not in (None, *ONCE_PER):
        raise fail("oncePer", "must be one of " + ", ".join(ONCE_PER))
    roles = meta.get("roles") or []
    if not isinstance(roles, list) or not all(r in ADDRESSEE_ROLES for r in roles):
        raise fail("roles", "must be a list of " + ", ".join(ADDRESSEE_ROLES))
    hidden = meta.get("hidden", False)
    if not isinstance(hidden, bool):
        raise fail("hidden", "must be true or false")
    raw_params = meta.get("params") or {}
    if not isinstance(raw_params, dict):
        raise fail("params", "must be a mapping of parameter names to their definitions")
    params = {
        str(key): _param_spec(name, str(key), value, fail) for key, value in raw_params.items()
    }
    spec = SkillSpec(
        name=name,
        description=description.strip(),
        mode=cast(SkillMode, mode),
        params=params,
        triggers=tuple(triggers),
        default_output=default_output,
        path=path,
        instructions=match.group(2).strip(),
        once_per=once_per,
        roles=tuple(roles),
        hidden=hidden,
    )
    return spec


def _param_spec(skill: str, key: str, raw: Any, fail: Any) -> ParamSpec:
    field = f"params.{key}"
    if not isinstance(raw, dict):
        raise fail(field, "must be a mapping with at least 'type'")
    kind = raw.get("type")
    if kind not in PARAM_TYPES:
        raise fail(f"{field}.type", "must be one of " + ", ".join(PARAM_TYPES))
    choices = raw.get("choices") or []
    if kind == "enum" and (
        not isinstance(choices, list) or not choices or not all(isinstance(c, str) for c in choices)
    ):
        raise fail(f"{field}.choices", "must be a non-empty list of strings for an enum")
    bounds = {k: raw.get(k) for k in ("minimum", "maximum")}
    for bound, value in bounds.items():
        if value is not None and (kind != "integer" or type(value) is not int):
            raise fail(f"{field}.{bound}", "is an integer, for integer params only")
    lengths = {k: raw.get(k) for k in ("minLength", "maxLength")}
    for bound, value in lengths.items():
        if value is not None and (kind != "string" or type(value) is not int or value < 0):
            raise fail(f"{field}.{bound}", "is a whole number, for string params only")
    spec = ParamSpec(
        type=kind,
        default=None,
        description=str(raw.get("description", "")).strip(),
        choices=tuple(choices),
        required=bool(raw.get("required", False)),
        minimum=bounds["minimum"],
        maximum=bounds["maximum"],
        min_length=lengths["minLength"],
        max_length=lengths["maxLength"],
    )
    if raw.get("words") is not None:
        try:
            spec = dataclasses.replace(spec, words=check_words(spec, raw["words"]))
        except WordsError as exc:
            raise fail(f"{field}.words", str(exc)) from exc
    default = raw.get("default")
    if default is not None:
        try:
            default = coerce_param(skill, key, spec, default)
        except Exception as exc:
            raise fail(f"{field}.default", f"is not valid: {exc}") from exc
    return dataclasses.replace(spec, default=default)
