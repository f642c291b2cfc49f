import Events
import Projections

/// `trackctl clock set TIME`: moves a simulated daemon clock (a dry run started with `trackerd --now`).
enum ClockCommand {
    static let spec = CommandSpec(["clock", "set"], summary: "Move the simulated clock of a daemon started with --now (a dry run); alerts due by then are raised.",
        positionals: [PositionalSpec("TIME", "2023-12-01 (08:00 Vietnam time that day) or 2023-12-01T10:00")],
        options: [jsonOption] + connectionOptions)

    static func run(_ args: ParsedArguments) throws(Failure) {
        var text = args.positionals[0]
        if !text.contains("T") && !text.contains(" ") { text += "T08:00" }
        let time: Timestamp
        do throws(TrackerError) { time = try Timestamp.parse(text) } catch { throw Failure.usage("clock set: \(error.message)") }
        let client = try connect(args)
        let result = try request(client, .setClock) { w in w.key("now"); w.string(time.description) }
        if args.has("json") { printJSON(result); return }
        let clock: ClockReading
        do throws(TrackerError) { clock = try ClockReading(in: result) } catch { throw Failure(error) }
        Terminal.say("the daemon's simulated today is now \(clock.today.vietnamese)")
    }
}
