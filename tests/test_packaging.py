"""What we ship: the sdist builds from scratch, the wheel holds every module
and the extension but no path of the machine that built it, and this suite
tests the installed package rather than the checkout.

Building the sdist and a wheel from it takes about a minute: on in CI, or
with ACTCORE_TEST_PACKAGING=1."""
import importlib.metadata
import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile

import pytest

import actcore

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "actcore"

needs_build = pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("ACTCORE_TEST_PACKAGING") == "1"),
    reason="sdist + wheel build runs in CI (or with ACTCORE_TEST_PACKAGING=1)")
needs_git = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                               reason="needs a git checkout")


def _editable():
    try:
        text = importlib.metadata.distribution("actcore").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return None
    return bool(text and json.loads(text).get("dir_info", {}).get("editable"))


def test_suite_runs_against_the_installed_package():
    """A plain `pip install .` puts actcore in site-packages; with the src
    layout nothing in the checkout can shadow it (an editable install maps
    to src/ on purpose)."""
    editable = _editable()
    if editable is None:
        pytest.skip("actcore is not installed (imported through PYTHONPATH)")
    here = pathlib.Path(actcore.__file__).resolve().parent
    on_purpose = {pathlib.Path(p).resolve() for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    if here.parent in on_purpose:  # e.g. tools/sanitize.sh testing its sanitizer build
        pytest.skip(f"actcore imported through PYTHONPATH from {here}")
    if editable:
        assert here == PACKAGE
    else:
        site = {pathlib.Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
        assert here.parent in site, f"actcore imported from {here}, not from site-packages {site}"


def _tracked(*dirs):
    """The checkout's files as a clone would have them (plus new files not yet
    committed), not the build products lying around in it."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *dirs],
                         cwd=ROOT, capture_output=True, check=True)
    return [p for p in out.stdout.decode().split("\0") if p and (ROOT / p).is_file()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """sdist from a copy of the tracked files (the build writes Cython's C
    file and egg-info next to the sources), then a wheel built by pip from
    that sdist alone."""
    work = tmp_path_factory.mktemp("packaging")
    checkout, outdir = work / "checkout", work / "dist"
    for rel in _tracked():
        (checkout / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, checkout / rel)
    env = {k: v for k, v in os.environ.items() if k not in ("ACTCORE_SANITIZE", "ACTCORE_DEBUG", "ACTCORE_NO_EXT")}
    run = dict(capture_output=True, text=True, env=env, timeout=900)
    r = subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(outdir),
                        str(checkout)], **run)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (sdist,) = outdir.glob("actcore-*.tar.gz")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                        "-w", str(outdir), str(sdist)], **run)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (wheel,) = outdir.glob("actcore-*.whl")
    return {"sdist": sdist, "wheel": wheel, "checkout": checkout, "work": work}


@needs_build
@needs_git
def test_sdist_carries_every_tracked_source_and_test(dist):
    with tarfile.open(dist["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    wanted = set(_tracked("src", "src_c", "tests", "tools", "setup.py", "pyproject.toml", "LICENSE", "README.md"))
    assert not wanted - names, f"missing from the sdist: {sorted(wanted - names)}"
    assert "src/actcore/_core.c" not in names  # generated at build time


@needs_build
@needs_git
def test_wheel_from_sdist_holds_every_module_and_the_extension(dist):
    with zipfile.ZipFile(dist["wheel"]) as whl:
        names = set(whl.namelist())
    modules = {p[len("src/"):] for p in _tracked("src/actcore") if p.endswith((".py", ".pyx"))}
    assert not modules - names, f"missing from the wheel: {sorted(modules - names)}"
    assert any(n.startswith("actcore/_core.") and n.endswith((".so", ".pyd")) for n in names), names
    assert not any(n.startswith(("tests/", "tools/", "src/")) for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


@needs_build
@needs_git
def test_wheel_contains_no_build_machine_paths(dist):
    """Debug info and an interpreter's -rpath would put the build directory,
    the build environment and the interpreter's prefix into the extension
    (setup.py builds with -g0 and drops the rpath)."""
    paths = {str(ROOT), str(dist["work"]), sys.prefix, sys.base_prefix, sysconfig.get_config_var("LIBDIR") or "",
             os.path.expanduser("~"), "pip-req-build-", "pip-build-env-", "build-via-sdist-"}
    needles = sorted({p.encode() for p in paths if p and p != "/"})
    found = []
    with zipfile.ZipFile(dist["wheel"]) as whl:
        for name in whl.namelist():
            blob = whl.read(name)
            found += [f"{name}: {n.decode()}" for n in needles if n in blob]
    assert not found, found
