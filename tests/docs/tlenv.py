# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by the profile, install, package and GUI tests: temporary folders
an unprivileged Wireshark can read, running as "nobody" when we are root
(Wireshark ignores plugin folders for uid 0), a copy of Wireshark's global
data folder with extra profiles in it, and the expected tables."""
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WRAPPER = os.path.join(ROOT, "scripts", "tshark-tcplife")
PROFILE = os.path.join(ROOT, "profile", "tcplife")
COLUMNS = ["No.", "Time", "Source", "Destination", "Protocol", "Lifecycle",
           "Client state", "Server state", "Info"]
RULES = {"handshake": "tcplife: handshake", "teardown": "tcplife: teardown",
         "reset": "tcplife: reset"}


def as_user():
    """Command prefix that drops root: Wireshark would ignore our plugins."""
    if os.geteuid() == 0:
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    return []


def tmpdir(prefix, writable=False):
    d = tempfile.mkdtemp(prefix=prefix)
    os.chmod(d, 0o777 if writable else 0o755)
    return d


def readable_tree(path):
    for dirpath, dirnames, filenames in os.walk(path):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                os.chmod(p, 0o644)


def built_plugin(build):
    """(path of tcplife.so, "major.minor") from a build tree."""
    for dirpath, _, filenames in os.walk(os.path.join(build, "plugins")):
        if "tcplife.so" in filenames:
            epan = dirpath
            return os.path.join(epan, "tcplife.so"), os.path.basename(os.path.dirname(epan))
    raise SystemExit("no tcplife.so under %s/plugins (build first)" % build)


def global_data_dir():
    out = subprocess.run(["tshark", "-G", "folders"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Global configuration:"):
            return line.split(":", 1)[1].strip()
    return "/usr/share/wireshark"


def data_dir_with_profiles(dest, profiles):
    """A stand-in for Wireshark's global data folder (WIRESHARK_DATA_DIR):
    symbolic links to everything in the real one, and profiles/ holding the
    real global profiles plus `profiles` {name: folder}, as installing them
    would."""
    real = global_data_dir()
    os.makedirs(dest, exist_ok=True)
    for name in os.listdir(real):
        if name != "profiles":
            os.symlink(os.path.join(real, name), os.path.join(dest, name))
    os.mkdir(os.path.join(dest, "profiles"))
    if os.path.isdir(os.path.join(real, "profiles")):
        for name in os.listdir(os.path.join(real, "profiles")):
            os.symlink(os.path.join(real, "profiles", name), os.path.join(dest, "profiles", name))
    for name, folder in profiles.items():
        link = os.path.join(dest, "profiles", name)
        if os.path.lexists(link):
            os.remove(link)
        shutil.copytree(folder, link)
    readable_tree(os.path.join(dest, "profiles"))
    os.chmod(dest, 0o755)
    return dest


def copy_capture(capture, dest):
    copy = os.path.join(dest, os.path.basename(capture))
    shutil.copyfile(capture, copy)
    os.chmod(copy, 0o644)
    return copy


def expected_table(path):
    """Rows of an expected table (tests/expected/*.tsv, demo/expected.tsv)
    keyed by frame number."""
    rows, header = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
            rows[int(row["frame"])] = row
    return rows


def expected_rule(row):
    """The tcplife colouring rule a frame should get: the first match of
    profile/tcplife/colorfilters, or None (Wireshark's default rules)."""
    if row["hs"]:
        return RULES["handshake"]
    if row["td"]:
        return RULES["teardown"]
    if row["phase"] == "reset":
        return RULES["reset"]
    return None


def psml_rows(text):
    """(column titles, [row cells]) of tshark -T psml output."""
    import xml.etree.ElementTree as ET
    root = ET.fromstring(text)
    titles = [s.text or "" for s in root.find("structure").findall("section")]
    rows = [[s.text or "" for s in p.findall("section")] for p in root.findall("packet")]
    return titles, rows
