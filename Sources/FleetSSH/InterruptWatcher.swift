import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Calls a handler on SIGINT instead of ending the process, so a run can cancel its task,
/// close its channels and still print the recap. Restores the default action in `deinit`.
public final class InterruptWatcher: @unchecked Sendable {
    // The source is set once in init; DispatchSource is safe to cancel from any thread.
    private let source: any DispatchSourceSignal

    /// Starts watching for SIGINT; `handler` runs on a dispatch queue, once per signal.
    public init(handler: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
