import Foundation

/// A thread of one connection's own that runs its blocking libssh2 work in order.
///
/// A plain serial `DispatchQueue` is not enough: on Linux libdispatch runs such queues on
/// the global pool, which starts about one thread per core, so two hosts stalled in poll(2)
/// on a 2-core machine held back every other host. A dedicated thread costs one stack per
/// connection in flight (at most `--forks` of them) and never waits for another host.
final class ConnectionThread: @unchecked Sendable {
    // `jobs` and `stopping` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    /// Starts the thread, named `name` for debuggers.
    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Queues `job`; jobs run one after another in the order queued.
    func async(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the jobs already queued have run.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping {
                condition.wait()
            }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
