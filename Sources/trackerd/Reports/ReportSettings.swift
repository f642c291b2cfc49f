import Events
import Projections

/// The letterheads of reports, from trackerd.conf: `[report]` for what every agency shares (the
/// cơ quan chủ quản, the place), `[report AGENCY]` for one agency's own.
struct ReportSettings: Sendable {
    /// The keys of a `[report …]` section.
    static let keys = ["co_quan_chu_quan", "co_quan_bao_cao", "place", "nguoi_lap_bieu", "thu_truong", "thu_truong_ten", "bieu_so"]

    /// `[report]`: defaults for every agency.
    var shared: [String: String] = [:]
    /// `[report AGENCY]`, by the agency id's folded key.
    var agencies: [String: [String: String]] = [:]

    /// The letterhead for a report of `agency` (nil: a report over every agency, the province's).
    func letterhead(for agency: AgencyID?, name: String?) -> Letterhead {
        var values = shared
        if let agency, let own = agencies[Text.foldKey(agency.text)] { values.merge(own) { $1 } }
        let office = values["co_quan_bao_cao"] ?? name.map { $0.uppercased() } ?? ""
        return Letterhead(superior: values["co_quan_chu_quan"] ?? "UBND TỈNH QUẢNG NGÃI", office: office,
                          place: values["place"] ?? "Quảng Ngãi", preparer: values["nguoi_lap_bieu"],
                          headTitle: values["thu_truong"] ?? "THỦ TRƯỞNG ĐƠN VỊ", head: values["thu_truong_ten"], form: values["bieu_so"])
    }

    /// Reads the `[report]` and `[report AGENCY]` sections of a configuration file.
    mutating func apply(_ file: ConfigFile) throws(TrackerError) {
        for (section, entries) in file.sections where section == "report" || section.hasPrefix("report ") {
            var values: [String: String] = [:]
            for entry in entries {
                guard Self.keys.contains(entry.key) else {
                    throw file.error(entry, "unknown key in [\(section)] (keys: \(Self.keys.joined(separator: ", ")))")
                }
                guard entry.value.count <= 300 else { throw file.error(entry, "longer than 300 characters") }
                values[entry.key] = Text.normalized(entry.value)
            }
            if section == "report" {
                shared.merge(values) { $1 }
            } else {
                let agency = String(section.dropFirst("report ".count))
                guard (try? AgencyID(agency)) != nil else { throw TrackerError(.invalidArgument, "\(file.path): [\(section)] does not name an agency id") }
                agencies[Text.foldKey(agency), default: [:]].merge(values) { $1 }
            }
        }
    }
}
