import Events
import Foundation
import Projections

/// Folds commands into the write model and the read model the way the daemon does, without I/O:
/// the writer's batch step decides against the books and applies; the events go to the ledger,
/// with consecutive sequence numbers.
struct Fold {
    var books = Books()
    var ledger = Ledger()
    var seq: UInt64 = 0
    /// The hash of the last record the step encoded.
    var hash = SHA256Digest.zero
    var today: BusinessDate
    /// Record time of the next record; each record is one second after the last.
    var time = Timestamp(microseconds: 1_700_000_000_000_000)

    init(today: BusinessDate) { self.today = today }

    /// Decides and applies one command; returns its outcome.
    @discardableResult
    mutating func run(_ command: Command) throws(TrackerError) -> CommandOutcome {
        let (outcome, records) = try books.run(command, after: (seq, hash), time: time, context: CommandContext(today: today))
        for record in records {
            seq = record.seq
            hash = record.hash
            ledger.apply(record.event, seq: seq, time: nextTime())
        }
        return outcome
    }

    /// Appends an event as the next record.
    mutating func append(_ event: Event) {
        seq += 1
        books.apply(event, seq: seq)
        ledger.apply(event, seq: seq, time: nextTime())
    }

    private mutating func nextTime() -> Timestamp {
        time = Timestamp(microseconds: time.microseconds + 1_000_000)
        return time
    }

    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The commands of data/quang-ngai.tracker.
    static func sampleCommands() throws -> [ImportFile.Entry] {
        let text = try String(contentsOf: root.appendingPathComponent("data/quang-ngai.tracker"), encoding: .utf8)
        return try ImportFile.parse(text)
    }

    /// The commands of data/reorganisation-2025.tracker (loaded after the sample).
    static func reorganisationCommands() throws -> [ImportFile.Entry] {
        let text = try String(contentsOf: root.appendingPathComponent("data/reorganisation-2025.tracker"), encoding: .utf8)
        return try ImportFile.parse(text)
    }

    /// The sample data set and the 2025 reorganisation folded, as of 01/12/2026.
    static func reorganisation() throws -> Fold {
        var fold = Fold(today: BusinessDate.on("2026-12-01"))
        for entry in try sampleCommands() + reorganisationCommands() {
            do throws(TrackerError) { try fold.run(entry.command) } catch {
                Issue.record("line \(entry.line): \(error.message)")
            }
        }
        return fold
    }

    /// The sample data set folded, as of the real today (every date in it is in the past).
    static func sample() throws -> Fold {
        var fold = Fold(today: BusinessDate(vietnamAt: Timestamp.systemNow())!)
        for entry in try sampleCommands() {
            do throws(TrackerError) { try fold.run(entry.command) } catch {
                Issue.record("line \(entry.line): \(error.message)")
            }
        }
        return fold
    }
}

import Testing

extension Money {
    /// Whole triệu (million đồng), for readable expectations.
    static func trieu(_ value: Int64) -> Money { Money(dong: value * 1_000_000) }
}

extension BusinessDate {
    /// A date literal for tests: "2023-11-30".
    static func on(_ text: String) -> BusinessDate { try! BusinessDate.parse(text) }
}
