import Foundation
import Testing
@testable import Events

/// The one table of operations (`WireOperation`) agrees with the commands, the command line, and
/// the table in docs/architecture.md.
@Suite struct OperationTableTests {
    @Test("An operation writes exactly when it is a command or an import, and a command is answered by the writer")
    func writesAreCommands() {
        for operation in WireOperation.allCases {
            let isCommand = Command.definition(of: operation) != nil
            #expect(operation.writes == (isCommand || operation == .importCommands), "\(operation.name)")
            #expect((operation.queue == .writer) == isCommand, "\(operation.name)")
            if let definition = Command.definition(of: operation) { #expect(definition.operation == operation, "\(operation.name)") }
        }
        #expect(Command.operations == Set(WireOperation.allCases.filter { Command.definition(of: $0) != nil }.map(\.name)))
    }

    @Test("No operation that writes is open to a viewer")
    func writesNeedMoreThanViewer() {
        for operation in WireOperation.allCases where operation.writes {
            #expect(operation.role > .viewer, "\(operation.name) writes and needs only \(operation.role.name)")
        }
    }

    @Test("Every command has one spec on the command line, in the table's order")
    func specsFollowTheTable() {
        let fromTable = WireOperation.allCases.compactMap { Command.definition(of: $0)?.spec.name }
        #expect(CommandSyntax.specs.map(\.name) == fromTable)
    }

    @Test("An import needs the highest role of its commands, and at least clerk")
    func importRole() {
        #expect(WireOperation.role(ofImport: []) == .clerk)
        #expect(WireOperation.role(ofImport: [.disburse, .reverse]) == .clerk)
        #expect(WireOperation.role(ofImport: [.disburse, .registerAgency]) == .admin)
        #expect(WireOperation.role(ofImport: [.status]) == .clerk)
    }

    @Test("An unknown operation is refused once, naming every operation there is")
    func unknownOperation() throws {
        #expect(throws: TrackerError.self) { try WireOperation.named("launch") }
        do {
            _ = try WireOperation.named("launch")
        } catch {
            #expect(error.code == .unknownOperation)
            #expect(error.message == "unknown operation 'launch'; operations are: " + WireOperation.allCases.map(\.name).sorted().joined(separator: ", "))
        }
        #expect(try WireOperation.named("carry-over") == .carryOver)
    }

    // MARK: The table in docs/architecture.md

    /// One row of the wire section's table: the operations it names, and its role, writes and
    /// "answered by" cells.
    struct DocumentedRow: CustomStringConvertible {
        var names: [String]
        var role: String
        var writes: String
        var answeredBy: String
        var description: String { names.joined(separator: ", ") }
    }

    /// The rows of the table whose header starts `| op | role | writes | answered by |`.
    static func documentedRows() throws -> [DocumentedRow] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/architecture.md").standardized.path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("| op | role | writes | answered by |") }) else { return [] }
        var rows: [DocumentedRow] = []
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            let names = cells[0].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            rows.append(DocumentedRow(names: names, role: cells[1], writes: cells[2], answeredBy: cells[3]))
        }
        return rows
    }

    @Test("docs/architecture.md lists exactly the table's operations, each with its role, whether it writes and who answers it")
    func documentedTable() throws {
        let rows = try Self.documentedRows()
        #expect(!rows.isEmpty, "no table headed | op | role | writes | answered by | in docs/architecture.md")
        let documented = rows.flatMap(\.names)
        #expect(documented.count == Set(documented).count, "an operation is listed twice: \(documented)")
        #expect(Set(documented) == Set(WireOperation.allCases.map(\.name)))
        for row in rows {
            for name in row.names {
                guard let operation = WireOperation(rawValue: name) else { continue }
                #expect(String(row.role.prefix(while: \.isLetter)) == operation.role.name,
                        "\(name): the doc says '\(row.role)', the table \(operation.role.name)")
                #expect(row.writes == (operation.writes ? "yes" : "no"), "\(name): the doc says writes '\(row.writes)'")
                #expect(row.answeredBy.hasPrefix(operation.queue.rawValue), "\(name): the doc says '\(row.answeredBy)', the table \(operation.queue.rawValue)")
            }
        }
    }
}
