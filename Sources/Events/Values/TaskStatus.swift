/// Where a task stands: planned → funded → procuring → contracted → in progress → completed,
/// or set aside as deferred or cancelled.
public enum TaskStatus: String, Sendable, CaseIterable, Comparable {
    /// In a plan, not yet funded.
    case planned
    /// Money allocated by a decision.
    case funded
    /// Choosing a contractor (chỉ định thầu / đấu thầu).
    case procuring
    /// A contract is signed.
    case contracted
    /// Work under way.
    case inProgress = "in-progress"
    /// Done.
    case completed
    /// Not funded, not done ("chưa được bố trí kinh phí nên không thực hiện được"); may resume.
    case deferred
    /// Dropped.
    case cancelled

    /// Position on the main line, nil for deferred and cancelled.
    public var stage: Int? {
        switch self {
        case .planned: 0
        case .funded: 1
        case .procuring: 2
        case .contracted: 3
        case .inProgress: 4
        case .completed: 5
        case .deferred, .cancelled: nil
        }
    }

    /// Whether work on the task can still move (not completed, not cancelled).
    public var isOpen: Bool { self != .completed && self != .cancelled }

    /// Why moving from `self` to `next` is refused, or nil when the graph allows it.
    ///
    /// Forward along the main line (skipping steps is allowed: work often starts before the
    /// paperwork is entered); any open state to deferred or cancelled; deferred back onto the main
    /// line. Anything else (backwards, out of completed or cancelled) is a correction and needs
    /// `correction: true`, so it is never done by accident.
    public func refusal(movingTo next: TaskStatus, correction: Bool) -> String? {
        if next == self { return "the task is already \(self.rawValue)" }
        if correction { return nil }
        switch (self, next) {
        case (.completed, _), (.cancelled, _):
            return "the task is \(self.rawValue); reopening it is a correction (say so with --correction and a reason)"
        case (_, .deferred), (_, .cancelled):
            return nil
        case (.deferred, _):
            return nil
        default:
            if let from = stage, let to = next.stage, to > from { return nil }
            return "moving back from \(self.rawValue) to \(next.rawValue) is a correction (say so with --correction and a reason)"
        }
    }

    /// The Vietnamese words of the documents for each status, as they are written there. A word
    /// is matched ignoring case, diacritics and đ/Đ.
    public static let vietnameseWords: [(words: String, status: TaskStatus)] = [
        ("kế hoạch", .planned),
        ("đã bố trí vốn", .funded),
        ("đang lựa chọn nhà thầu", .procuring), ("chỉ định thầu", .procuring), ("đấu thầu", .procuring),
        ("đã ký hợp đồng", .contracted),
        ("đang thực hiện", .inProgress),
        ("hoàn thành", .completed),
        ("chưa bố trí kinh phí", .deferred), ("hoãn", .deferred),
        ("dừng thực hiện", .cancelled), ("hủy", .cancelled),
    ]

    /// The mapping of Vietnamese words, one status a line, for help texts and docs.
    public static var vietnameseMapping: String {
        allCases.compactMap { status in
            let words = vietnameseWords.filter { $0.status == status }.map(\.words)
            return words.isEmpty ? nil : "\(words.joined(separator: ", ")) → \(status.rawValue)"
        }.joined(separator: "; ")
    }

    /// Parses a status name (`in-progress`, `in_progress`, `inprogress` all work), or the
    /// Vietnamese words of the documents (`đang thực hiện`, `hoàn thành`, …: `vietnameseWords`).
    public static func parse(_ text: String) throws(TrackerError) -> TaskStatus {
        let key = Text.foldKey(text).replacingOccurrences(of: "_", with: "-")
        if let status = TaskStatus(rawValue: key) { return status }
        if key == "inprogress" || key == "in progress" { return .inProgress }
        let words = key.split(whereSeparator: { $0 == " " || $0 == "-" }).joined(separator: " ")
        if let match = vietnameseWords.first(where: { Text.foldKey($0.words) == words }) { return match.status }
        throw TrackerError(.invalidArgument,
            "unknown status '\(text)'; use one of: \(allCases.map(\.rawValue).joined(separator: ", ")), or the documents' words: \(vietnameseMapping)")
    }

    public static func < (a: TaskStatus, b: TaskStatus) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
