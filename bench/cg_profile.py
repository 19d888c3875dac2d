#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Per-packet instruction counts from callgrind output files.

    cg_profile.py --packets N [--top 10] [--plugin-obj tcplife.so] \
        LABEL=RUN.out,STARTUP.out ...

The first LABEL is the baseline. For every label, per-packet figures are
(RUN - STARTUP) / (N - 1): RUN is tshark over N packets, STARTUP the same
command over the first packet alone, so start-up and shut-down cancel.

Prints (markdown) instructions per packet per label and versus the
baseline; for every other label, the extra cost split by object file (self
cost, as `callgrind_annotate --inclusive=no` summed by object), the share
of the extra that is the plugin's own code, the plugin's functions
(inclusive), and the functions whose self cost grew most, with their call
counts per packet. Static functions of stripped libraries have no name in
callgrind: they are shown by address with their main caller.

The callgrind format is parsed directly (name compression, calls= lines);
functions split by recursion depth (name'2) are merged.
"""
import argparse
import collections
import os
import re
import sys


class Profile:
    def __init__(self, path):
        self.path = path
        self.total = 0
        self.self_cost = collections.Counter()  # key -> Ir
        self.incl_out = collections.Counter()   # key -> Ir of calls it makes (to others)
        self.calls_in = collections.Counter()   # key -> number of calls into it
        self.callers = collections.defaultdict(collections.Counter)  # key -> caller -> calls
        self._parse(path)

    @staticmethod
    def _base(name):
        return re.sub(r"'\d+$", "", name)

    def _parse(self, path):
        names = {"ob": {}, "fl": {}, "fn": {}}
        kind_of = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl",
                   "cfi": "fl", "cfl": "fl", "fn": "fn", "cfn": "fn"}
        fn_obj = {}      # fn id -> object name where it was defined by fn=
        cur_ob = cur_fn = None
        call_ob = call_fn = None
        pending_call = None  # (count, target fn id, target ob)
        raw_self = collections.Counter()
        raw_out = collections.Counter()
        raw_calls = []   # (caller fn id, callee fn id, callee ob or None, count, cost)
        summary = None

        def resolve(kind, text):
            text = text.strip()
            m = re.match(r"\((\d+)\)(?:\s+(.*))?$", text)
            if not m:
                return text
            ident, name = m.group(1), m.group(2)
            table = names[kind]
            if name is not None:
                table[ident] = name
                return name
            return table.get(ident, "?(%s)" % ident)

        with open(path, "r", errors="replace") as f:
            for line in f:
                c = line[:1]
                if c.isdigit() or c in "+-*":
                    parts = line.split()
                    cost = int(parts[1]) if len(parts) > 1 else 0
                    if pending_call is not None:
                        n, tfn, tob = pending_call
                        raw_calls.append((cur_fn, tfn, tob, n, cost))
                        raw_out[cur_fn] += cost
                        pending_call = None
                    else:
                        raw_self[cur_fn] += cost
                    continue
                if not line.strip() or c == "#":
                    continue
                key, _, val = line.partition("=")
                if key in kind_of and _:
                    name = resolve(kind_of[key], val)
                    if key == "ob":
                        cur_ob = name
                    elif key == "fn":
                        cur_fn = name + "\0" + (cur_ob or "?")
                        call_ob = None
                    elif key == "cob":
                        call_ob = name
                    elif key == "cfn":
                        call_fn = name
                    continue
                if key == "calls" and _:
                    n = int(val.split()[0])
                    pending_call = (n, call_fn, call_ob)
                    call_ob = None
                    continue
                if line.startswith("summary:") or line.startswith("totals:"):
                    summary = int(line.split(":")[1].split()[0])
                    continue
        # Which objects define a function name (to place callees without cob=).
        defined = collections.defaultdict(set)
        for k in raw_self:
            n, o = k.split("\0")
            defined[n].add(o)
        for k in raw_out:
            n, o = k.split("\0")
            defined[n].add(o)

        def key_of(name, ob):
            return self._base(name) + "\0" + os.path.basename(ob or "?")

        for k, v in raw_self.items():
            n, o = k.split("\0")
            self.self_cost[key_of(n, o)] += v
        for caller, tfn, tob, n, cost in raw_calls:
            cn, co = caller.split("\0")
            if tob is None:
                objs = defined.get(tfn)
                tob = next(iter(objs)) if objs and len(objs) == 1 else co
            ck, tk = key_of(cn, co), key_of(tfn, tob)
            if ck == tk:
                continue  # recursion: already inside the caller's inclusive cost
            self.incl_out[ck] += cost
            self.calls_in[tk] += n
            self.callers[tk][ck] += n
        self.total = summary if summary is not None else sum(self.self_cost.values())

    def inclusive(self, key):
        return self.self_cost[key] + self.incl_out[key]


def short(key, prof=None):
    name, obj = key.split("\0")
    if re.match(r"0x[0-9a-f]+$", name) and prof is not None:
        top = prof.callers.get(key)
        via = ""
        if top:
            caller = top.most_common(1)[0][0].split("\0")[0]
            via = " (static, called from %s)" % caller
        name = "0x%x%s" % (int(name, 16), via)
    return "%s [%s]" % (name, obj)


def per_packet(run, start, packets, attr, key=None):
    a, b = getattr(run, attr), getattr(start, attr)
    if key is None:
        return (a - b) / (packets - 1)
    return (a[key] - b[key]) / (packets - 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packets", type=int, required=True)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--plugin-obj", default="tcplife.so")
    ap.add_argument("--title", default="")
    ap.add_argument("--entry", default="dissect_tcplife", help="the plugin's entry point")
    ap.add_argument("pairs", nargs="+", help="LABEL=RUN.out,STARTUP.out; the first is the baseline")
    a = ap.parse_args()
    N = a.packets
    labels, profs = [], {}
    for p in a.pairs:
        label, _, files = p.partition("=")
        run, start = files.split(",")
        labels.append(label)
        profs[label] = (Profile(run), Profile(start))

    base = labels[0]
    br, bs = profs[base]
    base_pp = (br.total - bs.total) / (N - 1)
    out = []
    if a.title:
        out.append("#### " + a.title)
        out.append("")
    out.append("| run | start-up Ir | Ir per packet | vs %s |" % base)
    out.append("|---|---:|---:|---:|")
    for l in labels:
        r, s = profs[l]
        pp = (r.total - s.total) / (N - 1)
        out.append("| %s | %s | %.0f | %+.1f%% (%+.0f) |" % (
            l, "{:,}".format(s.total), pp, 100 * (pp / base_pp - 1), pp - base_pp))
    out.append("")

    for l in labels[1:]:
        r, s = profs[l]
        pp = (r.total - s.total) / (N - 1)
        extra = pp - base_pp
        keys = set(r.self_cost) | set(s.self_cost) | set(br.self_cost) | set(bs.self_cost)

        def delta(k):
            return ((r.self_cost[k] - s.self_cost[k]) - (br.self_cost[k] - bs.self_cost[k])) / (N - 1)

        def dcalls(k):
            return ((r.calls_in[k] - s.calls_in[k]) - (br.calls_in[k] - bs.calls_in[k])) / (N - 1)

        by_obj = collections.Counter()
        for k in keys:
            by_obj[k.split("\0")[1]] += delta(k)
        plug = by_obj.get(a.plugin_obj, 0.0)
        out.append("**%s vs %s**: %+.0f Ir/packet; inside %s's own functions %.0f (%.0f%% of the extra), "
                   "the rest %.0f (%.0f%%) in Wireshark, GLib, libc made to work by the plugin." % (
                       l, base, extra, a.plugin_obj, plug, 100 * plug / extra if extra else 0,
                       extra - plug, 100 * (extra - plug) / extra if extra else 0))
        out.append("")
        out.append("| object (self cost) | extra Ir/packet | share of extra |")
        out.append("|---|---:|---:|")
        for o, v in sorted(by_obj.items(), key=lambda x: -abs(x[1]))[:8]:
            if abs(v) < 0.5:
                continue
            out.append("| %s | %+.0f | %.1f%% |" % (o, v, 100 * v / extra if extra else 0))
        out.append("")
        # The plugin's own functions, inclusive (with everything they call).
        pk = [k for k in r.self_cost.keys() | r.incl_out.keys() if k.endswith("\0" + a.plugin_obj)]
        incl = {k: (r.inclusive(k) - s.inclusive(k)) / (N - 1) for k in pk}
        calls = {k: (r.calls_in[k] - s.calls_in[k]) / (N - 1) for k in pk}
        ek = a.entry + "\0" + a.plugin_obj
        if ek in incl:
            out.append("Inside the entry point %s (inclusive: the plugin and what it calls): %.0f Ir/packet "
                       "(%.0f%% of the extra); outside it: %+.0f (%.0f%%): the fields it asks Wireshark "
                       "to keep, the tree the dissectors then build, the post-dissector call." % (
                           a.entry, incl[ek], 100 * incl[ek] / extra if extra else 0, extra - incl[ek],
                           100 * (extra - incl[ek]) / extra if extra else 0))
            out.append("")
        out.append("| %s function (inclusive) | Ir/packet | share of extra | calls/packet |" % a.plugin_obj)
        out.append("|---|---:|---:|---:|")
        for k, v in sorted(incl.items(), key=lambda x: -x[1])[:a.top]:
            if v < 0.5:
                continue
            out.append("| %s | %.0f | %.1f%% | %.2f |" % (k.split("\0")[0], v, 100 * v / extra if extra else 0,
                                                       calls[k]))
        out.append("")
        out.append("Top %d self-cost increases (all objects; calls/packet = extra calls into it):" % a.top)
        out.append("")
        out.append("| # | function [object] | extra Ir/packet | share of extra | extra calls/packet |")
        out.append("|---:|---|---:|---:|---:|")
        for i, k in enumerate(sorted(keys, key=lambda k: -delta(k))[:a.top], 1):
            out.append("| %d | %s | %+.0f | %.1f%% | %+.2f |" % (
                i, short(k, r), delta(k), 100 * delta(k) / extra if extra else 0, dcalls(k)))
        out.append("")
        # Call-count changes of the tree-building API: what asking for a tree costs.
        api = [k for k in keys if re.match(r"(proto_tree_add_|proto_item_|ptvcursor_|expert_add_|"
                                          r"col_|proto_get_finfo|proto_field_is_referenced|"
                                          r"proto_registrar_|p_add_proto_data|p_get_proto_data|"
                                          r"fvalue_|g_hash_table_|g_ptr_array_|wmem_)", k)]
        rows = sorted(api, key=lambda k: -abs(dcalls(k)))
        rows = [k for k in rows if abs(dcalls(k)) >= 0.05][:15]
        if rows:
            out.append("Call counts of tree/field API functions (per packet):")
            out.append("")
            out.append("| function | calls %s | calls %s | extra self Ir/packet |" % (base, l))
            out.append("|---|---:|---:|---:|")
            for k in rows:
                cb = (br.calls_in[k] - bs.calls_in[k]) / (N - 1)
                cl = (r.calls_in[k] - s.calls_in[k]) / (N - 1)
                out.append("| %s | %.2f | %.2f | %+.0f |" % (k.split("\0")[0], cb, cl, delta(k)))
            out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
