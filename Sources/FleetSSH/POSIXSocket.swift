#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Every libc socket, pipe and poll call of FleetSSH lives in this file.

/// A resolved socket address kept as raw bytes, so no pointer leaves this file.
struct SocketAddress: Sendable {
    /// AF_INET or AF_INET6.
    let family: Int32
    /// The `sockaddr_in` or `sockaddr_in6` bytes.
    let storage: [UInt8]
    /// The numeric address, e.g. `127.0.0.1` or `::1`.
    let numeric: String
}

/// The events poll(2) reported for a socket.
struct PollResult: Sendable, Equatable {
    /// The socket is readable (or closed by the peer).
    var readable = false
    /// The socket is writable.
    var writable = false
    /// The wake pipe fired, so the caller should check for cancellation.
    var woken = false
    /// Nothing happened before the timeout.
    var timedOut = false
}

/// POSIX helpers that are not tied to one descriptor.
enum POSIX {
    /// Returns strerror(3)'s text for `code`.
    static func message(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The current `errno`.
    static var lastErrno: Int32 { errno }

    /// Resolves `host` with getaddrinfo(3), IPv4 and IPv6, in the order the resolver returns.
    static func resolve(host: String, port: Int) throws(SSHFailure) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .nameResolution(message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }

        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                let bytes = UnsafeRawBufferPointer(
                    start: address, count: Int(entry.pointee.ai_addrlen))
                addresses.append(
                    SocketAddress(
                        family: entry.pointee.ai_family, storage: Array(bytes),
                        numeric: numericHost(address, length: entry.pointee.ai_addrlen)))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    private static func numericHost(
        _ address: UnsafeMutablePointer<sockaddr>, length: socklen_t
    ) -> String {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = getnameinfo(
            address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        guard status == 0 else { return "?" }
        return String(
            decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A TCP socket descriptor, closed in `deinit`.
final class SocketHandle {
    /// The descriptor, handed to libssh2 as its socket.
    let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Opens a non-blocking socket and starts connect(2) to `address`; call `finishConnect`
    /// after poll reports it writable.
    static func startConnect(to address: SocketAddress) throws(SSHFailure) -> SocketHandle {
        // Non-blocking from the start saves the two fcntl(2) calls per host that set it.
        let type = SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue
        let descriptor = socket(address.family, Int32(type), 0)
        guard descriptor >= 0 else { throw failure("socket") }
        let handle = SocketHandle(descriptor: descriptor)

        var one: Int32 = 1
        _ = setsockopt(
            descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))

        let status = address.storage.withUnsafeBytes { raw in
            connect(
                descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                socklen_t(raw.count))
        }
        if status != 0 && errno != EINPROGRESS { throw failure("connect") }
        return handle
    }

    /// Reads SO_ERROR after a non-blocking connect, throwing when the connect failed.
    func finishConnect() throws(SSHFailure) {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else {
            throw SocketHandle.failure("getsockopt")
        }
        if code != 0 {
            throw .socket(function: "connect", errno: code, message: POSIX.message(errno: code))
        }
    }

    /// Sets TCP_CORK for a session's last packets. What is written from now on leaves with
    /// the FIN of `finishSending` in one segment, or after 200 ms if no FIN comes sooner.
    /// Each segment on loopback also runs the server's receive path and wakes the server.
    func cork() {
        var enabled: Int32 = 1
        _ = setsockopt(
            descriptor, Int32(IPPROTO_TCP), TCP_CORK, &enabled,
            socklen_t(MemoryLayout<Int32>.size))
    }

    /// Calls shutdown(2) for writing, which sends the bytes under TCP_CORK with the FIN.
    /// close(2) would lose them when input is still unread, because it then resets the
    /// connection and drops the bytes not yet sent.
    func finishSending() {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Whether the peer closed or reset the connection: recv(2) with MSG_PEEK finds the end
    /// of the stream, or fails with ECONNRESET or EPIPE. Unread bytes make it false.
    var isClosedByPeer: Bool {
        do {
            return try peek(limit: 1)?.isEmpty == true
        } catch {
            guard case .socket(_, let code, _) = error else { return false }
            return code == ECONNRESET || code == EPIPE
        }
    }

    /// Calls shutdown(2) for both directions, so every later read and write fails at once
    /// instead of waiting for a peer that no longer responds. The descriptor stays open
    /// until `deinit`.
    func shutDown() {
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Reads up to `limit` bytes that are already waiting, without blocking. Returns fewer,
    /// or none, when fewer are waiting.
    func receive(limit: Int) throws(SSHFailure) -> [UInt8] {
        try receiveWaiting(limit: limit, flags: 0) ?? []
    }

    /// Returns up to `limit` bytes waiting on the socket without consuming them (MSG_PEEK).
    /// An empty result means the peer closed the connection, and nil that nothing is there yet.
    func peek(limit: Int) throws(SSHFailure) -> [UInt8]? {
        try receiveWaiting(limit: limit, flags: Int32(MSG_PEEK))
    }

    /// Calls recv(2) once with `flags`, retrying EINTR; nil when nothing is waiting.
    private func receiveWaiting(limit: Int, flags: Int32) throws(SSHFailure) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: limit)
        var count: Int
        repeat {
            count = buffer.withUnsafeMutableBytes { raw in
                recv(descriptor, raw.baseAddress, raw.count, flags)
            }
        } while count < 0 && errno == EINTR
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            throw SocketHandle.failure("recv")
        }
        buffer.removeLast(limit - count)
        return buffer
    }

    /// Waits with poll(2) until the socket is ready for `read`/`write`, the wake pipe fires,
    /// or `milliseconds` pass.
    func wait(read: Bool, write: Bool, wake: WakePipe?, milliseconds: Int32) throws(SSHFailure)
        -> PollResult
    {
        var events: Int16 = 0
        if read { events |= Int16(POLLIN) }
        if write { events |= Int16(POLLOUT) }
        var descriptors = [pollfd(fd: descriptor, events: events, revents: 0)]
        if let wake {
            descriptors.append(pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0))
        }

        var status: Int32
        repeat {
            status = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        } while status < 0 && errno == EINTR
        guard status >= 0 else { throw SocketHandle.failure("poll") }

        var result = PollResult()
        let socketEvents = descriptors[0].revents
        result.readable = socketEvents & Int16(POLLIN | POLLHUP | POLLERR) != 0
        result.writable = socketEvents & Int16(POLLOUT | POLLERR) != 0
        result.woken = descriptors.count > 1 && descriptors[1].revents != 0
        result.timedOut = status == 0
        return result
    }

    fileprivate static func failure(_ function: String) -> SSHFailure {
        let code = errno
        return .socket(function: function, errno: code, message: POSIX.message(errno: code))
    }
}

/// A self-pipe that wakes a thread blocked in poll(2), used to deliver cancellation. Each
/// connection thread keeps one for all the connections it serves in turn.
final class WakePipe: @unchecked Sendable {
    // Both ends are set once in init and only closed in deinit; write(2) is thread-safe.
    /// The end poll(2) watches.
    let readEnd: Int32
    private let writeEnd: Int32

    /// Creates a non-blocking pipe, or returns nil when pipe(2) fails.
    init?() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        readEnd = ends[0]
        writeEnd = ends[1]
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Wakes the waiting thread; safe to call from any thread, any number of times.
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Reads every pending wake, so that the next poll(2) waits again.
    func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }
}
