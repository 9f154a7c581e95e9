"""The package finds its embedded data and a writable home however it is installed."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import remedy_model
from remedy_model import config
from remedy_model.cli import app

ROOT = Path(__file__).resolve().parent.parent
FROM_CHECKOUT = Path(remedy_model.__file__).resolve().parent == ROOT / "remedy_model"
SHOW_CONFIG = (
    "import json, remedy_model; from remedy_model import config as c; print(json.dumps({"
    "'package': remedy_model.__file__, 'cases': str(c.CASES_PATH), 'cpi': str(c.CPI_PATH), "
    "'home': str(c.HOME_DIR), 'source': c.HOME_SOURCE, 'models': str(c.MODELS_DIR), "
    "'model': str(c.DEFAULT_MODEL_PATH), 'demo': str(c.DEMO_DIR)}))"
)
# Kept out of the copy the wheel is built from: local state, never part of a release.
NOT_SOURCE = (".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "*_cache", "models")


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that points Python or the package elsewhere."""
    drop = {"REMEDY_HOME", "XDG_DATA_HOME", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "COLUMNS": "80", "MPLBACKEND": "Agg", **extra}


def _show_config(python: str | Path, cwd: Path, **env: str) -> dict:
    done = subprocess.run(
        [str(python), "-c", SHOW_CONFIG],
        cwd=cwd,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


class TestEmbeddedData:
    def test_paths_are_real_files(self):
        for path in (config.CASES_PATH, config.CODEBOOK_PATH, config.CPI_PATH):
            assert isinstance(path, Path)
            assert path.is_file() and path.stat().st_size > 0

    @pytest.mark.skipif(not FROM_CHECKOUT, reason="the package is not imported from this checkout")
    def test_editable_install_reads_the_top_level_data_folder(self, tmp_path):
        from importlib.resources import files

        assert Path(str(files("remedy_model._data"))) == ROOT / "data"
        shown = _show_config(sys.executable, tmp_path, HOME=str(tmp_path))
        assert shown["cases"] == str(ROOT / "data" / "raw" / "cases.jsonl")
        assert shown["cpi"] == str(ROOT / "data" / "external" / "cpi_uk_annual.csv")


class TestWhereModelsAndReportsGo:
    @pytest.mark.skipif(not FROM_CHECKOUT, reason="the package is not imported from this checkout")
    def test_source_checkout_keeps_them_in_the_project(self, tmp_path):
        shown = _show_config(sys.executable, tmp_path, HOME=str(tmp_path))
        assert shown["source"] == "source checkout"
        assert shown["model"] == str(ROOT / "models" / "remedy.npz")
        assert shown["demo"] == str(ROOT / "reports" / "demo")

    def test_remedy_home_overrides(self, tmp_path):
        shown = _show_config(sys.executable, tmp_path, REMEDY_HOME=str(tmp_path / "home"))
        assert shown["source"] == "REMEDY_HOME"
        assert shown["model"] == str(tmp_path / "home" / "models" / "remedy.npz")
        assert shown["demo"] == str(tmp_path / "home" / "reports" / "demo")
        assert Path(shown["cases"]).is_file()

    def test_remedy_home_with_its_own_data_folder(self, tmp_path):
        own = tmp_path / "data" / "raw" / "cases.jsonl"
        own.parent.mkdir(parents=True)
        own.write_text("{}\n")
        shown = _show_config(sys.executable, tmp_path, REMEDY_HOME=str(tmp_path))
        assert shown["cases"] == str(own)

    def test_user_data_folder_follows_xdg(self, monkeypatch, tmp_path):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert config._user_data_dir() == tmp_path / "xdg" / "remedy_model"

    @pytest.mark.parametrize("xdg", [None, "", "relative/share"])
    def test_user_data_folder_falls_back_to_home(self, monkeypatch, tmp_path, xdg):
        monkeypatch.setenv("HOME", str(tmp_path))
        if xdg is None:
            monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_DATA_HOME", xdg)
        assert config._user_data_dir() == tmp_path / ".local" / "share" / "remedy_model"

    def test_version_names_the_folder(self):
        result = CliRunner().invoke(app, ["--version"], env={"COLUMNS": "80"})
        assert result.exit_code == 0
        assert f"remedy_model {remedy_model.__version__}" in result.output
        assert f"models and reports: {config.HOME_DIR} ({config.HOME_SOURCE})" in result.output


def _site_dirs() -> list[str]:
    """This interpreter's site-packages folders (where the dependencies are installed)."""
    return [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]


def _files_under(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if "__pycache__" not in p.parts}


def _set_writable(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~0o222)


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    """A fresh venv holding the built wheel and nothing of this checkout.

    The dependencies come from this interpreter's site-packages through a ``.pth`` file (no
    download); a ``.pth`` file's folders are put on ``sys.path`` after the venv's own
    site-packages and their own ``.pth`` files (e.g. an editable install's finder) are not run,
    so ``remedy_model`` can only come from the wheel.
    """
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    build = [*pip, "wheel", "--no-deps", "--quiet", "--wheel-dir", str(base / "dist"), str(source)]
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    (wheel,) = (base / "dist").glob("remedy_model-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(install, check=True, capture_output=True, timeout=120)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "_test_dependencies.pth").write_text("\n".join(_site_dirs()) + "\n")
    package = Path(site) / "remedy_model"
    _set_writable(package, False)
    yield venv, package
    _set_writable(package, True)


@pytest.mark.slow
class TestWheelInstall:
    def test_code_and_data_come_from_the_wheel(self, wheel_venv, tmp_path):
        venv, package = wheel_venv
        shown = _show_config(venv / "bin" / "python", tmp_path, HOME=str(tmp_path))
        assert Path(shown["package"]).parent == package
        for key, relative in (("cases", "raw/cases.jsonl"), ("cpi", "external/cpi_uk_annual.csv")):
            assert Path(shown[key]) == package / "_data" / relative
            assert Path(shown[key]).read_bytes() == (ROOT / "data" / relative).read_bytes()
        assert shown["source"] == "user data folder"
        assert shown["home"] == str(tmp_path / ".local" / "share" / "remedy_model")

    def test_demo_runs_from_another_folder(self, wheel_venv, tmp_path):
        venv, package = wheel_venv
        before = _files_under(package)
        elsewhere, xdg = tmp_path / "elsewhere", tmp_path / "xdg"
        elsewhere.mkdir()
        env = _clean_env(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(xdg))
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        done = subprocess.run(
            ["remedy", "demo"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        demo = xdg / "remedy_model" / "reports" / "demo"
        assert "Proposed: £500" in done.stdout
        assert str(demo / "demo_precedents.png") in done.stdout.replace("\n", "")
        assert (xdg / "remedy_model" / "models" / "remedy.npz").is_file()
        answer = json.loads((demo / "demo_suggestion.json").read_text())
        assert answer["check"]["proposed_gbp"] == 500
        assert 0 <= answer["low_gbp"] <= answer["median_gbp"] <= answer["high_gbp"]
        stated = [p for p in answer["precedents"] if p["evidence"] == "stated"]
        assert len(stated) == config.DEFAULT_K
        assert _files_under(package) == before
        assert list(elsewhere.iterdir()) == []
