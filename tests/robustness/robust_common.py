# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by the robustness scripts: where the captures are, and a TShark
runner that stages the built plugin once (world-readable, since Wireshark
ignores plugin folders for uid 0 and we then run as "nobody"), checks that
it loads, and runs tshark directly (optionally under LD_PRELOAD or a
wrapper such as valgrind)."""
import glob
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def find_corpus(arg=None):
    """The external corpus beside the project (<root>/../shared/corpus), as
    CI checks it out; None when it is not there."""
    cands = [arg] if arg else [os.environ.get("TCPLIFE_CORPUS", ""),
                               os.path.join(ROOT, "..", "shared", "corpus")]
    for c in cands:
        if c and os.path.isdir(os.path.join(c, "zeek", "traces")):
            return os.path.abspath(c)
    return None


def project_captures():
    pats = ["tests/captures/*.pcap*", "tests/http-captures/*.pcap*", "demo/*.pcap*",
            "tests/robustness/captures/*.pcap*", "tests/robustness/regressions/*.pcap*"]
    out = []
    for p in pats:
        out += sorted(glob.glob(os.path.join(ROOT, p)))
    return out


def corpus_captures(corpus):
    if not corpus:
        return []
    return (sorted(glob.glob(os.path.join(corpus, "zeek", "traces", "*.pcap*"))) +
            sorted(glob.glob(os.path.join(corpus, "suricata", "*", "*.pcap*"))))


def find_plugin(build):
    for dirpath, _, files in os.walk(os.path.join(build, "plugins")):
        if "tcplife.so" in files:
            return os.path.join(dirpath, "tcplife.so")
    return None


class Tshark:
    """tshark with the plugin from BUILD staged in a private plugin folder."""

    def __init__(self, build, env=None, wrapper=None):
        so = find_plugin(build)
        if not so:
            raise SystemExit("no tcplife.so under %s/plugins (build first)" % build)
        ver = os.path.basename(os.path.dirname(os.path.dirname(so)))
        self.stage = tempfile.mkdtemp(prefix="tcplife-robust.")
        os.chmod(self.stage, 0o755)
        epan = os.path.join(self.stage, "plugins", ver, "epan")
        os.makedirs(epan)
        shutil.copy(so, epan)
        home = os.path.join(self.stage, "home")
        os.makedirs(home)
        for d, _, fs in os.walk(self.stage):
            os.chmod(d, 0o755)
            for f in fs:
                os.chmod(os.path.join(d, f), 0o644)
        os.chmod(home, 0o777)
        # No extcap helpers: tshark -G plugins would start them, and they hang
        # with an LD_PRELOADed sanitizer runtime.
        extcap = os.path.join(self.stage, "extcap")
        os.makedirs(extcap)
        os.chmod(extcap, 0o755)
        self.work = os.path.join(self.stage, "work")   # world-readable scratch
        os.makedirs(self.work)
        os.chmod(self.work, 0o755)
        self.env = dict(os.environ, HOME=home, WIRESHARK_PLUGIN_DIR=os.path.join(self.stage,
                                                                                "plugins"),
                        WIRESHARK_CONFIG_DIR=os.path.join(home, ".config", "wireshark"),
                        WIRESHARK_EXTCAP_DIR=extcap, TZ="UTC", LC_ALL="C.UTF-8")
        self.env.update(env or {})
        self.prefix = []
        if os.getuid() == 0:
            self.prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        self.prefix += list(wrapper or [])
        rc, out, err = self.run(["-G", "plugins"], timeout=600)
        if "tcplife.so" not in out:
            self.close()
            raise SystemExit("tshark did not load %s (rc %s): %s" % (so, rc, err[-2000:]))

    def run(self, args, timeout=900, extra_env=None, keep_stdout=True):
        """(exit status or "timeout", stdout, stderr); a signal is a
        negative status. keep_stdout=False discards standard output."""
        env = self.env if not extra_env else dict(self.env, **extra_env)
        try:
            p = subprocess.run(["nice", "-n", "10"] + self.prefix + ["tshark"] + args,
                               stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return ("timeout", (e.stdout or b"").decode("utf-8", "replace"),
                    (e.stderr or b"").decode("utf-8", "replace"))
        return (p.returncode, (p.stdout or b"").decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def readable_copy(self, path, name=None):
        dst = os.path.join(self.work, name or os.path.basename(path))
        shutil.copyfile(path, dst)
        os.chmod(dst, 0o644)
        return dst

    def close(self):
        shutil.rmtree(self.stage, ignore_errors=True)
