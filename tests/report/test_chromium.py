"""index.html renders in headless Chromium: a non-blank screenshot of the asked size, figures in the DOM.

Skipped, with the reason, when no Chromium binary is found (Debian: ``apt-get install -y
chromium``; ``.ci/run`` installs it) or matplotlib is missing (no figures to look for).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings

import numpy as np
import pytest

from socialchoice.report import compute, load
from socialchoice.report._write import write_report

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
SIZE = (1280, 2000)
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def _chromium() -> str | None:
    for b in BINARIES:
        p = shutil.which(b)
        if p:
            return p
    return None


def _run(binary: str, *args: str, tmp) -> subprocess.CompletedProcess:
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    pytest.importorskip("matplotlib", reason="figures need matplotlib")
    tmp = tmp_path_factory.mktemp("chromium")
    path = os.path.join(DATA, "preflib", "00005-00000002.toi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = compute(load(path), progress=False, n_resamples=40)
    paths = write_report(rep, str(tmp / "report"))
    return paths["html"], tmp


def test_screenshot_is_not_blank(page):
    binary = _chromium()
    if binary is None:
        pytest.skip("no Chromium binary on PATH (apt-get install -y chromium)")
    html, tmp = page
    shot = tmp / "shot.png"
    res = _run(binary, f"--screenshot={shot}", f"--window-size={SIZE[0]},{SIZE[1]}",
               "file://" + html, tmp=tmp)
    assert shot.exists(), res.stderr[-2000:]
    from matplotlib.image import imread

    img = imread(str(shot))
    assert img.shape[:2] == (SIZE[1], SIZE[0])
    rgb = img[..., :3]
    # non-blank: plenty of non-white pixels and many distinct colours (text, tables, figures)
    assert (rgb.min(-1) < 0.9).mean() > 0.02
    assert len(np.unique((rgb.reshape(-1, 3) * 255).astype(int), axis=0)) > 50


def test_figures_are_in_the_dom(page):
    binary = _chromium()
    if binary is None:
        pytest.skip("no Chromium binary on PATH (apt-get install -y chromium)")
    html, tmp = page
    res = _run(binary, "--dump-dom", "file://" + html, tmp=tmp)
    dom = res.stdout
    assert "What these data say" in dom, res.stderr[-2000:]
    assert dom.count('<svg class="fig"') >= 2  # margin graph and win probabilities
    assert "Axioms violated in these data" in dom and "Bob Kiss" in dom
