import FleetSSH
import Synchronization

/// The runner of a fleet command's host work, in a task that Ctrl-C cancels.
enum InterruptibleRun {
    /// Runs `work` and returns its value and whether SIGINT arrived. The watcher is
    /// installed before the task starts, so a SIGINT at any moment of the work cancels it
    /// and the caller still prints its recap.
    static func run<Value: Sendable>(
        console: Console, _ work: @escaping @Sendable () async -> Value
    ) async -> (value: Value, interrupted: Bool) {
        let interrupted = Atomic<Bool>(false)
        let running = Mutex<Task<Value, Never>?>(nil)
        let watcher = InterruptWatcher {
            console.error("interrupted: no new host starts; waiting for hosts in flight")
            interrupted.store(true, ordering: .sequentiallyConsistent)
            running.withLock { $0?.cancel() }
        }
        let task = Task { await work() }
        running.withLock { $0 = task }
        // A SIGINT between the two lines above found no task to cancel.
        if interrupted.load(ordering: .sequentiallyConsistent) {
            task.cancel()
        }
        let value = await task.value
        withExtendedLifetime(watcher) {}
        return (value, interrupted.load(ordering: .sequentiallyConsistent))
    }
}
