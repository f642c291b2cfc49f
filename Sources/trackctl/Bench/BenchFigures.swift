import Dispatch
import Events
import Foundation
import Glibc
import Projections

/// The figures `trackctl bench` reports, under the keys scripts track.
struct BenchFigures {
    var values: [(key: String, value: Double, unit: String, label: String)] = []

    mutating func set(_ key: String, _ value: Double, _ unit: String, _ label: String) {
        values.removeAll { $0.key == key }
        values.append((key, value, unit, label))
    }

    func json() -> String {
        "{" + values.map { "\"\($0.key)\":\(format($0.value))" }.joined(separator: ",") + "}"
    }

    func table(options: BenchCommand.Options) -> String {
        var text = "trackctl bench: \(options.agencies) agencies × \(options.plans) plans × \(options.tasks) tasks (\(options.agencies * options.plans * options.tasks) allocation lines), \(options.events) events, \(Int(options.seconds)) s per run\n\n"
        let width = values.map { $0.label.count }.max() ?? 0
        for entry in values {
            text += entry.label.padding(toDisplayWidth: width + 2) + format(entry.value).leftPadding(toDisplayWidth: 12) + " " + entry.unit + "   (" + entry.key + ")\n"
        }
        return text
    }

    private func format(_ value: Double) -> String {
        if value >= 1000 || value == value.rounded() { return String(Int(value.rounded())) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.3f", value)
    }
}
