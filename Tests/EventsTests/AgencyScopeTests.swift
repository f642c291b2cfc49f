import Foundation
import Testing
@testable import Events

/// Whose a thing is (`Books.holder(of:on:)`), and what a caller of some agencies may act on.
@Suite struct AgencyScopeTests {
    @Test("what a command acts on is held by the agency recorded for it; a command on another agency's task is outside a scope, named with that agency")
    func outside() throws {
        var fold = BooksTests.disbursed()
        try fold.run([Sample.createVPPlan(), Sample.addVPTask()])
        let books = fold.books
        let today = Sample.today
        let disburse = Sample.disburse(Sample.task1, Make.triệu(1), ref: "S-1")
        #expect(books.holders(of: disburse, today: today).map(\.agency) == [Sample.bdt])
        let scope = AgencyScope([Make.agency("vp-ubnd")])
        let found = try #require(books.outsideScope(disburse, scope: scope, today: today))
        #expect(found.agency == Sample.bdt)
        #expect(found.what == "task 860/KH-BDT#1")
        #expect(books.outsideScope(disburse, scope: AgencyScope([Make.agency("bdt")]), today: today) == nil)
        let status = Command.changeStatus(ChangeStatus(task: Sample.vpTask1, to: .deferred, date: today, reason: "r", correction: false))
        #expect(books.outsideScope(status, scope: scope, today: today) == nil)
        // A task it does not know is left to decide, which refuses it as not_found.
        #expect(books.outsideScope(Sample.disburse(Make.task("NONE#1"), Make.triệu(1), ref: "S-2"), scope: scope, today: today) == nil)
    }

    @Test("a step refuses a scoped submission on another agency's books whole, naming the agency, and records nothing")
    func stepRefuses() throws {
        var fold = BooksTests.funded()
        var buffer: [UInt8] = []
        let submission = Books.Submission(commands: [Sample.disburse(Sample.task1, Make.triệu(1), ref: "S-3")], actor: Sample.actor,
                                          scope: AgencyScope([Sample.vp]))
        let batch = fold.books.step([submission], after: (UInt64(fold.events.count), fold.hash), time: Sample.time, context: Sample.context, into: &buffer)
        #expect(batch.records.isEmpty)
        #expect(buffer.isEmpty)
        guard case .failure(let error, _) = batch.outcomes[0] else { Issue.record("not refused"); return }
        #expect(error.code == .forbidden)
        #expect(error.message.contains("held by agency BDT"))
        #expect(error.message.contains("may act only for VP-UBND"))
    }
}

/// The nearest known word to a mistyped one, and dates in another habit's form.
@Suite struct SuggestionTests {
    @Test("a mistyped word finds its command or option, a far one finds nothing")
    func nearest() {
        #expect(Suggestion.closest(to: "stauts", among: ["status", "tasks", "verify"]) == "status")
        #expect(Suggestion.closest(to: "dis", among: ["disburse", "status"]) == "disburse")
        #expect(Suggestion.closest(to: "dat", among: ["date", "decision", "ref"]) == "date")
        #expect(Suggestion.closest(to: "amount", among: ["date", "ref", "line"]) == nil)
    }

    @Test("2025/10/01 and 01-10-2025 are answered with the forms read and the date meant")
    func otherDateForms() {
        for (typed, meant) in [("2025/10/01", "2025-10-01"), ("01-10-2025", "01/10/2025")] {
            do throws(TrackerError) {
                _ = try BusinessDate.parse(typed)
                Issue.record("\(typed) was read")
            } catch {
                #expect(error.message.contains("is not a date in a form tracker reads"))
                #expect(error.message.contains(meant), "\(error.message)")
            }
        }
        #expect((try? BusinessDate.parse("30/11/2023")) == Make.date("2023-11-30"))
    }

    @Test("an import file saved with a byte order mark reads its first line as a command")
    func byteOrderMark() throws {
        let entries = try ImportFile.parse("\u{FEFF}agency add X --name \"Cơ quan X\"\n")
        #expect(entries.count == 1)
        #expect(entries.first?.line == 1)
    }
}
