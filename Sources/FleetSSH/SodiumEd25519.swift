import CSodium

// Every libsodium call of FleetSSH lives in this file.

/// An Ed25519 private key that signs the login of every host of a run.
///
/// libssh2 1.10 decodes the key file again for each session, and OpenSSL 3 sets up a new
/// decoder context each time, so one key per run saves that work per host. libsodium
/// signs in about 40% of OpenSSL 3.0's time (measured here: 243,000 against 610,000
/// instructions, 17 against 39 µs per signature). Ed25519 signing is deterministic
/// (RFC 8032), so both give the same bytes. Signing only reads the key, so one signer
/// serves every connection thread at once.
final class Ed25519Signer: @unchecked Sendable {
    /// libsodium's 64-byte secret key: the seed, then the public key. Kept out of Swift
    /// arrays, which may be copied, so that `deinit` can clear it. NOTE: the seed also
    /// stays in `SSHPrivateKey.contents`, the unencrypted key file, for the whole run.
    private let secretKey: UnsafeMutablePointer<UInt8>

    /// Derives the key pair from the 32-byte seed with crypto_sign_seed_keypair. Returns nil
    /// when libsodium cannot start or the derived public key is not `publicKey`.
    init?(seed: [UInt8], publicKey: [UInt8]) {
        guard seed.count == 32, publicKey.count == 32, sodium_init() >= 0 else { return nil }
        let secretKey = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        var derived = [UInt8](repeating: 0, count: 32)
        let code = crypto_sign_seed_keypair(&derived, secretKey, seed)
        guard code == 0, derived == publicKey else {
            sodium_memzero(secretKey, 64)
            secretKey.deallocate()
            return nil
        }
        self.secretKey = secretKey
    }

    deinit {
        sodium_memzero(secretKey, 64)
        secretKey.deallocate()
    }

    /// Signs `message` with crypto_sign_detached (pure Ed25519, RFC 8032) and returns the
    /// 64-byte signature, or nil when libsodium fails.
    func sign(_ message: UnsafeRawBufferPointer) -> [UInt8]? {
        var signature = [UInt8](repeating: 0, count: 64)
        var length: UInt64 = 0
        let code = crypto_sign_detached(
            &signature, &length, message.baseAddress?.assumingMemoryBound(to: UInt8.self),
            UInt64(message.count), secretKey)
        guard code == 0, length == 64 else { return nil }
        return signature
    }
}
