import Events
import Projections

/// `trackctl alerts`: the year-end alerts raised, or (with --follow) each new one as it comes.
enum AlertsCommand {
    static let spec = CommandSpec(["alerts"], summary: "List the year-end alerts the daemon raised, or follow new ones as they come.",
        options: [.value("year", "YEAR", "Only alerts for this budget year."),
                  .value("agency", "AGENCY", "Only this agency's."),
                  .flag("follow", "Stay connected and print each alert as it is raised, until interrupted (Ctrl-C).")]
                 + scopeOptions + [jsonOption] + connectionOptions,
        discussion: """
        Checkpoints (from the daemon's configuration): 30/09 below 60%; 31/10, 30/11, 15/12 behind the straight line
        from the allocation date to 31/12; 31/12 below 100%; 31/01 of the next year: what remains will lapse unless
        carried over. Each alert is raised once per allocation line and checkpoint, and recorded in the log.
        An alert raised more than late_after_days (default 30) after its checkpoint, because the history was
        recorded later, is late: listed with how late it came, but never followed, logged or sent to the alert
        command as a new warning.
        --as-of lists the alerts raised on or before that date (by the daemon's clock).
        """)

    static func run(_ args: ParsedArguments) throws(Failure) {
        let parameters = try queryParameters(args)
        let client = try connect(args)
        if args.has("follow") {
            try follow(client, parameters: parameters, json: args.has("json"))
            return
        }
        let result = try request(client, .alerts) { w in parameters.encode(to: &w) }
        if args.has("json") { printJSON(result); return }
        var alerts: [Ledger.RaisedAlert] = []
        do throws(TrackerError) {
            for case .object(let object) in try result.array("alerts") { alerts.append(try Ledger.RaisedAlert(json: object)) }
        } catch { throw Failure(error) }
        var text: TerminalText = "Year-end alerts\(parameters.year.map { " for budget year \($0)" } ?? "")\n"
        text += scopeLine(result, asOf: parameters.asOf, throughSeq: nil)
        text += text.hasSuffix("\n") ? "\n" : "\n\n"
        if alerts.isEmpty {
            Terminal.say(text + "No alerts raised.")
            return
        }
        var table = Table([.init("Raised"), .init("Checkpoint"), .init("Agency"), .init("Decision"), .init("Task"),
                           .init("Allocated", .right), .init("Disbursed", .right), .init("Rate", .right), .init("Expected", .right),
                           .init("Remaining", .right), .init("Days left", .right), .init("Late", .right)])
        for raised in alerts {
            let alert = raised.alert
            table.add([alert.raisedOn.vietnamese + (alert.simulated ? "*" : ""), alert.checkpoint, alert.agency.text, alert.decision.text,
                       alert.task.description, alert.allocated.description, alert.disbursed.description,
                       Rate(milliPercent: alert.rateMilliPercent).description,
                       alert.rule == .lapse ? "lapse" : Rate(milliPercent: alert.expectedMilliPercent).description,
                       alert.remaining.description, "\(alert.daysLeft) to \(alert.deadline.vietnamese)",
                       alert.lateDays.map { "\($0) days" } ?? ""])
        }
        text += table.render()
        if alerts.contains(where: \.alert.simulated) { text += "* raised under a SIMULATED clock\n" }
        let late = alerts.filter(\.alert.isLate).count
        if late > 0 {
            text += "Late: \(late) of \(alerts.count) raised that many days after their checkpoint, when the history was recorded later; "
                + "not pushed as new warnings.\n"
        }
        Terminal.say(text, terminator: "")
    }

    private static func follow(_ client: Client, parameters: QueryParameters, json: Bool) throws(Failure) {
        _ = try request(client, .followAlerts) { w in
            if let year = parameters.year { w.key("year"); w.int(year) }
            if let agency = parameters.agency { w.key("agency"); w.string(agency.text) }
        }
        Terminal.complain("following alerts from \(client.address) (Ctrl-C to stop)")
        while true {
            let line: [UInt8]
            do throws(TrackerError) { line = try client.readLine() } catch {
                if error.code == .unavailable { Terminal.complain("trackerd closed the connection"); return }
                throw Failure(error)
            }
            if json {
                print(String(decoding: line, as: UTF8.self))
            } else {
                do throws(TrackerError) {
                    let response = try Wire.Response.parse(line)
                    guard let stream = response.stream else { continue }
                    let raised = try Ledger.RaisedAlert(json: stream.object)
                    Terminal.say("\(raised.time) ALERT \(raised.alert.sentence)")
                } catch {
                    throw Failure(error)
                }
            }
            fflushStandardOutput()
        }
    }
}
