import Events
import Foundation
import Projections
import Glibc

/// The single serial writer with group commit.
///
/// The event loop submits with a completion (other callers may submit and wait). The writer
/// thread takes everything queued and hands it to the books' pure batch step (`Books.step`:
/// each submission decided, all or nothing, and the records of the whole batch encoded into one
/// buffer); it keeps only the queue, the write with its one `fdatasync`, and the completions:
/// the records are made visible to queries and every waiter woken after the sync. While one sync
/// runs, new submissions queue up and form the next batch: the batch size adapts to the load.
final class Writer: @unchecked Sendable {
    private struct Submission {
        var request: Books.Submission
        /// Called on the writer thread once the outcome is known (after the sync, for writes).
        var completion: @Sendable (WriteResult) -> Void
    }

    private let store: LogStore
    private var books: Books
    private let live: LiveLedger
    private let clock: Clock
    private let log: DaemonLog
    /// The budget rules commands are decided under; SIGHUP puts reloaded ones in (`reconfigure`).
    private let rules: LockedBox<BudgetRules>
    private let queue = ConditionLock()
    private var pending: [Submission] = []
    /// A batch is being processed, by the writer's thread or by a caller's (`submit(…, inline:)`).
    private var processing = false
    /// The buffer of a batch processed on a caller's thread (only under `processing`).
    private var inlineBuffer: [UInt8] = []
    private var stopping = false
    private var stopped = false
    private var lastRecordTime: Int64
    private var lastResumeAttempt: Int64 = 0
    private var thread: Thread?
    /// Called after each durable batch with its records (alert followers).
    var onCommit: (@Sendable ([Record]) -> Void)?
    /// Records between periodic snapshots (0: only at shutdown).
    var snapshotEvery: UInt64 = 0
    /// Called on the writer thread when a snapshot is due, with the books as of `position` (the
    /// live ledger is then at the same position).
    var onSnapshotDue: (@Sendable (Books, LogPosition) -> Void)?
    private var lastSnapshotSeq: UInt64 = 0

    init(store: LogStore, books: Books, live: LiveLedger, clock: Clock, log: DaemonLog, rules: BudgetRules, lastRecordTime: Int64) {
        self.store = store
        self.books = books
        self.live = live
        self.clock = clock
        self.log = log
        self.rules = LockedBox(rules)
        self.lastRecordTime = lastRecordTime
    }

    /// Takes reloaded budget rules (SIGHUP) for the batches that come next.
    func reconfigure(rules: BudgetRules) {
        self.rules.withLockedValue { $0 = rules }
    }

    /// Starts the writer thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "trackerd-writer"
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Submits commands (all or nothing); `completion` runs on the writer thread with the outcome,
    /// after the records are durable. It must be quick (hand the answer to the event loop).
    /// A command on something an agency outside `scope` holds is refused (`forbidden`, naming the
    /// agency), checked against the books as they stand when it is decided.
    ///
    /// `inline`: the caller has nothing else to do meanwhile (the event loop with one ready
    /// client); when the writer is idle with nothing queued, the batch of this one submission is
    /// processed on the caller's thread, and `completion` runs there, with no hand-off to the
    /// writer's thread and back. Submissions that come meanwhile queue for the writer's thread as
    /// usual and form the next batch.
    func submit(_ commands: [Command], actor: Actor, scope: AgencyScope? = nil, inline: Bool = false, completion: @escaping @Sendable (WriteResult) -> Void) {
        let submission = Submission(request: Books.Submission(commands: commands, actor: actor, scope: scope), completion: completion)
        enum Route { case refused, queued, here }
        let route = queue.withLock { () -> Route in
            guard !stopping else { return .refused }
            if inline && !processing && pending.isEmpty {
                processing = true
                return .here
            }
            pending.append(submission)
            queue.signal()
            return .queued
        }
        switch route {
        case .refused: completion(.failure(TrackerError(.unavailable, "trackerd is shutting down; nothing was recorded"), index: nil))
        case .queued: break
        case .here:
            inlineBuffer.removeAll(keepingCapacity: true)
            process([submission], buffer: &inlineBuffer)
            queue.withLock {
                processing = false
                queue.signal()
            }
        }
    }

    /// Submits commands (all or nothing) and waits for the outcome.
    func submit(_ commands: [Command], actor: Actor) -> WriteResult {
        let promise = Promise<WriteResult>()
        submit(commands, actor: actor) { promise.fulfil($0) }
        return promise.wait()
    }

    /// Submits each command on its own (one failing does not stop the others) in one batch, and
    /// waits for all the outcomes.
    func submitEach(_ commands: [Command], actor: Actor) -> [WriteResult] {
        let promises = commands.map { _ in Promise<WriteResult>() }
        let accepted = queue.withLock { () -> Bool in
            guard !stopping else { return false }
            for (command, promise) in zip(commands, promises) {
                pending.append(Submission(request: Books.Submission(commands: [command], actor: actor), completion: { promise.fulfil($0) }))
            }
            queue.signal()
            return true
        }
        guard accepted else {
            return commands.map { _ in .failure(TrackerError(.unavailable, "trackerd is shutting down; nothing was recorded"), index: nil) }
        }
        return promises.map { $0.wait() }
    }

    /// Finishes every submission already queued, then stops the thread and returns.
    func stop() {
        queue.withLock {
            stopping = true
            queue.signal()
        }
        queue.withLock {
            while !stopped { _ = queue.wait(seconds: 0.1) }
        }
    }

    private let suspension = LockedBox<String?>(nil)

    /// The books and the head, once the writer has stopped (for the shutdown snapshot).
    func finalState() -> (books: Books, head: LogPosition) {
        queue.withLock { precondition(stopped, "the writer is still running") }
        return (books, store.head)
    }

    /// Notes that a snapshot covers the log up to `seq` (the periodic ones count from there).
    func snapshotTaken(at seq: UInt64) { lastSnapshotSeq = seq }

    /// Why writes are refused, if they are (readable from any thread).
    var suspendedReason: String? { suspension.withLockedValue { $0 } }

    private func run() {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        while true {
            queue.lock()
            // A batch processed on a caller's thread (`inline`) is waited for like a busy writer.
            while (pending.isEmpty || processing) && !(stopping && !processing) {
                if !queue.wait(seconds: Self.idleSeconds) && pending.isEmpty && !processing && !stopping {
                    // Idle: a good moment for a snapshot, if enough was recorded since the last.
                    processing = true
                    queue.unlock()
                    snapshotIfIdle()
                    queue.lock()
                    processing = false
                }
            }
            if pending.isEmpty && stopping {
                stopped = true
                queue.broadcast()
                queue.unlock()
                return
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            processing = true
            queue.unlock()
            buffer.removeAll(keepingCapacity: true)
            process(batch, buffer: &buffer)
            queue.withLock { processing = false }
        }
    }

    /// One batch: the clock read, the pure step, the write and sync, the completions.
    private func process(_ batch: [Submission], buffer: inout [UInt8]) {
        let now = max(Timestamp.systemNow().microseconds, lastRecordTime)
        let time = Timestamp(microseconds: now)
        // Nothing is recorded that the log's reader would refuse: a record time or a today out of its years.
        let today: BusinessDate
        do throws(TrackerError) {
            guard Timestamp.recordable.contains(time) else {
                throw TrackerError(.unavailable, "the system clock reads \(time), outside the years a record time can have (\(BusinessDate.validYears.lowerBound)–\(BusinessDate.validYears.upperBound)); nothing was recorded")
            }
            today = try clock.todayToRecord()
        } catch {
            log.error(error.message)
            for submission in batch { submission.completion(.failure(error, index: nil)) }
            return
        }
        let context = CommandContext(today: today, rules: rules.withLockedValue { $0 })
        let step = books.step(batch.map(\.request), after: (store.head.seq, store.head.hash), time: time, context: context, into: &buffer)
        var results = step.outcomes
        for (submission, outcome) in zip(batch, results) where submission.request.scope != nil {
            if case .failure(let error, _) = outcome, error.code == .forbidden {
                log.warning("refused \(submission.request.commands.first?.operation ?? "a command") from \(submission.request.actor): \(error.message)")
            }
        }
        if !step.records.isEmpty {
            if store.suspended != nil { tryResume() }
            do throws(TrackerError) {
                try buffer.withBytes { (raw) throws(TrackerError) in try store.append(raw, lastSeq: step.lastSeq, lastHash: step.lastHash) }
                lastRecordTime = now
                live.apply(step.records, position: store.head)
                onCommit?(step.records)
                if snapshotEvery > 0 && store.head.seq - lastSnapshotSeq >= snapshotEvery, let onSnapshotDue {
                    lastSnapshotSeq = store.head.seq
                    onSnapshotDue(books, store.head)
                }
            } catch {
                suspension.withLockedValue { $0 = store.suspended }
                books.takeBack(step, restoringSeq: store.head.seq)
                log.error("a write of \(step.records.count) record(s) failed: \(error.message)")
                for index in results.indices {
                    if case .success = results[index] { results[index] = .failure(error, index: nil) }
                }
            }
        }
        for (submission, result) in zip(batch, results) { submission.completion(result) }
    }

    /// Seconds without a write after which the writer takes a snapshot.
    static let idleSeconds = 10.0
    /// Records since the last snapshot that make an idle snapshot worth it.
    static let idleSnapshotMinimum: UInt64 = 10_000

    private func snapshotIfIdle() {
        guard store.head.seq - lastSnapshotSeq >= Self.idleSnapshotMinimum, let onSnapshotDue else { return }
        lastSnapshotSeq = store.head.seq
        onSnapshotDue(books, store.head)
    }

    /// After a failed sync, tries (at most once a second) to re-verify the tail and resume.
    private func tryResume() {
        let now = Timestamp.systemNow().microseconds
        guard now - lastResumeAttempt > 1_000_000 else { return }
        lastResumeAttempt = now
        let reason = store.resume()
        suspension.withLockedValue { $0 = reason }
        if let reason {
            log.warning("writes stay suspended: \(reason)")
        } else {
            log.info("writes resumed: the tail was re-read from disk and verified (head \(store.head))")
        }
    }
}
