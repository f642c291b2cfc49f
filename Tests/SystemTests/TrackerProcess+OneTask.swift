import Foundation
import Testing

/// A store of one task whose figures the test chooses: agency A, plan P, task P#1, one allocation
/// under 1/QĐ-UBND of 15/01/2023, and nothing else (no sample data, no alerts it did not ask for).
extension TrackerProcess {
    /// The import-file commands of that store: the task's `total` and the amount `allocated` to it,
    /// as trackctl reads amounts ("100 triệu", "9.000.000 tỷ").
    static func oneTask(total: String, allocated: String) -> String {
        """
        agency add A --name "Agency A"
        plan create P --agency A --title "Plan" --date 2023-01-10 --period 2023
        task add P#1 --name "Task" --period 2023 --total "\(total)"
        allocate 1/QĐ-UBND --agency A --year 2023 --date 2023-01-15 --line "P#1=\(allocated)"
        """
    }

    /// Records the one-task store through `trackctl import` (expecting it to succeed).
    func importOneTask(total: String, allocated: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory + "/setup.tracker"
        try Self.oneTask(total: total, allocated: allocated).write(toFile: file, atomically: true, encoding: .utf8)
        _ = try ok("import", file, sourceLocation: sourceLocation)
    }

    /// An import file (in the store's directory) of `count` disbursements of 1.000 đ on the
    /// one-task store's P#1, refs `prefix-1` to `prefix-count`; returns its path.
    func payments(_ count: Int, prefix: String) throws -> String {
        let file = directory + "/\(prefix).tracker"
        try (1...count).map { "disburse P#1 1000 --date 2023-02-01 --ref \(prefix)-\($0)" }.joined(separator: "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}
