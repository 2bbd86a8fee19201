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

    /// The first two test vectors of RFC 8032, section 7.1: seed, public key, message and
    /// signature, in hexadecimal.
    static let vectors: [(seed: String, publicKey: String, message: String, signature: String)] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ]

    private static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    @Test("signatures match RFC 8032's test vectors", arguments: 0..<2)
    func knownAnswers(index: Int) throws {
        let vector = Self.vectors[index]
        let signer = try #require(
            Ed25519Signer(seed: Self.bytes(vector.seed), publicKey: Self.bytes(vector.publicKey)))
        let signature = Self.bytes(vector.message).withUnsafeBytes { signer.sign($0) }
        #expect(signature == Self.bytes(vector.signature))
    }

    @Test("mismatched seed is rejected")
    func mismatchRejected() {
        let seed = [UInt8](repeating: 7, count: 32)
        #expect(Ed25519Signer(seed: seed, publicKey: [UInt8](repeating: 0, count: 32)) == nil)
        #expect(Ed25519Signer(seed: [1, 2, 3], publicKey: [UInt8](repeating: 0, count: 32)) == nil)
    }
}
