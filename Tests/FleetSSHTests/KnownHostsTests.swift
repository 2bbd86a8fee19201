#if canImport(Glibc)
    import Glibc
#endif

import Testing

@testable import FleetSSH

@Suite("known_hosts parsing")
struct KnownHostsTests {
    private let blobA: [UInt8] = Array("key-a".utf8)
    private let blobB: [UInt8] = Array("key-b".utf8)

    private func file(_ lines: [String]) -> KnownHosts {
        KnownHosts(path: "/kh", contents: Array(lines.joined(separator: "\n").utf8))
    }

    @Test("plain, bracketed and wildcard hosts match")
    func patterns() {
        let hosts = file([
            "# comment",
            "web1,10.0.0.1 ssh-ed25519 \(Base64.encode(blobA))",
            "[10.0.0.2]:2222 ssh-ed25519 \(Base64.encode(blobA))",
            "*.example.org,!bad.example.org ecdsa-sha2-nistp256 \(Base64.encode(blobB))",
            "@cert-authority * ssh-ed25519 \(Base64.encode(blobB))",
        ])
        #expect(hosts.entries.count == 3)
        #expect(hosts.entries(host: "10.0.0.1", port: 22).map(\.line) == [2])
        #expect(hosts.entries(host: "10.0.0.1", port: 2222).isEmpty)
        #expect(hosts.entries(host: "10.0.0.2", port: 2222).map(\.line) == [3])
        #expect(hosts.entries(host: "a.example.org", port: 22).map(\.line) == [4])
        #expect(hosts.entries(host: "bad.example.org", port: 22).isEmpty)
    }

    @Test("hashed entries match by HMAC-SHA1")
    func hashed() {
        let salt: [UInt8] = Array(repeating: 7, count: 20)
        let hash = SHA.hmacSHA1(key: salt, message: Array("[127.0.0.9]:2222".utf8))
        let hosts = file([
            "|1|\(Base64.encode(salt))|\(Base64.encode(hash)) ssh-ed25519 \(Base64.encode(blobA))"
        ])
        #expect(hosts.entries(host: "127.0.0.9", port: 2222).count == 1)
        #expect(hosts.entries(host: "127.0.0.9", port: 22).isEmpty)
    }

    @Test("verdict finds known, changed and unknown keys")
    func verdicts() {
        let hosts = file([
            "h ecdsa-sha2-nistp256 \(Base64.encode(blobB))",
            "h ssh-ed25519 \(Base64.encode(blobA))",
        ])
        #expect(
            hosts.verdict(host: "h", port: 22, keyType: .ed25519, blob: blobA) == .known(line: 2))
        #expect(
            hosts.verdict(host: "h", port: 22, keyType: .ed25519, blob: blobB)
                == .changed(hosts.entries[1]))
        #expect(hosts.verdict(host: "other", port: 22, keyType: .ed25519, blob: blobA) == .unknown)
        #expect(hosts.recordedTypes(host: "h", port: 22) == [.ecdsa256, .ed25519])
    }

    @Test("revoked keys rejected for named hosts")
    func revoked() {
        let hosts = file([
            "h,web* ssh-ed25519 \(Base64.encode(blobA))",
            "@revoked web* ssh-ed25519 \(Base64.encode(blobA))",
            "@revoked\t* ssh-ed25519 \(Base64.encode(blobB))",
        ])
        #expect(hosts.entries.count == 1)
        #expect(hosts.revoked.map(\.line) == [2, 3])
        #expect(hosts.revoked.first?.hosts == "web*")
        // The revocation wins over line 1, which records the same key for web1.
        #expect(
            hosts.verdict(host: "web1", port: 22, keyType: .ed25519, blob: blobA)
                == .revoked(hosts.revoked[0]))
        // Line 2 does not name h, so line 1 accepts the key there.
        #expect(
            hosts.verdict(host: "h", port: 22, keyType: .ed25519, blob: blobA) == .known(line: 1))
        #expect(
            hosts.verdict(host: "other", port: 2222, keyType: .ed25519, blob: blobB)
                == .revoked(hosts.revoked[1]))
        #expect(hosts.recordedTypes(host: "other", port: 22).isEmpty)
    }
}

@Suite("known_hosts lookup index and cache")
struct KnownHostsIndexTests {
    private static let key = Base64.encode(Array("key".utf8))

    @Test(
        "indexed lookup equals matching every line",
        arguments: [
            ("web1", 22), ("WEB1", 22), ("10.0.0.1", 22), ("10.0.0.2", 2222), ("a.example.org", 22),
            ("bad.example.org", 22), ("db", 22), ("db", 2200), ("nothing", 22), ("ÉTÉ", 22),
            ("été", 22),
        ])
    func indexMatchesScan(host: String, port: Int) {
        let lines = [
            "web1,10.0.0.1 ssh-ed25519 \(Self.key)",
            "[10.0.0.2]:2222 ssh-ed25519 \(Self.key)",
            "*.example.org,!bad.example.org ecdsa-sha2-nistp256 \(Self.key)",
            "Web1 ssh-rsa \(Self.key)",
            "db,[db]:2200,db ssh-ed25519 \(Self.key)",
            "[db]:22?? ssh-rsa \(Self.key)",
            "* ssh-ed25519 \(Self.key)",
            "Été,web1 ssh-ed25519 \(Self.key)",
        ]
        let hosts = KnownHosts(path: "/kh", contents: Array(lines.joined(separator: "\n").utf8))
        let name = KnownHosts.hostName(host, port: port)
        let scanned = hosts.entries.filter { $0.matches(hostName: name) }
        #expect(hosts.entries(host: host, port: port) == scanned)
        #expect(!scanned.isEmpty)
    }

    @Test("cache reparses a changed file")
    func cacheSeesChanges() throws {
        let path = "/tmp/known_hosts-cache-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        try POSIXFile.append(path: path, bytes: Array("a ssh-ed25519 \(Self.key)\n".utf8))
        let first = try KnownHostsCache.shared.load(path: path)
        #expect(first.entries(host: "b", port: 22).isEmpty)

        try POSIXFile.append(path: path, bytes: Array("b ssh-ed25519 \(Self.key)\n".utf8))
        let second = try KnownHostsCache.shared.load(path: path)
        #expect(second.entries(host: "b", port: 22).map(\.line) == [2])
        #expect(second.entries(host: "a", port: 22).map(\.line) == [1])
    }

    @Test("append keeps a last line without newline")
    func appendAfterUnterminatedLine() throws {
        let path = "/tmp/known_hosts-append-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        try POSIXFile.append(path: path, bytes: Array("a ssh-ed25519 \(Self.key)".utf8))
        let blob = try #require(Base64.decode(Self.key))
        try KnownHostsWriter.shared.append(
            path: path, host: "b", port: 22, keyType: .ed25519, blob: blob, hashed: false)

        let contents = try POSIXFile.readExisting(path: path)
        #expect(
            String(decoding: contents, as: UTF8.self)
                == "a ssh-ed25519 \(Self.key)\nb ssh-ed25519 \(Self.key)\n")
        let hosts = KnownHosts(path: path, contents: contents)
        #expect(hosts.entries(host: "a", port: 22).map(\.line) == [1])
        #expect(hosts.entries(host: "b", port: 22).map(\.line) == [2])
    }

    @Test("append to an empty file adds no blank line")
    func appendToEmptyFile() throws {
        let path = "/tmp/known_hosts-append-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        try POSIXFile.append(path: path, bytes: [])
        let blob = try #require(Base64.decode(Self.key))
        try KnownHostsWriter.shared.append(
            path: path, host: "b", port: 22, keyType: .ed25519, blob: blob, hashed: false)

        let contents = try POSIXFile.readExisting(path: path)
        #expect(String(decoding: contents, as: UTF8.self) == "b ssh-ed25519 \(Self.key)\n")
    }
}
