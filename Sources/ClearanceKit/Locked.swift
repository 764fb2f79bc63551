#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A value behind a lock, for state that threads hand over to one another now and then.
///
/// What `Synchronization.Mutex` is, on a `pthread_mutex_t`: on Linux `Mutex` locks with futexes,
/// which ThreadSanitizer does not model, so `Scripts/sanitize.sh thread` reported the resolution
/// caches' hand-overs under it as races; a pthread mutex it sees. (Dearer than `Mutex` on a path
/// taken for every line: `ReportMemo` keeps `Mutex`.)
final class Locked<Value: Sendable>: @unchecked Sendable {
    // INVARIANT: `value` is read and written only between locking and unlocking `mutex`. Both
    // live in allocations of their own: they never move, and reaching `value` through a pointer
    // needs no dynamic exclusivity check.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let value: UnsafeMutablePointer<Value>

    init(_ initial: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        value = .allocate(capacity: 1)
        value.initialize(to: initial)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` on the value with the lock held.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
