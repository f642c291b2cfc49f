import Foundation
import Glibc
import Testing
@testable import Events
// Every file of the Events tests sees the shared helpers (TestSupport: temporary directories, the
// seeded generator, waiting for a condition).
@_exported import TestSupport

// Shared helpers for the Events tests: a valid sequence of events built through the real rules
// (`Books.decide`), encoding of those events into log records, and raw file access for tampering.
// Temporary directories and the seeded generator are in the TestSupport target.

// MARK: - Building values in tests

/// Short constructors that trap on invalid test input (test data is fixed and known good).
enum Make {
    static func agency(_ text: String) -> AgencyID { try! AgencyID(text) }
    static func plan(_ text: String) -> PlanID { try! PlanID(text) }
    static func decision(_ text: String) -> DecisionRef { try! DecisionRef(text) }
    static func ref(_ text: String) -> PaymentRef { try! PaymentRef(text) }
    static func task(_ text: String) -> TaskID { try! TaskID(text) }
    static func date(_ text: String) -> BusinessDate { try! BusinessDate.parse(text) }
    static func years(_ first: Int, _ last: Int) -> YearSpan { try! YearSpan(first: first, last: last) }
    static func money(_ text: String) -> Money { try! Money.parse(text) }
    static func triệu(_ amount: Int64) -> Money { Money(dong: amount * 1_000_000) }
}

/// The sample of seed 003: BDT's plan 860/KH-BDT funded by QĐ 569/QĐ-UBND of 26/6/2023.
enum Sample {
    static let bdt = Make.agency("BDT")
    static let vp = Make.agency("VP-UBND")
    static let plan = Make.plan("860/KH-BDT")
    static let vpPlan = Make.plan("VP-2022")
    static let decision = Make.decision("569/QĐ-UBND")
    /// QĐ 569 by its full key: issued by Quảng Ngãi, signed in 2023.
    static let decisionKey = Make.decision("569/QĐ-UBND@QNG/2023")
    static let task1 = Make.task("860/KH-BDT#1")
    static let task2 = Make.task("860/KH-BDT#2")
    static let task3 = Make.task("860/KH-BDT#3")
    static let vpTask1 = Make.task("VP-2022#1")
    /// The report date of seed 003: the day the commands are decided on.
    static let today = Make.date("2023-11-30")
    static let context = CommandContext(today: today)
    /// The record time used for every test record (fixed, so encodings are repeatable).
    static let time = Timestamp(microseconds: 1_701_320_400_000_000)   // 2023-11-30T05:00:00Z
    static let actor = Actor(uid: 1000, name: "ketoan")

    static func registerBDT() -> Command {
        .registerAgency(RegisterAgency(id: bdt, name: "Ban Dân tộc tỉnh Quảng Ngãi"))
    }

    static func registerVP() -> Command {
        .registerAgency(RegisterAgency(id: vp, name: "Văn phòng UBND tỉnh"))
    }

    static func createPlan() -> Command {
        .createPlan(CreatePlan(PlanCreated(id: plan, agency: bdt, title: "Kế hoạch ứng dụng CNTT năm 2023",
                                           issued: Make.date("2023-03-15"), period: Make.years(2023, 2023))))
    }

    static func createVPPlan() -> Command {
        .createPlan(CreatePlan(PlanCreated(id: vpPlan, agency: vp, title: "Kế hoạch CNTT 2022–2023",
                                           issued: Make.date("2022-08-01"), period: Make.years(2022, 2023))))
    }

    static func addTask(_ number: Int, _ name: String, period: YearSpan = Make.years(2023, 2023), total: Money? = nil) -> Command {
        .addTask(AddTask(TaskAdded(id: TaskID(plan: plan, number: number), name: name, period: period, total: total,
                                   source: .provincial)))
    }

    static func addVPTask() -> Command {
        .addTask(AddTask(TaskAdded(id: vpTask1, name: "Cổng thông tin điện tử", period: Make.years(2022, 2023), source: .provincial)))
    }

    static func allocate() -> Command {
        .allocate(Allocate(FundsAllocated(decision: decision, signed: Make.date("2023-06-26"), fiscalYear: 2023, agency: bdt,
                                          lines: [AllocationLine(task: task1, amount: Make.triệu(100)),
                                                  AllocationLine(task: task2, amount: Make.triệu(300)),
                                                  AllocationLine(task: task3, amount: Make.triệu(200))])))
    }

    static func disburse(_ task: TaskID, _ amount: Money, on date: String = "2023-11-20", ref: String, decision: DecisionRef? = nil) -> Command {
        .disburse(Disburse(task: task, decision: decision, amount: amount, date: Make.date(date), ref: Make.ref(ref)))
    }

    /// Agencies, the plan, three tasks and the allocation: everything needed before money moves.
    static func setupCommands() -> [Command] {
        [registerBDT(), registerVP(), createPlan(),
         addTask(1, "Hệ thống an toàn thông tin cấp độ 2", total: Make.triệu(100)),
         addTask(2, "Chỉnh lý, số hóa tài liệu lưu trữ", total: Make.triệu(300)),
         addTask(3, "Mạng LAN và Wi-Fi", total: Make.triệu(200)),
         allocate()]
    }

    /// The setup plus the three disbursements seed 003 reports.
    static func commands() -> [Command] {
        setupCommands() + [
            disburse(task1, Make.money("3,402 triệu"), ref: "UNC-2023-0001"),
            disburse(task2, Make.money("0,162 triệu"), ref: "UNC-2023-0002"),
            disburse(task3, Make.money("4,482 triệu"), ref: "UNC-2023-0003"),
        ]
    }

    /// A valid sequence of exactly `count` events: the setup (10 events; a shorter count takes its
    /// prefix), then small disbursements across the three tasks, each with its own payment reference.
    static func events(count: Int) -> [Event] {
        var books = BooksFold()
        for command in setupCommands() { try! books.run(command) }
        var index = 0
        while books.events.count < count {
            index += 1
            let task = [task1, task2, task3][index % 3]
            try! books.run(disburse(task, Money(dong: 1_000_000 + Int64(index)), ref: "UNC-\(index)"))
        }
        return books.events.prefix(count).map(\.event)
    }
}

// MARK: - Folding commands through the real rules

/// Books built the way the writer builds them, through its batch step: decide, then apply each
/// event with the next seq.
struct BooksFold {
    var books = Books()
    var context: CommandContext
    /// Every event recorded, with its seq.
    var events: [(seq: UInt64, event: Event)] = []
    /// The hash of the last record the step encoded.
    var hash = SHA256Digest.zero
    /// Record time of the records.
    var time = Timestamp(microseconds: 1_700_000_000_000_000)

    init(context: CommandContext = Sample.context) { self.context = context }

    /// Decides `command`; when it records events, applies them. Returns the outcome.
    @discardableResult
    mutating func run(_ command: Command) throws(TrackerError) -> CommandOutcome {
        let (outcome, records) = try books.run(command, after: (UInt64(events.count), hash), time: time, context: context)
        for record in records {
            events.append((record.seq, record.event))
            hash = record.hash
        }
        return outcome
    }

    /// Runs every command, stopping at the first refusal.
    mutating func run(_ commands: [Command]) throws(TrackerError) {
        for command in commands { try run(command) }
    }

    /// The error `decide` gives for `command`, or nil when it is accepted (the books are not changed).
    func refusal(_ command: Command) -> TrackerError? {
        do {
            _ = try books.decide(command, context: context)
            return nil
        } catch {
            return error
        }
    }

    /// Books folded from a list of events, numbered from 1.
    static func fold(_ events: [Event]) -> Books {
        var books = Books()
        for (index, event) in events.enumerated() { books.apply(event, seq: UInt64(index + 1)) }
        return books
    }
}

// MARK: - Records

/// Encodes events into record lines, keeping the chain (seq and prev) between calls.
struct RecordChain {
    var seq: UInt64 = 0
    var prev: SHA256Digest = .zero
    var time = Sample.time
    var actor = Sample.actor
    /// The hash of every record encoded so far, by seq (index 0 is seq 1).
    var hashes: [SHA256Digest] = []

    /// Encodes `events` as the next records and returns their bytes (complete lines).
    mutating func encode(_ events: [Event]) -> [UInt8] {
        var buffer: [UInt8] = []
        for event in events {
            seq += 1
            prev = RecordCodec.encode(seq: seq, time: time, actor: actor, event: event, prev: prev, into: &buffer)
            hashes.append(prev)
        }
        return buffer
    }

    /// Encodes `events` and appends them to `store` as one batch.
    mutating func append(_ events: [Event], to store: LogStore) throws {
        let bytes = encode(events)
        try bytes.withUnsafeBytes { raw in try store.append(raw, lastSeq: seq, lastHash: prev) }
    }

    /// Appends each event as its own batch (one record per write).
    mutating func appendEach(_ events: [Event], to store: LogStore) throws {
        for event in events { try append([event], to: store) }
    }
}

extension LogStore {
    /// Opens the store at `directory` while no child of the test process is being started (see
    /// `ChildStarts`): a store just closed is then unlocked for sure. Every Events test opens a
    /// store this way.
    static func openInTest(directory: String, options: LogOptions) throws(TrackerError) -> (LogStore, RecoveryReport) {
        try ChildStarts.excluded { () throws(TrackerError) in try LogStore.open(directory: directory, options: options) }
    }
}

/// Log options for tests: segments of `segmentBytes` (256 KiB unless given, so tests do not
/// preallocate the production 64 MiB per store).
func testOptions(segmentBytes: Int64 = 256 << 10) -> LogOptions {
    var options = LogOptions()
    options.segmentBytes = segmentBytes
    return options
}

/// Opens a store at `directory`, appends `events` one record per batch, closes it, and returns
/// the chain used (its hashes are the records' hashes).
@discardableResult
func writeClosedStore(_ directory: String, events: [Event], options: LogOptions = testOptions()) throws -> RecordChain {
    let (store, _) = try LogStore.openInTest(directory: directory, options: options)
    defer { store.close() }
    var chain = RecordChain()
    try chain.appendEach(events, to: store)
    return chain
}

// MARK: - Raw file access (for tampering)

enum RawFile {
    /// The whole file.
    static func read(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    /// Replaces the whole file.
    static func write(_ path: String, _ bytes: [UInt8]) {
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
    }

    /// Writes `bytes` at `offset` with `pwrite`, leaving the rest of the file as it is.
    static func pwrite(_ path: String, _ bytes: [UInt8], at offset: Int64) {
        let fd = Glibc.open(path, O_WRONLY)
        precondition(fd >= 0, "cannot open \(path)")
        defer { Glibc.close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        precondition(written == bytes.count, "short write to \(path)")
    }

    /// Appends `bytes` at the end of the file.
    static func append(_ path: String, _ bytes: [UInt8]) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        pwrite(path, bytes, at: Int64(size))
    }

    /// The size in bytes.
    static func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }

    /// The file's lines without their newlines (a trailing newline does not make an empty last line).
    static func lines(_ path: String) -> [[UInt8]] {
        var bytes = read(path)
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.isEmpty { return [] }
        return bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    /// Writes `lines`, each followed by a newline.
    static func writeLines(_ path: String, _ lines: [[UInt8]]) {
        write(path, lines.flatMap { $0 + [0x0A] })
    }
}

/// The path of the segment file starting at `firstSeq` in the store at `directory`.
func segmentPath(_ directory: String, firstSeq: UInt64 = 1) -> String {
    directory + "/log/" + SegmentFile.name(firstSeq: firstSeq)
}
