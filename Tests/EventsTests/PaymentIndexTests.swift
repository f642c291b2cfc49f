import Testing
@testable import Events

/// The table of payment references behaves as a dictionary keyed by their exact text.
@Suite struct PaymentIndexTests {
    static func entry(_ n: Int) -> Books.PaymentEntry {
        Books.PaymentEntry(line: Int32(n % 1000), date: Make.date("2023-06-01"), amount: Money(dong: Int64(n)), seq: UInt64(n), reversedSeq: 0)
    }

    @Test("Adding, changing, removing and looking up references agree with a dictionary, through growth and removals")
    func agreesWithADictionary() {
        var index = PaymentIndex()
        var model: [String: Books.PaymentEntry] = [:]
        var generator = SystemRandomNumberGenerator()
        // Short, long, Vietnamese and case-different keys; few enough that keys repeat, so every
        // path (new, changed, removed, absent) is taken many times.
        let keys = (0..<3000).map { n in
            switch n % 4 {
            case 0: "UNC-\(n)"
            case 1: "unc-\(n)"
            case 2: "Ủy nhiệm chi số \(n)/2023 của Kho bạc Nhà nước Quảng Ngãi"
            default: "B\(n)"
            }
        }
        for step in 0..<40_000 {
            let key = keys[Int(generator.next() % UInt64(keys.count))]
            switch generator.next() % 5 {
            case 0:
                index[key] = nil
                model[key] = nil
            case 1:
                #expect(index[key]?.seq == model[key]?.seq)
            default:
                index[key] = Self.entry(step)
                model[key] = Self.entry(step)
            }
            #expect(index.count == model.count)
        }
        for key in keys { #expect(index[key]?.seq == model[key]?.seq, "\(key)") }
        var seen = 0
        for (key, entry) in index {
            #expect(model[key]?.seq == entry.seq)
            seen += 1
        }
        #expect(seen == model.count)
        #expect(index.values.count == model.count)
    }

    @Test("A reserved index takes its payments without rebuilding, and an entry changes in place")
    func reservedAndChangedInPlace() {
        var index = PaymentIndex()
        index.reserveCapacity(10_000)
        for n in 0..<10_000 { index["F\(n)"] = Self.entry(n) }
        #expect(index.count == 10_000)
        index["F42"]!.reversedSeq = 99
        index["F43"]?.reversedSeq = 100
        #expect(index["F42"]?.reversedSeq == 99)
        #expect(index["F43"]?.reversedSeq == 100)
        #expect(index["F10000"] == nil)
        #expect(index["f42"] == nil)
    }
}
