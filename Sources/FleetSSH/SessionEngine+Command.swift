/// One command's request, as the engine runs it.
struct CommandRequest {
    /// The command line sent in the "exec" request.
    var command: String
    /// Bytes written to the command's stdin before EOF; empty sends EOF at once.
    var stdin: [UInt8]
    /// The command's own limit, if any.
    var timeout: Duration?
    /// Receives each chunk as it arrives.
    var sink: OutputSink?
    /// The bytes of each stream kept in the result.
    var captureLimit: Int
}

extension SessionEngine {
    /// Runs `request` on a new channel with no pty, draining stdout and stderr together so
    /// neither stream can fill its window while the other is read.
    func run(_ request: CommandRequest) throws(SSHError) -> CommandResult {
        let started = ContinuousClock.now
        keepalive?.restart(now: started)
        let deadline = request.timeout.map { Deadline(after: $0) } ?? .never
        var stdout = CapturedOutput(limit: request.captureLimit)
        var stderr = CapturedOutput(limit: request.captureLimit)

        let outcome: CommandOutcome
        var stop: RemoteStop?
        do {
            outcome = try execute(
                request, deadline: deadline, stdout: &stdout, stderr: &stderr, stop: &stop)
        } catch let failure where failure.reason.isTimeout && failure.phase == .command {
            outcome = .timedOut(after: deadline.timeout)
        } catch var failure where failure.reason == .cancelled {
            failure.stop = stop
            throw failure
        }
        stdout.finish()
        stderr.finish()
        return CommandResult(
            command: request.command, outcome: outcome, stdout: stdout, stderr: stderr,
            duration: ContinuousClock.now - started, stop: stop,
            lostConnection: outcome == .noExitStatus ? lostPeer : nil)
    }

    private func execute(
        _ request: CommandRequest, deadline: Deadline, stdout: inout CapturedOutput,
        stderr: inout CapturedOutput, stop: inout RemoteStop?
    ) throws(SSHError) -> CommandOutcome {
        if let lostPeer { throw lostPeer }
        guard let session else { throw error(.channel, .closedByPeer) }
        let channel = try openChannel(session, deadline: deadline)
        var eofSent = false
        var pending = request.stdin[...]
        var buffer = LibSSH2Channel.makeReadBuffer(count: 32_768)
        var endedPasses = 0
        do {
            // The command may have started before the server's reply to the request was
            // due, so a timeout or Ctrl-C while waiting for it stops the command as well.
            try startCommand(
                request, session: session, channel: channel, eofSent: &eofSent,
                deadline: deadline)
            while true {
                var progressed = false
                if !eofSent {
                    eofSent = try feed(
                        channel, &pending, deadline: deadline, progressed: &progressed)
                }
                let outRead = try drain(
                    channel, stream: 0, buffer: &buffer, into: &stdout, sink: request.sink)
                let errRead = try drain(
                    channel, stream: 1, buffer: &buffer, into: &stderr, sink: request.sink)
                guard let outRead, let errRead else { return connectionLost() }
                progressed = progressed || outRead.bytes > 0 || errRead.bytes > 0
                if channel.receivedEOF { break }

                // libssh2 1.10 keeps extended data of a type other than stderr (1) queued,
                // because no read requests that type, and libssh2_channel_eof reports no EOF
                // while any data is queued. Reads of both streams returning 0 show the EOF
                // instead. Two passes in a row are needed, because a read that finished a
                // key exchange also returns 0.
                endedPasses = outRead.ended && errRead.ended ? endedPasses + 1 : 0
                if endedPasses == 2 { break }
                if !progressed && endedPasses == 0 {
                    try waitForLibSSH2(phase: .command, deadline: deadline)
                }
            }
            // A command that closed its output early sent EOF but still runs, so the close
            // can time out too, and then the command needs stopping as well.
            return try finish(channel, deadline: deadline)
        } catch let failure
            where failure.phase == .command
            && (failure.reason.isTimeout || failure.reason == .cancelled)
        {
            stop = stopCommand(
                channel, buffer: &buffer, stdout: &stdout, stderr: &stderr, sink: request.sink)
            throw failure
        }
    }

    /// Opens a session channel, naming the server's reason when it rejects one.
    private func openChannel(_ session: LibSSH2Session, deadline: Deadline) throws(SSHError)
        -> LibSSH2Channel
    {
        do {
            return try performReturningHandle(
                "libssh2_channel_open_ex", phase: .channel, deadline: deadline
            ) { session.openSessionChannel() }
        } catch let failure {
            guard case .libssh2(_, let code, let message) = failure.reason,
                LibSSH2Result.meansChannelRejected(code)
            else { throw failure }
            // libssh2 1.10 words it "Channel open failure (administratively prohibited)".
            let reason =
                message.firstIndex(of: "(").map { start in
                    message[message.index(after: start)...].prefix { $0 != ")" }
                }.map(String.init) ?? message
            throw error(.channel, .channelRejected(reason: reason))
        }
    }

    /// Sends the "exec" request and waits for the server's reply; with no stdin to write,
    /// EOF follows the request (see below) and `eofSent` becomes true. A request too long
    /// for one packet and one the server rejected throw their own failures.
    private func startCommand(
        _ request: CommandRequest, session: LibSSH2Session, channel: LibSSH2Channel,
        eofSent: inout Bool, deadline: Deadline
    ) throws(SSHError) {
        do {
            try sendExec(
                request, session: session, channel: channel, eofSent: &eofSent,
                deadline: deadline)
        } catch let failure {
            if case .libssh2(_, let code, _) = failure.reason,
                LibSSH2Result.meansPacketTooLarge(code)
            {
                throw error(.command, .commandTooLong(bytes: request.command.utf8.count))
            }
            if case .libssh2(_, let code, _) = failure.reason,
                LibSSH2Result.meansRequestRejected(code)
            {
                throw error(.command, .execRejected)
            }
            throw failure
        }
    }

    /// Sends the "exec" request and waits for the server's reply, as `startCommand`
    /// describes.
    private func sendExec(
        _ request: CommandRequest, session: LibSSH2Session, channel: LibSSH2Channel,
        eofSent: inout Bool, deadline: Deadline
    ) throws(SSHError) {
        let packetsBefore = session.packetsTaken
        try perform("libssh2_channel_process_startup", phase: .command, deadline: deadline) {
            let code = Int(channel.exec(request.command))
            // With no stdin to write, EOF leaves in the same send(2) as the request instead
            // of in one of its own after the reply. The server reads them in order. EOF waits
            // until libssh2 handed the whole request over (`packetsTaken` counts whole
            // packets only), because libssh2 sends the rest of a packet written in part
            // before it takes a new one. A key exchange can hand over its own packets first
            // and leave the request unsent, which libssh2 1.10 reports with the message
            // checked here. NOTE: a libssh2 that words it differently loses that guard.
            if !eofSent, request.stdin.isEmpty, LibSSH2Result.sort(code) == .wouldBlock,
                session.packetsTaken > packetsBefore,
                session.lastError.message != "Would block sending channel request"
            {
                eofSent = channel.sendEOF() == 0
            }
            return code
        }
    }

    /// Writes what stdin bytes the window takes, then sends EOF; returns true once EOF is sent.
    private func feed(
        _ channel: LibSSH2Channel, _ pending: inout ArraySlice<UInt8>, deadline: Deadline,
        progressed: inout Bool
    ) throws(SSHError) -> Bool {
        while !pending.isEmpty {
            let code = channel.write(pending.prefix(32_768))
            switch LibSSH2Result.sort(code) {
            case .success:
                pending = pending.dropFirst(code)
                progressed = true
            case .wouldBlock:
                return false
            case .misuse, .failure:
                throw error(.command, lastLibSSH2Failure("libssh2_channel_write_ex", code))
            }
        }
        let code = Int(channel.sendEOF())
        switch LibSSH2Result.sort(code) {
        case .success: return true
        case .wouldBlock: return false
        case .misuse, .failure:
            throw error(.command, lastLibSSH2Failure("libssh2_channel_send_eof", code))
        }
    }

    /// The result of one `drain` call on a stream.
    struct DrainedStream {
        /// The bytes read.
        var bytes: Int
        /// Whether the last read returned 0, which libssh2 1.10 does once the server sent
        /// EOF or CLOSE and nothing of the stream is left, and after a key exchange.
        var ended: Bool
    }

    /// Reads what `stream` has buffered right now (at most 1 MiB, so the other stream gets
    /// its turn) into `capture` and the sink; returns nil once the connection is gone.
    func drain(
        _ channel: LibSSH2Channel, stream: Int32, buffer: inout [UInt8],
        into capture: inout CapturedOutput, sink: OutputSink?
    ) throws(SSHError) -> DrainedStream? {
        var total = 0
        while total < 1 << 20 {
            let code = channel.read(stream: stream, into: &buffer)
            switch LibSSH2Result.sort(code) {
            case .success:
                if code == 0 { return DrainedStream(bytes: total, ended: true) }
                total += code
                capture.append(buffer[0..<code])
                sink?.handler(stream == 0 ? .stdout : .stderr, Array(buffer[0..<code]))
            case .wouldBlock:
                return DrainedStream(bytes: total, ended: false)
            case .misuse, .failure:
                if LibSSH2Result.meansConnectionLost(Int32(code)) { return nil }
                throw error(.command, lastLibSSH2Failure("libssh2_channel_read_ex", code))
            }
        }
        return DrainedStream(bytes: total, ended: false)
    }

    /// Closes the channel and reads how the command ended.
    private func finish(_ channel: LibSSH2Channel, deadline: Deadline) throws(SSHError)
        -> CommandOutcome
    {
        do {
            try perform("libssh2_channel_close", phase: .command, deadline: deadline) {
                Int(channel.close())
            }
            try perform("libssh2_channel_wait_closed", phase: .command, deadline: deadline) {
                Int(channel.waitClosed())
            }
        } catch let failure {
            if case .libssh2(_, let code, _) = failure.reason,
                LibSSH2Result.meansConnectionLost(code)
            {
                return connectionLost()
            }
            throw failure
        }
        // Both ends closed the channel, so nothing waits for the CLOSE just sent: it goes out
        // with the next request or the goodbye, one send(2) fewer per command.
        keepsHeldOutput = true
        if let signal = channel.exitSignal { return .signaled(signal) }
        guard let status = channel.exitStatus else { return .noExitStatus }
        return .exited(status)
    }

    /// Records that the connection ended during a command, with the server's disconnect
    /// message if it sent one, so the result and every later call name the cause.
    /// NOTE: output that arrived in the same read as SSH_MSG_DISCONNECT is lost, because
    /// libssh2 1.10 fails every later channel read with LIBSSH2_ERROR_SOCKET_DISCONNECT
    /// although that output is still queued.
    private func connectionLost() -> CommandOutcome {
        let reason: SSHFailure =
            session?.disconnectMessage.map { .disconnectedByServer(message: $0) } ?? .closedByPeer
        lostPeer = error(.command, reason)
        return .noExitStatus
    }
}
