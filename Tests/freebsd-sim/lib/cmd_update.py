"""freebsd-update(8): fetch, upgrade, install, rollback, updatesready, showconfig, cron, IDS.

Messages go to stdout as the real shell script writes them. The update server is the
catalog in STATE/update-catalog: `latest <release>-p<N>` lines and `eol <release>` lines.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

import simstate as S

ACCUMULATING = ("Components", "IgnorePaths", "UpdateIfUnmodified", "MergeChanges", "IDSIgnorePaths")
SINGLE = ("KeyPrint", "WorkDir", "ServerName", "MailTo", "AllowAdd", "AllowDelete",
          "KeepModifiedMetadata", "BaseDir", "StrictComponents", "BackupKernel",
          "BackupKernelDir", "BackupKernelSymbolFiles", "CreateBootEnv", "VerboseLevel")
COMMANDS = ("fetch", "cron", "upgrade", "updatesready", "install", "rollback", "IDS", "showconfig")
VERSION_LINE = re.compile(r'^USERLAND_VERSION="([^"]*)"', re.M)


class Exit(Exception):
    def __init__(self, code):
        self.code = code


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def usage(prog):
    out("usage: %s [options] command ... [path]\n\nOptions:\n"
        "  -b basedir   -- Operate on a system mounted at basedir\n"
        "                  (default: /)\n"
        "  -d workdir   -- Store working files in workdir\n"
        "                  (default: /var/db/freebsd-update/)\n"
        "  -f conffile  -- Read configuration options from conffile\n"
        "                  (default: /etc/freebsd-update.conf)\n"
        "  -F           -- Force a fetch operation to proceed in the\n"
        "                  case of an unfinished upgrade\n"
        "  -j jail      -- Operate on the given jail specified by jid or name\n"
        "  -k KEY       -- Trust an RSA key with SHA256 hash of KEY\n"
        "  -r release   -- Target for upgrade (e.g., 13.2-RELEASE)\n"
        "  -s server    -- Server from which to fetch updates\n"
        "                  (default: update.FreeBSD.org)\n"
        "  -t address   -- Mail output of cron command, if any, to address\n"
        "                  (default: root)\n"
        "  --not-running-from-cron\n"
        "               -- Run without a tty, for use by automated tools\n"
        "  --currently-running release\n"
        "               -- Update as if currently running this release\n"
        "Commands:\n"
        "  fetch        -- Fetch updates from server\n"
        "  cron         -- Sleep rand(3600) seconds, fetch updates, and send an\n"
        "                  email if updates were found\n"
        "  upgrade      -- Fetch upgrades to FreeBSD version specified via -r option\n"
        "  updatesready -- Check if there are fetched updates ready to install\n"
        "  install      -- Install downloaded updates or upgrades\n"
        "  rollback     -- Uninstall most recently installed updates\n"
        "  IDS          -- Compare the system against an index of \"known good\" files\n"
        "  showconfig   -- Show configuration" % os.path.basename(prog))
    raise Exit(0)


class Run:
    def __init__(self, host, argv):
        self.host = host
        self.zero = argv[0]
        self.name = os.path.basename(argv[0])
        self.config = {}
        self.commands = []
        self.force = False
        self.notty_ok = False
        self.fetched = False
        self.conffile = None
        self.parse_cmdline(argv[1:])
        self.parse_conffile()
        self.defaults()

    # ----------------------------------------------------------- parameters

    def set_single(self, key, value):
        if key in self.config:
            return False
        self.config[key] = value
        return True

    def parse_cmdline(self, args):
        options = {"-b": "BaseDir", "-d": "WorkDir", "-k": "KeyPrint", "-s": "ServerName",
                   "-r": "TargetRelease", "-t": "MailTo", "-v": "VerboseLevel"}
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "-f":
                if i + 1 >= len(args) or self.conffile is not None:
                    usage(self.zero)
                self.conffile = args[i + 1]
                i += 1
            elif arg == "-F":
                self.force = True
            elif arg == "--not-running-from-cron":
                self.notty_ok = True
            elif arg == "--currently-running":
                value = args[i + 1] if i + 1 < len(args) else ""
                if re.fullmatch(r"[0-9.]+", value):
                    value += "-RELEASE"
                os.environ["UNAME_r"] = value
                i += 1
            elif arg == "-j":
                if i + 1 >= len(args):
                    usage(self.zero)
                self.jail_option(args[i + 1])
                i += 1
            elif arg in options:
                if i + 1 >= len(args):
                    usage(self.zero)
                value = args[i + 1]
                if arg == "-r" and re.fullmatch(r"[0-9.]+", value):
                    value += "-RELEASE"
                if not self.set_single(options[arg], value):
                    usage(self.zero)
                i += 1
            elif arg in COMMANDS:
                self.commands.append(arg)
            else:
                usage(self.zero)
            i += 1
        if not self.commands:
            usage(self.zero)

    def jail_option(self, jail):
        result = subprocess.run(["jls", "-j", jail, "path"], capture_output=True, text=True)
        if result.returncode != 0:
            out("%s: jail %s not found" % (self.name, jail))
            raise Exit(1)
        self.set_single("BaseDir", result.stdout.strip()) or usage(self.zero)
        version = subprocess.run(["jexec", jail, "freebsd-version"], capture_output=True, text=True)
        os.environ["UNAME_r"] = version.stdout.strip()

    def parse_conffile(self):
        path = self.conffile
        if path is not None and not os.access(path, os.R_OK):
            out("File does not exist or is not readable: %s" % path)
            raise Exit(1)
        if path is None:
            path = os.path.join(self.host.fsroot, "etc", "freebsd-update.conf")
            if not os.access(path, os.R_OK):
                return
        from_file = {}
        with open(path) as f:
            for number, line in enumerate(f, 1):
                line = line.rstrip("\n")
                words = line.split("#", 1)[0].split()
                if not words:
                    continue
                key, values = words[0], words[1:]
                if key in ACCUMULATING:
                    if key == "Components":
                        kept = []
                        for c in values:
                            if c == "src" and not os.path.exists(self.basedir_path(from_file) + "/usr/src/COPYRIGHT"):
                                out("src component not installed, skipped")
                            else:
                                kept.append(c)
                        values = kept
                    from_file.setdefault(key, []).extend(values)
                elif key in SINGLE and key not in from_file and len(values) == 1:
                    from_file[key] = values[0]
                else:
                    out("Error processing configuration file, line %d:" % number)
                    out("==> %s" % line)
                    raise Exit(1)
        for key, value in from_file.items():
            if key not in self.config:
                self.config[key] = value

    def basedir_path(self, extra=None):
        base = self.config.get("BaseDir") or (extra or {}).get("BaseDir") or "/"
        return base

    def defaults(self):
        defaults = {"WorkDir": os.path.join(self.host.fsroot, "var", "db", "freebsd-update"),
                    "MailTo": "root", "AllowAdd": "yes", "AllowDelete": "yes",
                    "KeepModifiedMetadata": "yes", "BaseDir": "/", "VerboseLevel": "stats",
                    "StrictComponents": "no", "BackupKernel": "yes",
                    "BackupKernelDir": "/boot/kernel.old", "BackupKernelSymbolFiles": "no",
                    "CreateBootEnv": "yes", "Components": ["src", "world", "kernel"]}
        for key, value in defaults.items():
            self.config.setdefault(key, value)
        self.basedir = self.config["BaseDir"]
        self.workdir = self.config["WorkDir"]
        digest = hashlib.sha256((self.basedir + "\n").encode()).hexdigest()
        self.bdhash = os.path.join(self.workdir, digest)

    # ------------------------------------------------------------- helpers

    def uname_r(self):
        if "UNAME_r" in os.environ:
            return os.environ["UNAME_r"]
        return self.host.sysctl().get("kern.osrelease", "")

    def relnum(self):
        value = re.sub(r"-p[0-9]+", "", self.uname_r())
        return value.replace("-SECURITY", "-RELEASE")

    def catalog(self):
        latest, eol = {}, set()
        try:
            with open(os.path.join(self.host.dir, "update-catalog")) as f:
                for line in f:
                    words = line.split()
                    if len(words) == 2 and words[0] == "latest":
                        release = re.sub(r"-p[0-9]+$", "", words[1])
                        latest[release] = words[1]
                    elif len(words) == 2 and words[0] == "eol":
                        eol.add(words[1])
        except FileNotFoundError:
            pass
        return latest, eol

    def check_workdir(self):
        if not (os.path.isdir(self.workdir) and os.access(self.workdir, os.W_OK)):
            out("%s: Directory does not exist or is not writable: %s" % (self.name, self.workdir))
            raise Exit(1)

    def check_root(self):
        if os.geteuid() != 0:
            out("You must be root to run this.")
            raise Exit(1)

    def fetchupgrade_checks(self):
        if not self.config.get("ServerName"):
            out("%s: SERVERNAME must be given via command line or configuration file." % self.name)
            raise Exit(1)
        if not self.config.get("KeyPrint"):
            out("%s: Key must be given via -k option or configuration file." % self.name)
            raise Exit(1)
        if not re.fullmatch(r"[0-9a-f]{64}", self.config["KeyPrint"]):
            out("%s: Invalid key fingerprint: %s" % (self.name, self.config["KeyPrint"]))
            raise Exit(1)
        self.check_workdir()
        relnum = self.relnum()
        if not re.search(r"-RELEASE$|-ALPHA|-BETA|-RC", relnum):
            out("%s: Cannot upgrade from a version that is not a release" % self.name)
            out("(including alpha, beta and release candidates)")
            out("using %s. Instead, FreeBSD can be directly" % self.name)
            out("upgraded by source or upgraded to a RELEASE/RELENG version")
            out("prior to running %s." % self.name)
            out("Currently running: %s" % relnum)
            raise Exit(1)

    def basedir_version(self):
        """Reads the userland version baked into the basedir's bin/freebsd-version."""
        if self.basedir == "/":
            return self.host.info.get("userland", "")
        path = self.host.real(os.path.join(self.basedir, "bin", "freebsd-version"))
        try:
            with open(path) as f:
                m = VERSION_LINE.search(f.read())
                return m.group(1) if m else ""
        except OSError:
            return ""

    def write_version(self, version):
        if self.basedir == "/":
            self.host.set_info("userland", version)
            if "kernel" in self.components():
                self.host.set_info("kernel", version)
            return
        path = self.host.real(os.path.join(self.basedir, "bin", "freebsd-version"))
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(VERSION_LINE.sub('USERLAND_VERSION="%s"' % version, text))

    def components(self):
        value = self.config.get("Components", [])
        return value if isinstance(value, list) else value.split()

    def pager(self, lines):
        text = "".join(l + "\n" for l in lines)
        pager = os.environ.get("PAGER") or "/usr/bin/less"
        if pager in ("cat", "/bin/cat", "/usr/bin/cat") or not sys.stdin.isatty() and pager == "/usr/bin/less":
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        sys.stdout.flush()
        subprocess.run(["/bin/sh", "-c", pager], input=text.encode())

    def mirrors(self, relnum):
        server = self.config["ServerName"]
        if self.host.fault("freebsd-update-no-mirror") is not None:
            out("Looking up %s mirrors... none found." % server)
            out("Fetching public key from %s... failed." % server)
            self.no_mirrors(relnum)
        out("Looking up %s mirrors... 3 mirrors found." % server)
        out("Fetching public key from update1.freebsd.org... done.")
        return "update1.freebsd.org"

    def no_mirrors(self, relnum):
        arch = self.host.sysctl().get("hw.machine", "amd64")
        out("No mirrors remaining, giving up.")
        out()
        out("This may be because upgrading from this platform (%s)" % arch)
        out("or release (%s) is unsupported by %s. Only" % (relnum, self.name))
        out("platforms with Tier 1 support can be upgraded by %s." % self.name)
        out("See https://www.freebsd.org/platforms/index.html for more info.")
        out()
        out("If unsupported, FreeBSD must be upgraded by source.")
        raise Exit(1)

    def stage(self, old, new, kernel_first):
        for suffix in ("-install",):
            link = self.bdhash + suffix
            if os.path.islink(link):
                shutil.rmtree(os.path.realpath(link), ignore_errors=True)
                os.unlink(link)
        target = os.path.join(self.workdir, "files-%s-%s" % (os.path.basename(self.bdhash)[:16], new))
        shutil.rmtree(target, ignore_errors=True)
        os.makedirs(target)
        with open(os.path.join(target, "INDEX-OLD"), "w") as f:
            f.write("/bin/freebsd-version|f|0|0|0555|0|%s|\n" % old)
        with open(os.path.join(target, "INDEX-NEW"), "w") as f:
            f.write("/bin/freebsd-version|f|0|0|0555|0|%s|\n" % new)
        if kernel_first:
            open(os.path.join(target, "kernelfirst"), "w").close()
        os.symlink(target, self.bdhash + "-install")

    # ------------------------------------------------------------ commands

    def cmd_fetch(self):
        if self.host.fault("freebsd-update-refuses") is not None or \
                (not sys.stdin.isatty() and not self.notty_ok):
            out("%s fetch should not be run non-interactively." % self.name)
            out("Run %s cron instead." % self.name)
            raise Exit(1)
        self.fetch_checks()
        self.fetch_run()
        self.fetched = True

    def fetch_checks(self):
        self.fetchupgrade_checks()
        if self.config.get("TargetRelease"):
            out("%s: -r option is meaningless with 'fetch' command.  (Did you mean 'upgrade' instead?)" % self.name)
            raise Exit(1)
        if os.path.exists(self.bdhash + "-install/kerneldone") and not self.force:
            out("You have a partially completed upgrade pending")
            out("Run '%s install' first." % self.zero)
            out("Run '%s fetch -F' to proceed anyway." % self.zero)
            raise Exit(1)

    def fetch_run(self):
        relnum = self.relnum()
        server = self.mirrors(relnum)
        latest, eol = self.catalog()
        if relnum not in latest:
            out("Fetching metadata signature for %s from %s... failed." % (relnum, server))
            self.no_mirrors(relnum)
        out("Fetching metadata signature for %s from %s... done." % (relnum, server))
        target = latest[relnum]
        patch = int(target.rsplit("-p", 1)[1]) if re.search(r"-p[0-9]+$", target) else 0
        running = re.search(r"-p([0-9]+)$", self.uname_r())
        if running and patch < int(running.group(1)):
            out()
            out("Files on mirror (%s-p%d) appear older than what" % (relnum, patch))
            out("we are currently running (%s)!" % self.uname_r())
            out("Cowardly refusing to proceed any further.")
            raise Exit(1)
        with open(os.path.join(self.workdir, "tag"), "w") as f:
            f.write("freebsd-update|%s|%s|%d|%s|2000000000\n" % (
                self.host.sysctl().get("hw.machine", "amd64"), relnum, patch, "0" * 64))
        out("Fetching metadata index... done.")
        out("Inspecting system... done.")
        out("Preparing to download files... done.")
        current = self.basedir_version()
        if current == target:
            out()
            out("No updates needed to update system to %s." % target)
        else:
            out("Fetching 2 patches.. done.")
            out("Applying patches... done.")
            out("The following files will be updated as part of updating to")
            out("%s:" % target)
            self.pager(["/bin/freebsd-version"])
            self.stage(current, target, False)
        if relnum in eol:
            out("WARNING: FreeBSD %s HAS PASSED ITS END-OF-LIFE DATE." % relnum)
            out("Any security issues discovered after Thu Jun 30 00:00:00 UTC 2024")
            out("will not have been corrected.")
            raise Exit(1)

    def cmd_cron(self):
        self.fetch_checks()
        self.fetch_run()

    def cmd_upgrade(self):
        self.fetchupgrade_checks()
        relnum = self.relnum()
        target = self.config.get("TargetRelease")
        if not target:
            out("%s: Release target must be specified via -r option." % self.name)
            raise Exit(1)
        if target == relnum:
            out("%s: Cannot upgrade from %s to itself" % (self.name, relnum))
            raise Exit(1)
        server = self.mirrors(relnum)
        latest, _ = self.catalog()
        out("Fetching metadata signature for %s from %s... done." % (relnum, server))
        out("Fetching metadata index... done.")
        out("Inspecting system... done.")
        out()
        out("The following components of FreeBSD seem to be installed:")
        out(" ".join("%s/base" % c if c == "world" else "%s/generic" % c for c in self.components()))
        out()
        out("The following components of FreeBSD do not seem to be installed:")
        out()
        sys.stdout.write("Does this look reasonable (y/n)? ")
        sys.stdout.flush()
        while True:
            answer = sys.stdin.readline()
            if not answer or answer.startswith("y"):
                break
            if answer.startswith("n"):
                raise Exit(1)
            sys.stdout.write("Does this look reasonable (y/n)? ")
            sys.stdout.flush()
        out()
        if target not in latest:
            out("Fetching metadata signature for %s from %s... failed." % (target, server))
            self.no_mirrors(target)
        out("Fetching metadata signature for %s from %s... done." % (target, server))
        out("Fetching metadata index... done.")
        out("Fetching 1 metadata patches. done.")
        out("Applying metadata patches... done.")
        out("Fetching 1 metadata files... done.")
        out("Inspecting system... done.")
        out("Fetching files from %s for merging... done." % relnum)
        out("Preparing to download files... done.")
        out("Attempting to automatically merge changes in files... done.")
        out()
        out("The following files will be updated as part of updating to")
        out("%s:" % latest[target])
        self.pager(["/bin/freebsd-version"])
        self.stage(self.basedir_version(), latest[target], "kernel" in self.components())
        out("To install the downloaded upgrades, run '%s install'." % self.zero)

    def install_checks(self):
        self.check_root()
        if int(self.host.sysctl().get("kern.securelevel", "-1")) > 0:
            out("Updates cannot be installed when the system securelevel")
            out("is greater than zero.")
            raise Exit(1)
        self.check_workdir()
        if not os.path.islink(self.bdhash + "-install"):
            out("No updates are available to install.")
            if not self.fetched:
                out("Run '%s fetch' first." % self.zero)
                raise Exit(2)
            raise Exit(0)

    def cmd_install(self):
        self.install_checks()
        staged = os.path.realpath(self.bdhash + "-install")
        with open(os.path.join(staged, "INDEX-NEW")) as f:
            new = f.read().split("|")[6]
        if self.basedir == "/" and self.relnum().startswith("14") and self.host.info.get("roottype") == "zfs":
            out("Creating snapshot of existing boot environment... done.")
        sys.stdout.write("Installing updates...")
        sys.stdout.flush()
        kerneldone = os.path.join(staged, "kerneldone")
        if not os.path.exists(kerneldone):
            open(kerneldone, "w").close()
            if os.path.exists(os.path.join(staged, "kernelfirst")) and "kernel" in self.components():
                out()
                out("Kernel updates have been installed.  Please reboot and run")
                out("'%s install' again to finish installing updates." % self.zero)
                raise Exit(0)
        slow = self.host.fault("freebsd-update-slow")
        if slow is not None:
            # Part-way through the install: kerneldone is set and the skel is not yet rewritten.
            # The pid lets a test kill this process to leave the install half-done.
            with open(os.path.join(self.host.dir, "faults", "freebsd-update-slow.pid"), "w") as f:
                f.write("%d\n" % os.getpid())
            time.sleep(float(slow[0]) if slow else 30)
        failure = self.host.fault("freebsd-update-install-fails")
        if failure is not None:
            marker = self.host.real(os.path.join(self.basedir, "usr", "lib", ".freebsd-update-partial"))
            try:
                os.makedirs(os.path.dirname(marker), exist_ok=True)
                with open(marker, "w") as f:
                    f.write(new + "\n")
            except OSError:
                pass
            target = os.path.join(self.basedir.rstrip("/"), "lib", "libc.so.7")
            sys.stdout.write("\n")
            sys.stderr.write((failure[0] if failure else "install: %s: No space left on device" % target) + "\n")
            raise Exit(1)
        self.write_version(new)
        etc = self.host.real(os.path.join(self.basedir, "etc"))
        master = os.path.join(etc, "master.passwd")
        if os.path.isfile(master) and not os.path.islink(master):
            subprocess.run(["pwd_mkdb", "-d", os.path.join(self.basedir, "etc"), "-p",
                            os.path.join(self.basedir, "etc", "master.passwd")])
        for name in ("kerneldone", "kernelfirst", "worlddone"):
            path = os.path.join(staged, name)
            if os.path.exists(path):
                os.unlink(path)
        rollback = self.bdhash + "-rollback"
        if os.path.islink(rollback):
            os.rename(rollback, os.path.join(staged, "rollback"))
        os.rename(self.bdhash + "-install", rollback)
        out(" done.")

    def cmd_rollback(self):
        self.check_root()
        self.check_workdir()
        rollback = self.bdhash + "-rollback"
        if not os.path.islink(rollback):
            out("No rollback directory found.")
            raise Exit(1)
        sys.stdout.write("Uninstalling updates...")
        sys.stdout.flush()
        install = self.bdhash + "-install"
        if os.path.islink(install):
            shutil.rmtree(os.path.realpath(install), ignore_errors=True)
            os.unlink(install)
        staged = os.path.realpath(rollback)
        with open(os.path.join(staged, "INDEX-OLD")) as f:
            old = f.read().split("|")[6]
        self.write_version(old)
        previous = os.path.join(staged, "rollback")
        if os.path.islink(previous):
            os.rename(previous, os.path.join(self.workdir, "rollback-tmp"))
            shutil.rmtree(staged)
            os.unlink(rollback)
            os.rename(os.path.join(self.workdir, "rollback-tmp"), rollback)
        else:
            shutil.rmtree(staged)
            os.unlink(rollback)
        out(" done.")

    def cmd_updatesready(self):
        self.check_workdir()
        if not os.path.islink(self.bdhash + "-install"):
            out("No updates are available to install.")
            raise Exit(2)
        out("There are updates available to install.")
        out("Run '%s install' to proceed." % self.zero)

    def cmd_showconfig(self):
        for key in sorted(self.config):
            value = self.config[key]
            out("%s=%s" % (key.upper(), " ".join(value) if isinstance(value, list) else value))

    def cmd_IDS(self):
        self.fetchupgrade_checks()
        out("NOTE: the simulated freebsd-update finds no differences for IDS.")


def main(argv):
    host = S.Host("freebsd-update", argv)
    try:
        run = Run(host, argv)
        for command in run.commands:
            getattr(run, "cmd_" + command)()
    except Exit as e:
        sys.stdout.flush()
        return e.code
    return 0
