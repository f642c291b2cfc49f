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
