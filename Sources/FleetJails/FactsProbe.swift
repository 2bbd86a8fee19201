import FleetCore

/// The facts probe: one `sh` script that gathers every fact in one round trip, and its parser.
///
/// Protocol: every output line starts with a marker or a data prefix, so no command output
/// can forge a marker.
/// - `@@mjf probe 1` opens the output and `@@mjf done` closes it; a missing `done` means the
///   output was cut short.
/// - `@@mjf begin SECTION` opens a section and `@@mjf end SECTION STATUS` closes it with the
///   probe command's exit status (127 when the command is missing).
/// - `@@mjf skip SECTION REASON` records a section that did not run, such as the ZFS sections
///   on a root that is not on ZFS.
/// - `@@mjf file PATH` opens one file's content inside the `jail-conf` section.
/// - `|TEXT` is a line of the command's stdout and `!TEXT` a line of its stderr.
public enum FactsProbe {
    /// The protocol version printed in the first line.
    public static let protocolVersion = 1

    /// Returns the probe script for `settings`, for FreeBSD's `/bin/sh`.
    public static func script(settings: HostSettings) -> String {
        let root = settings.jailsRoot
        let skel = RemotePath.join(root, settings.skelName.value)
        let lockDir = HostLock.directory(settings)
        let workDir = SkelUpgradePaths.workDirectory(settings)
        let quote = ShellQuote.quote
        let datasetTarget: String
        let skelDatasetLookup: String
        if let dataset = settings.zfsDataset {
            datasetTarget = "target=\(quote(dataset))"
            skelDatasetLookup =
                "skelds=$(awk -F '\\t' -v n=\(quote(dataset + "/" + settings.skelName.value))"
                + " '$1 == n { print $1; exit }' \"$t/out\")"
        } else {
            datasetTarget = "target=${rootds%%/*}"
            skelDatasetLookup =
                "skelds=$(awk -F '\\t' -v mp=\(quote(skel)) '$4 == mp { print $1; exit }' \"$t/out\")"
        }
        return """
            # minijail-fleet facts probe, protocol \(protocolVersion)
            umask 077
            t=$(mktemp -d "${TMPDIR:-/tmp}/mjf-facts.XXXXXX") || exit 1
            trap 'rm -rf "$t"' EXIT
            run() {
              s=$1
              shift
              printf '@@mjf begin %s\\n' "$s"
              "$@" >"$t/out" 2>"$t/err"
              rc=$?
              awk '{ print "|" $0 }' "$t/out"
              awk '{ print "!" $0 }' "$t/err"
              printf '@@mjf end %s %d\\n' "$s" "$rc"
            }
            skip() {
              printf '@@mjf skip %s %s\\n' "$1" "$2"
            }
            dump() {
              printf '@@mjf file %s\\n' "$1"
              awk '{ print "|" $0 }' "$1" 2>"$t/err" || { rc=1; awk '{ print "!" $0 }' "$t/err"; }
            }
            printf '@@mjf probe \(protocolVersion)\\n'
            run freebsd-version freebsd-version -ku
            run uname uname -rmp
            run clock date -u +%s
            fstype=
            if [ -d \(quote(root)) ]; then
              run df df -T \(quote(root))
              fstype=$(tail -n 1 "$t/out" | awk '{ print $2 }')
              run directories find \(quote(root)) -mindepth 1 -maxdepth 1 -type d
            else
              skip df missing-root
              skip directories missing-root
            fi
            if [ "$fstype" = zfs ]; then
              run root-dataset zfs list -Hp -o name,used,avail,mountpoint \(quote(root))
              rootds=$(awk -F '\\t' 'NR == 1 { print $1 }' "$t/out")
              \(datasetTarget)
              skelds=
              if [ -n "$target" ]; then
                run datasets zfs list -Hp -o name,used,avail,mountpoint -r -t filesystem "$target"
                \(skelDatasetLookup)
              else
                skip datasets no-root-dataset
              fi
              if [ -n "$skelds" ]; then
                run skel-snapshots zfs list -Hp -t snapshot -o name,used,avail,mountpoint "$skelds"
              else
                skip skel-snapshots no-skel-dataset
              fi
              run zpool zpool list -Hp -o name,size,alloc,free,cap,health
            else
              skip root-dataset not-zfs
              skip datasets not-zfs
              skip skel-snapshots not-zfs
              skip zpool not-zfs
            fi
            if [ -x \(quote(skel + "/bin/freebsd-version")) ]; then
              run skel-version \(quote(skel + "/bin/freebsd-version")) -u
            else
              skip skel-version absent
            fi
            run skel-template test -d \(quote(skel + "/skel"))
            run jls-names jls jid name
            run jls-paths jls jid path
            run mounts mount -p
            printf '@@mjf begin jail-conf\\n'
            rc=0
            for f in \(quote(settings.jailConfDir))/*.conf /etc/jail.conf; do
              [ -f "$f" ] || continue
              dump "$f"
            done
            printf '@@mjf end jail-conf %d\\n' "$rc"
            if [ -d \(quote(lockDir)) ]; then
              run lock cat \(quote(lockDir + "/owner"))
            else
              skip lock absent
            fi
            printf '@@mjf begin update-state\\n'
            for d in \(quote(workDir))/*-install; do
              [ -e "$d" ] || continue
              if [ -f "$d/kerneldone" ]; then echo '|partial'; else echo '|staged'; fi
            done
            printf '@@mjf end update-state 0\\n'
            printf '@@mjf done\\n'
            """
    }
}
