#!/usr/bin/env python3
"""Run the README's `$ aiinfra …` examples (in order, in a scratch folder, as the README
test does) and write their output back into the README where it differs. An example
whose shown output has a … (a wildcard, see tests/cli/readme.rs) is left as it is.
Read the diff before committing it: the README shows what a user sees.

    python3 bench/readme-examples.py [BINARY]   # default: target/debug/aiinfra
"""
import os, re, shlex, subprocess, sys, tempfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/debug/aiinfra"))
readme_path = os.path.join(root, "README.md")
report = os.path.join(root, "report/caict-ai-infrastructure-2021.txt")
lines = open(readme_path, encoding="utf-8").read().split("\n")
out, i, in_console = [], 0, False
scratch = tempfile.mkdtemp()
env = {k: v for k, v in os.environ.items() if not k.startswith("AIINFRA_") and k not in ("COLUMNS", "LINES", "NO_COLOR", "PAGER")}
changed = 0
while i < len(lines):
    line = lines[i]
    if line.startswith("```"):
        in_console = line == "```console"
        out.append(line)
        i += 1
        continue
    if in_console and line.startswith("$ aiinfra "):
        out.append(line)
        i += 1
        shown = []
        while i < len(lines) and not lines[i].startswith("$ ") and not lines[i].startswith("```"):
            shown.append(lines[i])
            i += 1
        args = shlex.split(line[len("$ aiinfra "):].replace("report/caict-ai-infrastructure-2021.txt", report))
        run = subprocess.run([binary] + args, cwd=scratch, env=env, capture_output=True, text=True)
        got = (run.stdout + run.stderr).rstrip("\n").split("\n")
        if any("…" in s for s in shown) and "…" not in "".join(got):
            out.extend(shown)
        elif "\n".join(shown).rstrip("\n") != "\n".join(got):
            changed += 1
            out.extend(got)
        else:
            out.extend(shown)
        continue
    out.append(line)
    i += 1
open(readme_path, "w", encoding="utf-8").write("\n".join(out))
print(f"{changed} examples rewritten")
