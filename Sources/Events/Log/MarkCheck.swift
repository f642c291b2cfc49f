import Foundation
import Glibc

/// The check of a log against its durable marks when the store is opened (`LogStore.open`).
///
/// A mark (a snapshot of this store, the head mark) proves the log once held a record. A log that
/// now ends before it lost acknowledged records; a log that holds another record at its seq was
/// rewritten or forked. Either is refused with the numbers and the ways on, never repaired by
/// starting on the shorter or other history: only the operator can say the loss is accepted
/// (`LogOptions.acceptLogEnd`), and that is recorded.
struct MarkCheck {
    let layout: StoreLayout
    let marks: [DurableMark]
    let accept: UInt64?

    private func short(_ hash: SHA256Digest) -> String { String(hash.hex.prefix(16)) + "…" }

    /// The marks beyond `head`; throws (before anything is cut) unless the operator accepted the
    /// log ending at `head`. `cutBytes`: what after `head` does not form whole records.
    func reach(head: LogPosition, cutBytes: Int64) throws(TrackerError) -> [DurableMark] {
        if let accept, accept != head.seq {
            throw TrackerError(.invalidArgument,
                "--accept-log-end \(accept) was given, but the log ends at seq \(head.seq); nothing was accepted (give the seq the log ends at)")
        }
        let beyond = marks.filter { $0.position.seq > head.seq }
        guard let highest = beyond.max(by: { $0.position.seq < $1.position.seq }) else { return [] }
        if accept == head.seq { return beyond }
        let missing = highest.position.seq == head.seq + 1 ? "record \(highest.position.seq) was"
            : "records \(head.seq + 1)–\(highest.position.seq) were"
        let torn = cutBytes > 0 ? " (the \(cutBytes) bytes after seq \(head.seq) do not form whole records and were left as they are)" : ""
        throw TrackerError(.corrupt, """
            the log ends at seq \(head.seq), but \(highest.source) shows it reached seq \(highest.position.seq) \
            (hash \(short(highest.position.hash))): \(missing) acknowledged and \(highest.position.seq == head.seq + 1 ? "is" : "are") \
            missing from the log\(torn). Nothing was changed. Restore the log's segments from a backup that reaches seq \
            \(highest.position.seq); or, to accept the loss and go on from seq \(head.seq), start once with \
            `trackerd --accept-log-end \(head.seq)` (the acceptance is logged and noted in quarantine/)
            """)
    }

    /// The marks at or before `head` whose record the log does not hold; throws unless the
    /// operator accepted the log as it is.
    func history(head: LogPosition) throws(TrackerError) -> [DurableMark] {
        let reader = LogReader(directory: layout.directory)
        var differing: [(mark: DurableMark, why: String)] = []
        for mark in marks where mark.position.seq <= head.seq {
            let position = mark.position
            switch reader.check(position, head: head) {
            case .found:
                continue
            case .beyondHead:
                differing.append((mark, "it places record \(position.seq) at byte \(position.offset) of segment \(position.segment), past the end of the log"))
            case .otherRecord(let seq, let hash):
                differing.append((mark, seq == position.seq
                    ? "the log holds another record \(seq) there (hash \(short(hash)))"
                    : "the log holds record \(seq) there (hash \(short(hash)))"))
            case .noRecord(let why):
                differing.append((mark, why))
            }
        }
        guard let first = differing.first else { return [] }
        if accept == head.seq { return differing.map(\.mark) }
        throw TrackerError(.corrupt, """
            \(first.mark.source) names record \(first.mark.position.seq) (hash \(short(first.mark.position.hash))), but \(first.why): \
            the log was rewritten or forked after that record (a record before it changed with fresh hashes, or a second \
            writer). Nothing was changed. See where with `trackctl verify --offline --data-dir \(layout.directory)` and restore \
            the store from a backup; or, to accept the log as it is (seq \(head.seq)), start once with \
            `trackerd --accept-log-end \(head.seq)` (the acceptance is logged and noted in quarantine/)
            """)
    }

    /// Carries out the operator's acceptance: a note in `quarantine/`, the overridden mark files
    /// moved aside (`….ignored`), and a new head mark at `head`, so the next start is not refused
    /// again. Refuses an acceptance of another seq than the log's end.
    func accept(_ overridden: [DurableMark], head: LogPosition, key: SipHashKey, report: inout RecoveryReport) throws(TrackerError) {
        guard let accept else { return }
        guard !overridden.isEmpty else {
            report.remarks.append("--accept-log-end \(accept): the log ends at seq \(accept) and no mark says otherwise; there was nothing to accept")
            return
        }
        let now = Timestamp.systemNow()
        var note = "tracker: the operator accepted that the log ends at seq \(head.seq) (hash \(head.hash.hex))\n"
        note += "accepted: \(now), trackerd --accept-log-end \(head.seq), uid \(getuid()), pid \(getpid())\n"
        note += "store: \(layout.directory)\n"
        note += "overridden (each file kept beside itself as .ignored):\n"
        for mark in overridden { note += "  \(mark.source): seq \(mark.position.seq), hash \(mark.position.hash.hex)\n" }
        let notePath = layout.quarantine + "/\(now.description.replacingOccurrences(of: ":", with: ""))-accepted-log-end-\(head.seq).txt"
        try LogStore.ioCall("record the acceptance in \(notePath)") { () throws(Errno) in
            try FileSystem.createDirectory(layout.quarantine)
            try FileSystem.replaceFile(notePath, with: Array(note.utf8))
            for mark in overridden { try FileSystem.rename(mark.path, to: mark.path + ".ignored") }
            try HeadMark(position: head, written: now.description).write(to: layout, key: key)
        }
        let highest = overridden.map(\.position.seq).max() ?? head.seq
        let lost = highest > head.seq ? "records \(head.seq + 1)–\(highest) are given up; " : ""
        report.acceptedLoss = (overridden, notePath)
        report.remarks.append("ACCEPTED at the operator's request (--accept-log-end \(head.seq)): the log goes on from seq \(head.seq); \(lost)"
            + "overridden: " + overridden.map { "\($0.source) (seq \($0.position.seq))" }.joined(separator: ", ") + "; noted in \(notePath)")
    }
}
