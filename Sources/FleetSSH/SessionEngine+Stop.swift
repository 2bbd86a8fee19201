extension SessionEngine {
    /// How long the host waits for a cut-off command's process group to end after each
    /// signal: SIGKILL follows SIGTERM after this long, and the stop gives up after as
    /// long again.
    static let stopGrace: Duration = .seconds(2)

    /// Stops the command on `channel` on its host: SIGTERM to its process group, then
    /// SIGKILL when the group has not ended after `stopGrace` (see `stopScript`). Output
    /// that arrives meanwhile is kept as the command's. Cancellation does not shorten
    /// this, so Ctrl-C stops the command too. On a responsive host it takes at most about
    /// twice `stopGrace`, and it gives up after twice `stopGrace` and 4.5 s more.
    ///
    /// Closing the channel would not do it: a command without a pty gets no SIGHUP, and
    /// only its next write to the closed output kills it. The SSH "signal" request would,
    /// but libssh2 1.10 sends no second request on a channel, and OpenSSH's sshd refuses
    /// it for root logins. So a second channel runs `stopScript`.
    func stopCommand(
        _ channel: LibSSH2Channel, buffer: inout [UInt8], stdout: inout CapturedOutput,
        stderr: inout CapturedOutput, sink: OutputSink?
    ) -> RemoteStop {
        let stop = signalCommands(
            requestDeadline: Deadline(after: .seconds(1)),
            scriptDeadline: Deadline(after: Self.stopGrace * 2 + .seconds(4)))
        guard stop.ended else { return stop }
        // This reads what the command printed while it ended. A process that left its
        // group may keep the output open, so the read waits only briefly.
        _ = waitForEnd(
            of: channel, deadline: Deadline(after: .milliseconds(500)), buffer: &buffer,
            stdout: &stdout, stderr: &stderr, sink: sink)
        return stop
    }

    /// Returns the script that stops every other command of this connection. Its exit
    /// status is 0 when SIGTERM ended them and 10 when SIGKILL did. It is 4 when a process
    /// of theirs outlived both, 3 when pgrep failed, and 5 when no other command was left.
    ///
    /// OpenSSH's sshd starts each channel's command as a child of the connection's own
    /// sshd process, in a session and process group of its own (setsid(2)). So the
    /// children of the script's parent are this connection's commands and the script
    /// itself, and each child's pid names its process group. A command whose shell exited
    /// but left a background process holding its output has no child left to name its
    /// group, so the script cannot find that process. A group counts as ended when
    /// only zombies are left in it, because a killed process whose parent died waits for
    /// init to reap it. It runs as a `RemoteScript`, under sh whatever the login shell,
    /// with sh keeping the login shell's pid. `kill -s SIGNAL -- -GROUP` is the POSIX
    /// form that both FreeBSD's sh and dash accept.
    static func stopScript() -> String {
        // Each wait takes `stopGrace` in 0.1 s steps, and at most a second more on a host so
        // busy that ps and awk slow the steps down (date(1) counts whole seconds).
        let tenths = Int(stopGrace / .milliseconds(100))
        let seconds = Int(stopGrace / .seconds(1)) + 1
        return """
            children=$(pgrep -P $PPID) || exit 3
            groups=
            for p in $children; do [ "$p" = $$ ] || groups="$groups $p"; done
            [ -n "$groups" ] || exit 5
            alive() {
                for g in $groups; do
                    ps -A -o pgid= -o stat= |
                        awk -v g="$g" '$1 == g && $2 !~ /^Z/ { n++ } END { exit n == 0 }' &&
                        return 0
                done
                return 1
            }
            for s in TERM KILL; do
                for g in $groups; do kill -s $s -- "-$g" 2>/dev/null || kill -s $s "$g"; done
                i=0
                end=$(($(date +%s) + \(seconds)))
                while alive && [ $i -lt \(tenths) ] && [ "$(date +%s)" -lt $end ]; do
                    sleep 0.1
                    i=$((i + 1))
                done
                alive || { [ $s = TERM ] && exit 0; exit 10; }
            done
            exit 4
            """
    }

    /// Runs `stopScript` on a channel of its own and returns what it reports. The server
    /// must open the channel and accept the script by `requestDeadline`, so a stalled
    /// server costs about a second, and the script must end by `scriptDeadline`.
    private func signalCommands(requestDeadline: Deadline, scriptDeadline deadline: Deadline)
        -> RemoteStop
    {
        guard let session else { return .notSignalled("the connection is closed") }
        do {
            let channel = try performReturningHandle(
                "libssh2_channel_open_ex", phase: .command, deadline: requestDeadline,
                stopping: true
            ) { session.openSessionChannel() }
            try perform(
                "libssh2_channel_process_startup", phase: .command, deadline: requestDeadline,
                stopping: true
            ) { Int(channel.exec(RemoteScript.commandLine)) }
            var script = RemoteScript.input(Self.stopScript())[...]
            while !script.isEmpty {
                let written = try perform(
                    "libssh2_channel_write_ex", phase: .command, deadline: deadline,
                    stopping: true
                ) { channel.write(script) }
                script = script.dropFirst(written)
            }
            try perform(
                "libssh2_channel_send_eof", phase: .command, deadline: deadline, stopping: true
            ) { Int(channel.sendEOF()) }
            var buffer = LibSSH2Channel.makeReadBuffer(count: 4096)
            var ignored = CapturedOutput(limit: 0)
            var errors = CapturedOutput(limit: 4096)
            switch waitForEnd(
                of: channel, deadline: deadline, buffer: &buffer, stdout: &ignored,
                stderr: &errors, sink: nil)
            {
            case true: break
            case false: return .notSignalled("the stop command on the host did not finish")
            case nil: return .notSignalled("the connection was lost while the stop command ran")
            }
            try perform(
                "libssh2_channel_close", phase: .command, deadline: deadline, stopping: true
            ) { Int(channel.close()) }
            try perform(
                "libssh2_channel_wait_closed", phase: .command, deadline: deadline,
                stopping: true
            ) { Int(channel.waitClosed()) }
            errors.finish()
            return Self.stop(status: channel.exitStatus, errors: errors.text)
        } catch {
            return .notSignalled("the stop command failed: \(SSHErrorRenderer.message(for: error))")
        }
    }

    /// Returns what `stopScript`'s exit status means.
    static func stop(status: Int32?, errors: String) -> RemoteStop {
        switch status {
        case 0: return .terminated
        case 10: return .killed
        case 4: return .stillRunning
        case 3:
            return .notSignalled("pgrep failed on the host" + firstLine(errors))
        case 5:
            return .notSignalled(
                "its shell had exited, so its process group could not be found; "
                    + "look for processes it left in the background")
        case .some(let status):
            return .notSignalled("the stop command exited \(status)" + firstLine(errors))
        case .none: return .notSignalled("the stop command ended with no exit status")
        }
    }

    /// Returns ": " and the first line of `errors`, or an empty string when there is none.
    private static func firstLine(_ errors: String) -> String {
        errors.split(separator: "\n").first.map { ": \($0)" } ?? ""
    }

    /// Reads the output on `channel` until the server's EOF, which comes once every process
    /// holding the command's output has ended. Returns true at EOF, false when `deadline`
    /// passed first, nil when the connection failed. Two passes in a row whose reads both
    /// return 0 count as EOF, as in `execute`.
    private func waitForEnd(
        of channel: LibSSH2Channel, deadline: Deadline, buffer: inout [UInt8],
        stdout: inout CapturedOutput, stderr: inout CapturedOutput, sink: OutputSink?
    ) -> Bool? {
        var endedPasses = 0
        while !channel.receivedEOF {
            do {
                let outRead = try drain(
                    channel, stream: 0, buffer: &buffer, into: &stdout, sink: sink)
                let errRead = try drain(
                    channel, stream: 1, buffer: &buffer, into: &stderr, sink: sink)
                guard let outRead, let errRead else { return nil }
                if channel.receivedEOF { break }
                endedPasses = outRead.ended && errRead.ended ? endedPasses + 1 : 0
                if endedPasses == 2 { break }
                if outRead.bytes == 0 && errRead.bytes == 0 && endedPasses == 0 {
                    try waitForLibSSH2(phase: .command, deadline: deadline, stopping: true)
                }
            } catch let failure where failure.reason.isTimeout {
                return false
            } catch {
                return nil
            }
        }
        return true
    }
}
