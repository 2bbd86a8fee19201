import FleetRun
import Synchronization

/// The identity of a host's exec result for `--group`: the state and the kept bytes
/// of both streams, compared through a digest first and byte by byte when digests match.
struct OutputKey: Equatable {
    let state: HostState
    /// The ending of a failed command, such as "exit status 2", so that hosts whose commands
    /// print the same but end differently are not shown as one.
    let ending: String?
    let output: SpoolTable.Pair?
    private let digest: [UInt64]

    init(state: HostState, ending: String? = nil, output: SpoolTable.Pair?) {
        self.state = state
        self.ending = ending
        self.output = output
        digest = output.map { [Self.fnv1a($0.out), Self.fnv1a($0.err)] } ?? []
    }

    static func == (left: OutputKey, right: OutputKey) -> Bool {
        guard left.state == right.state, left.ending == right.ending, left.digest == right.digest
        else { return false }
        switch (left.output, right.output) {
        case (nil, nil): return true
        case (let a?, let b?):
            return a.out.totalBytes == b.out.totalBytes && a.err.totalBytes == b.err.totalBytes
                && a.out.keptBytes == b.out.keptBytes && a.err.keptBytes == b.err.keptBytes
        default: return false
        }
    }

    /// FNV-1a over the kept bytes and the total count, read block by block.
    private static func fnv1a(_ spool: OutputSpool) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        spool.read { part in
            guard case .bytes(let bytes) = part else { return }
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return (hash ^ UInt64(spool.totalBytes)) &* 0x100_0000_01b3
    }
}

/// Each host's exec output spools, from the moment its command starts until it is printed.
final class SpoolTable: Sendable {
    /// Standard output and standard error of one host.
    typealias Pair = (out: OutputSpool, err: OutputSpool)

    private let pairs = Mutex<[String: Pair]>([:])

    /// Keeps `pair` for `host`.
    func store(_ pair: Pair, for host: String) {
        pairs.withLock { $0[host] = pair }
    }

    /// Removes and returns the spools of `host`; nil when its command never started.
    func take(_ host: String) -> Pair? {
        pairs.withLock { $0.removeValue(forKey: host) }
    }
}
