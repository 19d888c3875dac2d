#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The three ways to install tcplife, each into a temporary root, never into
the system:

  check_install.py layout --build DIR   `DESTDIR=tmp cmake --install DIR`
  check_install.py deb --build DIR      `cpack -G DEB`, then `dpkg-deb -x`
  check_install.py user --build DIR     scripts/install-user.sh and
                                        scripts/uninstall-user.sh

layout and deb: the plugin lands in Wireshark's global plugin folder
(pkg-config's plugindir)/epan, the profile in <global data folder>/profiles/
tcplife, identical to profile/tcplife; the .deb is named and versioned after
the project and depends on exactly this Wireshark's major.minor of the
library package that owns libwireshark.so. Then that tree works: TShark, as
an unprivileged user, with WIRESHARK_PLUGIN_DIR at the tree's plugin folder
and WIRESHARK_DATA_DIR at a copy of the global data folder whose profiles
are the tree's, lists the plugin from the tree, and `-C tcplife` shows the
Lifecycle column with frame 25's words.

user: as root the script refuses (Wireshark ignores personal plugins for
root) and writes nothing; as an unprivileged user with a fresh HOME it puts
tcplife.so in ~/.local/lib/wireshark/plugins/<maj.min>/epan and the profile
in ~/.config/wireshark/profiles/tcplife; TShark with nothing but that HOME
loads the plugin from there and `-C tcplife` works; uninstall removes both
and TShark no longer lists it. As root, --force with an empty build folder
shows "builds if needed".
"""
import argparse
import filecmp
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlenv  # noqa: E402

DEMO = os.path.join(tlenv.ROOT, "demo", "demo.pcap")
FRAME25 = ("Teardown 2+3/4: FIN+ACK S→C", "TIME-WAIT", "LAST-ACK")


def sh(cmd, env=None, ok=(0,), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)
    if p.returncode not in ok:
        raise SystemExit("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p


def pkgconfig(var):
    return sh(["pkg-config", "--variable=" + var, "wireshark"]).stdout.strip()


def project_version(build):
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        cache = f.read()
    m = re.search(r"^CMAKE_PROJECT_VERSION:STATIC=(\S+)", cache, re.M)
    return m.group(1) if m else None


def user_tshark(env_extra, args):
    env = {"PATH": os.environ["PATH"], "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    env.update(env_extra)
    return sh(tlenv.as_user() + ["env"] + ["%s=%s" % kv for kv in env.items()] + ["tshark"] + args)


def check_demo(env_extra, capture, where):
    """TShark with the given environment: plugin listed from `where`,
    -C tcplife gives the profile's columns and frame 25's words."""
    plugins = user_tshark(env_extra, ["-G", "plugins"]).stdout
    line = [l for l in plugins.splitlines() if "tcplife.so" in l]
    if not line or where not in line[0]:
        raise SystemExit("tshark -G plugins does not list tcplife.so from %s:\n%s" % (where, plugins))
    out = user_tshark(env_extra, ["-C", "tcplife", "-r", capture, "-T", "psml"]).stdout
    titles, rows = tlenv.psml_rows(out)
    if titles != tlenv.COLUMNS:
        raise SystemExit("columns %s, want %s" % (titles, tlenv.COLUMNS))
    c = {t: i for i, t in enumerate(titles)}
    row = rows[24]
    got = (row[c["Lifecycle"]], row[c["Client state"]], row[c["Server state"]])
    if got != FRAME25:
        raise SystemExit("frame 25: %s, want %s" % (got, FRAME25))
    field = user_tshark(env_extra, ["-r", capture, "-Y", 'tcplife.server.state == "LAST-ACK"',
                                    "-T", "fields", "-e", "frame.number"]).stdout.split()
    if field != ["23", "25"]:
        raise SystemExit('tcplife.server.state == "LAST-ACK" selects %s, want 23 and 25' % field)
    print("  tshark loads %s, -C tcplife: columns and frame 25 as expected" % line[0].split("\t")[-1])


def check_tree(root, work, capture, ver):
    """An installed tree (DESTDIR or extracted .deb) has the right files in
    the right places, and TShark runs from it."""
    plugindir = pkgconfig("plugindir")            # e.g. /usr/lib/<triplet>/wireshark/plugins/4.0
    if os.path.basename(plugindir) != ver:
        raise SystemExit("pkg-config plugindir %s is not for Wireshark %s" % (plugindir, ver))
    so = root + plugindir + "/epan/tcplife.so"
    profile = root + tlenv.global_data_dir() + "/profiles/tcplife"
    for path in (so, profile + "/preferences", profile + "/colorfilters"):
        if not os.path.isfile(path):
            raise SystemExit("missing %s" % path)
    for name in os.listdir(tlenv.PROFILE):
        if not filecmp.cmp(os.path.join(tlenv.PROFILE, name), os.path.join(profile, name), shallow=False):
            raise SystemExit("installed profile file %s differs from profile/tcplife" % name)
    print("  %s\n  %s/" % (so[len(root):], profile[len(root):]))
    tlenv.readable_tree(root)
    data = tlenv.data_dir_with_profiles(os.path.join(work, "data"), {"tcplife": profile})
    home = tlenv.tmpdir("tcplife-home.", writable=True)
    try:
        check_demo({"HOME": home, "WIRESHARK_PLUGIN_DIR": os.path.dirname(root + plugindir),
                    "WIRESHARK_DATA_DIR": data}, capture, root)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def mode_layout(build, work, capture, ver):
    root = os.path.join(work, "root")
    sh(["cmake", "--install", build], env=dict(os.environ, DESTDIR=root))
    print("cmake --install (DESTDIR):")
    check_tree(root, work, capture, ver)


def libwireshark_package():
    for so in sorted(glob.glob(os.path.join(pkgconfig("libdir"), "libwireshark.so.[0-9]*"))):
        p = subprocess.run(["dpkg-query", "-S", os.path.realpath(so)], capture_output=True, text=True)
        if p.returncode == 0:
            return p.stdout.split(":")[0]
    return None


def mode_deb(build, work, capture, ver):
    out = os.path.join(work, "cpack")
    sh(["cpack", "-G", "DEB", "-B", out, "--config", os.path.join(build, "CPackConfig.cmake")], cwd=build)
    debs = glob.glob(os.path.join(out, "*.deb"))
    if len(debs) != 1:
        raise SystemExit("cpack made %s" % debs)
    deb = debs[0]
    fields = {k: sh(["dpkg-deb", "-f", deb, k]).stdout.strip()
              for k in ("Package", "Version", "Architecture", "Depends")}
    arch = sh(["dpkg", "--print-architecture"]).stdout.strip()
    want_name = "tcplife_%s_%s.deb" % (project_version(build), arch)
    print("%s: %s" % (os.path.basename(deb), fields))
    if os.path.basename(deb) != want_name or fields["Package"] != "tcplife" \
            or fields["Version"] != project_version(build) or fields["Architecture"] != arch:
        raise SystemExit("package name/version/architecture: want %s" % want_name)
    lib = libwireshark_package()
    major, minor = ver.split(".")
    for dep in ("%s (>= %s.%s)" % (lib, major, minor), "%s (<< %s.%d)" % (lib, major, int(minor) + 1)):
        if dep not in [d.strip() for d in fields["Depends"].split(",")]:
            raise SystemExit("Depends lacks %r: %s" % (dep, fields["Depends"]))
    # The installed Wireshark satisfies it (else the package could not be installed here).
    have = sh(["dpkg-query", "-W", "-f", "${Version}", lib]).stdout.strip()
    for op, v in (("ge", "%s.%s" % (major, minor)), ("lt", "%s.%d" % (major, int(minor) + 1))):
        if subprocess.run(["dpkg", "--compare-versions", have, op, v]).returncode != 0:
            raise SystemExit("installed %s %s does not satisfy %s %s" % (lib, have, op, v))
    listing = sh(["dpkg-deb", "-c", deb]).stdout
    if re.search(r"\s\./(?!usr/)", listing):
        raise SystemExit("files outside /usr in the package:\n" + listing)
    root = os.path.join(work, "root")
    sh(["dpkg-deb", "-x", deb, root])
    check_tree(root, work, capture, ver)


def run_script(script, home, extra=(), user=True):
    env = {"PATH": os.environ["PATH"], "HOME": home, "LC_ALL": "C.UTF-8"}
    cmd = (tlenv.as_user() if user else []) + ["env"] + ["%s=%s" % kv for kv in env.items()] \
        + ["bash", script] + list(extra)
    return subprocess.run(cmd, capture_output=True, text=True)


def mode_user(build, work, capture, ver):
    so, _ = tlenv.built_plugin(build)
    # A world-readable copy of what the script reads (its checkout and a
    # build folder holding only the plugin): the checkout itself may not be
    # readable by the unprivileged user.
    src = os.path.join(work, "src")
    os.makedirs(os.path.join(src, "scripts"))
    for s in ("install-user.sh", "uninstall-user.sh", "wireshark-config-dir.sh"):
        shutil.copy(os.path.join(tlenv.ROOT, "scripts", s), os.path.join(src, "scripts"))
    shutil.copytree(tlenv.PROFILE, os.path.join(src, "profile", "tcplife"))
    fake_build = os.path.join(work, "build")
    os.makedirs(os.path.join(fake_build, "plugins", ver, "epan"))
    shutil.copy(so, os.path.join(fake_build, "plugins", ver, "epan"))
    tlenv.readable_tree(work)
    install = os.path.join(src, "scripts", "install-user.sh")
    uninstall = os.path.join(src, "scripts", "uninstall-user.sh")
    plugin = ".local/lib/wireshark/plugins/%s/epan/tcplife.so" % ver
    profile = ".config/wireshark/profiles/tcplife"

    if os.geteuid() == 0:
        home = tlenv.tmpdir("tcplife-roothome.")
        p = run_script(install, home, ["--build", fake_build, "--no-build"], user=False)
        if p.returncode != 2 or "root" not in p.stderr or os.listdir(home):
            raise SystemExit("as root install-user.sh should refuse and write nothing: %d %s"
                             % (p.returncode, p.stderr))
        print("as root: refuses (exit 2), writes nothing")
        # "Builds if needed": an empty build folder is configured and built.
        fresh = os.path.join(work, "fresh-build")
        p = run_script(os.path.join(tlenv.ROOT, "scripts", "install-user.sh"), home,
                       ["--build", fresh, "--force"], user=False)
        if p.returncode != 0 or not os.path.isfile(os.path.join(home, plugin)):
            raise SystemExit("install-user.sh --force with an empty build folder: %d\n%s%s"
                             % (p.returncode, p.stdout, p.stderr))
        print("as root with --force and an empty build folder: built and installed")
        shutil.rmtree(home)

    home = tlenv.tmpdir("tcplife-home.", writable=True)
    p = run_script(install, home, ["--build", fake_build, "--no-build"])
    print(p.stdout + p.stderr, end="")
    if p.returncode != 0:
        raise SystemExit("install-user.sh failed (%d)" % p.returncode)
    for path in (plugin, profile + "/preferences", profile + "/colorfilters"):
        if not os.path.isfile(os.path.join(home, path)):
            raise SystemExit("install-user.sh did not create ~/%s" % path)
    if not filecmp.cmp(so, os.path.join(home, plugin), shallow=False):
        raise SystemExit("installed tcplife.so differs from the build's")
    # Nothing but HOME: the personal plugin folder and personal profile.
    check_demo({"HOME": home}, capture, home + "/.local/lib/wireshark/plugins")

    p = run_script(uninstall, home)
    print(p.stdout + p.stderr, end="")
    if p.returncode != 0:
        raise SystemExit("uninstall-user.sh failed (%d)" % p.returncode)
    for path in (plugin, profile):
        if os.path.exists(os.path.join(home, path)):
            raise SystemExit("uninstall-user.sh left ~/%s" % path)
    if "tcplife.so" in user_tshark({"HOME": home}, ["-G", "plugins"]).stdout:
        raise SystemExit("tshark still lists tcplife after uninstall-user.sh")
    print("uninstalled: tshark no longer lists tcplife")
    shutil.rmtree(home, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["layout", "deb", "user"])
    ap.add_argument("--build", default=os.path.join(tlenv.ROOT, "build"))
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    _, ver = tlenv.built_plugin(build)
    work = tlenv.tmpdir("tcplife-install.")
    try:
        capture = tlenv.copy_capture(DEMO, work)
        {"layout": mode_layout, "deb": mode_deb, "user": mode_user}[args.mode](build, work, capture, ver)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%s: ok" % args.mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
