import CLibSSH2
import Testing

@testable import FleetSSH

@Suite("libssh2 return codes")
struct LibSSH2ResultTests {
    @Test(
        "each code sorts to one verdict",
        arguments: [
            (0, LibSSH2Verdict.success),
            (65_536, .success),
            (Int(LIBSSH2_ERROR_EAGAIN), .wouldBlock),
            (Int(LIBSSH2_ERROR_BAD_USE), .misuse),
            (Int(LIBSSH2_ERROR_INVAL), .misuse),
            (Int(LIBSSH2_ERROR_SOCKET_NONE), .failure),
            (Int(LIBSSH2_ERROR_KEX_FAILURE), .failure),
            (Int(LIBSSH2_ERROR_AUTHENTICATION_FAILED), .failure),
            (Int(LIBSSH2_ERROR_SOCKET_DISCONNECT), .failure),
            (Int(LIBSSH2_ERROR_FILE), .failure),
            (Int(LIBSSH2_ERROR_CHANNEL_CLOSED), .failure),
            (-1000, .failure),
        ])
    func sorting(code: Int, verdict: LibSSH2Verdict) {
        #expect(LibSSH2Result.sort(code) == verdict)
    }

    @Test("codes have their libssh2 names")
    func names() {
        #expect(LibSSH2Result.name(of: LIBSSH2_ERROR_EAGAIN) == "LIBSSH2_ERROR_EAGAIN")
        #expect(LibSSH2Result.name(of: LIBSSH2_ERROR_FILE) == "LIBSSH2_ERROR_FILE")
        #expect(LibSSH2Result.name(of: -999) == "LIBSSH2_ERROR_-999")
    }

    @Test(
        "lost connections are told apart",
        arguments: [
            (LIBSSH2_ERROR_SOCKET_DISCONNECT, true), (LIBSSH2_ERROR_SOCKET_RECV, true),
            (LIBSSH2_ERROR_CHANNEL_CLOSED, true), (LIBSSH2_ERROR_PROTO, false),
            (LIBSSH2_ERROR_EAGAIN, false),
        ])
    func connectionLost(code: Int32, lost: Bool) {
        #expect(LibSSH2Result.meansConnectionLost(code) == lost)
    }
}
