"""Freed memory given back to the system while a corpus is processed (Linux, glibc).

The pipeline makes and frees many buffers of a few hundred kilobytes (one batch's arrays and
tables). glibc's allocator raises its threshold for giving such buffers their own pages each
time one is freed, so later ones come from the heap, and the heap keeps what is freed there:
at 100 MB of text the process held about 40 MB more at its peak than it used. Setting the
trim threshold (as Dask sets ``MALLOC_TRIM_THRESHOLD_`` for its workers) stops that: freed
memory at the top of the heap goes back to the system, and the threshold for own pages no
longer moves (it is put back where glibc starts it: the imports before may have raised it).
The processing time did not change measurably (``tools/bench.py``: 9.49 s either way, over
four runs each at 100 MB), and the peak fell by 35-45 MB.

This is a setting of the whole process, made once, the first time a corpus is processed. It
is not made where the C library is not glibc, nor when the environment already sets one of
glibc's ``MALLOC_*_`` variables (the user's choice stands).
"""
import ctypes
import ctypes.util
import os
import platform

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameter numbers (malloc.h)
TRIM_THRESHOLD = 64 * 1024  # bytes, as Dask's workers use
MMAP_THRESHOLD = 128 * 1024  # bytes: glibc's own starting value, which imports may have raised
_done = []


def return_freed_memory():
    """Have glibc give freed memory back to the system (see the module); once per process.

    Returns
    -------
    bool
        Whether the setting was made by this call.
    """
    if _done:
        return False
    _done.append(True)
    if platform.libc_ver()[0] != "glibc" or any(k.startswith("MALLOC_") and k.endswith("_")
                                                 for k in os.environ):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        made = [libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD),
                libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)]  # mallopt: 1 done, 0 refused
    except (OSError, AttributeError):
        return False
    return all(made)
