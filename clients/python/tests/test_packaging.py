"""What the package ships: one version string, and its type annotations (PEP 561)."""

import importlib.metadata
import importlib.resources
import sys
from pathlib import Path

import pytest

import helpline

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else pytest.importorskip("tomli")


def _project():
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def test_the_version_is_written_once():
    project = _project()
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "helpline.__version__"}
    assert importlib.metadata.version("helpline") == helpline.__version__


def test_the_package_declares_its_types():
    assert importlib.resources.files("helpline").joinpath("py.typed").is_file()
    assert "py.typed" in _project()["tool"]["setuptools"]["package-data"]["helpline"]
