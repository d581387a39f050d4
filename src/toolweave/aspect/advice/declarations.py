"""inject-declarations and add-blank-import: file-level advice, applied once per file."""

from __future__ import annotations

from ...engine import Gen
from ..errors import SpecError
from ..registry import Advice, advice, expect
from . import code_template, render


@advice("inject-declarations")
class InjectDeclarations(Advice):
    """Appends top-level declarations to the file; `links` names packages they reach only
    through `//go:linkname`, which the build must link."""

    def __init__(self, template, links):
        self.template, self.links = template, links

    @classmethod
    def from_value(cls, value, line):
        expect(value, dict, "a code template mapping", line)
        links = expect(value.get("links") or [], list, "a list of import paths", line)
        for link in links:
            if not isinstance(link, str) or not link:
                raise SpecError(f"bad link {link!r}: expected an import path", line)
        template = type(value)((k, v) for k, v in value.items() if k != "links")
        template.lines, template.line = getattr(value, "lines", {}), getattr(value, "line", line)
        return cls(code_template(template, line), tuple(links))

    def templates(self):
        return [self.template]

    def packages(self):
        return super().packages() | frozenset(self.links)

    def apply(self, site, weaver):
        if not weaver.once_per_file(id(self)):
            return
        segments = render(self.template, site, weaver, "declarations")
        weaver.links.update(self.links)
        end = len(weaver.fctx.source.data)
        lead = "" if weaver.fctx.source.data.endswith(b"\n") else "\n"
        weaver.edits.add(end, end, [Gen(lead + "\n")] + segments + [Gen("\n")],
                         origin=f"inject-declarations of {site.aspect_id}")


@advice("add-blank-import")
class AddBlankImport(Advice):
    def __init__(self, path):
        self.path = path

    @classmethod
    def from_value(cls, value, line):
        expect(value, str, "an import path", line)
        if not value or " " in value or '"' in value:
            raise SpecError(f"bad import path {value!r}", line)
        return cls(value)

    def packages(self):
        return frozenset({self.path})

    def apply(self, site, weaver):
        if self.path not in weaver.blank:
            weaver.blank.append(self.path)
