import Events
import Foundation
import Testing

/// The by-hand check of a record's hash in docs/architecture.md, run exactly as written there
/// against the records of a real store: an auditor who follows it must get each record's hash.
@Suite("The documented by-hand hash check")
struct HashRecipeTests {
    @Test("the recipe in docs/architecture.md, run with bash on every record of a real store, gives each record's hash")
    func recipeAsWritten() throws {
        let doc = try String(contentsOfFile: Binaries.root + "/docs/architecture.md", encoding: .utf8)
        // The command between backticks on the line that pipes into sha256sum.
        let line = try #require(doc.split(separator: "\n").first { $0.contains("| sha256sum`") && $0.contains("$PREV") })
        let start = try #require(line.firstIndex(of: "`"))
        let end = try #require(line[line.index(after: start)...].firstIndex(of: "`"))
        let recipe = String(line[line.index(after: start)..<end])
        #expect(recipe.hasPrefix("printf"))
        let writer = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        #expect(writer.stop() == 0)
        let segment = try #require(try writer.segments().first)
        let records = try String(contentsOfFile: segment, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(records.count > 50)
        for record in records {
            guard case .object(let object) = try JSONParser().parse(record),
                  case .string(let prev)? = object["prev"], case .string(let hash)? = object["hash"] else {
                Issue.record("not a record: \(record)")
                continue
            }
            let result = try runProgram("/bin/bash", ["-c", recipe], environment: ["PREV": prev, "LINE": record])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.split(separator: " ").first.map(String.init) == hash, "the recipe gives another hash for \(record.prefix(60))…")
        }
    }
}
