/// A task: its plan and its number in document order, written `560/KH-BDT#1`.
public struct TaskID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The plan the task belongs to.
    public let plan: PlanID
    /// The task's number in its plan, from 1.
    public let number: Int

    /// The task `number` of `plan`.
    public init(plan: PlanID, number: Int) {
        self.plan = plan
        self.number = number
    }

    /// Parses `PLAN#N`.
    public init(_ raw: String) throws(TrackerError) {
        let text = Text.normalized(raw)
        guard let hash = text.lastIndex(of: "#") else {
            throw TrackerError(.invalidArgument, "task '\(text)' needs its number: write PLAN#N, e.g. 860/KH-BDT#1")
        }
        let numberText = text[text.index(after: hash)...]
        guard !numberText.isEmpty, numberText.utf8.count <= 6, numberText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let number = Int(numberText), number >= 1 else {
            throw TrackerError(.invalidArgument, "task '\(text)': the number after '#' must be a whole number from 1, e.g. 860/KH-BDT#1")
        }
        self.plan = try PlanID(String(text[..<hash]))
        self.number = number
    }

    /// A task id from text already validated (records read back from the log).
    public init(trusted text: String) {
        let hash = text.lastIndex(of: "#")!
        plan = PlanID(trusted: String(text[..<hash]))
        number = Int(text[text.index(after: hash)...])!
    }

    public var description: String { "\(plan.text)#\(number)" }

    public static func < (a: TaskID, b: TaskID) -> Bool {
        a.plan == b.plan ? a.number < b.number : a.plan < b.plan
    }
}
