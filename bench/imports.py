#!/usr/bin/env python3
"""The import graph of src/: which file uses which (crate:: and super:: paths, and a
parent module's use of its children), its circles, and the imports that run from a
lower layer to a higher one, by the layers ARCHITECTURE.md declares.

    python3 bench/imports.py          # circles and upward imports
    python3 bench/imports.py --edges  # every edge
"""
import glob, os, re, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.chdir(root)
files = sorted(glob.glob("src/**/*.rs", recursive=True))


def modpath(f):
    parts = f[len("src/"):-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


mods = {tuple(modpath(f)): f for f in files}

# Names a module re-exports (`pub use exec::Db;` in db/mod.rs): a path through the
# re-export leads to the file that defines it.
reexports = {}
for f in files:
    for m in re.finditer(r"pub use (\w+)::(?:\{([^}]*)\}|(\w+));", open(f).read()):
        names = [n.strip() for n in (m.group(2) or m.group(3)).split(",")]
        for n in names:
            reexports[tuple(modpath(f)) + (n,)] = tuple(modpath(f)) + (m.group(1),)


def resolve(parts):
    parts = list(parts)
    for k in range(len(parts), 0, -1):
        key = tuple(parts[:k])
        if key in mods:
            return mods[key]
        if key in reexports:
            return resolve(list(reexports[key]) + parts[k:])
    return None


edges = set()
for f in files:
    # The design is what the program uses: tests are left out.
    text = re.sub(r"//[^\n]*", "", open(f).read().split("#[cfg(test)]")[0])
    me = modpath(f)
    def add(parts):
        t = resolve(parts)
        if t and t != f:
            edges.add((f, t))
    for m in re.finditer(r"\bcrate((?:::\w+)+)", text):
        add(m.group(1).strip(":").split("::"))
    for m in re.finditer(r"(?<!::)\bsuper((?:::\w+)+)", text):
        parts = m.group(1).strip(":").split("::")
        base = me[:-1]
        while parts and parts[0] == "super":
            parts, base = parts[1:], base[:-1]
        add(base + parts)
    for prefix, base in (("crate", []), ("super", me[:-1])):
        for m in re.finditer(prefix + r"::\{([^}]*)\}", text):
            for item in m.group(1).split(","):
                item = item.strip()
                if item and item != "self":
                    add(base + item.split("::"))
    # A module's use of its own children (`list::ListSpec` in cmd/mod.rs).
    for m in re.finditer(r"(?<![:\w])(\w+)::\w+", text):
        child = me + [m.group(1)]
        if tuple(child) in mods:
            add(child)

# Layers, lowest first, as ARCHITECTURE.md declares them (first match wins).
layers = []
for line in open("ARCHITECTURE.md"):
    m = re.match(r"\| (\d) \| (.+?) \|", line)
    if m:
        layers.append((int(m.group(1)), [p.strip().strip("`") for p in m.group(2).split(",")]))


def layer(f):
    name = f[len("src/"):]
    for n, pats in layers:
        for p in pats:
            if p.endswith("/") and name.startswith(p) or name == p:
                return n
    return None


g = {}
for a, b in edges:
    g.setdefault(a, set()).add(b)
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in g.get(v, ()):
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


for v in list(g):
    if v not in index:
        strong(v)
if "--edges" in sys.argv:
    for a, b in sorted(edges):
        print(f"{a} -> {b}  ({layer(a)} -> {layer(b)})")
unplaced = [f for f in files if layer(f) is None]
up = sorted((a, b) for a, b in edges if None not in (layer(a), layer(b)) and layer(a) < layer(b))
print(f"files: {len(files)}, imports: {len(edges)}")
print(f"circles: {len(sccs)}")
for c in sccs:
    print("  " + " <-> ".join(c))
print(f"imports from a lower layer to a higher one: {len(up)}")
for a, b in up:
    print(f"  {a} ({layer(a)}) -> {b} ({layer(b)})")
if unplaced:
    print("files in no layer: " + ", ".join(unplaced))
sys.exit(1 if sccs or len(up) > 1 or unplaced else 0)
