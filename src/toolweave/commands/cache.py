"""`toolweave cache clean|dir`."""

from __future__ import annotations

from ..driver.cache import Cache


def run(args) -> int:
    cache = Cache()
    if args.action == "dir":
        print(cache.root)
        return 0
    removed = cache.clean()
    print(f"removed {removed} files from {cache.root}")
    # GOFLAGS from `toolweave env` name files that were in the cache: the launcher and the
    # generated module file
    print('if you build with GOFLAGS from `toolweave env`, run eval "$(toolweave env)" again')
    return 0
