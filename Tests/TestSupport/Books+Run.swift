import Events

extension Books {
    /// Runs one command the way the writer does, through its pure batch step (`Books.step`): a
    /// batch of one submission after record `head`, by `actor`, at `time`. Returns what `decide`
    /// made of it and the records it appended (applied to the books); throws the refusal, and
    /// then the books are unchanged.
    public mutating func run(_ command: Command, after head: (seq: UInt64, hash: SHA256Digest), time: Timestamp,
                             context: CommandContext, actor: Actor = Actor(uid: 0, name: "test"))
        throws(TrackerError) -> (outcome: CommandOutcome, records: [Record]) {
        var bytes: [UInt8] = []
        let batch = step([Submission(commands: [command], actor: actor)], after: head, time: time, context: context, into: &bytes)
        switch batch.outcomes[0] {
        case .failure(let error, _):
            throw error
        case .success(let results):
            let result = results[0]
            let outcome: CommandOutcome = result.recorded
                ? .record(batch.records.map(\.event))
                : .unchanged(seq: result.seqs.lowerBound, what: result.message, noteNotRecorded: result.noteNotRecorded)
            return (outcome, batch.records)
        }
    }
}
