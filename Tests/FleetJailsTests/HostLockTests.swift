import FleetJails
import Testing

@Suite("Host lock")
struct HostLockTests {
    let record = LockRecord(runID: "r1", controller: "ops1", pid: 4242, started: 1000)

    @Test("owner file round trip")
    func ownerFile() {
        #expect(
            LockRecord(ownerFile: "run=r1\ncontroller=ops1\npid=4242\nstarted=1000\n") == record)
        #expect(LockRecord(ownerFile: "run=r1\npid=x\n") == nil)
        #expect(LockRecord(ownerFile: "") == nil)
    }

    @Test(
        "assess",
        arguments: [
            ("absent", "r2", "ops1", false, 1100, "free"),
            ("held", "r1", "ops1", false, 1100, "ours"),
            ("held", "r2", "ops1", true, 1100, "live"),
            ("held", "r2", "ops1", false, 1100, "stale"),
            ("held", "r2", "ops2", false, 1100, "live"),
            ("held", "r2", "ops2", false, 100_000, "stale"),
            ("unreadable", "r2", "ops1", false, 1100, "unreadable"),
        ] as [(String, String, String, Bool, Int, String)])
    func assess(
        state: String, runID: String, controller: String, alive: Bool, now: Int, expected: String
    ) {
        let lockState: LockState =
            switch state {
            case "absent": .absent
            case "held": .held(record)
            default: .unreadable("")
            }
        let result = HostLock.assess(
            lockState, runID: runID, controller: controller, now: now, maximumAge: 3600,
            isProcessAlive: { pid in pid == 4242 && alive })
        let kind =
            switch result {
            case .free: "free"
            case .ownedByThisRun: "ours"
            case .heldByLiveRun: "live"
            case .stale: "stale"
            case .unreadable: "unreadable"
            }
        #expect(kind == expected)
    }

    @Test("stale reason names the process")
    func staleReason() {
        let result = HostLock.assess(
            .held(record), runID: "r2", controller: "ops1", now: 1100, maximumAge: 3600,
            isProcessAlive: { _ in false })
        #expect(result == .stale(record, reason: "process 4242 on ops1 is no longer running"))
    }

    @Test("lock commands run under dash")
    func lockRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let settings = try HostSettings(stateDir: directory.path + "/state")
        let acquire = try HostLock.acquireCommand(settings: settings, record: record)
        let release = try HostLock.releaseCommand(settings: settings, runID: "r1")
        let other = try HostLock.releaseCommand(settings: settings, runID: "r9")
        #expect(try Shell.run(acquire).status == 0)
        let second = try Shell.run(acquire)
        #expect(second.status == 75)
        #expect(
            second.stderr.contains("host is locked by another run: run=r1 controller=ops1 pid=4242")
        )
        let owner = try String(
            contentsOfFile: directory.path + "/state/lock/owner", encoding: .utf8)
        #expect(owner.hasPrefix("run=r1\ncontroller=ops1\npid=4242\nstarted="))
        #expect(try Shell.run(other).status == 1)
        #expect(try Shell.run(release).status == 0)
        #expect(try Shell.run(acquire).status == 0)
    }

    @Test("hostile run id rejected")
    func hostileRunID() throws {
        let settings = try HostSettings()
        #expect(throws: PlanError.invalidRunID("a'b")) {
            try HostLock.releaseCommand(settings: settings, runID: "a'b")
        }
    }
}
