import Foundation

/// A fixed number of threads that run the jobs handed to them, oldest first.
///
/// The event loop hands a lane's pool at most as many jobs at once as it has threads (see
/// `EventLoop.schedule`), so a job starts as soon as it is handed over; the threads are its own,
/// so no other work of the process can take them.
final class WorkerPool: @unchecked Sendable {
    private let condition = ConditionLock()
    private var jobs: [@Sendable () -> Void] = []

    init(threads: Int, name: String) {
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index + 1)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Runs `job` on one of the threads.
    func run(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
