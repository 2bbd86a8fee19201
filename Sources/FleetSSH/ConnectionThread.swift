import Foundation
import Synchronization

/// A thread of one connection's own that runs its blocking libssh2 work in order.
///
/// A plain serial `DispatchQueue` is not enough: on Linux libdispatch runs such queues on
/// the global pool, which starts about one thread per core, so two hosts stalled in poll(2)
/// on a 2-core machine held back every other host. A dedicated thread costs one stack per
/// connection in flight (at most `--forks` of them) and never waits for another host.
///
/// A connection that ends hands its thread back (`recycle`) and the next connection takes
/// it (`take`), so a run over many hosts starts about `--forks` threads, not one per host.
/// Creating a thread and faulting in its stack was a visible part of each host's CPU time.
/// A thread serves one connection at a time, so no host waits for another.
final class ConnectionThread: @unchecked Sendable {
    // `jobs` and `stopping` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    /// Idle threads, waiting for their next connection; at most `idleLimit` of them.
    private static let idle = Mutex<[ConnectionThread]>([])
    private static let idleLimit = 256

    /// Starts the thread, named `name` for debuggers.
    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Returns an idle thread, renamed to `name`, or starts a new one.
    static func take(name: String) -> ConnectionThread {
        guard let thread = idle.withLock({ $0.popLast() }) else {
            return ConnectionThread(name: name)
        }
        thread.async { Thread.current.name = name }
        return thread
    }

    /// Hands the thread back for another connection once the jobs already queued have run;
    /// beyond `idleLimit` idle threads it stops instead.
    func recycle() {
        let pooled = ConnectionThread.idle.withLock { idle in
            guard idle.count < ConnectionThread.idleLimit else { return false }
            idle.append(self)
            return true
        }
        if !pooled { stop() }
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
