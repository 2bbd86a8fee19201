import Synchronization

/// Shows which step each host in flight is running.
///
/// On a terminal (standard output, not `--json`, not `-q`, `TERM` not `dumb`) it keeps a
/// block of lines at the bottom, one per host in flight with its current step and elapsed
/// time. ANSI cursor movement redraws the block on every step and once a second. Elsewhere, as
/// under cron, it prints one plain `[host] step` line per step, only with `-v`.
final class ProgressView: Sendable {
    /// The ways the view shows progress.
    enum Mode: Equatable {
        /// A block redrawn in place, for terminals.
        case live
        /// One line per step on standard error with `-v`.
        case plain
        /// Nothing, under `--json` or `-q`.
        case silent
    }

    private struct Row {
        var host: String
        var step: String
        var stepStarted: ContinuousClock.Instant
        var hostStarted: ContinuousClock.Instant
    }

    private struct State {
        var rows: [Row] = []
        var finished = 0
        var drawnLines = 0
        var stopped = false
    }

    private let console: Console
    /// The way this view shows progress.
    let mode: Mode
    private let hostCount: Int
    private let nameWidth: Int
    private let columns: Int
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// Creates a view for `hosts`; `columns` is the terminal width lines are cut to.
    init(console: Console, mode: Mode, hosts: [String], columns: Int = 80) {
        self.console = console
        self.mode = mode
        self.hostCount = hosts.count
        self.nameWidth = hosts.map(\.count).max() ?? 0
        self.columns = max(columns, 20)
    }

    /// Returns the mode for a run: live only on a terminal, silent under `--json` or `-q`.
    static func mode(console: Console, json: Bool, environment: [String: String]) -> Mode {
        if json || console.verbosity == .quiet {
            return .silent
        }
        if console.outputIsTerminal && environment["TERM"] != "dumb" {
            return .live
        }
        return .plain
    }

    /// Starts the once-a-second redraw of a live view.
    func start() {
        guard mode == .live else { return }
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                self?.redraw()
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Records that `host` started `step`.
    func stepStarted(host: String, step: String) {
        switch mode {
        case .silent:
            return
        case .plain:
            console.note("\(prefix(host)) \(step)", level: .verbose)
        case .live:
            let now = ContinuousClock.now
            state.withLock { state in
                if let index = state.rows.firstIndex(where: { $0.host == host }) {
                    state.rows[index].step = step
                    state.rows[index].stepStarted = now
                } else {
                    state.rows.append(
                        Row(host: host, step: step, stepStarted: now, hostStarted: now))
                }
                draw(&state)
            }
        }
    }

    /// Removes `host` from the view and runs `print`, which writes the host's result lines,
    /// with the live block erased around it so the lines land above the block.
    func hostFinished(_ host: String, print: () -> Void) {
        guard mode == .live else {
            print()
            return
        }
        state.withLock { state in
            erase(&state)
            state.rows.removeAll { $0.host == host }
            state.finished += 1
            print()
            draw(&state)
        }
    }

    /// Stops the redraws and erases the live block, before the recap prints.
    func stop() {
        guard mode == .live else { return }
        ticker.withLock { task in
            task?.cancel()
            task = nil
        }
        state.withLock { state in
            erase(&state)
            state.stopped = true
        }
    }

    private func redraw() {
        state.withLock { draw(&$0) }
    }

    private func draw(_ state: inout State) {
        guard !state.stopped else { return }
        let now = ContinuousClock.now
        let stepWidth = state.rows.map(\.step.count).max() ?? 0
        var lines = ["\(state.finished) of \(hostCount) hosts finished"]
        for row in state.rows {
            let step = row.step + String(repeating: " ", count: stepWidth - row.step.count)
            let stepTime = Self.format(now - row.stepStarted)
            let hostTime = Self.format(now - row.hostStarted)
            lines.append("\(prefix(row.host)) \(step)  \(stepTime) (host \(hostTime))")
        }
        let text = lines.map { String($0.prefix(columns - 1)) + "\n" }.joined()
        console.output(eraseSequence(state.drawnLines) + text)
        state.drawnLines = lines.count
    }

    private func erase(_ state: inout State) {
        guard state.drawnLines > 0 else { return }
        console.output(eraseSequence(state.drawnLines))
        state.drawnLines = 0
    }

    /// Moves the cursor to the start of the block's first line (CSI n F) and clears from
    /// there to the end of the screen (CSI J).
    private func eraseSequence(_ lines: Int) -> String {
        lines > 0 ? "\u{1B}[\(lines)F\u{1B}[J" : ""
    }

    private func prefix(_ host: String) -> String {
        "[\(host)]" + String(repeating: " ", count: max(0, nameWidth - host.count))
    }

    /// `42 s`, or `3 min 05 s` from a minute on.
    static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        guard seconds >= 60 else { return "\(seconds) s" }
        let rest = seconds % 60
        return "\(seconds / 60) min \(rest < 10 ? "0" : "")\(rest) s"
    }
}
