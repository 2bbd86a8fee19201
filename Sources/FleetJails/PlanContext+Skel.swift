import FleetCore

extension PlanContext {
    /// Plans a skel install: the base system into the skel dataset or directory, the finish
    /// step, the `@created` snapshot, and a final read of the version.
    func planSkelInstall() throws(PlanError) -> Plan {
        switch skelState {
        case .installed(let version):
            return .unchanged("skel \(layout.skelPath) is already installed (\(version))")
        case .incomplete(let missing):
            throw PlanError.skelIncomplete(path: layout.skelPath, missing: missing)
        case .absent:
            break
        }
        var steps: [Step] = []
        switch settings.installSource {
        case .binaries:
            steps += try fetchBaseSteps()
            steps += createSkelSteps()
            steps.append(
                Step(
                    name: "extract-base",
                    command: ShellQuote.join([
                        "tar", "-xJf", RemotePath.join(releaseCache, "base.txz"), "-C",
                        layout.skelPath,
                    ])))
        case .sources:
            steps += createSkelSteps()
            for target in ["installworld", "distribution"] {
                steps.append(
                    Step(
                        name: target,
                        command: ShellQuote.join([
                            "make", "-C", "/usr/src", target, "DESTDIR=" + layout.skelPath,
                        ])))
            }
            // etcupdate needs this record of the stock /etc to merge the next upgrade.
            let workDirectory = SkelUpgradePaths.etcupdateDirectory(settings)
            steps.append(
                Step(
                    name: "etcupdate-extract",
                    command: ShellQuote.join(["mkdir", "-p", workDirectory]) + " && "
                        + ShellQuote.join([
                            "etcupdate", "extract", "-d", workDirectory, "-s", "/usr/src", "-D",
                            layout.skelPath,
                        ])))
        }
        steps.append(Step(name: "skel-finish", command: finishCommand))
        if let dataset = layout.skelDataset {
            steps.append(
                Step(
                    name: "snapshot-created",
                    command: ShellQuote.join(["zfs", "snapshot", dataset + "@created"])))
        }
        steps.append(readSkelVersionStep)
        return .steps(steps)
    }

    /// The release set cache, `<stateDir>/releases/<machine>/<processor>/<release>`.
    var releaseCache: String {
        let release = (try? installRelease())?.releaseName ?? facts.release
        return RemotePath.join(
            settings.stateDir, "releases", facts.machine, facts.processor, release)
    }

    /// Returns the release to install: `unameR` when set, else the host's `uname -r`.
    func installRelease() throws(PlanError) -> FreeBSDVersion {
        let text = settings.unameR ?? facts.release
        guard let version = try? FreeBSDVersion(text), version.isRelease else {
            throw PlanError.unsupportedVersion(text, role: "release to install")
        }
        return version
    }

    private func fetchBaseSteps() throws(PlanError) -> [Step] {
        let release = try installRelease()
        guard var mirror = settings.releaseMirror else { throw PlanError.mirrorNotSet }
        while mirror.hasSuffix("/") { mirror.removeLast() }
        let url = [mirror, facts.machine, facts.processor, release.releaseName].joined(
            separator: "/")
        let cache = releaseCache
        let manifest = ShellQuote.quote(RemotePath.join(cache, "MANIFEST"))
        let base = ShellQuote.quote(RemotePath.join(cache, "base.txz"))
        let fetchManifest = """
            mkdir -p \(ShellQuote.quote(cache))
            fetch -q -o \(manifest) \(ShellQuote.quote(url + "/MANIFEST"))
            """
        let fetchBase = """
            want=$(awk -F '\\t' '$1 == "base.txz" { print $2 }' \(manifest))
            if [ -z "$want" ]; then echo "MANIFEST lists no base.txz" >&2; exit 1; fi
            if [ -f \(base) ] && [ "$(sha256 -q \(base))" = "$want" ]; then
              echo "cached base.txz matches MANIFEST"
              exit 0
            fi
            fetch -q -o \(base).part \(ShellQuote.quote(url + "/base.txz")) || exit 1
            got=$(sha256 -q \(base).part) || exit 1
            if [ "$got" != "$want" ]; then
              rm -f \(base).part
              echo "base.txz checksum mismatch: MANIFEST has $want, download has $got" >&2
              exit 1
            fi
            mv \(base).part \(base)
            """
        return [
            Step(name: "fetch-manifest", command: fetchManifest),
            Step(name: "fetch-base", command: fetchBase),
        ]
    }

    private func createSkelSteps() -> [Step] {
        let path = layout.skelPath
        guard let dataset = layout.skelDataset, let parent = layout.parentDataset else {
            return [
                Step(
                    name: "create-skel-directory", command: ShellQuote.join(["mkdir", path]),
                    rollback: Rollback(
                        name: "remove-skel-directory", command: removeTreeCommand(path)))
            ]
        }
        var steps: [Step] = []
        if facts.dataset(named: parent) == nil {
            steps.append(
                Step(
                    name: "create-parent-dataset",
                    command: ShellQuote.join(["zfs", "create", "-p", parent])))
        }
        steps.append(
            Step(
                name: "create-skel-dataset",
                command: ShellQuote.join(["zfs", "create", "-o", "mountpoint=" + path, dataset]),
                rollback: Rollback(
                    name: "destroy-skel-dataset",
                    command: ShellQuote.join(["zfs", "destroy", "-r", dataset]))))
        return steps
    }

    /// The finish step: per-jail files move into the template folder `<skel>/skel`, and the
    /// per-jail files and directories become links into `/private`, where each jail mounts
    /// its own files. The per-jail directories keep their stock content in the template, so a
    /// new jail starts with the skel's `/var` tree rather than an empty one.
    var finishCommand: String {
        let duped = MinijailLayout.dupedFiles.joined(separator: " ")
        let paths = (MinijailLayout.symlinkedPaths + ["root"]).joined(separator: " ")
        let files = MinijailLayout.symlinkedFiles.filter { $0 != "root" }.joined(separator: " ")
        return """
            set -e
            s=\(ShellQuote.quote(layout.skelPath))
            t=\(ShellQuote.quote(layout.templatePath))
            mkdir -p "$t/etc" "$t/usr"
            for p in \(duped); do
              chflags noschg "$s/$p"
              mv "$s/$p" "$t/$p"
              ln -s "/private/$p" "$s/$p"
            done
            for p in \(paths); do
              if [ -d "$s/$p" ] && [ ! -L "$s/$p" ]; then
                chflags -R noschg "$s/$p"
                mv "$s/$p" "$t/$p"
              else
                rm -f "$s/$p"
                mkdir -p "$t/$p"
              fi
              ln -s "/private/$p" "$s/$p"
            done
            for p in \(files); do
              rm -f "$s/$p"
              ln -s "/private/$p" "$s/$p"
            done
            mkdir -p "$s/private"
            """
    }

    /// The step that prints the skel's userland version.
    var readSkelVersionStep: Step {
        Step(
            name: "read-skel-version",
            command: ShellQuote.join([
                RemotePath.join(layout.skelPath, "bin/freebsd-version"), "-u",
            ]),
            changesHost: false, outputCheck: .reportsVersion)
    }

    /// Returns the `sh` text that removes a tree that may hold `schg` files.
    func removeTreeCommand(_ path: String) -> String {
        let p = ShellQuote.quote(path)
        return "if [ -e \(p) ]; then chflags -R noschg \(p) && rm -rf \(p); fi"
    }
}
