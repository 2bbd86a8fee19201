import Foundation
import Synchronization
import Testing

@testable import FleetCLI

/// Console output that claims to be a terminal, so the live view draws.
final class TerminalOutput: ConsoleOutput {
    private let buffer = Mutex("")

    var isTerminal: Bool { true }

    func write(_ text: String) {
        buffer.withLock { $0 += text }
    }

    var text: String { buffer.withLock { $0 } }
}

@Suite("Progress view")
struct ProgressViewTests {
    @Test("live view erases itself around results")
    func liveRedraw() {
        let output = TerminalOutput()
        let console = Console(standardOutput: output, standardError: output, colour: false)
        let mode = ProgressView.mode(console: console, json: false, environment: [:])
        #expect(mode == .live)
        let view = ProgressView(console: console, mode: mode, hosts: ["web1", "db"])
        view.stepStarted(host: "db", step: "install")
        view.hostFinished("db") { console.result("[db] done") }
        view.stop()
        #expect(
            output.text
                == "0 of 2 hosts finished\n[db]   install  0 s (host 0 s)\n"
                + "\u{1B}[2F\u{1B}[J[db] done\n1 of 2 hosts finished\n\u{1B}[1F\u{1B}[J")
    }

    @Test(
        "mode follows terminal, json and quiet",
        arguments: [
            (true, false, Verbosity.normal, ProgressView.Mode.live),
            (true, true, Verbosity.normal, ProgressView.Mode.silent),
            (true, false, Verbosity.quiet, ProgressView.Mode.silent),
            (false, false, Verbosity.verbose, ProgressView.Mode.plain),
        ])
    func modes(terminal: Bool, json: Bool, verbosity: Verbosity, expected: ProgressView.Mode) {
        let output: any ConsoleOutput = terminal ? TerminalOutput() : CapturedOutput()
        let console = Console(standardOutput: output, standardError: output, colour: false)
        console.verbosity = verbosity
        #expect(ProgressView.mode(console: console, json: json, environment: [:]) == expected)
    }

    @Test("plain view prints steps only with -v")
    func plainSteps() {
        let output = CapturedOutput()
        let console = Console(standardOutput: output, standardError: output, colour: false)
        let view = ProgressView(console: console, mode: .plain, hosts: ["web1", "db"])
        view.stepStarted(host: "db", step: "fetch")
        console.verbosity = .verbose
        view.stepStarted(host: "db", step: "install")
        #expect(output.text == "[db]   install\n")
    }

    @Test(
        "durations read in seconds and minutes",
        arguments: [
            (Duration.seconds(5), "5 s"), (.seconds(65), "1 min 05 s"),
            (.seconds(600), "10 min 00 s"),
        ])
    func durations(duration: Duration, text: String) {
        #expect(ProgressView.format(duration) == text)
    }
}
