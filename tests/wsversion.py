# SPDX-License-Identifier: GPL-2.0-or-later
"""The running Wireshark's version, for the few test expectations that
depend on it because Wireshark itself changed behaviour between releases
(not because tcplife did). Each such expectation says why, with the
Wireshark source that changed; see tests/expected/README.md.

    tshark_version()           -> (4, 4, 19) for the tshark on PATH
    pick(by_version, version)  -> the value of the highest key <= version
    versioned_table(path, v)   -> tests/expected/wireshark-X.Y/<name> when
                                  one applies to v, else path

TCPLIFE_WIRESHARK_VERSION=4.4 overrides what tshark says (to try the
expectations of another version against its tables only; the captures are
still dissected by the tshark on PATH).
"""
import os
import re
import subprocess

_cache = {}


def parse(text):
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not m:
        raise ValueError("no version in %r" % text)
    return tuple(int(x or 0) for x in m.groups())


def tshark_version(tshark="tshark"):
    env = os.environ.get("TCPLIFE_WIRESHARK_VERSION")
    if env:
        return parse(env)
    if tshark not in _cache:
        out = subprocess.run([tshark, "--version"], capture_output=True, text=True,
                             env=dict(os.environ, LC_ALL="C")).stdout
        m = re.search(r"TShark \(Wireshark\) (\d+\.\d+\.\d+)", out)
        if not m:
            raise SystemExit("cannot tell the Wireshark version from `%s --version`: %r"
                             % (tshark, out[:200]))
        _cache[tshark] = parse(m.group(1))
    return _cache[tshark]


def pick(by_version, version):
    """by_version: {(major, minor): value}; the value of the highest key not
    above version (the oldest key is the default for older versions)."""
    keys = sorted(by_version)
    best = keys[0]
    for k in keys:
        if k <= tuple(version[:2]):
            best = k
    return by_version[best]


def override_dirs(base_dir):
    """(major, minor) -> folder, for the wireshark-X.Y folders in base_dir."""
    found = {}
    if os.path.isdir(base_dir):
        for d in os.listdir(base_dir):
            m = re.fullmatch(r"wireshark-(\d+)\.(\d+)", d)
            if m and os.path.isdir(os.path.join(base_dir, d)):
                found[(int(m.group(1)), int(m.group(2)))] = os.path.join(base_dir, d)
    return found


def versioned_table(path, version):
    """The expected table that applies to this Wireshark: the copy of path's
    file name in the wireshark-X.Y folder beside it with the highest X.Y not
    above version, if there is one; path itself otherwise."""
    base_dir, name = os.path.split(os.path.abspath(path))
    best = None
    for ver, d in sorted(override_dirs(base_dir).items()):
        if ver <= tuple(version[:2]) and os.path.exists(os.path.join(d, name)):
            best = os.path.join(d, name)
    return best or path
