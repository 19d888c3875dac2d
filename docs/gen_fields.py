#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the tcplife field reference (docs/FIELDS.md) from what TShark
itself reports with the built plugin loaded: `-G fields` (name, type,
description), `-G values` (value names, units, true/false strings),
`-G ftypes` (type descriptions) and `-G defaultprefs` (preferences).

    docs/gen_fields.py [--build DIR]            print the Markdown
    docs/gen_fields.py [--build DIR] --write    rewrite docs/FIELDS.md
    docs/gen_fields.py [--build DIR] --check    exit 1 if docs/FIELDS.md differs

TShark runs through scripts/tshark-tcplife, so the plugin comes from the
build tree (default build/) and must load. Nothing in the output depends on
the machine or the plugin's version number, only on the fields themselves,
so the file changes exactly when a field, a description or a value does.

The committed docs/FIELDS.md is generated with Wireshark 4.0 (the version
the README's install notes are for). Wireshark words some type names
differently from one version to the next (`-G ftypes`: 4.0 says "Unsigned
integer (4 bytes)", 4.4 and 4.6 "Unsigned integer (32 bits)" for the same
FT_UINT32), so --check compares what the plugin decides: the set and order
of fields, their names, types (size wording normalised, see type_key()),
descriptions, values, sections and preferences. On 4.0 that is the whole
text; --check --strict compares the text byte for byte on any version.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSHARK = os.path.join(ROOT, "scripts", "tshark-tcplife")
OUT = os.path.join(ROOT, "docs", "FIELDS.md")

# Sections by field name; the first matching prefix wins, order of
# registration is kept inside a section.
SECTIONS = [
    ("tcplife.expert.", "Expert info",
     "Each expert item is also a field: `tcplife.expert.reset_by_server` selects the "
     "segments that carry it; the Expert Information dialog (Analyze menu) lists them "
     "all. The description is the text Wireshark shows."),
    ("tcplife.conn.", "Connection summary (subtree \"Connection\", on every segment)",
     "In the GUI and with `tshark -2` these describe the whole capture; in a single "
     "TShark pass, the connection up to the current segment."),
    ("tcplife.http.", "HTTP", "Present on segments whose payload tcplife recognised as HTTP."),
    ("tcplife.app", "HTTP", None),
    ("tcplife.", "Per-segment fields",
     "On every TCP segment. A step, payload or flag field is present only on the "
     "segments it describes, so the field's name alone is a filter: "
     "`tcplife.handshake.step` shows the handshakes, `tcplife.teardown.step == 2` "
     "the second step of each teardown."),
]


def tshark(build, *args):
    env = dict(os.environ, TCPLIFE_BUILD=build, LC_ALL="C.UTF-8")
    p = subprocess.run([TSHARK] + list(args), capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit("gen_fields: tshark %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def md(text):
    """Escape what would break a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def section_of(abbrev):
    for prefix, title, _ in SECTIONS:
        if abbrev == prefix or abbrev.startswith(prefix):
            return title
    return None


def collect(build):
    ftypes = {}
    for line in tshark(build, "-G", "ftypes").splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            ftypes[parts[0]] = parts[1]

    fields = []
    for line in tshark(build, "-G", "fields").splitlines():
        parts = line.split("\t")
        # F, name, abbrev, type, parent protocol, base, bitmask, blurb
        if len(parts) >= 8 and parts[0] == "F" and parts[4] == "tcplife":
            fields.append({"name": parts[1], "abbrev": parts[2], "type": parts[3],
                           "blurb": parts[7]})
    if not fields:
        sys.exit("gen_fields: tshark -G fields lists no tcplife.* field")

    values = {}
    for line in tshark(build, "-G", "values").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[1].startswith("tcplife."):
            continue
        kind, abbrev = parts[0], parts[1]
        if kind == "V":        # value string: value, name
            values.setdefault(abbrev, []).append("`%s` (%s)" % (parts[3], parts[2]))
        elif kind == "R":      # range string: low, high, name
            values.setdefault(abbrev, []).append("`%s` (%s–%s)" % (parts[4], parts[2], parts[3]))
        elif kind == "T":      # true/false strings
            values.setdefault(abbrev, []).append("true: `%s`, false: `%s`" % (parts[2], parts[3]))
        elif kind == "U":      # unit string: singular, plural
            values.setdefault(abbrev, []).append("unit:%s" % parts[3].rstrip())

    prefs = []
    comment = []
    for line in tshark(build, "-G", "defaultprefs").splitlines():
        if line.startswith("#tcplife."):
            name, _, default = line[1:].partition(":")
            prefs.append((name, default.strip(), comment[0] if comment else ""))
            comment = []
        elif line.startswith("# "):
            comment.append(line[2:])
        else:
            comment = []
    return ftypes, fields, values, prefs


# Sections in the order a reader needs them.
ORDER = ["Per-segment fields", "Connection summary (subtree \"Connection\", on every segment)",
         "HTTP", "Expert info"]


def render(ftypes, fields, values, prefs):
    out = ["<!-- Generated by docs/gen_fields.py from tshark -G fields/values/defaultprefs"
           " with the plugin loaded. Do not edit: run `docs/gen_fields.py --write`. -->",
           "",
           "# tcplife field reference",
           "",
           "Every field the plugin registers, as TShark lists it. Filters take the value "
           "names (`tcplife.server.state == \"LAST-ACK\"`, case-insensitive); "
           "`tshark -T fields -e` prints the numbers in brackets. "
           "README.md explains how the values are decided.",
           ""]
    for title in ORDER:
        rows = [f for f in fields if section_of(f["abbrev"]) == title]
        if not rows:
            continue
        out += ["## " + title, ""]
        intros = [i for _, t, i in SECTIONS if t == title and i]
        if intros:
            out += [" ".join(intros), ""]
        if title == "Expert info":
            out += ["| field | text |", "|---|---|"]
            for f in rows:
                out.append("| `%s` | %s |" % (f["abbrev"], md(f["name"])))
        else:
            out += ["| field | name | type | description | values |", "|---|---|---|---|---|"]
            for f in rows:
                named = any(v.startswith("`") for v in values.get(f["abbrev"], []))
                kind = "Enumeration" if named else ftypes.get(f["type"], f["type"])
                out.append("| `%s` | %s | %s | %s | %s |" % (
                    f["abbrev"], md(f["name"]), md(kind),
                    md(f["blurb"]), md(", ".join(values.get(f["abbrev"], [])))))
        out.append("")
    if prefs:
        out += ["## Preferences", "",
                "Edit → Preferences → Protocols → TCPLife in the GUI, "
                "`-o name:value` with TShark.", "",
                "| preference | default | description |", "|---|---|---|"]
        for name, default, text in prefs:
            out.append("| `%s` | `%s` | %s |" % (name, default, md(text)))
        out.append("")
    return "\n".join(out)


# "Unsigned integer (4 bytes)" (Wireshark 4.0) and "Unsigned integer (32
# bits)" (4.4, 4.6) name the same FT_UINT32; likewise the signed integers
# and FT_CHAR. Only the type column of the field tables is normalised, so a
# description that changes its wording still fails the check.
_SIZE = re.compile(r"^(.*) \((\d+) (byte|bytes|bit|bits)\)$")


def type_key(cell):
    m = _SIZE.match(cell.strip())
    if not m:
        return cell.strip()
    bits = int(m.group(2)) * (8 if m.group(3).startswith("byte") else 1)
    return "%s (%d bits)" % (m.group(1), bits)


def normalised(text):
    """text with the type cell of every five-column field row replaced by
    type_key() of it; every other line as it is."""
    out = []
    for line in text.splitlines(True):
        if line.startswith("| `tcplife."):
            cells = line.rstrip("\n").split(" | ")
            # | `abbrev` | name | type | description | values |  (no '|' inside
            # a cell: md() escapes it as '\|', which does not split here)
            if len(cells) == 5:
                cells[2] = type_key(cells[2])
                line = " | ".join(cells) + "\n"
        out.append(line)
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.environ.get("TCPLIFE_BUILD", os.path.join(ROOT, "build")))
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite docs/FIELDS.md")
    mode.add_argument("--check", action="store_true",
                      help="fail if docs/FIELDS.md differs (beyond type-size wording)")
    ap.add_argument("--strict", action="store_true",
                    help="with --check: compare byte for byte, type wording too")
    args = ap.parse_args()
    text = render(*collect(os.path.abspath(args.build)))
    if args.write:
        with open(OUT, "w", encoding="utf-8") as f:
            f.write(text)
    elif args.check:
        with open(OUT, encoding="utf-8") as f:
            old = f.read()
        a, b = (old, text) if args.strict else (normalised(old), normalised(text))
        if a != b:
            sys.stdout.writelines(difflib.unified_diff(
                a.splitlines(True), b.splitlines(True), "docs/FIELDS.md", "regenerated"))
            print("\ndocs/FIELDS.md is out of date: run docs/gen_fields.py --write "
                  "(with Wireshark 4.0)%s" % ("" if args.strict else
                                            "; type sizes compared in bits"), file=sys.stderr)
            return 1
        print("docs/FIELDS.md matches tshark -G fields (%d lines%s)" % (
            text.count("\n"), "" if old == text else
            "; this Wireshark words %d type names differently, compared in bits" %
            sum(1 for x, y in zip(old.splitlines(), text.splitlines()) if x != y)))
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
