import FleetCore

/// Runs one piece of work per host in rolling batches under a failure budget.
///
/// Within a batch at most `forks` hosts are in flight. Between batches the budget is
/// checked: once failed, unreachable and timed-out hosts exceed it, no new batch starts
/// and every host left is `notAttempted`. Task cancellation (the CLI cancels on SIGINT)
/// stops new hosts from starting; hosts in flight see the cancellation and end on their own.
public struct Rollout: Sendable {
    /// The batch sizes.
    public var serial: SerialPlan
    /// The failure budget across the whole run.
    public var budget: FailureBudget
    /// The maximum number of hosts in flight at once.
    public var forks: Int

    /// Creates a rollout; `forks` must be at least 1.
    public init(serial: SerialPlan = .allAtOnce, budget: FailureBudget, forks: Int) {
        precondition(forks >= 1, "forks is at least 1")
        self.serial = serial
        self.budget = budget
        self.forks = forks
    }

    /// Runs `work` for each host and returns one outcome per host, in the order of `hosts`.
    ///
    /// `finished` is called once per host as soon as its outcome is known, hosts never
    /// attempted included, so reports can be written before the run ends.
    public func run(
        hosts: [String],
        work: @escaping @Sendable (String) async -> HostOutcome,
        finished: @escaping @Sendable (HostOutcome) -> Void = { _ in }
    ) async -> [HostOutcome] {
        var outcomes: [String: HostOutcome] = [:]
        var failures = 0
        var start = 0
        for (batchIndex, size) in serial.batchSizes(hostCount: hosts.count).enumerated() {
            let batch = Array(hosts[start..<(start + size)])
            start += size
            if let reason = stopReason(failures: failures, total: hosts.count, batch: batchIndex) {
                for host in batch {
                    let outcome = HostOutcome(host: host, state: .notAttempted, reason: reason)
                    outcomes[host] = outcome
                    finished(outcome)
                }
                continue
            }
            for outcome in await runBatch(batch, work: work, finished: finished) {
                outcomes[outcome.host] = outcome
                if outcome.state.countsAsFailure { failures += 1 }
            }
        }
        return hosts.compactMap { outcomes[$0] }
    }

    private func stopReason(failures: Int, total: Int, batch: Int) -> String? {
        if Task.isCancelled {
            return "interrupted before this host started"
        }
        if batch > 0 && budget.isExceeded(failed: failures, total: total) {
            return
                "failure budget of \(budget.maxFailPercent)% exceeded "
                + "(\(failures) of \(total) hosts failed or unreachable)"
        }
        return nil
    }

    private func runBatch(
        _ batch: [String],
        work: @escaping @Sendable (String) async -> HostOutcome,
        finished: @escaping @Sendable (HostOutcome) -> Void
    ) async -> [HostOutcome] {
        await withTaskGroup(of: HostOutcome.self) { group in
            var results: [HostOutcome] = []
            var next = 0
            func startNext() {
                let host = batch[next]
                next += 1
                if Task.isCancelled {
                    let outcome = HostOutcome(
                        host: host, state: .notAttempted,
                        reason: "interrupted before this host started")
                    group.addTask { outcome }
                    return
                }
                group.addTask { await work(host) }
            }
            while next < batch.count && next < forks {
                startNext()
            }
            for await outcome in group {
                finished(outcome)
                results.append(outcome)
                if next < batch.count {
                    startNext()
                }
            }
            return results
        }
    }
}
