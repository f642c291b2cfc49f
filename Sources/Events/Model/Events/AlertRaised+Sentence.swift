extension AlertRaised {
    /// One readable line: what is behind, by how much, and how long is left.
    public var sentence: String {
        let rate = Rate(milliPercent: rateMilliPercent)
        let expected = Rate(milliPercent: expectedMilliPercent)
        let what: String
        switch rule {
        case .belowRate: what = "disbursed \(rate) by \(checkpointDate.vietnamese), below \(expected)"
        case .behindStraightLine: what = "disbursed \(rate) by \(checkpointDate.vietnamese), behind the straight line (\(expected))"
        case .lapse: what = "\(remaining) remains after \(checkpointDate.vietnamese) and will lapse (hủy dự toán) unless carried over"
        }
        func days(_ count: Int) -> String { count == 1 ? "1 day" : "\(count) days" }
        let left = daysLeft >= 0 ? "\(days(daysLeft)) left to \(deadline.vietnamese)" : "\(days(-daysLeft)) past \(deadline.vietnamese)"
        return "[\(checkpoint)] \(agency) \(decision) \(task): \(what); allocated \(allocated), disbursed \(disbursed), remaining \(remaining); \(left)"
            + (lateDays.map { "; late: raised \(days($0)) after \(checkpointDate.vietnamese), when its history was recorded" } ?? "")
            + (simulated ? " (SIMULATED clock)" : "")
    }
}
