import Events
import Projections

/// The heavy queries besides `log`, which read every file of the log: `verify` and `backup`.
struct StoreFileAnswers: Sendable {
    let context: QueryContext

    func verify(_ request: Wire.Request) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["against"], envelope: true, in: "verify request")
        var anchor: ChainAnchor? = nil
        if let against = try request.fields.optionalObject("against") {
            guard let hash = SHA256Digest(hex: try against.string("hash")) else {
                throw TrackerError(.invalidArgument, "'against.hash' must be 64 hex characters")
            }
            let seq = try against.optionalInt("seq")
            if let seq, seq < 0 { throw TrackerError(.invalidArgument, "'against.seq' must not be negative") }
            anchor = ChainAnchor(seq: seq.map { UInt64($0) }, hash: hash)
        }
        let head = context.live.head
        let started = Timestamp.systemNow()
        let report = LogVerifier.verify(directory: context.layout.directory, through: head, against: anchor)
        let seconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
        if let problem = report.problem { context.log.error("verify: \(problem.message)") }
        return Wire.success(id: request.id) { w in
            report.encode(seconds: seconds, to: &w)
            context.clockReading.encode(to: &w)
        }
    }

    func backup(_ request: Wire.Request, caller: Caller) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["directory"], envelope: true, in: "backup request")
        let directory = try request.fields.string("directory")
        guard directory.hasPrefix("/") else { throw TrackerError(.invalidArgument, "the backup directory must be an absolute path") }
        let head = context.live.head
        let started = Timestamp.systemNow()
        let report = try LogBackup.copy(from: context.layout, through: head, to: directory, recordedAt: started)
        let seconds = Double(Timestamp.systemNow().microseconds - started.microseconds) / 1e6
        context.log.info("backup by \(caller.actor) to \(directory): \(report.segments) segment(s), \(report.bytes) bytes, through \(head)")
        let answer = BackupAnswer(directory: directory, segments: report.segments, bytes: report.bytes, head: LogHead(head), seconds: seconds)
        return Wire.success(id: request.id) { w in
            answer.encode(to: &w)
            context.clockReading.encode(to: &w)
        }
    }
}
