/// Every operation of the protocol: the one table of them.
///
/// For each operation: its name on the wire (the raw value), the role it needs, whether it
/// writes to the log, and who answers it. `row` is one exhaustive `switch` with no `default`, so
/// an operation cannot be added without deciding all three. Everything that lists operations
/// derives from this table: the daemon's routing and its check of roles, the commands
/// (`Command.definition(of:)`), the command line's specs (`CommandSyntax.specs`), and the table in
/// docs/architecture.md (checked against this one by `OperationTableTests`).
///
/// It lives in Events, the lowest module that has what it needs: the commands and their
/// command-line form are here, and the daemon (`trackerd`) and the client (`trackctl`) both see it.
public enum WireOperation: String, CaseIterable, Sendable {
    case hello
    case head
    case status
    case tasks
    case overdue
    case plans
    case agencies
    case taskHistory = "task.history"
    case alerts
    case followAlerts = "alerts.follow"
    case log
    case verify
    case registerAgency = "agency.register"
    case succeedAgency = "agency.succeed"
    case succeedProvince = "province.succeed"
    case createPlan = "plan.create"
    case addTask = "task.add"
    case reviseTask = "task.revise"
    case allocate
    case disburse
    case reverse
    case refund
    case changeStatus = "task.status"
    case carryOver = "carry-over"
    case lapse
    case closeYear = "year.close"
    case amend
    case importCommands = "import"
    case setClock = "clock.set"
    case backup
    case recordContract = "contract.record"
    case recordExpectation = "expectation.record"
    case report
    case auditReport = "report.audit"
    case issueReport = "report.issue"
    case issuedReports = "reports.issued"

    /// Who answers an operation.
    public enum Queue: String, Sendable, CaseIterable {
        /// The event loop itself, at once: cheap answers that read nothing large.
        case loop
        /// The single writer: decided against the books, answered once durable.
        case writer
        /// A job on the light lane (queries over the live ledger; the decoding of an import,
        /// which is then one submission to the writer). Never waits behind the heavy lane.
        case lightLane = "light lane"
        /// A job on the heavy lane: queries that read the log's files (seconds on a large store).
        case heavyLane = "heavy lane"
        /// Answered once on the loop, then a stream of lines until the client leaves.
        case follow
    }

    /// One row of the table.
    public struct Row: Sendable, Equatable {
        /// The role a caller needs. For `import`, the least it needs: an import needs the highest
        /// role of its commands (`role(ofImport:)`).
        public var role: Role
        /// Whether it appends to the log (changes the books).
        public var writes: Bool
        /// Who answers it.
        public var queue: Queue
    }

    /// The table.
    public var row: Row {
        switch self {
        //                                 role             appends to the log   answered by
        case .hello:           Row(role: .viewer, writes: false, queue: .loop)
        case .head:            Row(role: .viewer, writes: false, queue: .loop)
        case .status:          Row(role: .viewer, writes: false, queue: .lightLane)
        case .tasks:           Row(role: .viewer, writes: false, queue: .lightLane)
        case .overdue:         Row(role: .viewer, writes: false, queue: .lightLane)
        case .plans:           Row(role: .viewer, writes: false, queue: .lightLane)
        case .agencies:        Row(role: .viewer, writes: false, queue: .lightLane)
        case .taskHistory:     Row(role: .viewer, writes: false, queue: .lightLane)
        case .alerts:          Row(role: .viewer, writes: false, queue: .lightLane)
        case .followAlerts:    Row(role: .viewer, writes: false, queue: .follow)
        case .log:             Row(role: .viewer, writes: false, queue: .heavyLane)
        case .verify:          Row(role: .viewer, writes: false, queue: .heavyLane)
        case .registerAgency:  Row(role: .admin, writes: true, queue: .writer)
        case .succeedAgency:   Row(role: .admin, writes: true, queue: .writer)
        case .succeedProvince: Row(role: .admin, writes: true, queue: .writer)
        case .createPlan:      Row(role: .admin, writes: true, queue: .writer)
        case .addTask:         Row(role: .admin, writes: true, queue: .writer)
        case .reviseTask:      Row(role: .admin, writes: true, queue: .writer)
        case .allocate:        Row(role: .admin, writes: true, queue: .writer)
        case .disburse:        Row(role: .clerk, writes: true, queue: .writer)
        case .reverse:         Row(role: .clerk, writes: true, queue: .writer)
        case .refund:          Row(role: .clerk, writes: true, queue: .writer)
        case .changeStatus:    Row(role: .clerk, writes: true, queue: .writer)
        case .carryOver:       Row(role: .admin, writes: true, queue: .writer)
        case .lapse:           Row(role: .admin, writes: true, queue: .writer)
        case .closeYear:       Row(role: .admin, writes: true, queue: .writer)
        case .amend:           Row(role: .admin, writes: true, queue: .writer)
        case .importCommands:  Row(role: .clerk, writes: true, queue: .lightLane)
        case .setClock:        Row(role: .admin, writes: false, queue: .loop)
        case .backup:          Row(role: .admin, writes: false, queue: .heavyLane)
        case .recordContract:  Row(role: .clerk, writes: true, queue: .writer)
        case .recordExpectation: Row(role: .clerk, writes: true, queue: .writer)
        case .report:          Row(role: .viewer, writes: false, queue: .lightLane)
        case .auditReport:     Row(role: .viewer, writes: false, queue: .heavyLane)
        case .issueReport:     Row(role: .clerk, writes: true, queue: .writer)
        case .issuedReports:   Row(role: .viewer, writes: false, queue: .lightLane)
        }
    }

    /// The operation's name on the wire (`"op"`).
    public var name: String { rawValue }
    /// The role it needs (for `import`, see `role(ofImport:)`).
    public var role: Role { row.role }
    /// Whether it appends to the log.
    public var writes: Bool { row.writes }
    /// Who answers it.
    public var queue: Queue { row.queue }

    /// The operation named `name`; `unknown_op` naming every operation there is.
    public static func named(_ name: String) throws(TrackerError) -> WireOperation {
        guard let operation = WireOperation(rawValue: name) else {
            throw TrackerError(.unknownOperation, "unknown operation '\(name)'; operations are: \(allNames.joined(separator: ", "))")
        }
        return operation
    }

    /// Every operation's name, sorted.
    public static let allNames: [String] = allCases.map(\.name).sorted()

    /// The role an import of commands with these operations needs: the highest any of them needs,
    /// and at least the import's own (clerk: an import always writes).
    public static func role(ofImport operations: some Sequence<WireOperation>) -> Role {
        operations.reduce(importCommands.role) { max($0, $1.role) }
    }
}
