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
            (3, "", .notSignalled("pgrep is not installed on the host")),
            (
                5, "",
                .notSignalled(
                    "its shell had exited, so its process group could not be found; "
                        + "look for processes it left in the background")
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
