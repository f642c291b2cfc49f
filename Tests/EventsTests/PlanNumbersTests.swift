import Foundation
import Testing
@testable import Events

/// Plans known by issuer, number and year: the long form `NUMBER@PROVINCE/YEAR`, the id a new plan
/// is recorded under, and what a number alone or a long form resolves to.
@Suite struct PlanNumbersTests {
    static func key(_ id: PlanID) -> PlanNumbers.Key {
        if let key = PlanNumbers.Key(longForm: id) { return key }
        // The plans recorded under their number alone in these tests: 5/KH-BDT of QNG, 2024.
        return PlanNumbers.Key(number: id, issuer: "QNG", year: 2024)
    }

    @Test("the long form reads as number, issuer and year; a number alone is not one")
    func longForm() throws {
        let key = try #require(PlanNumbers.Key(longForm: try PlanID("5/KH-BDT@qng/2025")))
        #expect(key.number.text == "5/KH-BDT" && key.issuer == "QNG" && key.year == 2025)
        #expect(key.id.text == "5/KH-BDT@QNG/2025" && key.description == "5/KH-BDT (QNG, 2025)")
        #expect(PlanNumbers.Key(longForm: try PlanID("BDT-2023")) == nil)
        #expect(PlanNumbers.number(of: try PlanID("5/KH-BDT@QNG/2025")) == (try PlanID("5/kh-bdt")))
        let task = try TaskID("5/KH-BDT@QNG/2025#3")
        #expect(task.plan.text == "5/KH-BDT@QNG/2025" && task.number == 3)
    }

    @Test("a plan id with '@' that is not a long form is refused, showing the form", arguments: ["5/KH-BDT@QNG", "5/KH-BDT@QNG/25", "@QNG/2025", "5/KH-BDT@Q_N/2025", "5/KH-BDT@@QNG/2025"])
    func refused(text: String) {
        let error = ValuesTests.error { () throws(TrackerError) in _ = try PlanID(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("NUMBER@ISSUER/YEAR") == true, "\(error?.message ?? "")")
    }

    @Test("a new plan keeps its number while no plan has it, takes its long form when one does, and finds itself on a retry")
    func recordedID() throws {
        var numbers = PlanNumbers()
        let number = try PlanID("5/KH-BDT")
        let of2024 = PlanNumbers.Key(number: number, issuer: "QNG", year: 2024)
        let of2025 = PlanNumbers.Key(number: number, issuer: "QNG", year: 2025)
        #expect(numbers.recordedID(of: number, of2024, key: Self.key).text == "5/KH-BDT")
        numbers.add(number)
        #expect(numbers.recordedID(of: number, of2024, key: Self.key).text == "5/KH-BDT", "a retry")
        #expect(numbers.recordedID(of: number, of2025, key: Self.key).text == "5/KH-BDT@QNG/2025")
        numbers.add(of2025.id)
        #expect(numbers.recordedID(of: number, of2025, key: Self.key).text == "5/KH-BDT@QNG/2025", "a retry of the second")
        numbers.remove(of2025.id)
        #expect(numbers.candidates(number).map(\.text) == ["5/KH-BDT"], "an undone creation is forgotten")
    }

    @Test("a number alone names the one plan of that number and is refused when several have it; a long form names its plan")
    func resolve() throws {
        var numbers = PlanNumbers()
        let first = try PlanID("5/KH-BDT")
        numbers.add(first)
        #expect(try numbers.resolve(try PlanID("5/kh-bdt"), key: Self.key) == first)
        #expect(try numbers.resolve(try PlanID("6/KH-BDT"), key: Self.key).text == "6/KH-BDT", "none: as typed, for the caller to refuse")
        let second = try PlanID("5/KH-BDT@QNG/2025")
        numbers.add(second)
        let error = ValuesTests.error { () throws(TrackerError) in _ = try numbers.resolve(first, key: Self.key) }
        #expect(error?.message == "plan 5/KH-BDT is ambiguous: 2 plans have that number; name one in its long form NUMBER@ISSUER/YEAR: "
                + "5/KH-BDT@QNG/2024 (tasks 5/KH-BDT@QNG/2024#N) or 5/KH-BDT@QNG/2025 (tasks 5/KH-BDT@QNG/2025#N)")
        #expect(try numbers.resolve(first, key: Self.key, exact: true) == first, "a retry: the plan recorded under the number as typed")
        let unknown = ValuesTests.error { () throws(TrackerError) in _ = try numbers.resolve(try PlanID("5/KH-BDT@QNG/2023"), key: Self.key) }
        #expect(unknown?.code == .notFound)
        #expect(unknown?.message == "plan 5/KH-BDT@QNG/2023 (5/KH-BDT (QNG, 2023)) is not recorded; the plans numbered 5/KH-BDT are "
                + "5/KH-BDT@QNG/2024 (tasks 5/KH-BDT@QNG/2024#N) and 5/KH-BDT@QNG/2025 (tasks 5/KH-BDT@QNG/2025#N)")
        #expect(try numbers.resolve(try PlanID("5/KH-BDT@QNG/2024"), key: Self.key) == first, "the long form of the plan recorded under its number")
        #expect(try numbers.resolve(try PlanID("5/KH-BDT@QNG/2025"), key: Self.key) == second)
        #expect(try numbers.resolve(first, key: Self.key, where: { $0 == first }) == first, "a query that knows only the first")
        #expect(try numbers.resolve(try TaskID("5/KH-BDT@QNG/2024#2"), key: Self.key).description == "5/KH-BDT#2")
    }
}
