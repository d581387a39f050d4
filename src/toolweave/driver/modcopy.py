"""Woven copies of third-party modules.

Go refuses overlays of files beneath GOMODCACHE (since Go 1.25), so a module from the module
cache that needs weaving is copied once per (module@version, woven content) into the cache,
its woven files written into the copy, and the build `replace`s the module with the copy.
"""

from __future__ import annotations

import os
import shutil

from .cache import Cache, digest


def under(path: str, root: str) -> bool:
    return bool(root) and os.path.abspath(path).startswith(os.path.abspath(root) + os.sep)


def split_woven(woven, packages, gomodcache: str):
    """(files for the overlay, {module: [woven files]} for files under GOMODCACHE)."""
    module_of = {}
    for pkg in packages:
        if pkg.module is not None:
            for f in pkg.go_files:
                module_of[f] = pkg.module
    overlay, copies = [], {}
    for wf in woven:
        module = module_of.get(wf.path)
        if module is not None and under(wf.path, gomodcache):
            copies.setdefault(module, []).append(wf)
        else:
            overlay.append(wf)
    return overlay, copies


def copy_module(cache: Cache, module, files) -> str:
    """The directory of a woven copy of `module` holding `files` (made once per content)."""
    key = digest("modcopy", module.path, module.version, *sorted((wf.path, wf.data) for wf in files))

    def fill(tmp):
        # copyfile, not copy2: module cache files are read-only and we write into the copy.
        shutil.copytree(module.dir, tmp, dirs_exist_ok=True, copy_function=shutil.copyfile)
        for base, dirs, _ in os.walk(tmp):
            os.chmod(base, 0o755)
        for wf in files:
            with open(os.path.join(tmp, os.path.relpath(wf.path, module.dir)), "wb") as f:
                f.write(wf.data)
        if not os.path.exists(os.path.join(tmp, "go.mod")):
            with open(os.path.join(tmp, "go.mod"), "w") as f:
                f.write(f"module {module.path}\n")

    return cache.directory("modcopy", key, fill)
