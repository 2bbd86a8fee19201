import FleetSSH
import Foundation
import Testing

@Suite("connecting to bad peers")
struct ConnectTests {
    private func target(_ address: String, _ port: Int, timeout: Duration = .seconds(1))
        -> SSHTarget
    {
        SSHTarget(
            name: "peer", address: address, port: port, user: "root",
            knownHostsFile: "/nonexistent",
            connectTimeout: timeout)
    }

    /// Opens `target` and returns the error and the time it took.
    private func attempt(_ target: SSHTarget) async -> (SSHError?, Duration) {
        let start = ContinuousClock.now
        do {
            let connection = try await SSHConnection.open(target)
            await connection.close()
            return (nil, ContinuousClock.now - start)
        } catch {
            return (error as? SSHError, ContinuousClock.now - start)
        }
    }

    @Test("closed port is refused at once")
    func closedPort() async throws {
        let (error, elapsed) = await attempt(target("127.0.0.1", 1, timeout: .seconds(120)))
        #expect(error?.phase == .connecting)
        #expect(
            error?.reason
                == .socket(function: "connect", errno: ECONNREFUSED, message: "Connection refused"))
        #expect(error?.unreachableReason == .connect)
        // The reason above shows it was refused rather than timed out; the time only has to
        // stay within the connect timeout. In the full suite, tests that wait for fleet
        // scripts occupy the cooperative pool's threads, and that delayed this task's
        // resumption by over 30 s on a 2-core machine. Alone it takes about 0.2 s.
        #expect(elapsed < .seconds(120))
    }

    @Test(
        "stalling peers end within the connect timeout",
        arguments: [("silent", SessionPhase.banner), ("banner", .keyExchange)])
    func stalling(kind: String, phase: SessionPhase) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try await fleet.peer(kind)
        let (error, elapsed) = await attempt(target(peer.address, peer.port))
        #expect(error?.phase == phase)
        #expect(error?.reason == .timedOut(after: .seconds(1)))
        #expect(error?.unreachableReason == .handshake)
        #expect(elapsed >= .seconds(1))
        // The reason shows the engine stopped at its 1 s deadline. The slack is for a busy
        // machine, where this task waited seconds for a thread of the cooperative pool.
        #expect(elapsed < .seconds(8))
    }

    @Test("foreign banner is named, also over IPv6")
    func garbage() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        for address in ["", "::1"] {
            let peer = try await TestFleet.run(
                [TestFleet.script, "peer", "garbage", fleet.directory + "/v\(address.count)"],
                environment: address.isEmpty ? [:] : ["FLEET_PEER_ADDRESS": address])
            let fields = peer.split(whereSeparator: \.isWhitespace)
            let (error, elapsed) = await attempt(target(String(fields[0]), Int(fields[1])!))
            #expect(error?.phase == .banner)
            #expect(error?.reason == .notSSH(firstLine: "HTTP/1.1 400 Bad Request"))
            // The peer stays connected after its lines, so the engine waits for an
            // identification line until its 1 s deadline. The slack is for a busy machine:
            // under the full suite one attempt took 3.6 s.
            #expect(elapsed < .seconds(8))
            if address == "::1" { #expect(error?.endpoint == "[::1]:\(fields[1])") }
        }
    }

    @Test("lines before the banner are skipped")
    func preamble() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let upstream = "\(fleet.addresses[0]):\(fleet.ports[0])"
        let peer = try await fleet.peer("preamble", environment: ["FLEET_PEER_UPSTREAM": upstream])
        var target = target(peer.address, peer.port, timeout: .seconds(5))
        target.identityFile = fleet.identityFile
        target.hostKeyChecking = .off
        let connection = try await SSHConnection.open(target)
        let result = try await connection.run("echo reached")
        await connection.close()
        #expect(result.stdout.text == "reached\n")
        #expect(result.outcome == .exited(0))
    }

    @Test("server closing after its banner is named")
    func closingAfterBanner() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try await fleet.peer("closing")
        let (error, elapsed) = await attempt(target(peer.address, peer.port, timeout: .seconds(60)))
        #expect(error?.phase == .keyExchange)
        #expect(error?.reason == .closedByPeer)
        #expect(error?.unreachableReason == .handshake)
        // The reason shows no deadline passed; the bound, far under the 60 s timeout, shows
        // nothing waited for one, with room for a busy machine.
        #expect(elapsed < .seconds(20))
        let message = try #require(error.map(SSHErrorRenderer.message(for:)))
        #expect(
            message
                == "cannot start SSH session to \(peer.address):\(peer.port): the server closed "
                + "the connection during key exchange; check sshd's log, for example for MaxStartups"
        )
    }

    @Test("SSH-1.5 server is named at once")
    func protocolOne() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try await fleet.peer("ssh1")
        let (error, elapsed) = await attempt(target(peer.address, peer.port, timeout: .seconds(60)))
        #expect(error?.phase == .banner)
        #expect(error?.reason == .unsupportedProtocol(identification: "SSH-1.5-OpenSSH_1.2.3"))
        #expect(error?.unreachableReason == .handshake)
        // The reason shows no deadline passed; the bound, far under the 60 s timeout, shows
        // nothing waited for one, with room for a busy machine.
        #expect(elapsed < .seconds(20))
    }

    @Test("SSH-1.5 line sent bytewise is named")
    func protocolOneInPieces() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try await fleet.peer("ssh1-slow")
        let (error, elapsed) = await attempt(target(peer.address, peer.port, timeout: .seconds(5)))
        #expect(error?.phase == .banner)
        #expect(error?.reason == .unsupportedProtocol(identification: "SSH-1.5-OpenSSH_1.2.3"))
        #expect(elapsed < .seconds(4))
    }

    @Test("host name resolves through getaddrinfo")
    func hostName() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try await fleet.peer("garbage")
        // "localhost" resolves from /etc/hosts to 127.0.0.1 and ::1; the peer listens elsewhere.
        var target = target("localhost", peer.port)
        target.address = "localhost"
        let (error, _) = await attempt(target)
        #expect(error?.phase == .connecting)
        #expect(error?.endpoint.hasSuffix(":\(peer.port)") == true)
    }
}
