/// A request to change the books. `Books.decide` turns it into events or refuses it.
///
/// Each case's payload is a `CommandDefinition` (its own file: command line, wire decoder and
/// encoder side by side), except `raiseAlert`, which only the daemon makes.
public enum Command: Sendable, Equatable {
    case registerAgency(RegisterAgency)
    case createPlan(CreatePlan)
    case addTask(AddTask)
    case allocate(Allocate)
    case disburse(Disburse)
    case reverse(Reverse)
    case changeStatus(ChangeStatus)
    case carryOver(CarryOver)
    case lapse(Lapse)
    case refund(Refund)
    case amend(Amend)
    case succeedAgency(SucceedAgency)
    case reviseTask(ReviseTask)
    case succeedProvince(SucceedProvince)
    case closeYear(CloseYear)
    case recordContract(RecordContract)
    case recordExpectation(RecordExpectation)
    case issueReport(IssueReport)
    /// Raised by the daemon's alert scheduler only; not a wire operation.
    case raiseAlert(AlertRaised)

    /// The command's definition: what it is on the wire and on the command line; nil for
    /// `raiseAlert`, which is neither.
    public var definition: (any CommandDefinition)? {
        switch self {
        case .registerAgency(let c): c
        case .createPlan(let c): c
        case .addTask(let c): c
        case .allocate(let c): c
        case .disburse(let c): c
        case .reverse(let c): c
        case .changeStatus(let c): c
        case .carryOver(let c): c
        case .lapse(let c): c
        case .refund(let c): c
        case .amend(let c): c
        case .succeedAgency(let c): c
        case .reviseTask(let c): c
        case .succeedProvince(let c): c
        case .closeYear(let c): c
        case .recordContract(let c): c
        case .recordExpectation(let c): c
        case .issueReport(let c): c
        case .raiseAlert: nil
        }
    }

    /// The definition of the command an operation is; nil for an operation that is not a command.
    public static func definition(of operation: WireOperation) -> (any CommandDefinition.Type)? {
        switch operation {
        case .registerAgency: RegisterAgency.self
        case .createPlan: CreatePlan.self
        case .addTask: AddTask.self
        case .allocate: Allocate.self
        case .disburse: Disburse.self
        case .reverse: Reverse.self
        case .changeStatus: ChangeStatus.self
        case .carryOver: CarryOver.self
        case .lapse: Lapse.self
        case .refund: Refund.self
        case .amend: Amend.self
        case .succeedAgency: SucceedAgency.self
        case .reviseTask: ReviseTask.self
        case .succeedProvince: SucceedProvince.self
        case .closeYear: CloseYear.self
        case .recordContract: RecordContract.self
        case .recordExpectation: RecordExpectation.self
        case .issueReport: IssueReport.self
        case .hello, .head, .status, .tasks, .overdue, .plans, .agencies, .taskHistory, .alerts, .followAlerts, .log, .verify, .importCommands,
             .setClock, .backup, .report, .auditReport, .issuedReports: nil
        }
    }

    /// Every command's definition, in the table's order.
    public static let definitions: [any CommandDefinition.Type] = WireOperation.allCases.compactMap(definition(of:))

    /// The command's operation on the wire; nil for `raiseAlert`.
    public var wireOperation: WireOperation? { definition.map { type(of: $0).operation } }

    /// The wire operation name (`alert.raise` for an alert, which is not one).
    public var operation: String { wireOperation?.name ?? "alert.raise" }

    /// Every wire operation that is a command.
    public static let operations: Set<String> = Set(definitions.map { $0.operation.name })
}
