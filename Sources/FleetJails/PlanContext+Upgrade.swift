import FleetCore

extension PlanContext {
    /// Plans a skel upgrade: freebsd-update on the skel with its own work directory and config
    /// (or installworld and etcupdate from sources), a snapshot unique to the run before the
    /// install, and a read of the version after it.
    func planSkelUpgrade(target: String?) throws(PlanError) -> Plan {
        let versionText = try requireSkel()
        let targetVersion = try target.map { text throws(PlanError) in
            try releaseVersion(text, role: "target release")
        }
        if settings.installSource == .sources {
            return .steps(sourceUpgradeSteps())
        }

        let current = try releaseVersion(versionText, role: "skel version")
        if let targetVersion {
            if targetVersion.releaseName == current.releaseName {
                return .unchanged("skel already runs \(current) of \(targetVersion.releaseName)")
            }
            if targetVersion < current {
                throw PlanError.targetNotNewer(
                    current: current.description, target: targetVersion.releaseName)
            }
        }

        let update = freebsdUpdateCommand(unameR: current.description)
        if facts.skelUpdateState == .partiallyInstalled {
            throw PlanError.upgradePartiallyInstalled(
                skel: layout.skelPath, resume: update + " install",
                rollback: latestUpgradeSnapshot.map {
                    ShellQuote.join(["zfs", "rollback", "-r", $0])
                })
        }

        var steps = [
            Step(name: "write-update-config", command: updateConfigCommand),
            Step(
                name: targetVersion == nil ? "fetch" : "upgrade",
                command: targetVersion.map {
                    update + " -r " + ShellQuote.quote($0.releaseName) + " upgrade </dev/null"
                } ?? update + " fetch </dev/null",
                outputCheck: .freebsdUpdate),
        ]

        // With ZFS the snapshot step carries the rollback, so any failure after it (the
        // install included) returns the skel to the snapshot and drops the staged update.
        // Without ZFS only freebsd-update's own rollback can undo a part-way install.
        var installRollback: Rollback?
        if var snapshot = snapshotStep, let name = upgradeSnapshotName {
            let staged = ShellQuote.quote(SkelUpgradePaths.workDirectory(settings)) + "/*-install"
            snapshot.rollback = Rollback(
                name: "rollback-snapshot",
                command: ShellQuote.join(["zfs", "rollback", "-r", name]) + " && rm -f " + staged)
            steps.append(snapshot)
        } else {
            installRollback = Rollback(
                name: "freebsd-update-rollback", command: update + " rollback",
                undoesPartialFailure: true)
        }
        steps.append(
            Step(
                name: "install", command: installLoopCommand(update), rollback: installRollback,
                outputCheck: .freebsdUpdate))
        steps.append(readSkelVersionStep)
        return .steps(steps)
    }

    /// The snapshot taken before an install, `<skel dataset>@upgrade-<runID>`.
    var upgradeSnapshotName: String? { layout.skelDataset.map { $0 + "@upgrade-" + runID } }

    /// The newest `@upgrade-` snapshot of the skel, the rollback target of a pending upgrade.
    var latestUpgradeSnapshot: String? {
        facts.skelSnapshots.last { $0.name.contains("@upgrade-") }?.name
    }

    private var snapshotStep: Step? {
        upgradeSnapshotName.map { name in
            Step(
                name: "snapshot-before-install",
                command: ShellQuote.join(["zfs", "snapshot", name]))
        }
    }

    private func releaseVersion(_ text: String, role: String) throws(PlanError) -> FreeBSDVersion {
        guard let version = try? FreeBSDVersion(text) else {
            throw PlanError.invalidVersion(text, role: role)
        }
        guard version.isRelease else { throw PlanError.unsupportedVersion(text, role: role) }
        return version
    }

    /// Returns the freebsd-update command line for the skel, up to its command words.
    func freebsdUpdateCommand(unameR: String) -> String {
        ShellQuote.join([
            "env", "PAGER=cat", "UNAME_r=" + unameR, "freebsd-update", "--not-running-from-cron",
            "-b", layout.skelPath, "-d", SkelUpgradePaths.workDirectory(settings),
            "-f", SkelUpgradePaths.configFile(settings),
        ])
    }

    /// The step text that writes the skel's freebsd-update config: the host's
    /// `/etc/freebsd-update.conf` without its `Components` and `BackupKernel` lines, plus
    /// `Components world` and `BackupKernel no`, as the original minijail script did.
    ///
    /// It also adds `IgnorePaths` for every per-jail file and directory, because in the skel
    /// they are links into `/private`, which on the host is not any jail's files.
    /// NOTE: IgnorePaths matches prefixes, so `/etc/hosts` also skips `/etc/hosts.allow`.
    private var updateConfigCommand: String {
        let config = ShellQuote.quote(SkelUpgradePaths.configFile(settings))
        let perJail = MinijailLayout.templateEntries + MinijailLayout.symlinkedFiles
        let ignored = perJail.enumerated().filter { !perJail[..<$0.offset].contains($0.element) }
            .map(\.element)
            .map { ShellQuote.quote("IgnorePaths /" + $0) }.joined(separator: " ")
        let hostConfig = ShellQuote.quote(settings.freebsdUpdateConfig)
        return """
            set -e
            mkdir -p \(ShellQuote.quote(SkelUpgradePaths.workDirectory(settings)))
            if [ ! -r \(hostConfig) ]; then
              echo \(hostConfig)" is missing; the skel's config is built from it" >&2
              exit 1
            fi
            {
              grep -v -E '^[[:space:]]*(Components|BackupKernel)([[:space:]]|$)' \(hostConfig) || true
              printf '%s\\n' 'Components world' 'BackupKernel no' \(ignored)
            } > \(config).tmp
            mv \(config).tmp \(config)
            """
    }

    /// Runs `install` until freebsd-update has nothing left to install, at most three times:
    /// an upgrade installs in passes (kernel, world, old libraries), and the pass after the
    /// last prints "No updates are available to install." with exit status 2.
    private func installLoopCommand(_ update: String) -> String {
        """
        i=0
        while [ "$i" -lt 3 ]; do
          out=$(\(update) install </dev/null 2>&1)
          rc=$?
          printf '%s\\n' "$out"
          case $out in
          *"No updates are available to install."*) exit 0 ;;
          esac
          [ "$rc" -eq 0 ] || exit "$rc"
          i=$((i + 1))
        done
        """
    }

    /// Plans installworld and etcupdate into the skel. While they run, a scratch tmpfs covers
    /// the host's `/private`, which must not exist, because installworld writes through the
    /// skel's links into `/private` (its `var` tree, for example), as the original script
    /// also handled.
    private func sourceUpgradeSteps() -> [Step] {
        var steps: [Step] = []
        var rollback: Rollback?
        if let snapshot = snapshotStep, let name = upgradeSnapshotName {
            steps.append(snapshot)
            rollback = Rollback(
                name: "rollback-snapshot",
                command: ShellQuote.join(["zfs", "rollback", "-r", name]))
        }

        steps.append(
            Step(
                name: "mount-scratch-private",
                command: """
                    if [ -e /private ]; then echo "/private exists on the host; move it away" >&2; exit 1; fi
                    mkdir /private && mount -t tmpfs tmpfs /private
                    """,
                rollback: Rollback(
                    name: "unmount-scratch-private", command: "umount /private && rmdir /private")))
        steps.append(
            Step(
                name: "installworld",
                command: ShellQuote.join([
                    "make", "-C", "/usr/src", "installworld", "DESTDIR=" + layout.skelPath,
                ]),
                rollback: rollback))
        let workDirectory = SkelUpgradePaths.etcupdateDirectory(settings)
        steps.append(
            Step(
                name: "etcupdate",
                command: ShellQuote.join(["mkdir", "-p", workDirectory]) + " && "
                    + ShellQuote.join(["etcupdate", "-d", workDirectory, "-D", layout.skelPath])))
        steps.append(
            Step(
                name: "unmount-scratch-private", command: "umount /private && rmdir /private"))
        steps.append(readSkelVersionStep)
        return steps
    }
}
