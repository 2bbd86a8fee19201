import CLibSSH2

#if canImport(Glibc)
    import Glibc
#endif

// Every libssh2 session, userauth and keepalive call of FleetSSH lives in this file.

/// The raw host key the server presented during key exchange.
struct ServerHostKey: Sendable, Equatable {
    /// One of the LIBSSH2_HOSTKEY_TYPE_* constants.
    let libssh2Type: Int32
    /// The SSH wire-format public key blob.
    let blob: [UInt8]
}

/// A libssh2 session in non-blocking mode, freed in `deinit`.
final class LibSSH2Session {
    private let session: OpaquePointer
    /// Passed to libssh2 as the session's abstract pointer, so the send and receive
    /// callbacks can reach it. It is owned here, because libssh2 only stores the pointer.
    private let io: SessionSocketIO
    /// The socket handed to libssh2; kept open until after the session is freed, because
    /// a closed descriptor number may already belong to another connection.
    private var socket: SocketHandle?

    private static let libraryReady: Bool = libssh2_init(0) == 0

    /// Creates a non-blocking session whose socket calls go through `SessionSocketIO`, or
    /// returns nil when libssh2 cannot allocate one. `readAhead` contains bytes the peer sent
    /// that were read before the handshake, and libssh2 reads them first.
    init?(readAhead: [UInt8] = []) {
        let io = SessionSocketIO(readAhead: readAhead)
        let abstract = Unmanaged.passUnretained(io).toOpaque()
        guard LibSSH2Session.libraryReady,
            let session = libssh2_session_init_ex(nil, nil, nil, abstract)
        else { return nil }
        self.session = session
        self.io = io
        libssh2_session_set_blocking(session, 0)
        _ = libssh2_session_callback_set(
            session, LIBSSH2_CALLBACK_RECV,
            unsafeBitCast(SessionSocketIO.receiveCallback, to: UnsafeMutableRawPointer.self))
        _ = libssh2_session_callback_set(
            session, LIBSSH2_CALLBACK_SEND,
            unsafeBitCast(SessionSocketIO.sendCallback, to: UnsafeMutableRawPointer.self))
        _ = libssh2_session_callback_set(
            session, LIBSSH2_CALLBACK_DISCONNECT,
            unsafeBitCast(SessionSocketIO.disconnectCallback, to: UnsafeMutableRawPointer.self))
    }

    /// When the last byte arrived from the peer, or when the session was created.
    var lastReceived: ContinuousClock.Instant { io.lastReceived }

    /// The time by which ssh-agent must reply to each read; nil waits without limit.
    var agentDeadline: Deadline? {
        get { io.agentDeadline }
        set { io.agentDeadline = newValue }
    }

    /// Whether a read from ssh-agent failed because `agentDeadline` passed.
    var agentTimedOut: Bool { io.agentTimedOut }

    /// The description the server sent with SSH_MSG_DISCONNECT; nil until it sends one.
    var disconnectMessage: String? { io.disconnectMessage }

    /// Set once the engine gives up on the session (cancelled). After one cleanup call then
    /// times out, the later ones fail at once (see `withBlockingCalls`).
    var isAbandoned = false

    /// How many packets libssh2 handed over whole for the session's socket so far.
    var packetsTaken: Int { io.packetsTaken }

    /// Whether libssh2 handed over output that the socket has not taken yet.
    var hasHeldOutput: Bool { io.hasHeldOutput }

    /// Writes the output libssh2 handed over and returns true once nothing is held. It
    /// returns false when the socket is full, so the caller waits for POLLOUT, or when the
    /// write failed, which libssh2 reports from its next call.
    @discardableResult
    func sendHeldOutput() -> Bool {
        guard let socket else { return !io.hasHeldOutput }
        return io.sendHeld(socket: socket.descriptor)
    }

    deinit {
        // Only a session that has a socket may send SSH_MSG_DISCONNECT, because before
        // the handshake libssh2 would write to descriptor 0. Leave quickly even when the peer stalls, because
        // libssh2 waits at most 1 s per step in blocking mode.
        if let socket {
            socket.cork()
            withBlockingCalls(timeoutMilliseconds: 1000) {
                _ = libssh2_session_disconnect_ex(
                    session, SSH_DISCONNECT_BY_APPLICATION, "done", "")
            }
            io.holdsOutput = false
            libssh2_session_set_timeout(session, 1000)
            libssh2_session_set_blocking(session, 1)
        }
        _ = libssh2_session_free(session)
        // The corked packets leave with the FIN now, not at close(2), because close(2) drops
        // them when input is still unread, as after a timed-out command.
        socket?.finishSending()
    }

    /// Calls libssh2_session_method_pref for the host key algorithms, most preferred first.
    func preferHostKeyMethods(_ list: String) -> Int32 {
        libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, list)
    }

    /// Calls libssh2_session_handshake on `socket`, which the session keeps open until freed.
    func handshake(socket: SocketHandle) -> Int32 {
        self.socket = socket
        io.sessionSocket = socket.descriptor
        return libssh2_session_handshake(session, socket.descriptor)
    }

    /// Calls libssh2_session_block_directions: which way the last EAGAIN was waiting.
    var blockDirections: (read: Bool, write: Bool) {
        let directions = libssh2_session_block_directions(session)
        return (
            directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0,
            directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0
        )
    }

    /// Calls libssh2_session_last_error: the last error code and its text.
    var lastError: (code: Int32, message: String) {
        var text: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(session, &text, &length, 0)
        guard let text, length > 0 else { return (code, "") }
        return (code, String(cString: text))
    }

    /// Calls libssh2_session_last_errno.
    var lastErrno: Int32 { libssh2_session_last_errno(session) }

    /// Calls libssh2_session_hostkey: the key the server presented.
    var hostKey: ServerHostKey? {
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type), length > 0 else {
            return nil
        }
        let bytes = UnsafeRawBufferPointer(start: key, count: length)
        return ServerHostKey(libssh2Type: type, blob: Array(bytes))
    }

    /// Calls libssh2_userauth_list. Returns the comma-separated methods, "" once the
    /// "none" method authenticated, or nil with EAGAIN or an error in `lastErrno`.
    func authenticationMethods(user: String) -> String? {
        let list = libssh2_userauth_list(session, user, UInt32(user.utf8.count))
        if let list { return String(cString: list) }
        return libssh2_userauth_authenticated(session) != 0 ? "" : nil
    }

    /// Calls libssh2_userauth_authenticated.
    var isAuthenticated: Bool { libssh2_userauth_authenticated(session) != 0 }

    /// Calls libssh2_userauth_publickey_frommemory with the private key file's bytes and,
    /// when given, the public key line. Without that line libssh2 derives the public key
    /// from the private key, so it decodes the key file twice.
    func authenticate(
        user: String, privateKey: [UInt8], publicKeyLine: [UInt8]? = nil, passphrase: String?
    ) -> Int32 {
        let publicKeyLine = publicKeyLine ?? []
        return privateKey.withUnsafeBufferPointer { key in
            key.withMemoryRebound(to: CChar.self) { key in
                publicKeyLine.withUnsafeBufferPointer { line in
                    line.withMemoryRebound(to: CChar.self) { line in
                        libssh2_userauth_publickey_frommemory(
                            session, user, user.utf8.count, line.baseAddress, line.count,
                            key.baseAddress, key.count, passphrase)
                    }
                }
            }
        }
    }

    /// Calls libssh2_userauth_publickey with the wire-format `publicBlob`, and its sign
    /// callback signs with `signer`. The signature goes back in memory from malloc(3),
    /// because libssh2 frees it with the session's allocator, the default one.
    func authenticate(user: String, publicBlob: [UInt8], signer: Ed25519Signer) -> Int32 {
        let sign:
            @convention(c) (
                OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?,
                UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int,
                UnsafeMutablePointer<UnsafeMutableRawPointer?>?
            ) -> Int32 = { _, signature, signatureLength, data, dataLength, abstract in
                guard let signature, let signatureLength, let data,
                    let opaque = abstract?.pointee
                else { return -1 }
                let signer = Unmanaged<Ed25519Signer>.fromOpaque(opaque).takeUnretainedValue()
                guard
                    let bytes = signer.sign(UnsafeRawBufferPointer(start: data, count: dataLength)),
                    let buffer = malloc(bytes.count)
                else { return -1 }
                buffer.copyMemory(from: bytes, byteCount: bytes.count)
                signature.pointee = buffer.assumingMemoryBound(to: UInt8.self)
                signatureLength.pointee = bytes.count
                return 0
            }
        var abstract: UnsafeMutableRawPointer? = Unmanaged.passUnretained(signer).toOpaque()
        return withExtendedLifetime(signer) {
            publicBlob.withUnsafeBufferPointer { blob in
                libssh2_userauth_publickey(
                    session, user, blob.baseAddress, blob.count, sign, &abstract)
            }
        }
    }

    /// Makes every send fail at once (libssh2_session_callback_set with
    /// LIBSSH2_CALLBACK_SEND), for a session that only decodes a private key.
    func refuseToSend() {
        let refuse:
            @convention(c) (
                libssh2_socket_t, UnsafeRawPointer?, Int, Int32,
                UnsafeMutablePointer<UnsafeMutableRawPointer?>?
            ) -> Int = { _, _, _, _, _ in -Int(ECONNREFUSED) }
        _ = libssh2_session_callback_set(
            session, LIBSSH2_CALLBACK_SEND, unsafeBitCast(refuse, to: UnsafeMutableRawPointer.self))
    }

    /// Calls libssh2_keepalive_config so each keepalive requests a reply. The interval is
    /// libssh2's minimum, 2 s (it raises 1 to 2), because `KeepaliveMonitor` decides when one
    /// is due and never requests one sooner.
    func enableKeepalives() {
        libssh2_keepalive_config(session, 1, 2)
    }

    /// Calls libssh2_keepalive_send, which sends a keepalive unless it sent one less than
    /// 2 s of wall-clock time ago; returns libssh2's code.
    func sendKeepalive() -> Int32 {
        var next: Int32 = 0
        return libssh2_keepalive_send(session, &next)
    }

    /// The receive window of each command channel, in bytes: how much output the server may
    /// send ahead of what the engine has read, and so what libssh2 may buffer per host.
    /// libssh2's default of 2 MiB let 50 hosts in flight add about 15 MiB to a run's peak;
    /// 256 KiB still allows about 2.5 MB/s per host on a link with 100 ms round trips.
    static let channelWindowBytes = 256 * 1024

    /// Calls libssh2_channel_open_ex for a "session" channel; nil with EAGAIN or an error.
    func openSessionChannel() -> LibSSH2Channel? {
        let channel = libssh2_channel_open_ex(
            session, "session", 7, UInt32(LibSSH2Session.channelWindowBytes), 32_768, nil, 0)
        guard let channel else { return nil }
        return LibSSH2Channel(channel: channel, owner: self)
    }

    /// Calls libssh2_sftp_init; nil with EAGAIN or an error.
    func startSFTP() -> LibSSH2SFTP? {
        guard let sftp = libssh2_sftp_init(session) else { return nil }
        return LibSSH2SFTP(sftp: sftp, owner: self)
    }

    /// Calls libssh2_agent_init; nil when libssh2 cannot allocate the agent handle.
    func makeAgent() -> LibSSH2Agent? {
        guard let agent = libssh2_agent_init(session) else { return nil }
        return LibSSH2Agent(agent: agent, owner: self)
    }

    /// Runs `body` with the session in blocking mode, each wait bounded by `milliseconds`,
    /// for cleanup calls that must finish without a poll loop.
    /// Output held from earlier calls goes out before theirs, as the send callback writes
    /// held output first and libssh2 waits for the socket itself.
    ///
    /// Once the session `isAbandoned`, a call that used up its time means the server no
    /// longer reads. The socket is then shut down, so the cleanup calls after it fail at once
    /// instead of each waiting as long. Ctrl-C during an upload to a stopped server took
    /// about 3 s (file handle, SFTP, goodbye) and takes about 1 s. A session still in use
    /// keeps its socket, because a slow server may take that long to reply and still be
    /// usable, and later commands such as a rollback need the connection.
    func withBlockingCalls(timeoutMilliseconds milliseconds: Int, _ body: () -> Void) {
        io.holdsOutput = false
        libssh2_session_set_timeout(session, milliseconds)
        libssh2_session_set_blocking(session, 1)
        let started = ContinuousClock.now
        body()
        libssh2_session_set_blocking(session, 0)
        libssh2_session_set_timeout(session, 0)
        io.holdsOutput = true
        // libssh2 reports LIBSSH2_ERROR_TIMEOUT; the clock covers a call that waited as long
        // and then failed otherwise (libssh2 1.10 waits in steps, so allow it 90%).
        let waitedOut =
            lastErrno == LIBSSH2_ERROR_TIMEOUT
            || ContinuousClock.now - started >= .milliseconds(milliseconds * 9 / 10)
        if isAbandoned && waitedOut {
            socket?.shutDown()
        }
    }

    /// Calls libssh2_free on memory libssh2 allocated for this session.
    fileprivate func free(_ pointer: UnsafeMutableRawPointer?) {
        libssh2_free(session, pointer)
    }
}

/// A channel on a session, freed in `deinit`; it keeps its session alive.
final class LibSSH2Channel {
    private let channel: OpaquePointer
    private let owner: LibSSH2Session
    /// Whether the channel's exit status contains `ExitStatusMark.unset` until one arrives.
    private let marked: Bool

    fileprivate init(channel: OpaquePointer, owner: LibSSH2Session) {
        self.channel = channel
        self.owner = owner
        self.marked = ExitStatusMark.mark(channel)
    }

    deinit {
        owner.withBlockingCalls(timeoutMilliseconds: 1000) {
            _ = libssh2_channel_free(channel)
        }
    }

    /// Calls libssh2_channel_process_startup with the "exec" request.
    func exec(_ command: String) -> Int32 {
        libssh2_channel_process_startup(
            channel, "exec", 4, command, UInt32(command.utf8.count))
    }

    /// Returns a buffer of `count` bytes for `read`, left uninitialized because libssh2
    /// writes the bytes that `read` reports before anyone reads them.
    static func makeReadBuffer(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Calls libssh2_channel_read_ex for `stream` (0 for stdout, 1 for stderr) into the
    /// start of `buffer`; returns the byte count or a negative libssh2 code.
    func read(stream: Int32, into buffer: inout [UInt8]) -> Int {
        buffer.withUnsafeMutableBytes { raw in
            libssh2_channel_read_ex(
                channel, stream, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
        }
    }

    /// Calls libssh2_channel_write_ex on stdin with `bytes`; returns the count written or a
    /// negative libssh2 code.
    func write(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBytes { raw in
            libssh2_channel_write_ex(
                channel, 0, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
        }
    }

    /// Calls libssh2_channel_send_eof.
    func sendEOF() -> Int32 { libssh2_channel_send_eof(channel) }

    /// Calls libssh2_channel_eof: true once the server sent EOF.
    var receivedEOF: Bool { libssh2_channel_eof(channel) == 1 }

    /// Calls libssh2_channel_close.
    func close() -> Int32 { libssh2_channel_close(channel) }

    /// Calls libssh2_channel_wait_closed.
    func waitClosed() -> Int32 { libssh2_channel_wait_closed(channel) }

    /// Calls libssh2_channel_get_exit_status; nil when the server sent no exit status. Where
    /// `ExitStatusMark` cannot mark the channel, a missing status reads as 0.
    var exitStatus: Int32? {
        let status = libssh2_channel_get_exit_status(channel)
        return marked && status == ExitStatusMark.unset ? nil : status
    }

    /// Calls libssh2_channel_get_exit_signal: the signal name without "SIG", if any.
    var exitSignal: String? {
        var name: UnsafeMutablePointer<CChar>?
        var length = 0
        let code = libssh2_channel_get_exit_signal(channel, &name, &length, nil, nil, nil, nil)
        guard code == 0, let name else { return nil }
        defer { owner.free(name) }
        return length > 0 ? String(cString: name) : nil
    }
}

/// Decodes a private key with libssh2 on a session that is never connected.
enum LibSSH2KeyDecoder {
    /// Returns nil when libssh2 decodes `contents` with `passphrase`, else the code and text.
    /// The session's send callback fails at once, so after decoding the key libssh2 stops
    /// at its first attempt to send (LIBSSH2_ERROR_SOCKET_SEND) and nothing leaves this
    /// process. A wrong passphrase gives LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, a damaged key
    /// LIBSSH2_ERROR_PROTO or LIBSSH2_ERROR_FILE (observed with libssh2 1.10.0).
    static func decode(_ contents: [UInt8], passphrase: String?) -> (code: Int32, message: String)?
    {
        guard let session = LibSSH2Session() else {
            return (LIBSSH2_ERROR_ALLOC, "libssh2_session_init_ex failed")
        }
        session.refuseToSend()
        let code = session.authenticate(
            user: "key-check", privateKey: contents, passphrase: passphrase)
        // Reaching the send step means the key decoded; any other code is about the key.
        guard code != LIBSSH2_ERROR_SOCKET_SEND else { return nil }
        let message = session.lastError.message
        return (
            code, message.isEmpty ? "the key does not decode with the given passphrase" : message
        )
    }
}
