import Testing

@testable import FleetSSH

#if canImport(Glibc)
    import Glibc
#endif

/// A connected pair of non-blocking stream sockets, closed in `deinit`.
private final class SocketPair {
    let local: Int32
    private(set) var peer: Int32

    init() throws {
        var descriptors: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &descriptors) == 0 else {
            throw SocketPairError(errno: errno)
        }
        local = descriptors[0]
        peer = descriptors[1]
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        close(local)
        if peer >= 0 { close(peer) }
    }

    /// Closes the peer's end, as a server that went away.
    func closePeer() {
        close(peer)
        peer = -1
    }

    /// Writes to the local end until it takes no more; returns the bytes written.
    func fill() -> [UInt8] {
        var filler: [UInt8] = []
        let block = [UInt8](repeating: 0xEE, count: 4096)
        while Glibc.send(local, block, block.count, Int32(MSG_NOSIGNAL)) > 0 {
            filler += block
        }
        return filler
    }

    /// Everything the peer can read right now.
    func peerReads() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(peer, &buffer, buffer.count, 0)
            if count <= 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }
}

private struct SocketPairError: Error {
    let errno: Int32
}

/// Calls the session's send callback as libssh2 would.
private func send(_ bytes: [UInt8], to socket: Int32, through io: SessionSocketIO) -> Int {
    var abstract: UnsafeMutableRawPointer? = Unmanaged.passUnretained(io).toOpaque()
    return bytes.withUnsafeBytes {
        SessionSocketIO.sendCallback(
            socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), &abstract)
    }
}

/// Calls the session's receive callback as libssh2 would, asking for `length` bytes.
private func receive(_ length: Int, from socket: Int32, through io: SessionSocketIO) -> [UInt8]? {
    var abstract: UnsafeMutableRawPointer? = Unmanaged.passUnretained(io).toOpaque()
    var buffer = [UInt8](repeating: 0, count: length)
    let count = buffer.withUnsafeMutableBytes {
        SessionSocketIO.receiveCallback(socket, $0.baseAddress, length, 0, &abstract)
    }
    return count < 0 ? nil : Array(buffer[0..<count])
}

@Suite("session socket callbacks")
struct SessionSocketIOTests {
    @Test("held packets leave together, in order, when the engine sends them")
    func heldPacketsLeaveTogether() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        #expect(send(Array("first ".utf8), to: pair.local, through: io) == 6)
        #expect(send(Array("second".utf8), to: pair.local, through: io) == 6)
        #expect(pair.peerReads().isEmpty)
        #expect(io.hasHeldOutput)

        #expect(io.sendHeld(socket: pair.local))
        #expect(!io.hasHeldOutput)
        #expect(pair.peerReads() == Array("first second".utf8))
    }

    @Test("in blocking mode a packet goes out at once, after what was held")
    func blockingModeWritesThrough() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        _ = send(Array("held ".utf8), to: pair.local, through: io)
        io.holdsOutput = false
        #expect(send(Array("direct".utf8), to: pair.local, through: io) == 6)
        #expect(!io.hasHeldOutput)
        #expect(pair.peerReads() == Array("held direct".utf8))
    }

    @Test("a packet over the hold limit follows the held ones directly")
    func largePacketFollowsHeldOnes() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        _ = send([1, 2, 3], to: pair.local, through: io)
        let large = [UInt8](repeating: 9, count: SessionSocketIO.holdLimit + 1)
        let written = send(large, to: pair.local, through: io)
        #expect(written > 0)
        #expect(!io.hasHeldOutput)
        #expect(pair.peerReads() == [1, 2, 3] + large[0..<written])
    }

    @Test("a full socket makes libssh2 wait, and nothing is lost or reordered")
    func fullSocketKeepsOrder() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        // Fill the socket so the held bytes cannot leave.
        let filler = pair.fill()
        let chunk = [UInt8](repeating: 7, count: SessionSocketIO.holdLimit / 2)
        #expect(send(chunk, to: pair.local, through: io) == chunk.count)
        #expect(send(chunk, to: pair.local, through: io) == chunk.count)
        #expect(!io.sendHeld(socket: pair.local))
        #expect(send([8], to: pair.local, through: io) == -Int(EAGAIN))

        var received: [UInt8] = []
        while io.hasHeldOutput {
            received += pair.peerReads()
            io.sendHeld(socket: pair.local)
        }
        received += pair.peerReads()
        #expect(received.count == filler.count + 2 * chunk.count)
        #expect(Array(received.suffix(2 * chunk.count)) == chunk + chunk)
    }

    @Test("in blocking mode a full socket keeps held bytes ahead of the packet")
    func blockingModeFullSocketKeepsOrder() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        let filler = pair.fill()
        let heldBytes = [UInt8](repeating: 1, count: 3000)
        #expect(send(heldBytes, to: pair.local, through: io) == heldBytes.count)
        io.holdsOutput = false
        let packet = (0..<5000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        #expect(send(packet, to: pair.local, through: io) == -Int(EAGAIN))
        #expect(io.hasHeldOutput)

        // Retry as libssh2 does in blocking mode: the rest of the packet, after each wait.
        var received: [UInt8] = []
        var offset = 0
        while offset < packet.count {
            received += pair.peerReads()
            let written = send(Array(packet[offset...]), to: pair.local, through: io)
            if written > 0 { offset += written }
        }
        while io.hasHeldOutput {
            received += pair.peerReads()
            io.sendHeld(socket: pair.local)
        }
        received += pair.peerReads()
        #expect(received.count == filler.count + heldBytes.count + packet.count)
        #expect(Array(received.suffix(heldBytes.count + packet.count)) == heldBytes + packet)
    }

    @Test("packets taken counts the session socket's packets only")
    func packetsTakenCountsSessionPackets() throws {
        let session = try SocketPair()
        let agent = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: session.local)
        _ = send([1], to: session.local, through: io)
        _ = send([2], to: agent.local, through: io)
        #expect(io.packetsTaken == 1)
        io.holdsOutput = false
        _ = send([3], to: session.local, through: io)
        #expect(io.packetsTaken == 2)
        #expect(session.peerReads() == [1, 3])
    }

    @Test("packet written in part not yet taken")
    func packetsTakenWaitsForWholePacket() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        let filler = pair.fill()
        // Room for a few blocks only, so the large packet below goes out in part.
        var room = [UInt8](repeating: 0, count: 8192)
        let freed = recv(pair.peer, &room, room.count, 0)
        try #require(freed > 0)
        var received = Array(room[0..<freed])
        let large = (0..<(4 * SessionSocketIO.holdLimit)).map { UInt8(truncatingIfNeeded: $0) }
        let first = send(large, to: pair.local, through: io)
        try #require(first > 0 && first < large.count, "the socket took \(first) bytes")
        #expect(io.packetsTaken == 0)

        // Retry as libssh2 does: the rest of the same packet, after each wait.
        var offset = first
        while offset < large.count {
            received += pair.peerReads()
            let written = send(Array(large[offset...]), to: pair.local, through: io)
            if written > 0 { offset += written }
            if offset < large.count { #expect(io.packetsTaken == 0) }
        }
        received += pair.peerReads()
        #expect(io.packetsTaken == 1)
        #expect(received.count == filler.count + large.count)
        #expect(Array(received.suffix(large.count)) == large)
    }

    @Test("output to another socket, such as ssh-agent's, is never held")
    func otherSocketsWriteThrough() throws {
        let session = try SocketPair()
        let agent = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: session.local)
        #expect(send([1, 2], to: agent.local, through: io) == 2)
        #expect(!io.hasHeldOutput)
        #expect(agent.peerReads() == [1, 2])
    }

    @Test("a failed write comes back from the next send")
    func failedWriteIsReported() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        _ = send([1], to: pair.local, through: io)
        pair.closePeer()
        #expect(!io.sendHeld(socket: pair.local))
        #expect(!io.hasHeldOutput)
        #expect(send([2], to: pair.local, through: io) == -Int(EPIPE))
    }

    @Test("read-ahead bytes come before the socket's, however libssh2 asks")
    func readAheadComesFirst() throws {
        let pair = try SocketPair()
        let banner = Array("SSH-2.0-test\r\n".utf8)
        let io = SessionSocketIO(readAhead: banner, socket: pair.local)
        _ = Glibc.send(pair.peer, "packet", 6, 0)

        var line: [UInt8] = []
        for _ in 0..<4 { line += receive(1, from: pair.local, through: io) ?? [] }
        line += receive(100, from: pair.local, through: io) ?? []
        #expect(line == banner)
        #expect(receive(100, from: pair.local, through: io) == Array("packet".utf8))
        #expect(receive(100, from: pair.local, through: io) == nil)
    }

    @Test("short read returns EAGAIN next")
    func shortReadThenEAGAIN() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        _ = Glibc.send(pair.peer, "first", 5, 0)

        #expect(receive(100, from: pair.local, through: io) == Array("first".utf8))
        _ = Glibc.send(pair.peer, "second", 6, 0)
        // Bytes wait in the socket, but the read after a short one does not call recv(2).
        #expect(receive(100, from: pair.local, through: io) == nil)
        #expect(receive(100, from: pair.local, through: io) == Array("second".utf8))
    }

    @Test("full read keeps reading socket")
    func fullReadKeepsReading() throws {
        let pair = try SocketPair()
        let io = SessionSocketIO(readAhead: [], socket: pair.local)
        _ = Glibc.send(pair.peer, "abcdef", 6, 0)

        #expect(receive(3, from: pair.local, through: io) == Array("abc".utf8))
        #expect(receive(3, from: pair.local, through: io) == Array("def".utf8))
    }
}
