import FleetRun
import Synchronization

/// Prints each finished host's lines under a `[host]` prefix padded to the longest name,
/// all lines of one host in one write so hosts never interleave.
struct HostPrinter: Sendable {
    let console: Console
    let width: Int
    /// True under `--json`, where only the JSON document goes to standard output.
    let quietText: Bool

    /// The text of one host for each stream, nil where it prints nothing. Spooled output
    /// is rendered while it is written, so it never sits in memory whole.
    struct Text: Sendable {
        var output: String?
        var error: String?
        var prefix = ""
        var outputSpool: OutputSpool?
        var errorSpool: OutputSpool?
    }

    /// Formats a host's lines with its prefix, without writing them.
    func render(_ outcome: HostOutcome, lines: HostLines) -> Text {
        guard !quietText else { return Text() }
        let quiet = console.verbosity == .quiet
        let prefix = "[\(outcome.host)]" + String(repeating: " ", count: width - outcome.host.count)
        var text = Text(prefix: prefix)
        if !(quiet && outcome.state.succeeded) {
            if !lines.output.isEmpty {
                text.output = Self.prefixed(lines.output, with: prefix)
            }
            text.outputSpool = lines.outputSpool
        }
        if !lines.error.isEmpty {
            text.error = Self.prefixed(lines.error, with: prefix)
        }
        text.errorSpool = lines.errorSpool
        return text
    }

    /// Writes text from `render`, one write per stream, or one held run of blocks per stream
    /// where output is spooled.
    func write(_ text: Text) {
        if let spool = text.outputSpool, spool.totalBytes > 0 {
            console.outputBlocks { emit in
                Self.emit(spool, then: text.output, prefix: text.prefix, to: emit)
            }
        } else if let output = text.output {
            console.output(output)
        }
        if let spool = text.errorSpool, spool.totalBytes > 0 {
            console.errorBlocks { emit in
                Self.emit(spool, then: text.error, prefix: text.prefix, to: emit)
            }
        } else if let error = text.error {
            console.errorOutput(error)
        }
    }

    private static func emit(
        _ spool: OutputSpool, then rendered: String?, prefix: String, to emit: (String) -> Void
    ) {
        var renderer = LineRenderer(prefix: prefix + " ")
        renderer.render(spool, emit: emit)
        renderer.finish(emit: emit)
        if let rendered { emit(rendered) }
    }

    /// Formats and writes a host's lines.
    func print(_ outcome: HostOutcome, lines: HostLines) {
        write(render(outcome, lines: lines))
    }

    /// Joins `lines`, each as `prefix line` and a newline, into one string built in place,
    /// which avoids a temporary string per line on output of many thousand lines.
    static func prefixed(_ lines: [String], with prefix: String) -> String {
        var text = ""
        let lineBytes = lines.reduce(0) { $0 + $1.utf8.count }
        text.reserveCapacity(lineBytes + lines.count * (prefix.utf8.count + 2))
        for line in lines {
            text += prefix
            text += " "
            text += line
            text += "\n"
        }
        return text
    }
}

/// Text each host formatted in its own task, kept until the host's turn to print.
final class RenderedHosts: Sendable {
    private let texts = Mutex<[String: HostPrinter.Text]>([:])

    /// Keeps `text` for `host`.
    func store(_ text: HostPrinter.Text, for host: String) {
        texts.withLock { $0[host] = text }
    }

    /// Returns and forgets the text of `host`, or nil when none was stored.
    func take(_ host: String) -> HostPrinter.Text? {
        texts.withLock { $0.removeValue(forKey: host) }
    }
}
