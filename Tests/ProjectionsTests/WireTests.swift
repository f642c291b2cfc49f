import Events
import Projections
import Testing

/// Status answers travel as JSON and come back as the same report.
@Suite struct WireTests {
    func answer(_ report: StatusReport, cached: ((Int, StatusRow) -> [UInt8]?)? = nil) -> [UInt8] {
        Wire.success(id: .int(7)) { w in
            report.encode(to: &w, cached: cached)
            w.key("head"); w.beginObject(); w.key("seq"); w.int(99); w.endObject()
            w.key("simulated"); w.bool(true)
        }
    }

    @Test("Every grouping, date and scope reads back as the report that was written")
    func roundTrip() throws {
        let fold = try SnapshotTests.richFold()
        var checked = 0
        for grouping in StatusGrouping.allCases {
            for asOf in ["2023-11-30", "2023-12-31", "2024-03-01"] {
                for year in [nil, 2023, 2024] as [Int?] {
                    let query = StatusQuery(scope: QueryScope(asOf: .on(asOf), throughSeq: fold.seq), year: year, grouping: grouping)
                    let report = try fold.ledger.status(query)
                    let line = answer(report)
                    let (read, others) = try Wire.Response.read(line) { (r) throws(JSONParseError) in
                        var others = JSONObject()
                        return (try StatusReport(reading: &r, others: &others), others)
                    }
                    #expect(read == report, "\(grouping) \(asOf) \(String(describing: year))")
                    #expect(others["simulated"] == .bool(true))
                    #expect(others["head"] == .object(JSONObject([("seq", .int(99))])))
                    checked += report.rows.count + report.carriedRows.count
                }
            }
        }
        #expect(checked > 200)
    }

    @Test("Rows given from a cache write the same bytes as rows written afresh")
    func cachedRowsSameBytes() throws {
        let fold = try SnapshotTests.richFold()
        let (report, keys) = try fold.ledger.statusWithLineKeys(StatusQuery(scope: QueryScope(asOf: .on("2024-03-01"), throughSeq: fold.seq)))
        #expect(keys.count == report.rows.count + report.carriedRows.count)
        #expect(keys.allSatisfy { $0 != nil }, "every record is known: rows carry their line's version")
        #expect(answer(report) { $1.encoded } == answer(report))
        let (_, past) = try fold.ledger.statusWithLineKeys(StatusQuery(scope: QueryScope(asOf: .on("2024-03-01"), throughSeq: fold.seq - 3)))
        #expect(past.allSatisfy { $0 == nil }, "a past state of knowledge is not cached")
    }

    @Test("A refusal comes back as the daemon's error, code and details included")
    func refusal() {
        let line = Wire.failure(id: .int(1), TrackerError(.exceedsAllocation, "too much", details: JSONObject([("remaining", .int(5))])))
        #expect {
            _ = try Wire.Response.read(line) { (r) throws(JSONParseError) in try r.skip() }
        } throws: { error in
            guard let error = error as? TrackerError else { return false }
            return error.code == .exceedsAllocation && error.message == "too much" && error.details?["remaining"] == .int(5)
        }
    }

    @Test("A damaged answer is refused as not valid JSON, naming where", arguments: [
        #"{"id":1,"ok":true,"result":{"as_of":"2023-11-30""#, #"{"id":1,"ok":true}"#, #"{"id":1,"ok":true,"result":{"as_of":"x"}}"#,
        #"{"id":1,"ok":true,"result":{"as_of":"2023-11-30","through_seq":1,"by":"line","rows":[{"key":"k"}]}}"#,
    ])
    func damaged(text: String) {
        #expect {
            _ = try Wire.Response.read(Array(text.utf8)) { (r) throws(JSONParseError) in
                var others = JSONObject()
                return try StatusReport(reading: &r, others: &others)
            }
        } throws: { error in
            guard let error = error as? TrackerError else { return false }
            return error.code == .badRequest && error.message.contains("not valid JSON") && error.message.contains("at byte")
        }
    }
}
