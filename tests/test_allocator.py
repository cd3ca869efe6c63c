"""Freed memory goes back to the system once a corpus is read (glibc): the heap does not keep
what a batch's buffers freed (analysis.text.allocator)."""
import os
import platform
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="a glibc setting")

# Frees a mapped buffer (glibc then raises its threshold for mapping buffers), before and after
# the corpus is read (or not), then makes 200
# buffers of 500 KB and frees all but the last, which sits on top of the heap: what glibc keeps
# of the other 199 (about 100 MB) is printed, in MB.
PROBE = """
import sys, numpy as np
import analysis
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2 ** 20
big = np.ones(4 * 2 ** 20, np.uint8)
del big  # as imports do before any corpus is read
if sys.argv[1] == "load":
    analysis.load_corpus(sys.argv[2])
big = np.ones(4 * 2 ** 20, np.uint8)
del big
before = rss()
parts = [np.ones(500 * 1024, np.uint8) for _ in range(200)]
last = parts[-1]
del parts
print(round(rss() - before))
"""


def _kept_mb(mode, **env):
    done = subprocess.run([sys.executable, "-c", PROBE, mode, str(SEEDS)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_reading_a_corpus_has_freed_memory_given_back_to_the_system():
    assert _kept_mb("load") < 20
    assert _kept_mb("none") > 50  # glibc's default, which the probe must be able to show


def test_the_users_own_malloc_setting_stands():
    # MALLOC_PERTURB_=0 changes nothing in glibc, but says the user chose glibc's settings
    assert _kept_mb("load", MALLOC_PERTURB_="0") > 50


def test_the_setting_is_made_once_per_process():
    code = ("from analysis.text.allocator import return_freed_memory as r\n"
            "print(r(), r())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")})
    assert done.stdout.split() == ["True", "False"], done.stderr
