import FleetCore
import Testing

@testable import FleetSSH

@Suite("Ed25519 keys decoded once")
struct Ed25519SignerTests {
    /// Makes a key with ssh-keygen and loads it as the fleet would.
    private func load(type: String, passphrase: String) async throws -> SSHPrivateKey {
        let directory = try TestFleet.shell(["mktemp", "-d"]).trimmingCharacters(in: .newlines)
        defer { _ = try? TestFleet.shell(["rm", "-rf", directory]) }
        let path = directory + "/key"
        try await TestFleet.run(["ssh-keygen", "-q", "-t", type, "-N", passphrase, "-f", path])
        return try SSHPrivateKey.load(
            path: path, passphrase: passphrase.isEmpty ? nil : Secret(passphrase))
    }

    @Test(
        "unencrypted Ed25519 keys get a signer",
        arguments: [
            ("ed25519", "", true), ("ed25519", "s3cret", false), ("ecdsa", "", false),
            ("rsa", "", false),
        ])
    func signerByKind(type: String, passphrase: String, expectsSigner: Bool) async throws {
        let key = try await load(type: type, passphrase: passphrase)
        #expect((key.ed25519 != nil) == expectsSigner)
        // Every OpenSSH key file names its public key, which libssh2 then need not derive.
        let line = String(decoding: key.publicKeyLine ?? [], as: UTF8.self)
        #expect(line.hasPrefix((key.keyType ?? "?") + " "))
    }

    @Test("signer uses the file's public key")
    func publicKeyMatches() async throws {
        let key = try await load(type: "ed25519", passphrase: "")
        let ed25519 = try #require(key.ed25519)
        #expect(HostKeyType.fingerprint(of: ed25519.publicBlob) == key.fingerprint)
        let message: [UInt8] = Array("session id and request".utf8)
        let first = message.withUnsafeBytes { ed25519.signer.sign($0) }
        let second = message.withUnsafeBytes { ed25519.signer.sign($0) }
        // Ed25519 signatures are deterministic (RFC 8032) and 64 bytes long.
        #expect(first?.count == 64)
        #expect(first == second)
    }

    @Test("mismatched seed is rejected")
    func mismatchRejected() {
        let seed = [UInt8](repeating: 7, count: 32)
        #expect(Ed25519Signer(seed: seed, publicKey: [UInt8](repeating: 0, count: 32)) == nil)
        #expect(Ed25519Signer(seed: [1, 2, 3], publicKey: [UInt8](repeating: 0, count: 32)) == nil)
    }
}
