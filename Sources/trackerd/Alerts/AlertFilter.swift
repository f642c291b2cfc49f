import Events
import Projections

/// Which alerts a follower wants.
struct AlertFilter: Sendable {
    var year: Int?
    var agency: AgencyID?

    init(request: JSONObject) throws(TrackerError) {
        try request.rejectUnknownKeys(["year", "agency"], envelope: true, in: "alerts.follow request")
        if request["year"] != nil && request["year"] != .null { year = try request.fiscalYear("year") }
        agency = try request.optionalString("agency").map { (text) throws(TrackerError) in try AgencyID(text) }
    }

    func accepts(_ alert: AlertRaised) -> Bool {
        (year == nil || alert.fiscalYear == year) && (agency == nil || alert.agency == agency)
    }
}
