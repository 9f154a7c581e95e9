"""The project's set-up files agree with each other and with the README."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
EMBEDDED_FILES = (
    "data/raw/cases.jsonl",
    "data/raw/CODEBOOK.md",
    "data/external/cpi_uk_annual.csv",
    "data/external/cpi_uk_annual.SOURCE.md",
)


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_requirements() -> dict[str, SpecifierSet]:
    project = PYPROJECT["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {_key(r.name): r.specifier for r in map(Requirement, wanted)}


def _conda_requirements() -> dict[str, SpecifierSet]:
    """Every package of environment.yml (conda and pip sections), bar the project itself."""
    listed = {}
    text = (ROOT / "environment.yml").read_text().split("\ndependencies:", 1)[1]
    for line in text.splitlines():
        item = line.strip()
        if not item.startswith("- ") or item.startswith("- -e") or item.endswith(":"):
            continue
        name, _, spec = re.match(r"- ([A-Za-z0-9_.\-]+)\s*(=?)(.*)", item).groups()
        spec = f"=={spec}.*" if _ == "=" and not spec.startswith(("=", ">", "<")) else spec
        listed[_key(name)] = SpecifierSet(spec.replace(" ", ""))
    return listed


def _readme_command(number: int) -> str:
    """The command under the README's "Two commands" comment ``# number.``."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"# {number}."))
    return lines[start + 1]


class TestEnvironmentAgreesWithPyproject:
    def test_every_pyproject_dependency_is_in_environment_yml(self):
        assert set(_pyproject_requirements()) - set(_conda_requirements()) == set()

    def test_environment_yml_lists_nothing_else(self):
        extra = set(_conda_requirements()) - set(_pyproject_requirements())
        assert extra == {"python", "pip"}

    def test_version_bounds_are_the_same(self):
        conda = _conda_requirements()
        differ = {
            name: (str(spec), str(conda[name]))
            for name, spec in _pyproject_requirements().items()
            if spec != conda[name]
        }
        assert differ == {}

    def test_python_version_meets_requires_python(self):
        python = _conda_requirements()["python"]
        version = str(python).removeprefix("==").removesuffix(".*")
        assert version in SpecifierSet(PYPROJECT["project"]["requires-python"])

    def test_joblib_is_declared_and_used(self):
        assert "joblib" in _pyproject_requirements()
        assert re.search(r"^\s*(from joblib|import joblib)", _source_text(), re.MULTILINE)


def _source_text() -> str:
    return "\n".join(p.read_text() for p in (ROOT / "remedy_model").rglob("*.py"))


class TestPackageContents:
    def test_every_subpackage_is_listed(self):
        found = {
            ".".join(init.parent.relative_to(ROOT).parts)
            for init in (ROOT / "remedy_model").rglob("__init__.py")
        }
        listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
        assert found | {"remedy_model._data"} == listed

    def test_data_folder_is_the_data_subpackage(self):
        setuptools = PYPROJECT["tool"]["setuptools"]
        assert setuptools["package-dir"] == {"remedy_model._data": "data"}
        assert (ROOT / "data" / "__init__.py").is_file()

    def test_package_data_names_each_embedded_file(self):
        shipped = PYPROJECT["tool"]["setuptools"]["package-data"]["remedy_model._data"]
        assert sorted(f"data/{name}" for name in shipped) == sorted(EMBEDDED_FILES)

    def test_embedded_data_is_in_the_project(self):
        for path in EMBEDDED_FILES:
            assert (ROOT / path).stat().st_size > 0

    def test_no_second_copy_of_the_data_in_the_package(self):
        names = {Path(p).name for p in EMBEDDED_FILES}
        copies = [p for p in (ROOT / "remedy_model").rglob("*") if p.name in names]
        assert copies == []


class TestCommandsAgree:
    def test_ci_runs_the_readme_test_command(self):
        ci = (ROOT / ".ci" / "run").read_text()
        command = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
        assert command == _readme_command(2)

    def test_test_command_lints_checks_format_and_tests(self):
        command = _readme_command(2)
        for step in ("ruff check .", "ruff format --check .", "python -m pytest"):
            assert step in command

    def test_demo_command_installs_and_runs_the_demo(self):
        command = _readme_command(1)
        assert command.startswith("python3 -m venv .venv && ")
        assert "pip install" in command
        assert command.endswith("remedy demo")

    def test_makefile_test_target_runs_the_same_steps(self):
        makefile = (ROOT / "Makefile").read_text()
        target = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
        for step in ("ruff check .", "ruff format --check .", "-m pytest"):
            assert step in target
