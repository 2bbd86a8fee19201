#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
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
///
/// The thread is also a task executor (see `SSHConnection.onHostThread`): a host's own
/// Swift code can run on it between engine calls, so that its work does not pass from
/// thread to thread at every call.
///
/// Built on pthreads rather than Foundation's `Thread`, so the product links no Foundation.
final class ConnectionThread: TaskExecutor, @unchecked Sendable {
    /// The stack size of each connection thread, in bytes. With 1 MiB instead of glibc's
    /// 8 MiB, 500 threads reserve 500 MiB of address space rather than 4 GiB. Every test and
    /// benchmark runs with this size.
    static let stackBytes = 1 << 20

    // `jobs` and `stopping` are guarded by `mutex`; `condition` wakes the thread.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [@Sendable () -> Void] = []
    /// The pipe that cancels a wait of the connection this thread serves. A pipe per
    /// connection took about 1% of a host's CPU in a profile (pipe, fcntl and close calls).
    let wakePipe = WakePipe()
    private var stopping = false

    /// The thread that `SSHConnection.onHostThread` gave the current task, if any.
    @TaskLocal static var hostThread: ConnectionThread?

    /// Whether `SSHConnection.onHostThread` lends the thread, and to whom. A connection
    /// opened while another one uses the thread takes a thread of its own, so that no
    /// connection waits for another's poll(2).
    private let lending = Atomic<Lending>(.closed)

    /// The states of `lending`.
    enum Lending: UInt8, AtomicRepresentable {
        /// `onHostThread` runs, and no connection uses the thread.
        case open
        /// A connection opened inside `onHostThread` uses the thread.
        case lent
        /// The connection still uses the thread after `onHostThread` returned, and
        /// recycles it when it ends.
        case lentUntilRelease
        /// No connection may borrow the thread, because it is idle or a connection took it
        /// with `take`.
        case closed
    }

    /// Idle threads, waiting for their next connection; at most `idleLimit` of them.
    private static let idle = Mutex<[ConnectionThread]>([])
    private static let idleLimit = 256

    /// Starts a new thread. Glibc's module map hides pthread_setname_np, so it is unnamed.
    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, Self.stackBytes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // The thread holds a strong reference until its loop ends.
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                guard let context else { return nil }
                let owner = Unmanaged<ConnectionThread>.fromOpaque(context).takeRetainedValue()
                owner.loop()
                return nil
            }, context)
        pthread_attr_destroy(&attributes)
        // Without a thread no job would ever run; that is a broken machine, not a host problem.
        precondition(created == 0, "pthread_create failed with error \(created)")
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Returns an idle thread, or starts a new one.
    static func take() -> ConnectionThread {
        idle.withLock { $0.popLast() } ?? ConnectionThread()
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

    /// Lets the first connection opened inside `SSHConnection.onHostThread` borrow the thread.
    func openLending() {
        lending.store(.open, ordering: .releasing)
    }

    /// Marks the thread as used by a connection; returns false when one already uses it or
    /// the thread is not lent.
    func claim() -> Bool {
        lending.compareExchange(expected: .open, desired: .lent, ordering: .acquiringAndReleasing)
            .exchanged
    }

    /// Ends the use that `claim` began. When `onHostThread` returned meanwhile, the thread
    /// goes back to the idle threads now.
    func release() {
        let (exchanged, found) = lending.compareExchange(
            expected: .lent, desired: .open, ordering: .acquiringAndReleasing)
        if exchanged { return }
        precondition(found == .lentUntilRelease, "a connection released a thread not lent")
        lending.store(.closed, ordering: .releasing)
        recycle()
    }

    /// Ends lending when `onHostThread` returns. The thread goes back to the idle threads
    /// now, or when the connection that still uses it ends. Until then no other host gets
    /// it, so no host's work waits behind that connection's calls.
    func closeLending() {
        var expected = Lending.open
        while true {
            let next: Lending = expected == .open ? .closed : .lentUntilRelease
            let (exchanged, found) = lending.compareExchange(
                expected: expected, desired: next, ordering: .acquiringAndReleasing)
            if exchanged {
                if next == .closed { recycle() }
                return
            }
            // Only `claim` and `release` move between these two states meanwhile.
            precondition(found == .open || found == .lent, "lending of a thread closed twice")
            expected = found
        }
    }

    /// Runs a job of Swift's concurrency runtime on this thread, in order with the others.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Queues `job`; jobs run one after another in the order queued.
    func async(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_mutex_unlock(mutex)
        // Signalled after unlocking, so the woken thread does not block at once on the mutex
        // still held here. The thread checks `jobs` under the mutex, so no wake is lost.
        pthread_cond_signal(condition)
    }

    /// Lets the thread end once the jobs already queued have run.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    private func loop() {
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !stopping {
                pthread_cond_wait(condition, mutex)
            }
            if jobs.isEmpty {
                pthread_mutex_unlock(mutex)
                return
            }
            let job = jobs.removeFirst()
            pthread_mutex_unlock(mutex)
            job()
        }
    }
}
