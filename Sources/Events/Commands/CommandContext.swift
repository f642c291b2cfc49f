/// What commands are decided against besides the books: today's date and the budget rules.
public struct CommandContext: Sendable {
    /// Today in Asia/Ho_Chi_Minh, by the daemon's clock.
    public var today: BusinessDate
    /// Year-end rules.
    public var rules: BudgetRules
    /// Who submits the command (set per submission by the batch step), for facts that record
    /// who made a decision, like a carry-over's override.
    public var actor: Actor?
    public init(today: BusinessDate, rules: BudgetRules = BudgetRules(), actor: Actor? = nil) {
        self.today = today
        self.rules = rules
        self.actor = actor
    }
}
