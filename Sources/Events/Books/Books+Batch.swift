/// The writer's pure step: a batch of submissions decided against the books and encoded as
/// records, with no file and no thread. The writer writes the bytes, syncs, and answers; when the
/// write fails it hands the batch back (`takeBack`).
extension Books {
    /// One submission: commands recorded all or nothing, for one caller.
    public struct Submission: Sendable {
        public var commands: [Command]
        public var actor: Actor
        /// The agencies the actor may act for (nil: all): a command on what another agency holds
        /// is refused (`forbidden`, naming that agency).
        public var scope: AgencyScope?

        public init(commands: [Command], actor: Actor, scope: AgencyScope? = nil) {
            self.commands = commands
            self.actor = actor
            self.scope = scope
        }
    }

    /// A batch decided, applied to the books and encoded.
    public struct Batch: Sendable {
        /// One outcome per submission, in order.
        public var outcomes: [SubmissionOutcome]
        /// The records appended to the buffer, in order (empty when nothing is to be written).
        public var records: [Record]
        /// How to take back each record's `apply`, in order.
        public var undos: [Undo]
        /// The seq and hash of the last record, or of the head given when nothing was recorded.
        public var lastSeq: UInt64
        public var lastHash: SHA256Digest
    }

    /// Decides each submission against the books in order (each seeing the ones before it),
    /// applies what it records, and encodes those records after `head` into `buffer`, all with
    /// record time `time`. A submission refused by any of its commands is taken back whole:
    /// its events unapplied, its bytes and records dropped. The books then stand as if the batch
    /// were written; if the write fails, `takeBack(_:restoringSeq:)` returns them to before it.
    public mutating func step(_ submissions: [Submission], after head: (seq: UInt64, hash: SHA256Digest), time: Timestamp,
                              context: CommandContext, into buffer: inout [UInt8]) -> Batch {
        var timeBytes: [UInt8] = []
        time.write(to: &timeBytes)
        var seq = head.seq
        var prev = head.hash
        var undos: [Undo] = []
        var records: [Record] = []
        var outcomes: [SubmissionOutcome] = []
        outcomes.reserveCapacity(submissions.count)

        for submission in submissions {
            var context = context
            context.actor = submission.actor
            let marks = (undos: undos.count, buffer: buffer.count, seq: seq, prev: prev, records: records.count)
            var results: [CommandResult] = []
            var failure: (TrackerError, Int)? = nil
            for (index, command) in submission.commands.enumerated() {
                do throws(TrackerError) {
                    let command = try resolvingKeys(command, context: context)
                    if let scope = submission.scope, let (what, agency) = outsideScope(command, scope: scope, today: context.today) {
                        let actor = submission.actor
                        throw TrackerError(.forbidden, "\(command.operation) on \(what) is refused: it is held by agency \(agency), and "
                            + "\(actor.name) (uid \(actor.uid)) may act only for \(scope) in this daemon's configuration; nothing was recorded")
                    }
                    let (outcome, line) = try decideResolvingLine(command, context: context)
                    let warnings = self.warnings(command, context: context)
                    switch outcome {
                    case .unchanged(let at, let what, let note):
                        results.append(CommandResult(recorded: false, seqs: at...at, types: [], message: what,
                                                     line: line.map { lines[Int($0)] }, noteNotRecorded: note))
                    case .record(let events):
                        let first = seq + 1
                        for event in events {
                            seq += 1
                            let hash = RecordCodec.encode(seq: seq, timeBytes: timeBytes, actor: submission.actor, event: event, prev: prev, into: &buffer)
                            records.append(Record(seq: seq, time: time, actor: submission.actor, event: event, prev: prev, hash: hash))
                            prev = hash
                            undos.append(applyUndoable(event, seq: seq))
                        }
                        var result = CommandResult(recorded: true, seqs: first...seq, types: events.map(\.type),
                                                   message: events[0].summary, line: line.map { lines[Int($0)] })
                        result.warnings = warnings
                        results.append(result)
                    }
                } catch {
                    failure = (error, index)
                    break
                }
            }
            if let (error, index) = failure {
                // All or nothing: take back this submission's events.
                for entry in undos[marks.undos...].reversed() { undo(entry, restoringSeq: marks.seq) }
                undos.removeSubrange(marks.undos...)
                buffer.removeSubrange(marks.buffer...)
                records.removeSubrange(marks.records...)
                seq = marks.seq
                prev = marks.prev
                outcomes.append(.failure(error, index: submission.commands.count > 1 ? index : nil))
            } else {
                outcomes.append(.success(results))
            }
        }
        return Batch(outcomes: outcomes, records: records, undos: undos, lastSeq: seq, lastHash: prev)
    }

    /// Takes back every record of `batch` (its write failed): the books return to where they
    /// were before `step`, their last seq to `seq`.
    public mutating func takeBack(_ batch: Batch, restoringSeq seq: UInt64) {
        for entry in batch.undos.reversed() { undo(entry, restoringSeq: seq) }
    }
}
