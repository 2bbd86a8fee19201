@testable import FleetSSH
import Testing

@Suite("stopping a cut-off command")
struct RemoteStopTests {
    @Test(
        "the stop script's exit status",
        arguments: [
            (Int32?.some(0), "", RemoteStop.terminated),
            (10, "", .killed),
            (4, "", .stillRunning),
            (
                3, "sh: pgrep: not found\n",
                .notSignalled("pgrep failed on the host: sh: pgrep: not found")
            ),
            (
                2, "sh: 1: Syntax error\nmore\n",
                .notSignalled("the stop command exited 2: sh: 1: Syntax error")
            ),
            (nil, "", .notSignalled("the stop command ended with no exit status")),
        ])
    func exitStatus(status: Int32?, errors: String, stop: RemoteStop) {
        #expect(SessionEngine.stop(status: status, errors: errors) == stop)
    }

    @Test("only SIGTERM and SIGKILL count as ended")
    func ended() {
        #expect(RemoteStop.terminated.ended)
        #expect(RemoteStop.killed.ended)
        #expect(!RemoteStop.stillRunning.ended)
        #expect(!RemoteStop.notSignalled("x").ended)
    }
}
