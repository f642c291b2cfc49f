/// A request to change the books. `Books.decide` turns it into events or refuses it.
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
    /// Raised by the daemon's alert scheduler only; not a wire operation.
    case raiseAlert(AlertRaised)

    /// The wire operation name.
    public var operation: String {
        switch self {
        case .registerAgency: "agency.register"
        case .createPlan: "plan.create"
        case .addTask: "task.add"
        case .allocate: "allocate"
        case .disburse: "disburse"
        case .reverse: "reverse"
        case .changeStatus: "task.status"
        case .carryOver: "carry-over"
        case .lapse: "lapse"
        case .raiseAlert: "alert.raise"
        }
    }

    /// Every wire operation that is a command.
    public static let operations: Set<String> = ["agency.register", "plan.create", "task.add", "allocate", "disburse", "reverse", "task.status",
                                                 "carry-over", "lapse"]
}

/// Register an agency.
public struct RegisterAgency: Sendable, Equatable {
    public var id: AgencyID
    public var name: String
    public var note: String?
    public init(id: AgencyID, name: String, note: String? = nil) {
        self.id = id
        self.name = name
        self.note = note
    }
}

/// Create a plan.
public struct CreatePlan: Sendable, Equatable {
    public var plan: PlanCreated
    public init(_ plan: PlanCreated) { self.plan = plan }
}

/// Add a task to a plan: with an explicit number (`PLAN#N`, which must be the next one, or an
/// identical task already recorded), or with `number == nil` for the next number.
public struct AddTask: Sendable, Equatable {
    /// The task, with `id.number` ignored when `autoNumber` is set.
    public var task: TaskAdded
    /// Whether to take the plan's next number instead of `task.id.number`.
    public var autoNumber: Bool
    public init(_ task: TaskAdded, autoNumber: Bool = false) {
        self.task = task
        self.autoNumber = autoNumber
    }
}

/// Record an allocation decision.
public struct Allocate: Sendable, Equatable {
    public var allocation: FundsAllocated
    public init(_ allocation: FundsAllocated) { self.allocation = allocation }
}

/// Record a disbursement against a task's allocation line.
public struct Disburse: Sendable, Equatable {
    public var task: TaskID
    /// The decision whose line pays; needed only when the task is funded by more than one.
    public var decision: DecisionRef?
    public var amount: Money
    public var date: BusinessDate
    public var ref: PaymentRef
    public var note: String?
    public init(task: TaskID, decision: DecisionRef? = nil, amount: Money, date: BusinessDate, ref: PaymentRef, note: String? = nil) {
        self.task = task
        self.decision = decision
        self.amount = amount
        self.date = date
        self.ref = ref
        self.note = note
    }
}

/// Reverse a recorded disbursement in full.
public struct Reverse: Sendable, Equatable {
    public var ref: PaymentRef
    public var reason: String
    /// The reversal's business date; today when nil.
    public var date: BusinessDate?
    public init(ref: PaymentRef, reason: String, date: BusinessDate? = nil) {
        self.ref = ref
        self.reason = reason
        self.date = date
    }
}

/// Move a task to another status.
public struct ChangeStatus: Sendable, Equatable {
    public var task: TaskID
    public var to: TaskStatus
    public var date: BusinessDate
    public var reason: String
    public var correction: Bool
    public init(task: TaskID, to: TaskStatus, date: BusinessDate, reason: String, correction: Bool = false) {
        self.task = task
        self.to = to
        self.date = date
        self.reason = reason
        self.correction = correction
    }
}

/// Move unspent money of a line (or several) to the next budget year by a carry-over decision.
public struct CarryOver: Sendable, Equatable {
    /// The carry-over decision's number.
    public var decision: DecisionRef
    /// The decision the money comes from.
    public var from: DecisionRef
    public var signed: BusinessDate
    /// Tasks of `from` and the amounts that move.
    public var lines: [AllocationLine]
    public var note: String?
    public init(decision: DecisionRef, from: DecisionRef, signed: BusinessDate, lines: [AllocationLine], note: String? = nil) {
        self.decision = decision
        self.from = from
        self.signed = signed
        self.lines = lines
        self.note = note
    }
}

/// Record that what remains on a decision's lines (or one task's line) lapsed (hủy dự toán).
public struct Lapse: Sendable, Equatable {
    public var decision: DecisionRef
    /// Only this task's line; every line of the decision with money left when nil.
    public var task: TaskID?
    public var date: BusinessDate
    public var reason: String
    public init(decision: DecisionRef, task: TaskID? = nil, date: BusinessDate, reason: String) {
        self.decision = decision
        self.task = task
        self.date = date
        self.reason = reason
    }
}

/// What `decide` made of a command.
public enum CommandOutcome: Sendable, Equatable {
    /// Append these events.
    case record([Event])
    /// Nothing to append: the same fact is already recorded (a retried command). `seq` is where.
    /// `noteNotRecorded`: a retried disbursement whose note differs from the recorded one; the
    /// note it gave (nil: none) was not recorded, and the answer must say so.
    case unchanged(seq: UInt64, what: String, noteNotRecorded: NoteNotRecorded? = nil)
}

/// A retry that differs from what is recorded only in its note: the note given, not recorded.
public struct NoteNotRecorded: Sendable, Equatable {
    /// The note of the retry (nil when it gave none).
    public var given: String?
    public init(given: String?) { self.given = given }
}

/// What commands are decided against besides the books: today's date and the budget rules.
public struct CommandContext: Sendable {
    /// Today in Asia/Ho_Chi_Minh, by the daemon's clock.
    public var today: BusinessDate
    /// Year-end rules.
    public var rules: BudgetRules
    public init(today: BusinessDate, rules: BudgetRules = BudgetRules()) {
        self.today = today
        self.rules = rules
    }
}

/// Year-end rules that commands enforce.
public struct BudgetRules: Sendable, Equatable {
    /// Month and day of the year after the budget year on which unspent, not carried-over money
    /// lapses (hủy dự toán): 31/01 by default (end of chỉnh lý quyết toán).
    public var lapseMonth = 1
    public var lapseDay = 31
    public init() {}

    /// The last day money of `fiscalYear` can be disbursed; nil when that day falls after the
    /// years the log holds (budget year 2199: the money never lapses within them).
    public func lapseDate(of fiscalYear: Int) -> BusinessDate? {
        BusinessDate(year: fiscalYear + 1, month: lapseMonth, day: lapseDay)
            ?? BusinessDate.endOfMonth(fiscalYear + 1, lapseMonth)
    }
}
