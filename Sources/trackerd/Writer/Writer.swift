import Events
import Foundation
import Projections
import Glibc

/// What one command came to.
struct CommandResult: Sendable {
    /// Whether new records were appended (false: already recorded, a retry).
    var recorded: Bool
    /// The records appended, or where the fact was recorded before.
    var seqs: ClosedRange<UInt64>
    /// The event types appended.
    var types: [String]
    /// A plain sentence for people.
    var message: String
    /// The allocation line after a disbursement or reversal.
    var line: Books.LineEntry?
    /// A retried disbursement whose note differs from the recorded one (at `seqs.lowerBound`).
    var noteNotRecorded: NoteNotRecorded? = nil
}

/// The writer's answer to one submission.
enum WriteResult: Sendable {
    case success([CommandResult])
    /// Refused or failed: nothing of the submission was recorded. `index` is the failing command
    /// of a batch (import), nil when the failure is not one command's (a disk error).
    case failure(TrackerError, index: Int?)
}

/// The single serial writer with group commit.
///
/// The event loop submits with a completion (other callers may submit and wait). The writer
/// thread takes everything queued, decides each
/// submission against the books (a submission of several commands is all or nothing), encodes the
/// records of the whole batch into one buffer, writes it with one `fdatasync`, then makes the
/// records visible to queries and wakes every waiter. While one sync runs, new submissions queue
/// up and form the next batch: the batch size adapts to the load by itself.
final class Writer: @unchecked Sendable {
    private struct Submission {
        var commands: [Command]
        var actor: Actor
        /// The agencies the actor may act for (nil: all).
        var scope: AgencyScope?
        /// Called on the writer thread once the outcome is known (after the sync, for writes).
        var completion: @Sendable (WriteResult) -> Void
    }

    private let store: LogStore
    private var books: Books
    private let live: LiveLedger
    private let clock: Clock
    private let log: DaemonLog
    private let rules: BudgetRules
    private let queue = ConditionLock()
    private var pending: [Submission] = []
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
        self.rules = rules
        self.lastRecordTime = lastRecordTime
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
    func submit(_ commands: [Command], actor: Actor, scope: AgencyScope? = nil, completion: @escaping @Sendable (WriteResult) -> Void) {
        let accepted = queue.withLock { () -> Bool in
            guard !stopping else { return false }
            pending.append(Submission(commands: commands, actor: actor, scope: scope, completion: completion))
            queue.signal()
            return true
        }
        if !accepted { completion(.failure(TrackerError(.unavailable, "trackerd is shutting down; nothing was recorded"), index: nil)) }
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
                pending.append(Submission(commands: [command], actor: actor, scope: nil, completion: { promise.fulfil($0) }))
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
            while pending.isEmpty && !stopping {
                if !queue.wait(seconds: Self.idleSeconds) && pending.isEmpty && !stopping {
                    // Idle: a good moment for a snapshot, if enough was recorded since the last.
                    queue.unlock()
                    snapshotIfIdle()
                    queue.lock()
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
            queue.unlock()
            buffer.removeAll(keepingCapacity: true)
            process(batch, buffer: &buffer)
        }
    }

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
        var timeBytes: [UInt8] = []
        time.write(to: &timeBytes)
        let context = CommandContext(today: today, rules: rules)
        var seq = store.head.seq
        var prev = store.head.hash
        var undos: [Books.Undo] = []
        var records: [Record] = []
        var results: [WriteResult?] = Array(repeating: nil, count: batch.count)

        for (position, submission) in batch.enumerated() {
            let marks = (undos: undos.count, buffer: buffer.count, seq: seq, prev: prev, records: records.count)
            var commandResults: [CommandResult] = []
            var failure: (TrackerError, Int)? = nil
            for (index, command) in submission.commands.enumerated() {
                do throws(TrackerError) {
                    if let scope = submission.scope, let (holding, agency) = books.outsideScope(command, scope: scope) {
                        let actor = submission.actor
                        log.warning("refused \(command.operation) from \(actor): \(holding) is agency \(agency)'s, outside its agencies (\(scope))")
                        throw TrackerError(.forbidden, "\(command.operation) on \(holding) is refused: it is held by agency \(agency), and "
                            + "\(actor.name) (uid \(actor.uid)) may act only for \(scope) in this daemon's configuration; nothing was recorded")
                    }
                    switch try books.decide(command, context: context) {
                    case .unchanged(let at, let what, let note):
                        commandResults.append(CommandResult(recorded: false, seqs: at...at, types: [], message: what,
                                                            line: lineAfter(command), noteNotRecorded: note))
                    case .record(let events):
                        let first = seq + 1
                        for event in events {
                            seq += 1
                            let hash = RecordCodec.encode(seq: seq, timeBytes: timeBytes, actor: submission.actor, event: event, prev: prev, into: &buffer)
                            records.append(Record(seq: seq, time: time, actor: submission.actor, event: event, prev: prev, hash: hash))
                            prev = hash
                            undos.append(books.applyUndoable(event, seq: seq))
                        }
                        commandResults.append(CommandResult(recorded: true, seqs: first...seq, types: events.map(\.type),
                                                            message: describe(events.first!), line: lineAfter(command)))
                    }
                } catch {
                    failure = (error, index)
                    break
                }
            }
            if let (error, index) = failure {
                // All or nothing: take back this submission's events.
                for undo in undos[marks.undos...].reversed() { books.undo(undo, restoringSeq: marks.seq) }
                undos.removeSubrange(marks.undos...)
                buffer.removeSubrange(marks.buffer...)
                records.removeSubrange(marks.records...)
                seq = marks.seq
                prev = marks.prev
                results[position] = .failure(error, index: submission.commands.count > 1 ? index : nil)
            } else {
                results[position] = .success(commandResults)
            }
        }

        if !records.isEmpty {
            if store.suspended != nil { tryResume() }
            do throws(TrackerError) {
                try buffer.withBytes { (raw) throws(TrackerError) in try store.append(raw, lastSeq: seq, lastHash: prev) }
                lastRecordTime = now
                live.apply(records, position: store.head)
                onCommit?(records)
                if snapshotEvery > 0 && store.head.seq - lastSnapshotSeq >= snapshotEvery, let onSnapshotDue {
                    lastSnapshotSeq = store.head.seq
                    onSnapshotDue(books, store.head)
                }
            } catch {
                suspension.withLockedValue { $0 = store.suspended }
                for undo in undos.reversed() { books.undo(undo, restoringSeq: store.head.seq) }
                log.error("a write of \(records.count) record(s) failed: \(error.message)")
                for index in results.indices {
                    if case .success = results[index] { results[index] = .failure(error, index: nil) }
                }
            }
        }
        for (submission, result) in zip(batch, results) { submission.completion(result!) }
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

    private func lineAfter(_ command: Command) -> Books.LineEntry? {
        switch command {
        case .disburse(let c):
            if let decision = c.decision { return books.line(decision: decision, task: c.task) }
            guard let task = books.tasks[c.task], task.lines.count == 1 else { return nil }
            return books.lines[Int(task.lines[0])]
        case .reverse(let c):
            guard let payment = books.payment(c.ref) else { return nil }
            return books.lines[Int(payment.line)]
        default:
            return nil
        }
    }

    private func describe(_ event: Event) -> String {
        switch event {
        case .agencyRegistered(let e): "registered agency \(e.id)"
        case .planCreated(let e): "recorded plan \(e.id)"
        case .taskAdded(let e): "added task \(e.id)"
        case .fundsAllocated(let e): "recorded decision \(e.decision): \(e.total) for \(e.agency), budget year \(e.fiscalYear)"
        case .disbursementRecorded(let e): "recorded disbursement \(e.ref): \(e.amount) for \(e.task) on \(e.date.vietnamese)"
        case .disbursementReversed(let e): "reversed disbursement \(e.ref): \(e.amount) back to \(e.task) under \(e.decision)"
        case .taskStatusChanged(let e): "task \(e.task) is now \(e.to.rawValue) (from \(e.from.rawValue), \(e.date.vietnamese))"
        case .fundsCarriedOver(let e): "recorded carry-over \(e.decision): \(e.total) from \(e.from) into budget year \(e.fiscalYear)"
        case .fundsLapsed(let e): "recorded that \(e.total) under \(e.decision) lapsed on \(e.date.vietnamese)"
        case .alertRaised(let e): e.sentence
        }
    }
}
