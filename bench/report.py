#!/usr/bin/env python3
"""Turn one benchmark results file (written by bench/run.py) into docs/benchmarks.md and
PNG charts under docs/benchmarks/.

    python3 bench/report.py bench/results/2026-11-25.json [--docs docs]

As a library (bench/ is not a package: put it on sys.path first):

    from report import write_report
    paths = write_report(results, docs_dir, results_path)

Uses the standard library and matplotlib (Agg backend) only. The output is deterministic:
the same results file gives the same markdown and the same PNG bytes (no timestamps or
software version in the PNG metadata). Missing pieces of the results (a variant, a
scenario, the runtime or allocation sections) show as "—" or are left out.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
ANALYSIS = BENCH_DIR / "analysis.md"

DASH = "—"
COLORS = {"plain": "#8c8c8c", "manual": "#1f77b4", "toolweave": "#ff7f0e", "toolweave-toolexec": "#ffbb78",
          "orchestrion": "#9467bd", "toolweave-default": "#d62728"}
# Labels of the per-round ratio bars of the runtime chart.
RATIO_LABELS = {"rps": "req/s", "p99_ms": "p99", "cpu_us_per_req": "CPU/req", "allocs_per_req": "allocs/req"}
OTHER_COLOR = "#2ca02c"
SCENARIOS = ("cold", "noop", "incremental")
SCENARIO_LABELS = {"noop": "no-op"}
OPS = {"<=": "≤", ">=": "≥"}
VARIANT_MEANINGS = (
    ("plain", "**plain** is the unmodified program built with plain `go build` (no telemetry)"),
    ("manual", "**manual** is the same program instrumented by hand with the same OpenTelemetry "
     "libraries, built with plain `go build`"),
    ("toolweave", "**toolweave** is the unmodified program built with `toolweave go build`"),
    ("toolweave-toolexec", "**toolweave-toolexec** is the unmodified program built with "
     "`go build -toolexec '<toolweave's driver>'` and the rest of the GOFLAGS `toolweave env` "
     "prints (a cold build includes `toolweave env`)"),
    ("orchestrion", "**orchestrion** is the unmodified program built with DataDog's Orchestrion "
     "(`orchestrion go build`), pinned in a copy of the program (bench/orchestrion.py)"),
)
# (top, base) ratio columns of the build tables, where both variants were measured
BUILD_RATIOS = (("toolweave", "plain"), ("toolweave", "manual"), ("toolweave", "orchestrion"),
                ("toolweave-toolexec", "orchestrion"))
STYLE = {
    "figure.figsize": (7, 3.5),
    "savefig.dpi": 110,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "toolweave-bench",
}


# --- formatting -------------------------------------------------------------------------


def fmt_num(value: float) -> str:
    """Seconds and other small quantities: 2 decimals below 10, 1 above."""
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def fmt_ms(value: float) -> str:
    """Milliseconds: 2 decimals."""
    return f"{value:.2f}"


def fmt_int(value: float) -> str:
    """Counts (req/s, allocs, bytes, ns): no decimals, thousands separators."""
    return f"{value:,.0f}"


def fmt_mb(value: float) -> str:
    """Megabytes: 1 decimal."""
    return f"{value:.1f}"


def fmt_range(summary: dict | None, fmt) -> str:
    """'median [min–max]' of a Summary, or a dash."""
    if not summary:
        return DASH
    return f"{fmt(summary['median'])} [{fmt(summary['min'])}–{fmt(summary['max'])}]"


def fmt_median(summary: dict | None, fmt) -> str:
    """The median of a Summary, or a dash."""
    return fmt(summary["median"]) if summary else DASH


def fmt_ratio(top: dict | None, bottom: dict | None) -> str:
    """Ratio of two Summary medians as '1.07x', or a dash."""
    if not top or not bottom or not bottom["median"]:
        return DASH
    return f"{top['median'] / bottom['median']:.2f}x"


def fmt_value(value: float | None, unit: str) -> str:
    """A target's value with its unit ('1.07x', '12.5 MB')."""
    if value is None:
        return DASH
    return f"{fmt_num(value)}{'' if unit in ('', 'x', '%') else ' '}{unit}"


def fmt_duration(seconds: float) -> str:
    """'1 h 05 min', '12 min 03 s' or '42 s'."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def point(value: float) -> dict:
    """A Summary for a single measurement (no spread)."""
    return {"median": value, "min": value, "max": value}


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """Markdown table lines; align is one 'l' or 'r' per column (default: l, then r)."""
    align = align or "l" + "r" * (len(header) - 1)

    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    rule = "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|"
    return [line(header), rule, *(line(r) for r in rows), ""]


# --- data access ------------------------------------------------------------------------


def scenario_order(scenarios: dict) -> list[str]:
    """Known scenarios in their fixed order, then any others in file order."""
    return [s for s in SCENARIOS if s in scenarios] + [s for s in scenarios if s not in SCENARIOS]


def measure(app: dict, scenario: str, variant: str, key: str) -> dict | None:
    """One Summary of a build app (key: wall, cpu, toolweave_rss_mb), or None."""
    return ((app.get("scenarios", {}).get(scenario) or {}).get(variant) or {}).get(key)


def binary_sizes(build: dict) -> dict[str, dict[str, int]]:
    """{app: {variant: bytes}} for the apps that report binary sizes."""
    return {name: app["binary_bytes"] for name, app in build.items() if app.get("binary_bytes")}


def variant_union(per_app: list[list[str]]) -> list[str]:
    """All variants of several apps, in first-seen order."""
    return list(dict.fromkeys(v for variants in per_app for v in variants))


def ratio_rows(results: dict, metrics: list[str], variants: list[str]) -> list[list[str]]:
    """'toolweave / manual' and 'toolweave / plain' rows over the given metrics."""
    rows = []
    for base in ("manual", "plain"):
        if "toolweave" in variants and base in variants:
            top, bottom = results.get("toolweave", {}), results.get(base, {})
            cells = [fmt_ratio(top.get(m), bottom.get(m)) for m in metrics]
            rows.append([f"toolweave / {base}", *cells])
    return rows


# --- charts -----------------------------------------------------------------------------


def color(variant: str) -> str:
    """The fixed color of a variant."""
    return COLORS.get(variant, OTHER_COLOR)


def draw_bars(ax, xs, summaries, width, colors, fmt, label=None):
    """Bars at the medians with min–max error bars (when there is a spread) and labels."""
    heights = [s["median"] for s in summaries]
    low = [s["median"] - s["min"] for s in summaries]
    high = [s["max"] - s["median"] for s in summaries]
    spread = any(low) or any(high)
    bars = ax.bar(xs, heights, width, color=colors, label=label,
                  yerr=[low, high] if spread else None, capsize=3,
                  error_kw={"elinewidth": 1, "ecolor": "#333333"})
    ax.bar_label(bars, labels=[fmt(h) for h in heights], padding=2, fontsize=7)


def grouped_bars(ax, groups: list[str], series: dict[str, list], fmt) -> None:
    """One cluster per group, one bar per variant present in it (centred, in series order);
    series maps variant -> Summary|None per group."""
    width = 0.8 / max(len(series), 3)
    labelled = set()
    for g in range(len(groups)):
        present = [(v, s[g]) for v, s in series.items() if s[g]]
        for i, (variant, summary) in enumerate(present):
            x = g + (i - (len(present) - 1) / 2) * width
            label = None if variant in labelled else variant
            draw_bars(ax, [x], [summary], width, color(variant), fmt, label=label)
            labelled.add(variant)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.margins(y=0.18)


def legend(ax, variants: list[str]) -> None:
    """Inside the axes for up to three variants; right of them beyond (it would hide bars)."""
    if len(variants) <= 3:
        ax.legend(frameon=False, fontsize=8)
    else:
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def variant_bars(ax, variants: list[str], summaries: list, fmt) -> None:
    """One bar per variant (x labels are the variant names)."""
    present = [(v, s) for v, s in zip(variants, summaries) if s]
    if present:
        names, values = zip(*present)
        draw_bars(ax, names, values, 0.6, [color(v) for v in names], fmt)
    ax.margins(y=0.18)


def build_figure(name: str, app: dict):
    """Median wall time per scenario and variant: cold on the left, the rebuilds on the right."""
    scenarios = scenario_order(app.get("scenarios", {}))
    panels = [p for p in ([s for s in scenarios if s == "cold"],
                          [s for s in scenarios if s != "cold"]) if p]
    if not panels:
        return None
    fig, axes = plt.subplots(1, len(panels), width_ratios=[len(p) + 1 for p in panels],
                             squeeze=False)
    variants = app.get("variants", [])
    for ax, panel in zip(axes[0], panels):
        series = {v: [measure(app, s, v, "wall") for s in panel] for v in variants}
        grouped_bars(ax, [SCENARIO_LABELS.get(s, s) for s in panel], series, fmt_num)
    axes[0][0].set_ylabel("wall time (s)")
    legend(axes[0][-1], variants)
    fig.suptitle(f"{name}: build wall time (median, min–max)")
    return fig


def runtime_figure(name: str, data: dict):
    """Per variant throughput, p99 latency and server CPU per request; then the per-round
    ratios toolweave / manual of each metric (median, min–max over rounds)."""
    variants = data.get("variants", [])
    results = data.get("results", {})
    paired = ((data.get("side_by_side") or data).get("paired") or {}).get("toolweave/manual")
    panels = [("rps", "throughput (req/s, higher is better)", fmt_int),
              ("p99_ms", "p99 latency (ms, lower is better)", fmt_ms),
              ("cpu_us_per_req", "server CPU per request (µs)", fmt_int)]
    panels = [p for p in panels if any(p[0] in results.get(v, {}) for v in variants)]
    fig, axes = plt.subplots(1, len(panels) + bool(paired), figsize=(4 * (len(panels) + bool(paired)), 4))
    for ax, (key, title, fmt) in zip(axes, panels):
        variant_bars(ax, variants, [results.get(v, {}).get(key) for v in variants], fmt)
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    if paired:
        ax = axes[-1]
        keys = [k for k in ("rps", "p99_ms", "cpu_us_per_req", "allocs_per_req") if k in paired]
        draw_bars(ax, [RATIO_LABELS.get(k, k) for k in keys], [paired[k] for k in keys], 0.6,
                  color("toolweave"), lambda v: f"{v:.3f}")
        ax.axhline(1.0, color="#333333", linewidth=0.8)
        ax.set_ylim(min(0.8, *(paired[k]["min"] - 0.02 for k in keys)), max(1.2, *(paired[k]["max"] + 0.02 for k in keys)))
        ax.set_title("toolweave / manual, per round" + (" (side by side)" if data.get("side_by_side") else ""),
                     fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle(f"{name}: runtime (median, min–max over {data.get('rounds', '?')} rounds)")
    fig.tight_layout()
    return fig


def sizes_figure(sizes: dict[str, dict[str, int]]):
    """Binary size per app and variant, in MB."""
    variants = variant_union([list(v) for v in sizes.values()])
    fig, ax = plt.subplots()
    series = {v: [point(b[v] / 1e6) if v in b else None for b in sizes.values()]
              for v in variants}
    grouped_bars(ax, list(sizes), series, fmt_mb)
    ax.set_ylabel("binary size (MB)")
    legend(ax, variants)
    fig.suptitle("Binary sizes")
    return fig


def save(fig, path: Path) -> str:
    """Write a figure as a reproducible PNG and close it."""
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return str(path)


# --- markdown sections ------------------------------------------------------------------


def display_path(path: str) -> str:
    """The results path relative to the repository when it lies inside it."""
    try:
        return Path(path).resolve().relative_to(REPO_DIR).as_posix()
    except ValueError:
        return path


def header_lines(info: dict, results_path: str, variants: list[str]) -> list[str]:
    """Generated-file comment, title and the paragraph about the run."""

    def get(key):
        return info.get(key, "?")

    loads = {k: ", ".join(f"{x:.2f}" for x in info.get(k) or []) or "?"
             for k in ("loadavg_before", "loadavg_after")}
    duration = fmt_duration(info["duration_s"]) if "duration_s" in info else "?"
    text = (f"Run finished {get('finished')} in {get('mode')} mode and took {duration}, on a "
            f"machine with {get('cpus')} CPUs ({get('platform')}), {get('go')} and Python "
            f"{get('python')}{' (toolweave installed in a virtual environment)' if info.get('python_venv') else ''}; load average (1, 5, 15 min) {loads['loadavg_before']} before "
            f"and {loads['loadavg_after']} after. toolweave source `{get('toolweave_source')}`.")
    oss = info.get("oss")
    if oss:
        text += (f" The open-source app is `{oss.get('module')}` {oss.get('version')} "
                 f"(package `{oss.get('package')}`).")
    text += f" Reproduce with `{get('command')}`."
    return [f"<!-- Generated by bench/report.py from {display_path(results_path)}; "
            "do not edit. -->", "", "# Benchmarks", "", text, "", *meaning_lines(variants, info)]


def meaning_lines(variants: list[str], info: dict) -> list[str]:
    """What each variant present in the results is; how the Orchestrion peer was set up."""
    meanings = [m for v, m in VARIANT_MEANINGS if v in variants]
    if not meanings:
        return []
    lines = ["; ".join(meanings) + ".", ""]
    peer = info.get("orchestrion")
    if "orchestrion" in variants and peer:
        integrations = ", ".join(f"`{p}`" for p in peer.get("integrations", []))
        missing = "; ".join(f"`{p}`: {why}" for p, why in (peer.get("unavailable") or {}).items())
        lines += [f"Orchestrion `{peer.get('version')}` (dd-trace-go `{peer.get('dd_trace_go')}`), "
                  f"built with `{peer.get('how')}`; integrations in its `orchestrion.tool.go`: "
                  f"{integrations}." + (f" Not available, so not enabled: {missing}." if missing else "")
                  + " Orchestrion's span directive is `//dd:span`, so the apps' `//weave:span` "
                  "functions get no span from it.", ""]
    return lines


def targets_lines(targets: list[dict]) -> list[str]:
    """The targets table and how many were met."""
    lines = ["## Targets", ""]
    if not targets:
        return lines + ["No targets were evaluated.", ""]
    rows = []
    for t in targets:
        unit = t.get("unit", "")
        limit = f"{OPS.get(t.get('op'), t.get('op', ''))} {fmt_value(t.get('limit'), unit)}"
        verdict = {True: "PASS", False: "FAIL"}.get(t.get("pass"), DASH)
        rows.append([t.get("title", t.get("id", "")), limit,
                     fmt_value(t.get("measured"), unit), verdict, t.get("detail", "")])
    met = sum(1 for t in targets if t.get("pass") is True)
    return lines + table(["Target", "Limit", "Measured", "Result", "Detail"], rows, "lrrll") + [
        f"{met} of {len(targets)} targets met.", ""]


def scenario_table(app: dict, key: str, fmt) -> list[str]:
    """Rows = scenarios, columns = variants ('median [min–max]'), then the BUILD_RATIOS."""
    variants = app.get("variants", [])
    pairs = [(t, b) for t, b in BUILD_RATIOS if t in variants and b in variants]
    rows = []
    for s in scenario_order(app.get("scenarios", {})):
        cells = [fmt_range(measure(app, s, v, key), fmt) for v in variants]
        ratios = [fmt_ratio(measure(app, s, t, key), measure(app, s, b, key)) for t, b in pairs]
        rows.append([SCENARIO_LABELS.get(s, s), *cells, *ratios])
    return table(["Scenario", *variants, *(f"{t} / {b}" for t, b in pairs)], rows)


def rss_lines(app: dict) -> list[str]:
    """Peak RSS of toolweave's own process per scenario (nothing when not measured)."""
    rows = [[SCENARIO_LABELS.get(s, s), fmt_range(rss, fmt_mb)]
            for s in scenario_order(app.get("scenarios", {}))
            if (rss := measure(app, s, "toolweave", "toolweave_rss_mb"))]
    if not rows:
        return []
    return ["Peak RSS of the toolweave process (MB, median [min–max]):", "",
            *table(["Scenario", "toolweave RSS (MB)"], rows)]


def size_lines(app: dict) -> list[str]:
    """Binary size per variant with ratios to plain and manual."""
    sizes = app.get("binary_bytes") or {}
    if not sizes:
        return []
    bases = [b for b in ("plain", "manual", "orchestrion") if b in sizes]
    rows = [[v, fmt_mb(n / 1e6), fmt_int(n),
             *(fmt_ratio(point(n), point(sizes[b])) for b in bases)] for v, n in sizes.items()]
    return ["Binary size:", "", *table(["Variant", "MB", "bytes", *(f"vs {b}" for b in bases)],
                                       rows)]


def command_lines(app: dict) -> list[str]:
    """How each variant was built (nothing for results written before this was recorded)."""
    commands = app.get("commands") or {}
    if not commands:
        return []
    return ["Build commands (warm builds; a cold build runs the same with empty caches):", "",
            *table(["Variant", "command"], [[v, f"`{c}`"] for v, c in commands.items()], "ll")]


def tree_lines(app: dict) -> list[str]:
    """Files each variant's set-up and first build wrote into its copy of the user's tree."""
    writes = app.get("tree_writes") or {}
    if not writes:
        return []
    rows = []
    for v, w in writes.items():
        added, changed, removed = w.get("added", []), w.get("changed", []), w.get("removed", [])
        files = [f"+{a['path']} ({fmt_int(a['bytes'])} B)" for a in added]
        files += [f"{c['path']} ({fmt_int(c['before'])} → {fmt_int(c['after'])} B"
                  + (f"; go {c['go_line'][0]} → {c['go_line'][1]}" if c.get("go_line") else "") + ")"
                  for c in changed]
        files += [f"−{r['path']} ({fmt_int(r['bytes'])} B)" for r in removed]
        net = (sum(a["bytes"] for a in added) + sum(c["after"] - c["before"] for c in changed)
               - sum(r["bytes"] for r in removed))
        rows.append([v, len(added), len(changed), len(removed), f"{net:+,}" if files else "0",
                     "; ".join(files) or "nothing"])
    return ["Written into the user's tree (set-up and the first build, in a copy of the app; "
            "bytes net):", "",
            *table(["Variant", "added", "changed", "removed", "bytes", "files"], rows, "lrrrrl")]


def build_lines(build: dict, charts: set[str]) -> list[str]:
    """One subsection per app: chart, wall and CPU tables, toolweave RSS, binary sizes."""
    lines = ["## Build times", ""]
    for name, app in build.items():
        lines += [f"### {name}", ""]
        if app.get("description"):
            lines += [app["description"], ""]
        if not app.get("scenarios"):
            lines += ["No build measurements.", ""]
            continue
        chart = f"build-{name}.png"
        if chart in charts:
            lines += [f"![Build wall time of {name}](benchmarks/{chart})", ""]
        runs = ", ".join(f"{SCENARIO_LABELS.get(sc, sc)} {len(next(iter(vs.values()))['wall']['runs'])}"
                         for sc, vs in app["scenarios"].items() if vs)
        lines += [f"Wall time (s, median [min–max]; runs per variant: {runs}):", ""]
        lines += scenario_table(app, "wall", fmt_num)
        lines += ["CPU time of the build and its children (s):", ""]
        lines += scenario_table(app, "cpu", fmt_num) + rss_lines(app) + size_lines(app) + command_lines(app)
        lines += tree_lines(app)
    return lines


def tax_lines(tax: dict) -> list[str]:
    """The drop-in driver's no-match tax per app and driver (bench/taxbench.py)."""
    lines = ["## No-match tax of the drop-in driver", ""]
    for name, data in tax.items():
        drivers = data.get("drivers") or {}
        if not drivers:
            continue
        rounds = ", ".join(f"{d} {n}" for d, n in (data.get("rounds") or {}).items())
        lines += [f"### {name}", "",
                  f"Cold builds of {name} (`go build {' '.join(data.get('packages', []))}`: nothing to weave; "
                  "empty GOCACHE and toolweave cache) with the GOFLAGS of `toolweave env` and "
                  f"`TOOLWEAVE_TIMINGS` set (rounds: {rounds}); **launcher** is the default driver "
                  "`toolweave env` names (a Go program that starts Python only for packages an aspect "
                  "may match), **python** the one it names with `TOOLWEAVE_LAUNCHER=0` (`toolweave "
                  "toolexec`: Python for every call). `self_ns` is the time from the driver process's "
                  "start until the tool started: toolweave's own cost for that call. The tax per "
                  "compile is `self_ns` summed over every tool call (compile, asm, …) divided by the "
                  "number of compiles; the CPU tax the same of `self_cpu_ns`, the CPU time the driver "
                  "process used before the tool started. They differ by the time a driver process waits "
                  "for a CPU: in a parallel build both cores are busy compiling other packages, so the "
                  "wall figure counts their work too; the CPU tax is what toolweave's share costs the "
                  "machine, and the target is measured on it (the build-time cost is the cold build "
                  "ratio on largeidle above). Medians over rounds, [min–max]. `toolweave env` (cold: it "
                  "builds the launcher too) runs before the build and is not in the tax.", ""]
        rows = []
        for d, r in drivers.items():
            own = r.get("launcher_compile_self_ms") if d == "launcher" else r.get("python_compile_self_ms")
            dist = DASH
            if own:
                dist = " / ".join(fmt_ms(own[q]) for q in ("median", "p90", "max"))
                dist += f" ({fmt_ms(own['mean'])})" if "mean" in own else ""
            total = r.get("self_total_ms")
            rows.append([d, fmt_median(r.get("compiles"), fmt_int), fmt_median(r.get("compiles_python"), fmt_int),
                         dist, fmt_median({"median": total["median"] / 1000} if total else None, fmt_num),
                         fmt_range(r.get("tax_per_compile_ms"), fmt_ms),
                         fmt_range(r.get("tax_cpu_per_compile_ms"), fmt_ms), fmt_range(r.get("build_wall_s"), fmt_num),
                         fmt_range(r.get("env_s"), fmt_num)])
        lines += table(["Driver", "compiles", "to Python",
                        "self of the compiles it ran itself (ms): median / p90 / max (mean)",
                        "self, all calls (s)", "tax per compile (ms)", "CPU tax per compile (ms)", "build wall (s)",
                        "`toolweave env` (s)"],
                       rows)
        notes = ["With `TOOLWEAVE_TIMINGS` the driver runs each tool as a child instead of exec'ing "
                 "it, so these builds are not exactly the untimed ones."]
        notes.append("The launcher's `self_ns` starts from /proc/self/schedstat (exact for a process "
                     "that has not slept); the Python driver's from /proc/self/stat, in 10 ms clock ticks.")
        lines += [" ".join(notes), ""]
    return lines


def runtime_lines(runtime: dict, charts: set[str]) -> list[str]:
    """Throughput, latency, server CPU and allocations per request per variant, then the
    paired per-round ratios (bench/loadbench.py); an older results file without CPU and
    pairs gets the ratios of the medians."""
    lines = ["## Runtime", ""]
    labels = [("rps", "req/s", fmt_int), ("p50_ms", "p50 (ms)", fmt_ms), ("p99_ms", "p99 (ms)", fmt_ms),
              ("cpu_us_per_req", "CPU (µs/req)", fmt_num), ("allocs_per_req", "allocs/req", fmt_num)]
    for name, data in runtime.items():
        variants, results = data.get("variants", []), data.get("results", {})
        present = [x for x in labels if any(x[0] in results.get(v, {}) for v in variants)]
        lines += [f"### {name}", "",
                  f"{data.get('rounds', '?')} rounds of {data.get('duration_s', '?')} s (after "
                  f"{data.get('warmup_s', '?')} s of warm-up) at concurrency {data.get('concurrency', '?')}"
                  + (f"; each round runs every variant alone, then manual and toolweave side by side (served at "
                     f"once, each with its own load generator), in an order rotated each round. CPU (utime + stime) "
                     f"and allocations are the server's over the measured window, per request"
                     + (f"; servers on CPU {data['pinned']['servers']}, load generators and receiver on CPU "
                        f"{data['pinned']['load']}" if data.get("pinned") else "")
                     + ". toolweave runs with TOOLWEAVE_DB_QUERY_TEXT=raw (like for like: the hand-instrumented "
                     "otelsql records statements as written); toolweave-default is the same binary with the default, "
                     "sanitized statements. Median [min–max] over rounds; the ratio rows are the median [min–max] of "
                     "the per-round ratios, of the runs alone (paired) and of the side-by-side runs, which cancel "
                     "the machine's drift (bench/loadbench.py)." if data.get("paired") else "; median [min–max] over rounds."), ""]
        chart = f"runtime-{name}.png"
        if chart in charts:
            lines += [f"![Runtime of {name}](benchmarks/{chart})", ""]
        rows = [[v, *(fmt_range(results.get(v, {}).get(k), f) for k, _, f in present),
                 results.get(v, {}).get("errors", DASH)] for v in variants]
        side = data.get("side_by_side") or {}
        rows += [[f"{v}, side by side", *(fmt_range(side["results"].get(v, {}).get(k), f) for k, _, f in present),
                  side["results"].get(v, {}).get("errors", DASH)] for v in side.get("variants", [])]
        ratio_sets = [(f"{pair.replace('/', ' / ')}, paired", r) for pair, r in (data.get("paired") or {}).items()]
        ratio_sets += [(f"{pair.replace('/', ' / ')}, side by side", r) for pair, r in (side.get("paired") or {}).items()]
        for label, ratios in ratio_sets:
            rows.append([label, *(
                f"{ratios[k]['median']:.3f} [{ratios[k]['min']:.3f}–{ratios[k]['max']:.3f}]" if k in ratios else DASH
                for k, _, _ in present), DASH])
        if not data.get("paired"):
            rows += [[*row, DASH] for row in ratio_rows(results, [k for k, _, _ in present], variants)]
        lines += table(["Variant", *(label for _, label, _ in present), "errors"], rows)
    return lines


def allocs_lines(allocs: dict) -> list[str]:
    """Allocations, bytes and time per request (Go benchmark) with toolweave ratios."""
    lines = ["## Allocations per request", ""]
    metrics = ["allocs_per_op", "bytes_per_op", "ns_per_op"]
    for name, data in allocs.items():
        variants, results = data.get("variants", []), data.get("results", {})
        rows = []
        for v in variants:
            r = results.get(v, {})
            rows.append([v, fmt_range(r.get("allocs_per_op"), fmt_int),
                         fmt_median(r.get("bytes_per_op"), fmt_int),
                         fmt_median(r.get("ns_per_op"), fmt_int)])
        rows += ratio_rows(results, metrics, variants)
        lines += [f"### {name}", "", "Medians; allocs/op with [min–max].", ""]
        lines += table(["Variant", "allocs/op", "B/op", "ns/op"], rows)
    return lines


def eco_lines(eco: dict) -> list[str]:
    """The ecosystem service under load (bench/ecobench.py): per variant, then the paired
    per-round ratios toolweave / manual."""
    lines = ["## The ecosystem service under load", ""]
    labels = [("rps", "req/s", fmt_int), ("p50_ms", "p50 (ms)", fmt_ms), ("p99_ms", "p99 (ms)", fmt_ms),
              ("cpu_ms_per_req", "CPU (ms/req)", fmt_ms), ("allocs_per_req", "allocs/req", fmt_num)]
    for name, data in eco.items():
        variants, results = data.get("variants", []), data.get("results", {})
        lines += [f"### {name}: gin → gRPC → Redis", "",
                  "tests/ecosystem/apps/distributed as two processes (a gin frontend calling a gRPC backend that "
                  "answers from Redis), against bench/apps/distributed/manual, the same program instrumented by hand "
                  "with the same libraries; both record statements as written (toolweave with "
                  "TOOLWEAVE_DB_QUERY_TEXT=raw) and export to one receiver. "
                  f"{data.get('rounds', '?')} rounds of {data.get('duration_s', '?')} s (after "
                  f"{data.get('warmup_s', '?')} s of warm-up) at concurrency {data.get('concurrency', '?')}, the "
                  "variants' order rotated each round; CPU and allocations are both processes' over the measured "
                  "window. Median [min–max] over rounds; the last row is the median [min–max] of the per-round "
                  "ratios toolweave / manual (bench/ecobench.py).", ""]
        rows = [[v, *(fmt_range(results.get(v, {}).get(k), f) for k, _, f in labels),
                 results.get(v, {}).get("errors", DASH)] for v in variants]
        paired = data.get("paired_toolweave_over_manual", {})
        rows.append(["toolweave / manual, paired", *(
            f"{paired[k]['median']:.3f} [{paired[k]['min']:.3f}–{paired[k]['max']:.3f}]" if k in paired else DASH
            for k, _, _ in labels), DASH])
        lines += table(["Variant", *(label for _, label, _ in labels), "errors"], rows)
    return lines


def types_lines(types: dict) -> list[str]:
    """What type facts cost a package that asks (bench/typebench.py)."""
    lines = ["## Type facts (type-aware join points)", "",
             "A build whose aspects ask nothing of the type checker never builds or runs it (the figures above: "
             "the built-in aspects ask nothing of these apps). For a package whose files ask (bench/typebench.py, "
             "warm caches): `exports` is the front end's `go list -export` of the package's imports (the drop-in "
             "driver reads the compile's -importcfg instead), `check` one run of the typefacts helper (parse, "
             "type-check from export data, answer). Seconds, median [min–max].", ""]
    rows = [[name, d["package"], str(d["files"]), str(d["imports"]), fmt_range(d["exports_s"], fmt_num),
             fmt_range(d["check_s"], fmt_num)] for name, d in types.get("packages", {}).items()]
    lines += table(["Package", "import path", "files", "imports", "exports (front end)", "check (both drivers)"], rows)
    build = types.get("helper_build_s")
    if build:
        lines += ["", f"Building the helper, once per Go toolchain into toolweave's cache: {fmt_range(build, fmt_num)} s.", ""]
    inc = types.get("incremental_multi_s") or {}
    if inc:
        lines += ["One-file incremental rebuild of multi through the front end (a function appended to app.go), "
                  "with the default aspects and with one more aspect that asks the type checker (a method-call on "
                  "*database/sql.DB through the field `a.db`): a patch rebuild does not run the checker, so the "
                  "typed variant plans the build again.", ""]
        lines += table(["Aspects", "incremental (s)"], [[k, fmt_range(v, fmt_num)] for k, v in inc.items()])
        lines.append("")
    return lines


def gls_lines(gls: dict) -> list[str]:
    """Goroutine-local context (bench/glsbench.py): costs with and without gls.yml."""
    lines = ["## Goroutine-local context", "",
             "tests/e2e/apps/glsload built with `toolweave go build`, with goroutine-local context on (TOOLWEAVE_GLS=1), "
             "on and handed on by go statements (TOOLWEAVE_GLS=inherit) and off, "
             "exporting over OTLP to a loopback sink; in-process Go benchmarks (testing.Benchmark), "
             f"{gls.get('rounds', '?')} rounds alternating the builds, median [min–max] (docs/gls.md).", ""]
    labels = [("goroutine_ns", "goroutine start + exit (ns)", fmt_int),
              ("spawn_ns", "… under a live span (ns)", fmt_int), ("span_ns", "span start + end (ns)", fmt_int),
              ("span_allocs", "allocs/span", fmt_num), ("child_ns", "span without a span in its context (ns)", fmt_int),
              ("child_allocs", "allocs", fmt_num)]
    bench = gls.get("bench", {})
    rows = [[v, *(fmt_range(r.get(k), f) for k, _, f in labels)] for v, r in bench.items()]
    lines += table(["Build", *(label for _, label, _ in labels)], rows)
    many = gls.get("goroutines") or {}
    if many:
        lines += ["", "A million goroutines, 10,000 at a time, each starting and ending a span, one in ten exiting "
                  "with a span it never ended; then 10,000 goroutines on the recycled goroutine structs:", ""]
        lines += table(["Build", "RSS after 100k (MB)", "RSS at the end (MB)", "live heap after 100k (MB)",
                        "live heap at the end (MB)", "new goroutines with a parent"],
                       [[v, fmt_num(d["rss_mb_100k"]), fmt_num(d["rss_mb_end"]), fmt_num(d["heap_mb_100k"]),
                         fmt_num(d["heap_mb_end"]), str(d["fresh_with_parent"])] for v, d in many.items()])
    app = gls.get("application") or {}
    if app:
        lines += ["", f"A real application, {app['application']} (bench/glsapp.py): a one-file module built unmodified, "
                  "serving a superuser login, a collection, 20 record creations, 10 record pages and the collection "
                  "list, one request at a time:", ""]
        lines += table(["gls", "requests", "spans", "traces", "traces of one span", "database spans during requests",
                        "… in their request's trace"],
                       [[v, str(d["requests"]), str(d["spans"]), str(d["traces"]), str(d["single_span_traces"]),
                         str(d["db_spans_during_requests"]), str(d["db_spans_in_their_request_trace"])]
                        for v, d in app["variants"].items()])
    lines.append("")
    return lines


def render_markdown(results: dict, results_path: str, charts: set[str]) -> str:
    """The whole docs/benchmarks.md text."""
    variants = variant_union([app.get("variants", []) for app in results.get("build", {}).values()]
                             + [d.get("variants", []) for d in (results.get("runtime") or {}).values()]
                             + [d.get("variants", []) for d in (results.get("allocs") or {}).values()])
    lines = header_lines(results.get("info", {}), results_path, variants)
    lines += targets_lines(results.get("targets", []))
    lines += build_lines(results.get("build", {}), charts)
    if any((d or {}).get("drivers") for d in (results.get("tax") or {}).values()):
        lines += tax_lines(results["tax"])
    if results.get("runtime"):
        lines += runtime_lines(results["runtime"], charts)
    if results.get("allocs"):
        lines += allocs_lines(results["allocs"])
    if results.get("eco"):
        lines += eco_lines(results["eco"])
    if results.get("types"):
        lines += types_lines(results["types"])
    if results.get("gls"):
        lines += gls_lines(results["gls"])
    if "sizes.png" in charts:
        lines += ["## Binary sizes", "", "![Binary sizes](benchmarks/sizes.png)", ""]
    if results.get("notes"):
        lines += ["## Notes", "", *(f"- {n}" for n in results["notes"]), ""]
    if ANALYSIS.is_file():
        lines += ["## Analysis", "", ANALYSIS.read_text().rstrip("\n"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- entry points -----------------------------------------------------------------------


def write_charts(results: dict, chart_dir: Path) -> list[str]:
    """Draw every chart the results allow; returns the written paths."""
    figures = [(f"build-{name}.png", build_figure(name, app))
               for name, app in results.get("build", {}).items()]
    figures += [(f"runtime-{name}.png", runtime_figure(name, data))
                for name, data in (results.get("runtime") or {}).items()]
    sizes = binary_sizes(results.get("build", {}))
    if sizes:
        figures.append(("sizes.png", sizes_figure(sizes)))
    return [save(fig, chart_dir / file) for file, fig in figures if fig is not None]


def write_report(results: dict, docs_dir: str, results_path: str) -> list[str]:
    """Write <docs_dir>/benchmarks.md and its charts in <docs_dir>/benchmarks/.

    Returns the written paths (the markdown file first)."""
    chart_dir = Path(docs_dir) / "benchmarks"
    chart_dir.mkdir(parents=True, exist_ok=True)
    with plt.rc_context(STYLE):
        charts = write_charts(results, chart_dir)
    markdown = Path(docs_dir) / "benchmarks.md"
    markdown.write_text(render_markdown(results, results_path, {Path(c).name for c in charts}))
    return [str(markdown), *charts]


def main(argv: list[str] | None = None) -> None:
    """Command line: report.py RESULTS.json [--docs DIR]."""
    parser = argparse.ArgumentParser(
        description="Write docs/benchmarks.md and its charts from a bench/run.py results file.")
    parser.add_argument("results", help="results JSON written by bench/run.py")
    parser.add_argument("--docs", default=str(REPO_DIR / "docs"),
                        help="output directory (default: the repository's docs/)")
    args = parser.parse_args(argv)
    with open(args.results, encoding="utf-8") as f:
        results = json.load(f)
    for path in write_report(results, args.docs, args.results):
        print(path)


if __name__ == "__main__":
    main()
