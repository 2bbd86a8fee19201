import Testing

@testable import FleetSSH

#if canImport(Glibc)
    import Glibc
#endif

@Suite("wake pipe shared by a thread's connections")
struct WakePipeTests {
    @Test("drain makes the pipe quiet again")
    func drainQuietsPipe() throws {
        let pipe = try #require(WakePipe())
        pipe.wake()
        pipe.wake()
        var descriptor = pollfd(fd: pipe.readEnd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 0) == 1)
        pipe.drain()
        descriptor.revents = 0
        #expect(poll(&descriptor, 1, 0) == 0)
    }

    @Test("a new engine ignores an earlier connection's wake")
    func newEngineIgnoresOldWake() throws {
        let pipe = try #require(WakePipe())
        pipe.wake()
        let engine = SessionEngine(
            target: SSHTarget(
                name: "idle", address: "127.0.0.1", user: "root", knownHostsFile: "/dev/null"),
            wakePipe: pipe)
        var descriptor = pollfd(fd: pipe.readEnd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 0) == 0)
        #expect(!engine.isCancelled)
    }

    @Test("a stray wake ends one wait, not every later one")
    func strayWakeEndsOneWait() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let silent = try await fleet.peer("silent")
        let pipe = try #require(WakePipe())
        let target = SSHTarget(
            name: "silent", address: silent.address, port: silent.port, user: "root",
            knownHostsFile: fleet.knownHosts)
        let engine = SessionEngine(target: target, wakePipe: pipe)
        let address = try #require(try POSIX.resolve(host: silent.address, port: silent.port).first)
        engine.socket = try SocketHandle.startConnect(to: address)

        // The listener never writes, so the waits below end only by a wake or the deadline.
        // Had the first wait left the wake unread, every later one would return at once and
        // the loop would end without reaching the deadline.
        pipe.wake()
        let deadline = Deadline(after: .milliseconds(300))
        #expect(throws: SSHError.self) {
            for _ in 0..<20 {
                try engine.waitForSocket(
                    read: true, write: false, phase: SessionPhase.banner, deadline: deadline)
            }
        }
        #expect(deadline.hasPassed)
    }
}
