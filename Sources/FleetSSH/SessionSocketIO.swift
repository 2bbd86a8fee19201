import CLibSSH2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The send and receive callbacks of every libssh2 session of FleetSSH live in this file.

/// The socket side of one libssh2 session, used by its send and receive callbacks and by the
/// engine, all on the connection's own thread.
///
/// Two things make a session cheaper than libssh2's own socket calls:
/// - **Output is held while libssh2 works.** The send callback keeps the packets of one
///   engine call in memory and the engine writes them with one send(2) before it waits on
///   the socket and before the call returns. The client's identification line and KEXINIT
///   leave together, and so do NEWKEYS and the service request. Each send(2) on loopback
///   also pays for waking the server.
/// - **The identification line is read ahead.** libssh2 1.10 reads it one byte per recv(2).
///   The engine hands over the line it already read, and the receive callback serves it
///   from memory.
///
/// Bytes reach the socket and libssh2 in exactly the order libssh2 and the server produced
/// them: held output is written before anything sent later, and read-ahead input is served
/// before anything received later.
final class SessionSocketIO {
    /// When the last byte arrived from the peer, or when the session was created.
    var lastReceived: ContinuousClock.Instant = .now
    /// The time by which ssh-agent must reply to each read while the engine talks to it.
    /// libssh2 1.10 reads the agent's socket, which blocks, through the receive callback, so
    /// without this limit an agent that accepts and never replies holds the thread forever.
    var agentDeadline: Deadline?
    /// Whether a read from ssh-agent failed because `agentDeadline` passed.
    var agentTimedOut = false
    /// The description in the server's SSH_MSG_DISCONNECT, such as OpenSSH's "Too many
    /// authentication failures"; nil until the server sends one.
    var disconnectMessage: String?
    /// Whether the send callback may hold output. False while libssh2 runs in blocking mode,
    /// because then libssh2 waits for the peer by itself and nothing else would send.
    var holdsOutput = true
    /// The session's socket, once the handshake starts. Only its output is held: libssh2
    /// 1.10 also talks to ssh-agent through the session's send callback, and waits for the
    /// agent's reply without returning to the engine.
    var sessionSocket: Int32 = -1

    /// The maximum output held at once, in bytes. A larger packet (an upload's data) first
    /// writes what is held and then goes out directly. Handshake packets are under 2 KiB;
    /// holding 32 KiB SFTP packets as well added about 3 MiB to the peak of 50 uploads.
    static let holdLimit = 16_384
    /// The largest buffer capacity kept between engine calls, in bytes.
    private static let keptCapacity = 4096

    /// The packets libssh2 handed over, in order.
    private var heldOutput: [UInt8] = []
    /// How many bytes of `heldOutput` are already written.
    private var heldOutputWritten = 0
    /// How many packets of the session socket the send callback took whole, held or written.
    /// A packet the socket took only in part counts once libssh2 has sent its last byte,
    /// because until then libssh2 keeps the rest and sends it before any later packet.
    private(set) var packetsTaken = 0
    /// The errno of a write of held output that failed; every later send returns it.
    private var failure: Int32 = 0
    private var readAhead: [UInt8] = []
    private var readAheadServed = 0
    /// Whether the last recv(2) returned fewer bytes than asked for, which means it took
    /// everything the socket held then. libssh2 reads until EAGAIN, so its next read would
    /// almost always be a recv(2) that fails with EAGAIN: about 12 such calls per host.
    /// The callback returns EAGAIN for that read itself. The engine then polls, and poll(2)
    /// returns at once if bytes arrived in between, so nothing waits longer.
    private var drained = false

    /// Creates the state of a session whose peer already sent `readAhead`, the bytes the
    /// connection read before libssh2 took over the socket. `socket` may be set later.
    init(readAhead: [UInt8], socket: Int32 = -1) {
        self.readAhead = readAhead
        self.sessionSocket = socket
    }

    /// Whether output is held that the socket has not taken yet.
    var hasHeldOutput: Bool { heldOutputWritten < heldOutput.count }

    /// Writes held output to `socket` until it is all written or the socket is full, and
    /// returns true once nothing is held. It returns false when the socket is full, or when
    /// the write failed, whose error goes back to libssh2 from its next send.
    @discardableResult
    func sendHeld(socket: Int32) -> Bool {
        while heldOutputWritten < heldOutput.count {
            let count = heldOutput.withUnsafeBytes {
                send(
                    socket, $0.baseAddress! + heldOutputWritten,
                    heldOutput.count - heldOutputWritten, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK {
                    failure = errno
                    discardHeld()
                }
                return false
            }
            heldOutputWritten += count
        }
        discardHeld()
        return true
    }

    private func discardHeld() {
        heldOutput.removeAll(keepingCapacity: heldOutput.capacity <= SessionSocketIO.keptCapacity)
        heldOutputWritten = 0
    }

    private func hold(_ buffer: UnsafeRawPointer, _ length: Int) {
        // Dropping what a partial write already sent keeps the buffer within `holdLimit`.
        if heldOutputWritten > 0 {
            heldOutput.removeFirst(heldOutputWritten)
            heldOutputWritten = 0
        }
        heldOutput.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    }

    private static func io(_ abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>?)
        -> SessionSocketIO?
    {
        guard let pointer = abstract?.pointee else { return nil }
        return Unmanaged<SessionSocketIO>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Waits with poll(2) until `socket` is readable or `deadline` passes. Returns false
    /// only when the deadline passed, because an error or hang-up is left to the read.
    private static func waitReadable(_ socket: Int32, until deadline: Deadline) -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, deadline.remainingMilliseconds)
            if ready > 0 { return true }
            if ready == 0 || errno != EINTR { return ready != 0 }
        }
    }

    /// libssh2 expects a negated errno; it maps ENOENT to EAGAIN as its own calls do.
    private static func negatedErrno() -> Int {
        errno == ENOENT ? -Int(EAGAIN) : -Int(errno)
    }

    /// The send callback (LIBSSH2_CALLBACK_SEND): keeps the packet in memory, or writes held
    /// output first and then the packet, as described on the type.
    static let sendCallback:
        @convention(c) (
            libssh2_socket_t, UnsafeRawPointer?, Int, Int32,
            UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        ) -> Int = { socket, buffer, length, flags, abstract in
            guard let buffer, length > 0 else { return 0 }
            guard let io = io(abstract), socket == io.sessionSocket else {
                let count = send(socket, buffer, length, flags)
                return count < 0 ? negatedErrno() : count
            }
            let count = io.take(buffer, length, socket: socket, flags: flags)
            if count == length { io.packetsTaken += 1 }
            return count
        }

    /// Holds or writes one packet for the send callback; returns what the callback returns.
    private func take(_ buffer: UnsafeRawPointer, _ length: Int, socket: Int32, flags: Int32)
        -> Int
    {
        if failure != 0 { return -Int(failure) }
        let fits = heldOutput.count - heldOutputWritten + length <= Self.holdLimit
        if holdsOutput && fits {
            hold(buffer, length)
            return length
        }
        if !holdsOutput && fits && hasHeldOutput {
            return sendWithHeld(buffer, length, socket: socket)
        }
        guard sendHeld(socket: socket) else {
            return failure != 0 ? -Int(failure) : -Int(EAGAIN)
        }
        if holdsOutput && length <= Self.holdLimit {
            hold(buffer, length)
            return length
        }
        let count = send(socket, buffer, length, flags)
        return count < 0 ? Self.negatedErrno() : count
    }

    /// Writes held output and the packet with one send(2), as when a session's last
    /// channel CLOSE was held until its DISCONNECT. Returns the bytes of the packet written;
    /// a part of it the socket did not take is dropped, because libssh2 sends it again.
    private func sendWithHeld(_ buffer: UnsafeRawPointer, _ length: Int, socket: Int32) -> Int {
        hold(buffer, length)
        if sendHeld(socket: socket) { return length }
        if failure != 0 { return -Int(failure) }
        let unwritten = heldOutput.count - heldOutputWritten
        if unwritten >= length {
            heldOutput.removeLast(length)
            return -Int(EAGAIN)
        }
        discardHeld()
        return length - unwritten
    }

    /// The LIBSSH2_CALLBACK_DISCONNECT callback: stores the server's description.
    static let disconnectCallback:
        @convention(c) (
            OpaquePointer?, Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int32,
            UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        ) -> Void = { _, _, message, length, _, _, abstract in
            guard let io = io(abstract) else { return }
            guard let message, length > 0 else {
                io.disconnectMessage = ""
                return
            }
            let bytes = UnsafeRawBufferPointer(start: message, count: Int(length))
            io.disconnectMessage = String(decoding: bytes, as: UTF8.self)
        }

    /// The receive callback (LIBSSH2_CALLBACK_RECV): serves read-ahead bytes first, then
    /// calls recv(2), and records when the last byte arrived. After a short read it returns
    /// EAGAIN for the next read without a call, as described on `drained`.
    static let receiveCallback:
        @convention(c) (
            libssh2_socket_t, UnsafeMutableRawPointer?, Int, Int32,
            UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        ) -> Int = { socket, buffer, length, flags, abstract in
            let io = io(abstract).flatMap { socket == $0.sessionSocket ? $0 : nil }
            if let io, io.readAheadServed < io.readAhead.count, let buffer {
                let count = min(length, io.readAhead.count - io.readAheadServed)
                io.readAhead.withUnsafeBytes {
                    buffer.copyMemory(from: $0.baseAddress! + io.readAheadServed, byteCount: count)
                }
                io.readAheadServed += count
                if io.readAheadServed == io.readAhead.count {
                    io.readAhead = []
                    io.readAheadServed = 0
                }
                return count
            }
            // A socket other than the session's belongs to ssh-agent.
            if io == nil, let owner = SessionSocketIO.io(abstract),
                let deadline = owner.agentDeadline,
                !SessionSocketIO.waitReadable(socket, until: deadline)
            {
                owner.agentTimedOut = true
                return -Int(ETIMEDOUT)
            }
            if let io, io.drained {
                io.drained = false
                return -Int(EAGAIN)
            }
            let count = recv(socket, buffer, length, flags)
            if count < 0 { return negatedErrno() }
            if count > 0, let io {
                io.lastReceived = .now
                io.drained = count < length
            }
            return count
        }
}
