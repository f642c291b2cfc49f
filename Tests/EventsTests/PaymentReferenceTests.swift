import Foundation
import Testing
@testable import Events

/// Payment references are compared exactly after NFC; a retry that differs only in its note says so.
@Suite struct PaymentReferenceTests {
    func pay(_ ref: String, note: String? = nil, amount: Money = Make.triệu(1)) -> Command {
        .disburse(Disburse(task: Sample.task1, amount: amount, date: Make.date("2023-11-20"), ref: Make.ref(ref), note: note))
    }

    @Test("a reference in another case or with another letter is another payment; NFC and surrounding spaces are the same one")
    func exactReferences() throws {
        var fold = BooksFold()
        try fold.run(Sample.setupCommands())
        try fold.run(pay("CONF-1"))
        for other in ["CÕNF-1", "conf-1", "Conf-1", "CONF-1."] {
            guard case .record = try fold.run(pay(other)) else { Issue.record("\(other) was taken for CONF-1"); continue }
        }
        #expect(fold.books.payments.count == 5)
        // The same letters decomposed (NFD) are the same reference once normalised; so are surrounding spaces.
        #expect(Make.ref("CO\u{0303}NF-1") == Make.ref("CÕNF-1"))
        guard case .unchanged = try fold.run(pay("CO\u{0303}NF-1")) else { Issue.record("NFD recorded twice"); return }
        guard case .unchanged = try fold.run(pay("\tCONF-1 ")) else { Issue.record("spaces recorded twice"); return }
        #expect(fold.books.line(decision: Sample.decision, task: Sample.task1)?.disbursed == Make.triệu(5))
        // Reversing needs the exact reference.
        #expect(fold.refusal(.reverse(Reverse(ref: Make.ref("Conf-1."), reason: "x")))?.code == .notFound)
    }

    @Test("a retry with another note, or none, is not recorded and says so; the same note says nothing; another amount is a conflict")
    func retriedNotes() throws {
        var fold = BooksFold()
        try fold.run(Sample.setupCommands())
        try fold.run(pay("N-1", note: "first"))
        try fold.run(pay("N-2"))
        #expect(try fold.run(pay("N-1", note: "first")) == .unchanged(seq: 11, what: "payment N-1 is already recorded"))
        #expect(try fold.run(pay("N-2")) == .unchanged(seq: 12, what: "payment N-2 is already recorded"))
        for (ref, note, seq) in [("N-1", "second" as String?, UInt64(11)), ("N-1", nil, 11), ("N-2", "late note", 12)] {
            let outcome = try fold.run(pay(ref, note: note))
            #expect(outcome == .unchanged(seq: seq, what: "payment \(ref) is already recorded; the note of this request differs from the recorded one and was not recorded",
                                          noteNotRecorded: NoteNotRecorded(given: note)))
        }
        #expect(fold.refusal(pay("N-1", note: "first", amount: Make.triệu(2)))?.code == .conflict)
        // Nothing was counted twice, and replayed books tell the notes apart the same way.
        #expect(fold.books.line(decision: Sample.decision, task: Sample.task1)?.disbursed == Make.triệu(2))
        let replayed = BooksFold.fold(fold.events.map(\.event))
        #expect(replayed.paymentNotes == fold.books.paymentNotes && replayed.paymentNotes.count == 1)
        // And books read back from a snapshot.
        var w = BinaryWriter()
        fold.books.encode(to: &w)
        let restored = try w.bytes.withBytes { (raw) throws(TrackerError) -> Books in
            var reader = BinaryReader(raw)
            return try Books(snapshot: &reader)
        }
        #expect(restored.paymentNotes == fold.books.paymentNotes)
        #expect(restored.payments.keys.sorted() == ["N-1", "N-2"])
        #expect(restored.allocatedSum == fold.books.allocatedSum && restored.disbursedGross == fold.books.disbursedGross)
    }

    @Test("an old log's reversal typed in another case than its payment still reverses it on replay")
    func oldReversalInAnotherCase() throws {
        var fold = BooksFold()
        try fold.run(Sample.setupCommands())
        try fold.run(pay("UNC-7"))
        try fold.run(pay("UNC-8"))
        // As an older build recorded `reverse unc-7` (references were folded then).
        let reversal = Event.disbursementReversed(DisbursementReversed(ref: PaymentRef(trusted: "unc-7"), task: Sample.task1, decision: Sample.decision,
                                                                      amount: Make.triệu(1), date: Make.date("2023-11-21"), reason: "typed in lower case"))
        let books = BooksFold.fold(fold.events.map(\.event) + [reversal])
        #expect(books.payments["UNC-7"]?.reversedSeq == UInt64(fold.events.count + 1))
        #expect(books.payments["UNC-8"]?.reversedSeq == 0)
        #expect(books.line(decision: Sample.decision, task: Sample.task1)?.disbursed == Make.triệu(1))
        // Undone (a failed batch), it is taken back from the payment it found.
        var undone = BooksFold.fold(fold.events.map(\.event))
        let undo = undone.applyUndoable(reversal, seq: UInt64(fold.events.count + 1))
        undone.undo(undo, restoringSeq: UInt64(fold.events.count))
        #expect(undone.payments["UNC-7"]?.reversedSeq == 0)
        #expect(undone.line(decision: Sample.decision, task: Sample.task1)?.disbursed == Make.triệu(2))
    }
}
