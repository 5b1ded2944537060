#!/usr/bin/env python3
"""scripts/setup.sh against stand-ins for the package tools.

Each case runs the real set-up script with a PATH that holds only stand-ins for
dpkg-query, apt-get, apt-cache, id and (when the case wants it) sudo, plus the
few ordinary commands the script uses. The stand-ins read a state folder that
says which packages are installed, which ones Debian's index does not know, and
what should fail, and they record every call. The real package manager is never
reachable from that PATH.

Usage: setup_test.py [--script PATH]   (default: scripts/setup.sh of this checkout)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "setup.sh")
BASH = shutil.which("bash", path="/usr/bin:/bin") or "/bin/bash"
# Ordinary commands the script may call; everything else is a stand-in or absent.
PLAIN_TOOLS = ["bash", "env", "awk", "dirname", "cat", "grep", "sed", "tr", "sort", "rm"]


def read_packages(list_path):
    """(package, [commands]) pairs of packages.txt, parsed as setup.sh parses it."""
    out = []
    with open(list_path) as f:
        for line in f:
            line = line.split("#", 1)[0]
            if not line.strip():
                continue
            name, _, cmds = line.partition(":")
            out.append((name.strip(), cmds.split()))
    return out


STANDINS = {
    # Prints "ii  NAME" for installed packages (or the state in status/NAME), like
    # `dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n'`; unknown names go to
    # stderr and make it exit 1, as the real one does.
    "dpkg-query": r"""
        echo "dpkg-query $*" >>"$STATE/calls"
        rc=0
        for a in "$@"; do
          case $a in -*) continue;; esac
          if [ -f "$STATE/status/$a" ]; then printf '%s %s\n' "$(cat "$STATE/status/$a")" "$a"
          elif grep -qx -- "$a" "$STATE/installed"; then printf 'ii  %s\n' "$a"
          else echo "dpkg-query: no packages found matching $a" >&2; rc=1; fi
        done
        exit $rc
    """,
    "apt-get": r"""
        echo "apt-get $*" >>"$STATE/calls"
        [ "$(id -u)" = 0 ] || { echo "E: Could not open lock file - are you root?" >&2; exit 100; }
        case " $* " in
          *" update "*) [ -f "$STATE/update_fails" ] && { echo "E: update failed" >&2; exit 100; }; exit 0;;
          *" install "*)
            [ -f "$STATE/install_fails" ] && { echo "E: Sub-process /usr/bin/dpkg returned an error code (1)" >&2; exit 100; }
            for a in "$@"; do
              case $a in -*|install) ;; *) [ -f "$STATE/install_is_a_lie" ] || echo "$a" >>"$STATE/installed"; rm -f "$STATE/status/$a";; esac
            done
            exit 0;;
        esac
        exit 0
    """,
    "apt-cache": r"""
        echo "apt-cache $*" >>"$STATE/calls"
        [ "$1" = policy ] || exit 0
        grep -qx -- "$2" "$STATE/unknown" && exit 0
        printf '%s:\n  Installed: (none)\n  Candidate: 1.0-1\n' "$2"
    """,
    "id": r"""
        [ "$1" = -u ] && { echo "$FAKE_UID"; exit 0; }
        echo "uid=$FAKE_UID"
    """,
}

SUDO = r"""
    echo "sudo $*" >>"$STATE/calls"
    FAKE_UID=0 exec "$@"
"""


class Sandbox:
    """A state folder and a PATH of stand-ins for one case."""

    def __init__(self, packages, installed, uid=0, sudo=False, unknown=(), status=None,
                 missing_commands=()):
        self.tmp = tempfile.mkdtemp(prefix="meshota-setup-test-")
        self.state = os.path.join(self.tmp, "state")
        self.bin = os.path.join(self.tmp, "bin")
        os.makedirs(os.path.join(self.state, "status"))
        os.makedirs(self.bin)
        self.uid = uid
        with open(os.path.join(self.state, "installed"), "w") as f:
            f.write("".join(p + "\n" for p in installed))
        with open(os.path.join(self.state, "unknown"), "w") as f:
            f.write("".join(p + "\n" for p in unknown))
        for name, st in (status or {}).items():
            with open(os.path.join(self.state, "status", name), "w") as f:
                f.write(st)
        open(os.path.join(self.state, "calls"), "w").close()
        for tool in PLAIN_TOOLS:
            real = shutil.which(tool, path="/usr/bin:/bin")
            if real:
                os.symlink(real, os.path.join(self.bin, tool))
        scripts = dict(STANDINS)
        if sudo:
            scripts["sudo"] = SUDO
        # The commands packages.txt promises: empty stand-ins, unless the case hides them.
        for _, cmds in packages:
            for c in cmds:
                if not c.startswith("/") and c not in missing_commands:
                    scripts.setdefault(c, "exit 0")
        for name, body in scripts.items():
            path = os.path.join(self.bin, name)
            with open(path, "w") as f:
                f.write("#!" + BASH + "\nset -u\n" + textwrap.dedent(body))
            os.chmod(path, 0o755)

    def touch(self, name):
        open(os.path.join(self.state, name), "w").close()

    def run(self, script):
        env = {"PATH": self.bin, "STATE": self.state, "FAKE_UID": str(self.uid), "HOME": self.tmp,
               "LC_ALL": "C"}
        return subprocess.run([BASH, script], env=env, capture_output=True, text=True, timeout=60)

    def calls(self):
        with open(os.path.join(self.state, "calls")) as f:
            return f.read().splitlines()

    def installs(self):
        """The package names of every `apt-get install` call."""
        out = []
        for c in self.calls():
            words = c.split()
            if words[:1] == ["apt-get"] and "install" in words:
                out.append([w for w in words[words.index("install") + 1:] if not w.startswith("-")])
        return out

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class SetupTest(unittest.TestCase):
    script = SCRIPT

    @classmethod
    def setUpClass(cls):
        cls.packages = read_packages(os.path.join(ROOT, "scripts", "packages.txt"))
        cls.names = [p for p, _ in cls.packages]
        assert len(cls.names) >= 10, "packages.txt looks truncated"

    def sandbox(self, installed, **kw):
        box = Sandbox(self.packages, installed, **kw)
        self.addCleanup(box.cleanup)
        return box

    def explain(self, r, box):
        return "\nstdout:\n%s\nstderr:\n%s\ncalls:\n%s" % (r.stdout, r.stderr, "\n".join(box.calls()))

    def test_nothing_missing_touches_no_apt(self):
        box = self.sandbox(self.names)
        r = box.run(self.script)
        self.assertEqual(r.returncode, 0, self.explain(r, box))
        self.assertIn("all %d packages present" % len(self.names), r.stdout)
        self.assertFalse([c for c in box.calls() if c.startswith(("apt-get", "apt-cache"))],
                         self.explain(r, box))

    def test_some_missing_installs_exactly_those(self):
        gone = [self.names[0], self.names[len(self.names) // 2], self.names[-1]]
        box = self.sandbox([n for n in self.names if n not in gone])
        r = box.run(self.script)
        self.assertEqual(r.returncode, 0, self.explain(r, box))
        self.assertEqual(box.installs(), [gone], self.explain(r, box))
        for g in gone:
            self.assertIn(g, r.stdout)

    def test_all_missing_installs_all(self):
        box = self.sandbox([])
        r = box.run(self.script)
        self.assertEqual(r.returncode, 0, self.explain(r, box))
        self.assertEqual(box.installs(), [self.names], self.explain(r, box))
        self.assertIn("%d of %d packages missing" % (len(self.names), len(self.names)), r.stdout)

    def test_removed_but_configured_counts_as_missing(self):
        gone = self.names[3]
        box = self.sandbox([n for n in self.names if n != gone], status={gone: "rc "})
        r = box.run(self.script)
        self.assertEqual(r.returncode, 0, self.explain(r, box))
        self.assertEqual(box.installs(), [[gone]], self.explain(r, box))

    def test_unknown_package_fails_loudly_before_installing(self):
        gone = self.names[-2:]
        box = self.sandbox([n for n in self.names if n not in gone], unknown=[gone[0]])
        r = box.run(self.script)
        self.assertNotEqual(r.returncode, 0, self.explain(r, box))
        self.assertIn("has no: " + gone[0], r.stderr)
        self.assertIn("scripts/packages.txt", r.stderr)
        self.assertEqual(box.installs(), [], self.explain(r, box))

    def test_apt_install_failure_fails_loudly(self):
        gone = self.names[:2]
        box = self.sandbox(self.names[2:])
        box.touch("install_fails")
        r = box.run(self.script)
        self.assertNotEqual(r.returncode, 0, self.explain(r, box))
        self.assertIn("'apt-get install' failed for: " + " ".join(gone), r.stderr)
        self.assertIn("run scripts/setup.sh again", r.stderr)

    def test_apt_update_failure_still_tries_the_install(self):
        box = self.sandbox(self.names[1:])
        box.touch("update_fails")
        r = box.run(self.script)
        self.assertEqual(r.returncode, 0, self.explain(r, box))
        self.assertIn("warning: 'apt-get update' failed", r.stderr)
        self.assertEqual(box.installs(), [[self.names[0]]])

    def test_install_that_does_not_install_is_caught(self):
        box = self.sandbox(self.names[1:])
        box.touch("install_is_a_lie")
        r = box.run(self.script)
        self.assertNotEqual(r.returncode, 0, self.explain(r, box))
        self.assertIn("still not installed: " + self.names[0], r.stderr)

    def test_no_root_and_no_sudo_fails_with_the_names(self):
        gone = self.names[:3]
        box = self.sandbox(self.names[3:], uid=1000)
        r = box.run(self.script)
        self.assertNotEqual(r.returncode, 0, self.explain(r, box))
        self.assertIn("need root to install: " + " ".join(gone), r.stderr)
        self.assertIn("sudo apt-get install " + " ".join(gone), r.stderr)
        self.assertFalse([c for c in box.calls() if c.startswith("apt-get")], self.explain(r, box))

    def test_no_root_with_sudo_installs_through_sudo(self):
        box = self.sandbox(self.names[1:], uid=1000, sudo=True)
        r = box.run(self.script)
        self.assertEqual(r.returncode, 0, self.explain(r, box))
        self.assertTrue(any(c.startswith("sudo ") and " install " in c for c in box.calls()),
                        self.explain(r, box))
        self.assertEqual(box.installs(), [[self.names[0]]])

    def test_a_missing_command_is_named(self):
        pkg, cmds = next((p, c) for p, c in self.packages if c and not c[0].startswith("/"))
        box = self.sandbox(self.names, missing_commands=[cmds[0]])
        r = box.run(self.script)
        self.assertNotEqual(r.returncode, 0, self.explain(r, box))
        self.assertIn("%s (from %s)" % (cmds[0], pkg), r.stderr)


class ConfigureMessageTest(unittest.TestCase):
    """Configuring the real project with one library hidden names the package to install."""

    def configure_without(self, package):
        build = tempfile.mkdtemp(prefix="meshota-configure-test-")
        self.addCleanup(shutil.rmtree, build, True)
        return subprocess.run(["cmake", "-S", ROOT, "-B", build, "-DMESHOTA_BUILD_TESTS=OFF",
                               "-DCMAKE_DISABLE_FIND_PACKAGE_%s=ON" % package],
                              capture_output=True, text=True, timeout=300)

    def test_each_hidden_library_names_its_package(self):
        for package, what, deb in [("Boost", "Boost (1.74 or later)", "libboost-graph-dev"),
                                   ("yaml-cpp", "yaml-cpp", "libyaml-cpp-dev"),
                                   ("ZLIB", "zlib", "zlib1g-dev"),
                                   ("benchmark", "Google Benchmark", "libbenchmark-dev"),
                                   ("pybind11", "pybind11 (CMake package)", "pybind11-dev")]:
            with self.subTest(package=package):
                r = self.configure_without(package)
                self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
                self.assertIn("%s not found: run scripts/setup.sh (or: apt-get install %s)" % (what, deb),
                              " ".join((r.stdout + r.stderr).split()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--script", default=SCRIPT, help="the set-up script to test")
    args, rest = parser.parse_known_args()
    SetupTest.script = os.path.abspath(args.script)
    print("setup_test: testing %s" % SetupTest.script)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
