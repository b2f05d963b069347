#!/usr/bin/env python3
"""Which folder of Sources/Larder uses which: a folder uses another when its code names a type
or function declared there. Prints the picture and the pairs that use each other (cycles to
break). Usage: python3 scripts/folder-deps.py"""
import collections
import os
import re

root = os.path.join(os.path.dirname(__file__), "..", "Sources", "Larder")
folders = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)) and not d.endswith(".docc"))
declared = collections.defaultdict(set)
sources = {}
# Declarations at the top level of a file, visible to other files (not private).
declaration = re.compile(r"^(?:(?:public|package|final|@usableFromInline|@frozen|@inlinable)\s+)*"
                         r"(?:struct|class|enum|protocol|typealias|actor|func)\s+(\w+)", re.M)
for folder in folders:
    for name in os.listdir(os.path.join(root, folder)):
        text = open(os.path.join(root, folder, name), encoding="utf-8").read()
        # Comments and string literals name no dependency.
        sources[(folder, name)] = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', re.sub(r"//.*", "", text))
        declared[folder].update(declaration.findall(text))
owner = {}
for folder in folders:
    for symbol in declared[folder]:
        owner.setdefault(symbol, folder)
uses = collections.defaultdict(set)
for (folder, _), code in sources.items():
    words = set(re.findall(r"\b\w+\b", code))
    uses[folder].update(owner[w] for w in words if w in owner and owner[w] != folder)
for folder in folders:
    print(f"{folder:16} -> {', '.join(sorted(uses[folder])) or '(nothing)'}")
mutual = [(a, b) for a in folders for b in sorted(uses[a]) if a < b and a in uses[b]]
print("\nfolders that use each other:", ", ".join(f"{a} <-> {b}" for a, b in mutual) or "none")

# Longer cycles (A uses B uses C uses A) are as bad as pairs: every folder must come after all it uses.
order, placed = [], set()
while len(placed) < len(folders):
    ready = [f for f in folders if f not in placed and uses[f] <= placed]
    if not ready:
        print("cycle among:", ", ".join(f for f in folders if f not in placed))
        break
    order += ready
    placed.update(ready)
else:
    print("layers, bottom first:", " < ".join(order))
