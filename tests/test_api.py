"""The public API: a small set of names, each once, typed, and the same whatever was imported first."""

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import rangemap

ROOT = Path(__file__).resolve().parents[1]


def test_the_top_level_exports_about_twenty_names_each_once():
    assert len(rangemap.__all__) == len(set(rangemap.__all__))
    assert len(rangemap.__all__) <= 22


def test_every_public_name_resolves_and_every_public_function_is_fully_annotated():
    missing = []
    for name in rangemap.__all__:
        value = getattr(rangemap, name)
        if inspect.isclass(value):
            continue
        signature = inspect.signature(value)
        missing += [f"{name}({p})" for p, param in signature.parameters.items()
                    if param.annotation is inspect.Parameter.empty]
        if signature.return_annotation is inspect.Signature.empty:
            missing.append(f"{name} -> ?")
    assert missing == []


def test_export_is_the_function_whatever_was_imported_first():
    code = ("import rangemap.outputs.writers, rangemap.outputs.static, rangemap; "
            "import inspect; print(inspect.isfunction(rangemap.export), inspect.isfunction(rangemap.static_map))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "True"]


def test_an_unknown_name_is_an_attribute_error():
    try:
        rangemap.geodesic  # noqa: B018 (the flat module of old)
    except AttributeError as exc:
        assert "geodesic" in str(exc)
    else:
        raise AssertionError("rangemap.geodesic should not exist")


def test_the_package_is_marked_typed():
    assert (ROOT / "rangemap" / "py.typed").exists()
    assert "py.typed" in (ROOT / "pyproject.toml").read_text()


def test_cli_is_reachable_as_a_module():
    assert importlib.import_module("rangemap.cli").main is importlib.import_module("rangemap.cli.main").main
