import FleetCore
import FleetRun
import Foundation
import Synchronization
import Testing

@Suite("Rollout")
struct RolloutTests {
    static let hosts = (1...6).map { "h\($0)" }

    /// Work that fails the hosts in `failing` and records the order hosts started in.
    final class FakeWork: Sendable {
        let failing: Set<String>
        let started = Mutex<[String]>([])
        let inFlight = Mutex<(now: Int, max: Int)>((0, 0))

        init(failing: Set<String>) { self.failing = failing }

        func run(_ host: String) async -> HostOutcome {
            started.withLock { $0.append(host) }
            inFlight.withLock { $0 = ($0.now + 1, max($0.max, $0.now + 1)) }
            try? await Task.sleep(for: .milliseconds(5))
            inFlight.withLock { $0.now -= 1 }
            let state: HostState = failing.contains(host) ? .failed : .changed
            return HostOutcome(host: host, state: state, reason: state == .failed ? "boom" : nil)
        }
    }

    @Test("budget stops later batches")
    func budgetStops() async throws {
        let work = FakeWork(failing: ["h2"])
        let rollout = Rollout(
            serial: try SerialPlan.parse("1,2"), budget: FailureBudget(maxFailPercent: 0), forks: 5)
        let outcomes = await rollout.run(hosts: Self.hosts, work: work.run)
        #expect(outcomes.map(\.host) == Self.hosts)
        #expect(
            outcomes.map(\.state) == [
                .changed, .failed, .changed, .notAttempted, .notAttempted, .notAttempted,
            ])
        #expect(
            outcomes[3].reason
                == "failure budget of 0% exceeded (1 of 6 hosts failed or unreachable)")
        #expect(work.started.withLock { $0 }.count == 3)
        #expect(Recap(outcomes).exitStatus == 1)
    }

    @Test("budget that allows a failure")
    func budgetAllows() async throws {
        let work = FakeWork(failing: ["h2"])
        let rollout = Rollout(
            serial: try SerialPlan.parse("1,2"), budget: FailureBudget(maxFailPercent: 20), forks: 5
        )
        let outcomes = await rollout.run(hosts: Self.hosts, work: work.run)
        #expect(outcomes.filter { $0.state == .changed }.count == 5)
        #expect(outcomes.filter { $0.state == .notAttempted }.isEmpty)
    }

    @Test("forks bounds hosts in flight")
    func forksBound() async {
        let inFlight = Mutex<(now: Int, max: Int)>((0, 0))
        let rollout = Rollout(budget: FailureBudget(maxFailPercent: 0), forks: 2)
        let outcomes = await rollout.run(hosts: Self.hosts) { host in
            inFlight.withLock { $0 = ($0.now + 1, max($0.max, $0.now + 1)) }
            // Each host waits up to 2 s for a second one to be in flight, so a loaded machine
            // cannot make the hosts run one after another by chance. It then stays a little
            // longer, so a third host would be seen if the bound let it start.
            let deadline = ContinuousClock.now + .seconds(2)
            while inFlight.withLock({ $0.now }) < 2 && ContinuousClock.now < deadline
                && host != Self.hosts.last
            {
                try? await Task.sleep(for: .milliseconds(2))
            }
            try? await Task.sleep(for: .milliseconds(20))
            inFlight.withLock { $0.now -= 1 }
            return HostOutcome(host: host, state: .changed)
        }
        #expect(outcomes.count == 6)
        #expect(inFlight.withLock { $0.max } == 2)
    }

    @Test("finished is called once per host")
    func finishedEach() async throws {
        let work = FakeWork(failing: ["h1"])
        let seen = Mutex<[String]>([])
        let rollout = Rollout(
            serial: try SerialPlan.parse("1"), budget: FailureBudget(maxFailPercent: 0), forks: 1)
        _ = await rollout.run(hosts: Self.hosts, work: work.run) { outcome in
            seen.withLock { $0.append(outcome.host) }
        }
        #expect(seen.withLock { $0 }.sorted() == Self.hosts)
    }

    @Test("cancelled run starts no more hosts")
    func cancelled() async throws {
        let work = FakeWork(failing: [])
        let task = Task {
            await Rollout(budget: FailureBudget(maxFailPercent: 0), forks: 1)
                .run(hosts: Self.hosts, work: work.run)
        }
        while work.started.withLock({ $0.isEmpty }) {
            try await Task.sleep(for: .milliseconds(1))
        }
        task.cancel()
        let outcomes = await task.value
        #expect(outcomes.count == 6)
        #expect(outcomes[0].state == .changed)
        #expect(outcomes.dropFirst().allSatisfy { $0.state == .notAttempted })
        #expect(outcomes[5].reason == "interrupted before this host started")
    }

    @Test("recap lines and exit statuses")
    func recap() {
        let outcomes = [
            HostOutcome(host: "web1", state: .ok),
            HostOutcome(host: "web10", state: .unreachable, reason: "connection refused"),
            HostOutcome(host: "db", state: .failed, reason: "exit 1"),
        ]
        #expect(
            Recap(outcomes).lines == [
                "RECAP 3 hosts: 1 ok, 0 changed, 1 failed, 1 unreachable, 0 timed out, 0 not attempted",
                "  web10  unreachable  connection refused",
                "  db     failed       exit 1",
            ])
        #expect(Recap(outcomes).exitStatus == 1)
        #expect(Recap([HostOutcome(host: "a", state: .unreachable)]).exitStatus == 69)
        #expect(Recap([HostOutcome(host: "a", state: .changed)]).exitStatus == 0)
    }

    @Test("report directory writes each host")
    func reportDirectory() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("reports-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let directory = try ReportDirectory(path: folder, command: "exec", runID: "r1")
        let outcome = HostOutcome(host: "web/1", state: .failed, reason: "exit 1")
        try directory.write(outcome)
        #expect(directory.hostFile("web/1") == folder + "/hosts/web%2F1.json")
        #expect(directory.previousOutcome(of: "web/1")?.outcome == outcome)
        #expect(directory.previousOutcome(of: "other") == nil)
        try directory.writeSummary([outcome])
        let summary = try String(contentsOfFile: folder + "/summary.json", encoding: .utf8)
        #expect(summary.contains("\"exitStatus\" : 1"))
    }
}
